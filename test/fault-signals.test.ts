/**
 * SIGTERM (CI cancel, docker stop), SIGHUP (closed terminal) and SIGINT (Ctrl-C) to `lanebench run -- cmd`
 * (docs/SECURITY.md, issue 11 #2): the workflow's tree is killed, the run is stored as `partial` with the iterations
 * that finished, the reports are written and lanebench exits 128 + signal. A second signal during the kill grace
 * SIGKILLs the tree at once and still saves. Real processes, real signals; survivors are looked for in /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, readHistoryFile, tempDir } from './cli-helpers.js';
import { createProject, type Project } from './helpers/project.js';

const linux = process.platform === 'linux';

/** Pids of live processes whose environment carries `marker` (zombies do not count: they are gone). */
function carriers(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(marker)) out.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/**
 * A workflow whose first `fast` iterations take 0.2 s and whose next one hangs for 60 s ignoring SIGTERM,
 * SIGINT and SIGHUP (so only SIGKILL ends it), with a child process of its own.
 */
function hangingWorkflow(dir: string, fast: number): string {
  const count = join(dir, 'count');
  return `trap '' TERM INT HUP; n=$(cat '${count}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '${count}'; if [ $n -le ${fast} ]; then sleep 0.2; else sleep 60 & wait; fi`;
}

interface Started {
  child: ChildProcess;
  marker: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(dir: string, args: string[], opts: { cli?: string; detached?: boolean } = {}): Started {
  const marker = `LANEBENCH_SIGNAL_TEST=${randomUUID()}`;
  const [key, value] = marker.split('=') as [string, string];
  const child = spawn(process.execPath, [opts.cli ?? CLI, ...args], {
    cwd: dir,
    // detached: a process group of its own, to signal it as a terminal's Ctrl-C does (the whole foreground group)
    detached: opts.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', [key]: value },
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, marker, stderr: () => err, exit };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a run of 10 iterations whose third hangs, and waits until that hanging iteration's tree is up. */
async function startHanging(name: string): Promise<Started & { dir: string }> {
  const dir = tempDir(`signal-${name}`);
  const s = start(dir, [
    'run',
    '--lane',
    'docs',
    '--iterations',
    '10',
    '--verbose',
    '--name',
    name,
    '--',
    hangingWorkflow(dir, 2),
  ]);
  await waitFor('iteration 3 to start', () => /iteration 3\/10 started/.test(s.stderr()));
  // the workflow shell and its sleep child both exist (lanebench itself carries the marker too)
  await waitFor('the hanging tree', () => carriers(s.marker).filter((p) => p !== s.child.pid).length >= 2);
  return { ...s, dir };
}

function expectSaved(dir: string, name: string, stderr: string): void {
  const runs = readHistoryFile(dir).runs;
  expect(runs, stderr).toHaveLength(1);
  const run = runs[0]!;
  expect(run.workflow).toBe(name);
  expect(run.status).toBe('partial');
  expect(run.iterations_requested).toBe(10);
  // the two that finished; the interrupted third is not a measurement
  expect(run.iterations.map((i) => [i.index, i.status])).toEqual([
    [1, 'passed'],
    [2, 'passed'],
  ]);
  expect(run.notes?.join('\n')).toMatch(/interrupted during iteration 3 of 10; kept the 2 finished/);
  for (const f of ['performance_dashboard.html', 'performance_metrics.csv', 'junit.xml', 'summary.md']) {
    expect(existsSync(join(dir, '.benchmark_results', f)), f).toBe(true);
  }
  expect(readFileSync(join(dir, '.benchmark_results', 'performance_metrics.csv'), 'utf8')).toContain(run.id);
}

describe.skipIf(!linux)('signals to lanebench run -- <command> (Linux /proc)', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)(
    '%s: tree killed, partial run with the finished iterations saved, exit %i',
    async (sig, code) => {
      const s = await startHanging(`sig-${sig}`);
      s.child.kill(sig);
      const { code: exitCode, signal } = await s.exit;
      expect(signal, s.stderr()).toBeNull();
      expect(exitCode, s.stderr()).toBe(code);
      expect(s.stderr()).toContain(`lanebench: ${sig}: stopping`);
      expect(s.stderr()).not.toMatch(/\n\s+at /);
      // the hanging iteration ignored SIGTERM: it only went away because the grace ended in SIGKILL
      expect(carriers(s.marker)).toEqual([]);
      expectSaved(s.dir, `sig-${sig}`, s.stderr());
    },
    120_000,
  );

  it('a second SIGINT during the kill grace SIGKILLs the tree at once and still saves the finished iterations', async () => {
    const s = await startHanging('double-int');
    s.child.kill('SIGINT');
    await waitFor('the first SIGINT to be handled', () => /SIGINT: stopping/.test(s.stderr()), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const second = Date.now();
    s.child.kill('SIGINT');
    // the tree ignores SIGTERM, so without the escalation it would live until the 2 s grace ends
    await waitFor('the tree to be gone', () => carriers(s.marker).filter((p) => p !== s.child.pid).length === 0);
    const gone = Date.now() - second;
    expect(gone, 'tree killed well before the 2 s grace would have ended').toBeLessThan(1300);
    const { code } = await s.exit;
    expect(code, s.stderr()).toBe(130);
    expect(s.stderr()).toContain('SIGINT again: killing the process tree now');
    expect(carriers(s.marker)).toEqual([]);
    expectSaved(s.dir, 'double-int', s.stderr());
  }, 120_000);
});

/** Pids of live processes carrying `marker` whose command line is `sleep 60` (the hanging iteration's child). */
function hangingSleeps(marker: string): number[] {
  return carriers(marker).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() === 'sleep 60';
    } catch {
      return false;
    }
  });
}

/**
 * The same through the runners: `lanebench run --lane docs` (no `--`) drives real Vitest 4.1 and Jest 30, whose
 * workers run the workflow files. Lane docs has three workflows: `first` (two quick iterations), `hang` (10
 * iterations, the third hangs ignoring SIGTERM) and `after`, which must never start once the signal came.
 */
describe.skipIf(!linux)('signals to lanebench run --lane L (runner-driven: Vitest, Jest)', () => {
  let project: Project;
  const jestDir = 'jest-lanes';

  const workflows = (dir: string, api: string): string =>
    [
      api,
      "workflow('docs', 'first', 'true', { iterations: 2 });",
      `workflow('docs', 'hang', ${JSON.stringify(hangingWorkflow(dir, 2))});`,
      "workflow('docs', 'after', 'true', { iterations: 2 });",
      '',
    ].join('\n');

  beforeAll(() => {
    project = createProject({
      name: 'signals-runners',
      lanebench: ['cli', 'vitest', 'jest'],
      dependencies: { vitest: '4.1.12', jest: '30.5.2' },
    });
    project.write(
      'vitest.config.mjs',
      "import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\nexport default defineConfig({ plugins: [lanebench()] });\n",
    );
    project.write('lanebench.config.json', JSON.stringify({ lanes: { docs: { iterations: 10, timeout: '120s' } } }));
    project.write(`${jestDir}/package.json`, JSON.stringify({ name: 'jest-lanes', private: true, type: 'commonjs' }));
    project.write(
      `${jestDir}/jest.config.js`,
      "module.exports = { reporters: ['default', '@lanebench/jest'], setupFilesAfterEnv: ['@lanebench/jest/setup'], testMatch: ['<rootDir>/lanes/**/*.test.js'] };\n",
    );
    project.write(
      `${jestDir}/lanebench.config.json`,
      JSON.stringify({ runner: 'jest', lanes: { docs: { iterations: 10, timeout: '120s' } } }),
    );
  }, 600_000);

  /** A fresh copy of the workflow file (its own count file), then `lanebench run --lane docs`, up to the hang. */
  async function startLane(
    runner: 'vitest' | 'jest',
    name: string,
    opts: { detached?: boolean } = {},
  ): Promise<Started & { cwd: string; out: string }> {
    const sub = runner === 'jest' ? jestDir : '.';
    const cwd = join(project.dir, sub);
    const out = `out-${name}`;
    const state = tempDir(`lane-signal-${name}`);
    if (runner === 'jest')
      project.write(
        `${jestDir}/lanes/docs.test.js`,
        workflows(state, "const { workflow } = require('@lanebench/jest');"),
      );
    else project.write('lanes/docs.bench.mjs', workflows(state, "import { workflow } from '@lanebench/vitest';"));
    const s = start(cwd, ['run', '--lane', 'docs', '--output-dir', out], {
      cli: join(project.dir, 'node_modules', 'lanebench', 'dist', 'cli.js'),
      ...opts,
    });
    await waitFor(
      `the hanging iteration of ${runner}`,
      () => readCount(state) >= 3 && hangingSleeps(s.marker).length > 0,
      180_000,
    );
    return { ...s, cwd, out };
  }

  function readCount(state: string): number {
    try {
      return Number(readFileSync(join(state, 'count'), 'utf8').trim());
    } catch {
      return 0;
    }
  }

  function expectLaneSaved(s: Started & { cwd: string; out: string }): void {
    const runs = readHistoryFile(s.cwd, s.out).runs;
    const output = s.stderr();
    // `after` never started: nothing of it was measured or recorded
    expect(
      runs.map((r) => r.workflow),
      output,
    ).toEqual(['first', 'hang']);
    expect(runs[0]!.status).toBe('completed');
    const hang = runs[1]!;
    expect(hang.status, output).toBe('partial');
    expect(hang.iterations_requested).toBe(10);
    expect(hang.iterations.map((i) => [i.index, i.status])).toEqual([
      [1, 'passed'],
      [2, 'passed'],
    ]);
    expect(hang.notes?.join('\n')).toMatch(/interrupted during iteration 3 of 10; kept the 2 finished/);
    for (const f of ['performance_dashboard.html', 'performance_metrics.csv', 'junit.xml', 'summary.md']) {
      expect(existsSync(join(s.cwd, s.out, f)), f).toBe(true);
    }
    expect(readFileSync(join(s.cwd, s.out, 'performance_metrics.csv'), 'utf8')).toContain(hang.id);
    expect(readFileSync(join(s.cwd, s.out, 'junit.xml'), 'utf8')).toContain('RunPartial');
  }

  it.each([
    ['vitest', 'SIGTERM', 143],
    ['jest', 'SIGTERM', 143],
    ['vitest', 'SIGHUP', 129],
    ['jest', 'SIGINT', 130],
  ] as const)(
    '%s, %s: runner, workers and workflow tree end; partial run saved with reports; exit %i',
    async (runner, sig, code) => {
      const s = await startLane(runner, `${runner}-${sig}`);
      s.child.kill(sig);
      const { code: exitCode, signal } = await s.exit;
      expect(signal, s.stderr()).toBeNull();
      expect(exitCode, s.stderr()).toBe(code);
      expect(s.stderr()).toContain(`lanebench: ${sig}: stopping lane 'docs'`);
      // nothing of the launch is left: not the runner, not its workers, not the TERM-ignoring workflow tree
      expect(carriers(s.marker)).toEqual([]);
      expectLaneSaved(s);
    },
    300_000,
  );

  it("vitest, a terminal's Ctrl-C (SIGINT to the whole foreground group), twice: killed at once, still saved", async () => {
    const s = await startLane('vitest', 'vitest-ctrl-c', { detached: true });
    process.kill(-s.child.pid!, 'SIGINT');
    await waitFor('the first SIGINT to be handled', () => /SIGINT: stopping/.test(s.stderr()), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const second = Date.now();
    process.kill(-s.child.pid!, 'SIGINT');
    // the tree ignores SIGTERM: without the escalation it would live until the 2 s grace ends
    await waitFor('the hanging tree to be gone', () => hangingSleeps(s.marker).length === 0, 10_000);
    expect(Date.now() - second, 'tree killed well before the 2 s grace would have ended').toBeLessThan(1500);
    const { code } = await s.exit;
    expect(code, s.stderr()).toBe(130);
    expect(s.stderr()).toContain('SIGINT again: killing the process tree now');
    expect(carriers(s.marker)).toEqual([]);
    expectLaneSaved(s);
  }, 300_000);
});
