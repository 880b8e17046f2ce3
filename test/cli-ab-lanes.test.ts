/**
 * Runner-driven lanes (no command after `--`) in `run --confirm`, `ab` and `calibrate` (issue 12), on real Vitest
 * 4.1 in a fresh project that is also a git repository of two commits:
 * - `confirm:` (config) and `--confirm N` re-run only the flagged workflow through the runner, tag the re-runs and
 *   fail only when every re-run regresses too;
 * - `ab --base <ref> --head <ref>` runs the lane's workflow files in both temporary worktrees, ABBA, and finds the
 *   slower commit; the worktrees are gone afterwards;
 * - `calibrate` runs the lane's workflow files A/A and records nothing.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFile } from '../packages/core/src/types.js';
import { seedBaseline } from './helpers/baseline.js';
import { createProject, type Project } from './helpers/project.js';

let project: Project;

function git(args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=lanebench test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: project.dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const lanebench = (args: string[]) => {
  const r = project.run(process.execPath, ['node_modules/lanebench/dist/cli.js', ...args], { timeoutMs: 540_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
};

const history = (out: string): HistoryFile => JSON.parse(project.read(`${out}/metrics.json`)) as HistoryFile;

beforeAll(() => {
  project = createProject({ name: 'ab-lanes', lanebench: ['cli', 'vitest'], dependencies: { vitest: '4.1.12' } });
  project.write(
    'vitest.config.mjs',
    "import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\nexport default defineConfig({ plugins: [lanebench()] });\n",
  );
  // lane docs: `step` is slow (0.5 s) while the counter file `left` is above 0 and counts it down, else 0.05 s;
  // `steady` never changes and must never be re-run. Lane cmp: `work` sleeps as work.sh says (per commit).
  project.write(
    'step.sh',
    'n=$(cat left 2>/dev/null || echo 0)\nif [ "$n" -gt 0 ]; then echo $((n-1)) > left; sleep 0.5; else sleep 0.05; fi\n',
  );
  project.write(
    'lanes/lanes.bench.mjs',
    [
      "import { workflow } from '@lanebench/vitest';",
      "workflow('docs', 'step', 'sh step.sh');",
      "workflow('docs', 'steady', 'sleep 0.05');",
      "workflow('cmp', 'work', 'sh work.sh');",
      '',
    ].join('\n'),
  );
  project.write(
    'lanebench.config.json',
    // a 50 % threshold: the seeded baseline is tighter than real runs on a loaded machine, where a fast re-run can
    // be 20 % slower than the first launch; the slow step is 7× slower
    JSON.stringify({
      regressionThreshold: 0.5,
      lanes: { docs: { iterations: 3, confirm: 2 }, cmp: { iterations: 1 } },
    }),
  );
  project.write('.gitignore', 'node_modules/\nout-*/\n.benchmark_results/\nleft\n');
  project.write('work.sh', 'sleep 0.05\n');
  git(['init', '-q', '-b', 'main']);
  git(['add', '.']);
  git(['commit', '-q', '-m', 'fast']);
  project.write('work.sh', 'sleep 0.4\n');
  git(['commit', '-q', '-am', 'slow']);
}, 600_000);

describe('lanebench run --lane L --confirm N (runner-driven)', () => {
  /** One real launch, seeded to a baseline of five runs per workflow (helpers/baseline.ts). */
  function baseline(out: string): void {
    const r = lanebench(['run', '--lane', 'docs', '--output-dir', out, '--confirm', '0']);
    expect(r.code, r.all).toBe(0);
    seedBaseline(`${project.dir}/${out}/metrics.json`, 5, { every: true });
  }

  it('--confirm 2: a transient regression is re-run (at most twice, only its workflow), not confirmed, exit 0', () => {
    const out = 'out-transient';
    baseline(out);
    project.write('left', '3\n'); // only the flagged run's 3 iterations are slow
    const r = lanebench(['run', '--lane', 'docs', '--output-dir', out, '--confirm', '2', '--fail-on-regression']);
    expect(r.all).toMatch(/Confirming: re-running 'step' 2 time\(s\) because execution_time regressed/);
    expect(r.all).toMatch(/re-run 1\/2 of 'step': /);
    expect(r.all).toMatch(/Regression of 'step' not confirmed by the re-runs; not failing on it\./);
    expect(r.code, r.all).toBe(0);
    const runs = history(out).runs;
    const flagged = runs.filter((x) => x.workflow === 'step' && !x.confirm).at(-1)!;
    const reruns = runs.filter((x) => x.confirm);
    // the re-runs stop at the first one that does not regress (one disagreeing re-run is enough not to fail);
    // on a busy machine the first fast re-run can still look slow, so there are one or two
    expect(reruns.length).toBeGreaterThanOrEqual(1);
    expect(reruns.map((x) => [x.workflow, x.confirm!.attempt, x.confirm!.of_attempts, x.confirm!.of])).toEqual(
      [1, 2].slice(0, reruns.length).map((attempt) => ['step', attempt, 2, flagged.id]),
    );
    expect(reruns[0]!.confirm!.reason).toMatch(/execution_time: regression/);
    // `steady` ran once (the first launch), never in a re-run
    expect(runs.filter((x) => x.workflow === 'steady' && !x.id.includes('-baseline-'))).toHaveLength(2);
  });

  it('confirm: 2 from the config: a regression every re-run repeats fails the run (exit 1)', () => {
    const out = 'out-persistent';
    baseline(out);
    project.write('left', '99\n');
    const r = lanebench(['run', '--lane', 'docs', '--output-dir', out, '--fail-on-regression']);
    expect(r.all).toMatch(/re-run 2\/2 of 'step': regression again/);
    expect(r.all).toMatch(/Regression of 'step' confirmed by 2 re-run\(s\)\./);
    expect(r.code, r.all).toBe(1);
    expect(history(out).runs.filter((x) => x.confirm)).toHaveLength(2);
    project.write('left', '0\n');
  });
});

describe('lanebench ab / calibrate over the lane workflow files (no --)', () => {
  it('ab --base HEAD~1 --head HEAD: the slower commit is a regression; worktrees removed; both sides recorded', () => {
    const r = lanebench([
      'ab',
      '--lane',
      'cmp',
      '--base',
      'HEAD~1',
      '--head',
      'HEAD',
      '--pairs',
      '8',
      '--output-dir',
      'out-ab',
      '--prepare',
      `ln -s '${project.dir}/node_modules' node_modules`,
      '--json',
    ]);
    expect(r.code, r.all).toBe(1);
    const rows = JSON.parse(r.stdout) as Array<{ workflow: string; metric: string; verdict: string; ratio: number }>;
    const exec = rows.find((x) => x.metric === 'execution_time')!;
    expect(exec.workflow).toBe('work');
    expect(exec.verdict).toBe('regression');
    expect(exec.ratio).toBeGreaterThan(1.8);
    expect(r.stderr).toMatch(/pair 8\/8 (base|head): 1 workflow\(s\) of lane 'cmp' measured/);
    expect(
      git(['worktree', 'list', '--porcelain'])
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
    expect(git(['status', '--porcelain'])).toBe('');
    const runs = history('out-ab').runs;
    expect(runs.map((x) => [x.workflow, x.ab?.side, x.iterations.length, x.git.sha])).toEqual([
      ['work', 'base', 8, git(['rev-parse', 'HEAD~1'])],
      ['work', 'head', 8, git(['rev-parse', 'HEAD'])],
    ]);
    expect(runs[0]!.runner.name).toBe('vitest');
    expect(project.read('out-ab/ab_summary.md')).toMatch(/lanebench ab: cmp › work/);
  });

  it('calibrate --lane cmp: A/A through the runner, figures per workflow, nothing recorded', () => {
    const r = lanebench([
      'calibrate',
      '--lane',
      'cmp',
      '--rounds',
      '1',
      '--pairs',
      '2',
      '--output-dir',
      'out-cal',
      '--json',
    ]);
    expect(r.code, r.all).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      rounds: number;
      workflows: Array<{ workflow: string; metrics: Array<{ metric: string; iteration_cv_pct: number | null }> }>;
    };
    expect(doc.rounds).toBe(1);
    expect(doc.workflows.map((w) => w.workflow)).toEqual(['work']);
    expect(doc.workflows[0]!.metrics.map((m) => m.metric)).toEqual(['execution_time', 'cpu_seconds', 'memory_usage']);
    expect(doc.workflows[0]!.metrics[0]!.iteration_cv_pct).not.toBeNull();
    expect(project.exists('out-cal/metrics.json')).toBe(false);
  });
});
