/**
 * SIGTERM (CI cancel, docker stop), SIGHUP (closed terminal) and SIGINT (Ctrl-C) to `lanebench run -- cmd`
 * (SPEC §12, issue 11 item 2): the workflow's tree is killed, the run is stored as `partial` with the iterations
 * that finished, the reports are written and lanebench exits 128 + signal. A second signal during the kill grace
 * SIGKILLs the tree at once and still saves. Real processes, real signals; survivors are looked for in /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, readHistoryFile, tempDir } from './cli-helpers.js';

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

function start(dir: string, args: string[]): Started {
  const marker = `LANEBENCH_SIGNAL_TEST=${randomUUID()}`;
  const [key, value] = marker.split('=') as [string, string];
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
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
