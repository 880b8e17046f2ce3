import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busyCommand, lanebench, readHistoryFile, recordRuns, tempDir, writeFile } from './cli-helpers.js';

function git(cwd: string, args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=lanebench test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

describe('lanebench compare', () => {
  it('compares the runs recorded at two git refs with change and significance', () => {
    const repo = tempDir('git');
    git(repo, ['init', '-q', '-b', 'main']);
    writeFile(repo, '.gitignore', '.benchmark_results/\n');
    // the workload lives in the repository: the second commit makes it about three times slower
    writeFile(repo, 'work.js', 'const end = Date.now() + 80; let x = 0; while (Date.now() < end) x++;\n');
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'fast']);
    const fastSha = git(repo, ['rev-parse', 'HEAD']);
    recordRuns(repo, 2, ['--lane', 'docs', '--name', 'work', '--iterations', '4'], ['node', 'work.js']);
    writeFile(repo, 'work.js', 'const end = Date.now() + 400; let x = 0; while (Date.now() < end) x++;\n');
    git(repo, ['commit', '-q', '-am', 'slow']);
    recordRuns(repo, 2, ['--lane', 'docs', '--name', 'work', '--iterations', '4'], ['node', 'work.js']);

    const runs = readHistoryFile(repo).runs;
    expect(runs.slice(0, 2).every((r) => r.git.sha === fastSha && r.git.dirty === false)).toBe(true);
    expect(runs[2]!.git.sha).not.toBe(fastSha);

    const text = lanebench(repo, ['compare', 'HEAD~1', 'HEAD']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Baseline: {2}git HEAD~1 \([0-9a-f]{12}\) — 2 run\(s\)/);
    expect(text.stdout).toMatch(/Environment: match/);
    expect(text.stdout).toMatch(/docs › work/);
    expect(text.stdout).toMatch(
      /execution_time \(s\)\s+[\d.]+ \(n=8\)\s+[\d.]+ \(n=8\)\s+\+\d+\.\d%\s+0\.\d{4}\s+regression/,
    );

    const json = JSON.parse(lanebench(repo, ['compare', 'HEAD~1', 'HEAD', '--json']).stdout);
    const exec = json.comparisons.find((c: { metric: string }) => c.metric === 'execution_time');
    expect(exec.change_pct).toBeGreaterThan(50);
    expect(exec.p_value).toBeLessThan(0.05);
    expect(exec.significant).toBe(true);
    expect(exec.status).toBe('regression');
    expect(json.environment_match).toBe(true);
    // a sha prefix works as well as a ref, and --fail-on-regression turns the verdict into exit 1
    expect(lanebench(repo, ['compare', fastSha.slice(0, 8), 'main', '--fail-on-regression']).code).toBe(1);
    // the reverse direction is an improvement
    expect(lanebench(repo, ['compare', 'HEAD', 'HEAD~1']).stdout).toMatch(/-\d+\.\d%\s+0\.\d{4}\s+improvement/);
  });

  it('compares run ids and history files, and flags different environments', () => {
    const d = tempDir('compare-files');
    recordRuns(d, 2, ['--lane', 'docs', '--name', 'w', '--iterations', '3'], busyCommand(30));
    const [a, b] = readHistoryFile(d).runs;
    const byId = lanebench(d, ['compare', a!.id, b!.id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(`Baseline:  run ${a!.id}`);
    // a copy of the history "from another machine": same runs, other fingerprint
    const other = tempDir('compare-other');
    const history = readHistoryFile(d);
    for (const r of history.runs) {
      r.id = `${r.id}-m2`;
      r.env.fingerprint = 'another-machine';
      r.env.cpu_model = 'Other CPU';
    }
    writeFile(other, 'metrics.json', JSON.stringify(history));
    const cross = lanebench(d, ['compare', '.benchmark_results/metrics.json', join(other, 'metrics.json')]);
    expect(cross.code).toBe(0);
    expect(cross.stdout).toMatch(/⚠ Environment: MISMATCH/);
    expect(cross.stdout).toContain('Other CPU');
    expect(JSON.parse(lanebench(d, ['compare', '.benchmark_results', other, '--json']).stdout).environment_match).toBe(
      false,
    );
  });
});

describe('lanebench merge', () => {
  it('combines two machines’ histories keeping every run once, atomically, idempotently', () => {
    const m1 = tempDir('machine1');
    const m2 = tempDir('machine2');
    recordRuns(m1, 2, ['--lane', 'docs', '--name', 'w', '--iterations', '2'], busyCommand(20));
    recordRuns(m2, 2, ['--lane', 'docs', '--name', 'w', '--iterations', '2'], busyCommand(20));
    const ids1 = readHistoryFile(m1).runs.map((r) => r.id);
    const ids2 = readHistoryFile(m2).runs.map((r) => r.id);
    const ci = tempDir('merged');

    const r = lanebench(ci, [
      'merge',
      join(m1, '.benchmark_results'),
      join(m2, '.benchmark_results', 'metrics.json'),
      '--output-dir',
      'all',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Merged 2 file\(s\) \(4 runs\) into .*all\/metrics\.json: 4 runs \(4 new, 0 duplicate\(s\) skipped\)/,
    );
    const merged = readHistoryFile(ci, 'all');
    expect(merged.schema_version).toBe(1);
    expect(merged.runs.map((x) => x.id).sort()).toEqual([...ids1, ...ids2].sort());
    // oldest first
    const times = merged.runs.map((x) => Date.parse(x.started_at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // merging again (and a shard that overlaps) adds nothing
    cpSync(join(m1, '.benchmark_results'), join(ci, 'shard-copy'), { recursive: true });
    const again = lanebench(ci, ['merge', m1, m2, 'shard-copy', '--output-dir', 'all']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: 4 runs \(0 new, \d+ duplicate\(s\) skipped\)/);
    const ids = readHistoryFile(ci, 'all').runs.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(4);

    // the merged history works with the other commands
    expect(JSON.parse(lanebench(ci, ['analyze', '--lane', 'docs', '--output-dir', 'all']).stdout).total_runs).toBe(4);
  });

  it('refuses a corrupt input without touching the output', () => {
    const ci = tempDir('merge-corrupt');
    writeFile(ci, 'bad.json', '{"schema_version": 99, "runs": []}');
    writeFile(ci, '.benchmark_results/metrics.json', '{"schema_version":1,"runs":[]}\n');
    const r = lanebench(ci, ['merge', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json/);
    expect(readFileSync(join(ci, '.benchmark_results', 'metrics.json'), 'utf8')).toBe(
      '{"schema_version":1,"runs":[]}\n',
    );
  });
});
