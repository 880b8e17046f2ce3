/**
 * `lanebench ab` end to end: real commands, a real git repository of two commits that the test creates, temporary
 * worktrees that must be gone afterwards (also after SIGTERM/SIGINT, one or two of them), exit codes 0/1/2.
 * Sleep-dominated workloads: their wall time is stable enough on a loaded 2-core machine that a 3× slowdown is a
 * regression in every trial, and identical sides are never one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, lanebench, readHistoryFile, tempDir, writeFile } from './cli-helpers.js';

function git(cwd: string, args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=lanebench test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** `lanebench ab` of the two commits with 200 pairs (far longer than any test waits), its stderr collected. */
function startLongAb(repo: string, tmp: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [CLI, 'ab', '--lane', 'docs', '--base', 'HEAD~1', '--head', 'HEAD', '--pairs', '200', ...extra, '--', 'sh work.sh'],
    {
      cwd: repo,
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  // 'close' also waits for every holder of its stderr pipe: an orphan that inherited it would hold that back
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const until = async (re: RegExp): Promise<void> => {
    const started = Date.now();
    while (!re.test(stderr) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    expect(stderr).toMatch(re);
  };
  return { child, closed, exited, until, stderr: () => stderr };
}

/** A repository whose work.sh sleeps 50 ms in the first commit and 150 ms in the second. */
function twoCommitRepo(): { repo: string; tmp: string } {
  const repo = tempDir('ab-git');
  git(repo, ['init', '-q', '-b', 'main']);
  writeFile(repo, '.gitignore', '.benchmark_results/\n');
  writeFile(repo, 'work.sh', 'sleep 0.05\n');
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'fast']);
  writeFile(repo, 'work.sh', 'sleep 0.15\n');
  git(repo, ['commit', '-q', '-am', 'slow']);
  // the CLI's temporary worktrees go under TMPDIR: a private one shows whether anything was left behind
  const tmp = join(repo, '..', `${repo.split('/').pop()!}-tmp`);
  mkdirSync(tmp, { recursive: true });
  return { repo, tmp };
}

/** Whether `pid` names a live process (a zombie counts as gone). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

function worktreeCount(repo: string): number {
  return git(repo, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((l) => l.startsWith('worktree ')).length;
}

interface JsonRow {
  workflow: string;
  metric: string;
  verdict: string;
  ratio: number;
  ci_low: number;
  ci_high: number;
  p_value: number;
  pairs: number;
  mde_pct: number;
}

describe('lanebench ab --base-cmd/--head-cmd', () => {
  it('a head 8× slower (sleep 0.05 → 0.4) is a regression (exit 1); rows, Markdown and both sides in the history', () => {
    const d = tempDir('ab-cmd');
    const r = lanebench(d, [
      'ab',
      '--lane',
      'docs',
      '--base-cmd',
      'sleep 0.05',
      '--head-cmd',
      // a wide margin: on a busy machine a sleep can take several times its nominal length
      'sleep 0.4',
      '--pairs',
      '10',
      '--name',
      'nap',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    const exec = rows.find((x) => x.metric === 'execution_time')!;
    expect(Object.keys(exec).slice(0, 9)).toEqual([
      'workflow',
      'metric',
      'verdict',
      'ratio',
      'ci_low',
      'ci_high',
      'p_value',
      'pairs',
      'mde_pct',
    ]);
    expect(exec).toMatchObject({ workflow: 'nap', verdict: 'regression', pairs: 10 });
    expect(exec.ratio).toBeGreaterThan(1.8);
    expect(exec.ci_low).toBeGreaterThan(1);
    expect(exec.ci_low).toBeLessThanOrEqual(exec.ratio);
    expect(exec.ci_high).toBeGreaterThanOrEqual(exec.ratio);
    // exact signed-rank p of 10 pairs: 2/1024 when every pair points the same way
    expect(exec.p_value).toBeLessThan(0.01);
    expect(rows.map((x) => x.metric)).toEqual(
      expect.arrayContaining(['execution_time', 'cpu_seconds', 'memory_usage']),
    );

    const runs = readHistoryFile(d).runs;
    expect(runs).toHaveLength(2);
    expect(runs.map((x) => x.ab?.side)).toEqual(['base', 'head']);
    expect(runs[0]!.ab!.session).toBe(runs[1]!.ab!.session);
    expect(runs.every((x) => x.ab!.pair_count === 10 && x.iterations.length === 10 && x.workflow === 'nap')).toBe(true);
    expect(runs[0]!.machine?.load_avg).toHaveLength(3);
    expect(existsSync(join(d, '.benchmark_results', 'ab_summary.md'))).toBe(true);

    // the human table says the same
    const text = lanebench(d, [
      'ab',
      '--lane',
      'docs',
      '--base-cmd',
      'sleep 0.05',
      '--head-cmd',
      'sleep 0.4',
      '--pairs',
      '10',
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/execution_time \(s\)\s+0\.\d+\s+0\.4\d+\s+\d+\.\d{3} \(\+\d+\.\d%\).*regression/);
  });

  it('identical sides: no regression (exit 0); --fail-on-inconclusive fails when too few pairs decide nothing', () => {
    const d = tempDir('ab-aa');
    const r = lanebench(d, [
      'ab',
      '--lane',
      'docs',
      '--base-cmd',
      'sleep 0.1',
      '--head-cmd',
      'sleep 0.1',
      '--pairs',
      '8',
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const exec = (JSON.parse(r.stdout) as JsonRow[]).find((x) => x.metric === 'execution_time')!;
    expect(['no-change', 'inconclusive']).toContain(exec.verdict);
    // 3 pairs cannot give a 99 % interval: every gated metric is inconclusive
    const few = lanebench(d, [
      'ab',
      '--lane',
      'docs',
      '--base-cmd',
      'sleep 0.1',
      '--head-cmd',
      'sleep 0.1',
      '--pairs',
      '3',
      '--fail-on-inconclusive',
    ]);
    expect(few.code).toBe(1);
    expect(few.stdout).toMatch(/inconclusive \(3 pair\(s\) cannot give a 99% interval/);
  });

  it('bad input exits 2 naming it', () => {
    const d = tempDir('ab-usage');
    const cases: Array<[string[], RegExp]> = [
      [['--base-cmd', 'true'], /--head-cmd is missing/],
      [['--base-cmd', 'true', '--head-cmd', 'true', '--base', 'main'], /two different forms/],
      [['--base-cmd', 'true', '--head-cmd', ' '], /--head-cmd: the command is empty/],
      [
        ['--base-cmd', 'true', '--head-cmd', 'true', '--pairs', '0'],
        /--pairs must be an integer from 1 to 1000; got '0'/,
      ],
      [[], /needs either --base-cmd and --head-cmd, or --base/],
      // without a command: the lane's workflow files in both checkouts, which need a git repository first
      [['--base', 'main'], /is not inside a git repository/],
      [['--base', 'main', '--', 'true'], /is not inside a git repository/],
    ];
    for (const [args, message] of cases) {
      const r = lanebench(d, ['ab', '--lane', 'docs', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const lane = lanebench(d, ['ab', '--lane', 'nope', '--base-cmd', 'true', '--head-cmd', 'true']);
    expect(lane.code).toBe(2);
    expect(lane.stderr).toMatch(/nope/);
  });
});

describe('lanebench ab --base <ref>', () => {
  it('measures two commits in temporary worktrees, runs --prepare in each, removes them afterwards', () => {
    const { repo, tmp } = twoCommitRepo();
    const r = lanebench(
      repo,
      [
        'ab',
        '--lane',
        'docs',
        '--base',
        'HEAD~1',
        '--head',
        'HEAD',
        '--pairs',
        '10',
        '--prepare',
        'echo prepared > prepared.txt',
        '--json',
        '--',
        'sh',
        'work.sh',
      ],
      { TMPDIR: tmp },
    );
    expect(r.code, r.stderr).toBe(1);
    const exec = (JSON.parse(r.stdout) as JsonRow[]).find((x) => x.metric === 'execution_time')!;
    expect(exec.verdict).toBe('regression');
    expect(exec.ratio).toBeGreaterThan(1.8);
    expect(r.stderr).toMatch(/prepare \(base: HEAD~1 \([0-9a-f]{10}\)\): echo prepared/);
    expect(r.stderr).toMatch(/prepare \(head: HEAD \([0-9a-f]{10}\)\)/);
    // nothing left: no worktree registered, no temp directory, the user's checkout untouched
    expect(worktreeCount(repo)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(join(repo, 'prepared.txt'))).toBe(false);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    const runs = readHistoryFile(repo).runs;
    expect(runs.map((x) => x.git.sha)).toEqual([git(repo, ['rev-parse', 'HEAD~1']), git(repo, ['rev-parse', 'HEAD'])]);
    expect(runs.map((x) => x.workflow)).toEqual(['sh work.sh', 'sh work.sh']);
  });

  it('the head defaults to the working tree as it is (uncommitted change)', () => {
    const { repo, tmp } = twoCommitRepo();
    writeFile(repo, 'work.sh', 'sleep 0.05\n'); // undo the slowdown without committing
    const r = lanebench(
      repo,
      ['ab', '--lane', 'docs', '--base', 'HEAD~1', '--pairs', '8', '--json', '--', 'sh work.sh'],
      { TMPDIR: tmp },
    );
    expect(r.code, r.stderr).toBe(0);
    const exec = (JSON.parse(r.stdout) as JsonRow[]).find((x) => x.metric === 'execution_time')!;
    expect(exec.verdict).not.toBe('regression');
    expect(exec.ratio).toBeLessThan(1.3);
    expect(worktreeCount(repo)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a bad ref or a failing --prepare exits 2 naming it and leaves nothing behind', () => {
    const { repo, tmp } = twoCommitRepo();
    const bad = lanebench(repo, ['ab', '--lane', 'docs', '--base', 'no-such-ref', '--', 'sh work.sh'], { TMPDIR: tmp });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--base: 'no-such-ref' is not a commit/);
    const badHead = lanebench(
      repo,
      ['ab', '--lane', 'docs', '--base', 'HEAD~1', '--head', 'nope~3', '--', 'sh work.sh'],
      { TMPDIR: tmp },
    );
    expect(badHead.code).toBe(2);
    expect(badHead.stderr).toMatch(/--head: 'nope~3' is not a commit/);
    const prep = lanebench(
      repo,
      ['ab', '--lane', 'docs', '--base', 'HEAD~1', '--prepare', 'exit 7', '--', 'sh work.sh'],
      { TMPDIR: tmp },
    );
    expect(prep.code).toBe(2);
    expect(prep.stderr).toMatch(
      /--prepare failed in the base checkout \(HEAD~1 \([0-9a-f]{10}\)\) with exit code 7: exit 7/,
    );
    expect(worktreeCount(repo)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(join(repo, '.benchmark_results', 'metrics.json'))).toBe(false);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s during the session removes the worktrees and exits %i', async (signal, expected) => {
    const { repo, tmp } = twoCommitRepo();
    const ab = startLongAb(repo, tmp);
    // wait until measuring has started (the first pair is reported), then signal
    await ab.until(/pair 1\/200/);
    expect(worktreeCount(repo)).toBe(3);
    ab.child.kill(signal);
    const code = await ab.closed;
    const stderr = ab.stderr();
    expect(code, stderr).toBe(expected);
    expect(stderr).toMatch(new RegExp(`${signal}: stopping ab: `));
    expect(stderr).toMatch(/the temporary worktrees are removed afterwards/);
    expect(worktreeCount(repo)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    // the complete pairs were kept
    const runs = readHistoryFile(repo).runs;
    expect(runs).toHaveLength(2);
    expect(runs[0]!.ab!.pair_count).toBeGreaterThanOrEqual(1);
    expect(runs[0]!.status).toBe('partial');
  });

  it('SIGINT during --prepare stops everything the step started, not only its shell (exit 130, worktrees gone)', async () => {
    const { repo, tmp } = twoCommitRepo();
    const pidFile = join(repo, '..', `${repo.split('/').pop()!}-prepare.pid`);
    // a step that started a long child and waits for it, as `npm ci` waits for its install scripts
    const prepare = `sleep 300 & echo $! > '${pidFile}'; wait`;
    const ab = startLongAb(repo, tmp, ['--prepare', prepare]);
    let pid = 0;
    try {
      await ab.until(/prepare \(base: /);
      const started = Date.now();
      while (!(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim()) && Date.now() - started < 30_000)
        await new Promise((r) => setTimeout(r, 20));
      pid = Number(readFileSync(pidFile, 'utf8').trim());
      expect(isAlive(pid)).toBe(true);
      ab.child.kill('SIGINT');
      const code = await ab.exited;
      expect(code, ab.stderr()).toBe(130);
      // SIGTERM reached the step's process group: its child is gone too (a moment for the kernel to deliver it)
      const stopped = Date.now();
      while (isAlive(pid) && Date.now() - stopped < 5_000) await new Promise((r) => setTimeout(r, 20));
      expect(isAlive(pid)).toBe(false);
      expect(worktreeCount(repo)).toBe(1);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('a second signal skips the kill grace: exit code of the first signal, worktrees gone, pairs kept', async () => {
    // both sides ignore SIGTERM once the flag file exists and then sleep 30 s: after the first signal the session
    // is certainly still in the 2 s kill grace when the second arrives (no race with the end of the session)
    const repo = tempDir('ab-git2');
    const flag = join(repo, '..', `${repo.split('/').pop()!}-flag`);
    const script = (n: string) => `# ${n}\ntrap '' TERM\nif [ -e '${flag}' ]; then sleep 30; else sleep 0.05; fi\n`;
    git(repo, ['init', '-q', '-b', 'main']);
    writeFile(repo, '.gitignore', '.benchmark_results/\n');
    writeFile(repo, 'work.sh', script('base'));
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'base']);
    writeFile(repo, 'work.sh', script('head'));
    git(repo, ['commit', '-q', '-am', 'head']);
    const tmp = join(repo, '..', `${repo.split('/').pop()!}-tmp`);
    mkdirSync(tmp, { recursive: true });
    const { child, closed, until, stderr: output } = startLongAb(repo, tmp);
    await until(/pair 1\/200/);
    writeFileSync(flag, '');
    // the next iteration is one of the long ones
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    await until(/SIGINT: stopping ab: /);
    child.kill('SIGTERM');
    const code = await closed;
    const stderr = output();
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/SIGTERM again: killing the process tree now/);
    expect(worktreeCount(repo)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    const runs = readHistoryFile(repo).runs;
    expect(runs).toHaveLength(2);
    expect(runs[0]!.ab!.pair_count).toBeGreaterThanOrEqual(1);
  });
});

describe('lanebench calibrate', () => {
  it('A/A rounds give the noise figures and the pairs needed; nothing is recorded', () => {
    const d = tempDir('calibrate');
    const r = lanebench(d, [
      'calibrate',
      '--lane',
      'docs',
      '--rounds',
      '2',
      '--pairs',
      '3',
      '--json',
      '--',
      'sleep 0.05',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      rounds: number;
      metrics: Array<{
        metric: string;
        iteration_cv_pct: number;
        run_cv_pct: number;
        pairs: number;
        pairs_needed: Record<string, number>;
      }>;
    };
    expect(j.rounds).toBe(2);
    const exec = j.metrics.find((m) => m.metric === 'execution_time')!;
    expect(exec.pairs).toBe(6);
    expect(exec.iteration_cv_pct).toBeGreaterThan(0);
    expect(exec.run_cv_pct).toBeGreaterThan(0);
    expect(exec.pairs_needed['5%']).toBeGreaterThanOrEqual(exec.pairs_needed['10%']!);
    expect(exec.pairs_needed['10%']).toBeGreaterThanOrEqual(exec.pairs_needed['20%']!);
    expect(existsSync(join(d, '.benchmark_results', 'metrics.json'))).toBe(false);
    const text = lanebench(d, ['calibrate', '--lane', 'docs', '--rounds', '1', '--pairs', '2', '--', 'sleep 0.01']);
    expect(text.stdout).toMatch(/execution_time\s+\d+\.\d%\s+\d+\.\d%\s+\d\.\d{3}\s+\d+/);
    const none = lanebench(d, ['calibrate', '--lane', 'docs']);
    expect(none.code).toBe(2);
    // without a command: the lane's workflow files through the runner; this directory has none (and maybe no
    // Vitest either, depending on what the directories above it hold)
    expect(none.stderr).toMatch(/runner 'vitest': Vitest is not installed in |no workflow of lane 'docs' was measured/);
  });
});

describe('lanebench run --confirm N', () => {
  // step.sh sleeps 0.5 s while the counter file `left` is above 0 (and counts it down), 0.05 s otherwise
  const STEP =
    'n=$(cat left 2>/dev/null || echo 0)\nif [ "$n" -gt 0 ]; then echo $((n-1)) > left; sleep 0.5; else sleep 0.05; fi\n';
  const run = (d: string, extra: string[]) =>
    lanebench(d, ['run', '--lane', 'docs', '--name', 'step', '--iterations', '3', ...extra, '--', 'sh step.sh']);

  it('a regression that the re-runs repeat fails; one they do not repeat does not; re-runs are tagged', () => {
    const baseline = (name: string): string => {
      const d = tempDir(name);
      writeFile(d, 'step.sh', STEP);
      for (let i = 0; i < 5; i++) expect(run(d, []).code).toBe(0);
      return d;
    };
    const d = baseline('confirm-transient');

    // transient: only the flagged run's 3 iterations are slow
    writeFile(d, 'left', '3\n');
    const transient = run(d, ['--fail-on-regression', '--confirm', '2']);
    expect(transient.stdout).toMatch(/regression: /);
    expect(transient.stdout).toMatch(/Confirming: re-running 'step' 2 time\(s\) because execution_time regressed/);
    expect(transient.stdout).toMatch(/Regression not confirmed: 0 of 2 re-run\(s\) agreed/);
    expect(transient.code).toBe(0);

    expect(readHistoryFile(d).runs.filter((r) => r.confirm)).toHaveLength(2);

    // persistent: the flagged run and both re-runs are slow (a fresh history: the transient slow run above is
    // part of that one's baseline now and makes its run-to-run noise large)
    const p = baseline('confirm-persistent');
    writeFile(p, 'left', '9\n');
    const persistent = run(p, ['--fail-on-regression', '--confirm', '2']);
    expect(persistent.stdout).toMatch(/re-run 2\/2: regression again/);
    expect(persistent.stdout).toMatch(/Regression confirmed by 2 re-run\(s\)\./);
    expect(persistent.code).toBe(1);

    const runs = readHistoryFile(p).runs;
    const reruns = runs.filter((r) => r.confirm);
    expect(reruns).toHaveLength(2);
    expect(reruns.map((r) => r.confirm!.attempt)).toEqual([1, 2]);
    expect(reruns[0]!.confirm!.of).toBe(runs[5]!.id);
    expect(reruns[0]!.confirm!.reason).toMatch(/execution_time: regression/);
  });

  it('--confirm needs a count in range; without a command it goes to the runner', () => {
    const d = tempDir('confirm-usage');
    // accepted without a command (the runner form); this directory has no workflow files (maybe no Vitest either)
    const none = lanebench(d, ['run', '--lane', 'docs', '--confirm', '2']);
    expect([1, 2], none.stderr).toContain(none.code);
    expect(`${none.stdout}${none.stderr}`).toMatch(/Vitest is not installed in |No benchmark files found/);
    const bad = lanebench(d, ['run', '--lane', 'docs', '--confirm', '21', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--confirm must be an integer from 0 to 20; got '21'/);
    // --confirm 0 turns a configured confirm off
    expect(lanebench(d, ['run', '--lane', 'docs', '--iterations', '1', '--confirm', '0', '--', 'true']).code).toBe(0);
  });
});
