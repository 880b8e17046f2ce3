/**
 * Fault injection on workflows (docs/SECURITY.md): hung workflows are killed with their whole tree at the
 * timeout, crashing ones are recorded as failed, Ctrl-C keeps the finished iterations, and no
 * process outlives its iteration. Uses the real API (runWorkflow) and the built CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory, resolveConfig, runWorkflow, type Run } from '../packages/core/src/index.js';
import { requireBuilt } from './helpers/tools.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const TREE = join(HERE, 'fixtures', 'fault', 'tree.mjs');
const INTERRUPTIBLE = join(HERE, 'fixtures', 'fault', 'interruptible-run.mjs');
// the fixtures import core's dist/
requireBuilt(join(ROOT, 'packages', 'core', 'dist', 'index.js'));
const CLI = requireBuilt(join(ROOT, 'packages', 'cli', 'dist', 'cli.js'));
const linux = process.platform === 'linux';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-fault-process-'));
  dirs.push(d);
  return d;
}

/** Pids recorded by tree.mjs that still name a live (non-zombie) process of the fixture. */
function survivors(pidDir: string): string[] {
  if (!existsSync(pidDir)) return [];
  const alive: string[] = [];
  for (const f of readdirSync(pidDir).filter((n) => n.endsWith('.pid'))) {
    const pid = Number(f.slice(0, -4));
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone
    }
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') continue;
    if (cmdline.includes('tree.mjs') || cmdline.includes('setInterval'))
      alive.push(`${pid} (${readFileSync(join(pidDir, f), 'utf8')})`);
  }
  return alive;
}

/** Kills whatever a failing test left behind, so one failure does not leak into the next tests. */
function cleanup(pidDir: string): void {
  for (const s of survivors(pidDir)) {
    try {
      process.kill(Number(s.split(' ')[0]), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

afterAll(() => {
  for (const d of dirs) {
    cleanup(join(d, 'pids'));
    rmSync(d, { recursive: true, force: true });
  }
});

const lane = (settings: Record<string, unknown>) => resolveConfig({ lanes: { docs: settings } });

describe.skipIf(!linux)('hung workflows', () => {
  it('a hung command with a grandchild, both ignoring SIGTERM, is killed with its tree at the timeout', async () => {
    const pids = join(tempDir(), 'pids');
    const t0 = performance.now();
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'hangs',
      target: [process.execPath, TREE, pids, 'hang'],
      config: lane({ iterations: 2, timeout: '1.5s' }),
    });
    const elapsed = (performance.now() - t0) / 1000;
    try {
      expect(run.status).toBe('timeout');
      expect(run.iterations.map((i) => i.status)).toEqual(['timeout', 'timeout']);
      for (const it of run.iterations) {
        expect(it.error).toMatch(/timed out after 1\.5 s/);
        expect(it.execution_time).toBeGreaterThanOrEqual(1.4);
      }
      expect(run.sla.compliant).toBe(false);
      // Two iterations of 1.5 s plus the SIGTERM→SIGKILL grace, not forever.
      expect(elapsed).toBeLessThan(20);
      // Each iteration started a parent and a grandchild: four processes, none left.
      expect(readdirSync(pids).filter((f) => f.endsWith('.pid'))).toHaveLength(4);
      expect(survivors(pids)).toEqual([]);
    } finally {
      cleanup(pids);
    }
  }, 60_000);

  it('a grandchild that left the process group (new session) is killed too', async () => {
    const pids = join(tempDir(), 'pids');
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'hangs and escapes',
      target: [process.execPath, TREE, pids, 'hang-escape'],
      config: lane({ iterations: 1, timeout: '1.5s' }),
    });
    try {
      expect(run.status).toBe('timeout');
      expect(readdirSync(pids).filter((f) => f.endsWith('.pid'))).toHaveLength(2);
      expect(survivors(pids)).toEqual([]);
    } finally {
      cleanup(pids);
    }
  }, 60_000);

  it('a hung function workflow (via ctx.exec) times out and its children are killed', async () => {
    const pids = join(tempDir(), 'pids');
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'hangs in a function',
      target: async (ctx) => {
        await ctx.exec([process.execPath, TREE, pids, 'hang']);
      },
      config: lane({ iterations: 1, timeout: '1s' }),
    });
    try {
      expect(run.status).toBe('timeout');
      expect(run.iterations[0]?.status).toBe('timeout');
      expect(survivors(pids)).toEqual([]);
    } finally {
      cleanup(pids);
    }
  }, 60_000);

  it('a function that never settles is recorded as timed out instead of hanging the run', async () => {
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'never settles',
      target: () => new Promise(() => undefined),
      config: lane({ iterations: 2, timeout: '0.5s' }),
    });
    expect(run.status).toBe('timeout');
    expect(run.iterations).toHaveLength(2);
  }, 30_000);

  it('leftover processes of a finished iteration are ended with it', async () => {
    const pids = join(tempDir(), 'pids');
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'leaves a child behind',
      target: [process.execPath, TREE, pids, 'slow', '200'],
      config: lane({ iterations: 2, timeout: '30s' }),
    });
    try {
      expect(run.status).toBe('completed');
      expect(survivors(pids)).toEqual([]);
    } finally {
      cleanup(pids);
    }
  }, 60_000);
});

describe('crashing workflows', () => {
  it('a command that exits non-zero is a failed iteration with its exit code; the run is failed', async () => {
    const pids = join(tempDir(), 'pids');
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'crashes',
      target: [process.execPath, TREE, pids, 'crash', '50'],
      config: lane({ iterations: 3, timeout: '30s' }),
    });
    expect(run.status).toBe('failed');
    expect(run.iterations.map((i) => i.status)).toEqual(['failed', 'failed', 'failed']);
    expect(run.iterations.map((i) => i.exit_code)).toEqual([3, 3, 3]);
    expect(run.sla.compliant).toBe(false);
    expect(run.sla.violations.some((v) => v.severity === 'error')).toBe(true);
  }, 60_000);

  it('a command killed by a signal records the signal', async () => {
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'segfaults',
      target: [process.execPath, '-e', "process.kill(process.pid, 'SIGSEGV')"],
      config: lane({ iterations: 1, timeout: '30s' }),
    });
    expect(run.status).toBe('failed');
    expect(run.iterations[0]?.signal).toBe('SIGSEGV');
  }, 30_000);

  it('one crashing iteration among passing ones makes a partial run that keeps every iteration', async () => {
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'flaky',
      target: async (ctx) => {
        if (ctx.iteration === 2) throw new Error('boom in iteration 2');
        await ctx.exec([process.execPath, '-e', '0']);
      },
      config: lane({ iterations: 4, timeout: '30s' }),
    });
    expect(run.status).toBe('partial');
    expect(run.iterations.map((i) => i.status)).toEqual(['passed', 'failed', 'passed', 'passed']);
    expect(run.iterations[1]?.error).toContain('boom in iteration 2');
    // statistics are computed over the passed iterations
    expect(run.metrics_analysis.execution_time?.samples).toBe(3);
    expect(run.sla.compliant).toBe(false);
  }, 60_000);

  it("onFailure: 'abort' stops the run at the first failed iteration", async () => {
    let calls = 0;
    const run = await runWorkflow({
      lane: 'docs',
      workflow: 'aborts',
      target: () => {
        calls++;
        throw new Error('always fails');
      },
      config: lane({ iterations: 5, timeout: '30s', onFailure: 'abort' }),
    });
    expect(calls).toBe(1);
    expect(run.iterations).toHaveLength(1);
    expect(run.status).toBe('failed');
  });
});

/** Starts a child, collects stdout lines, resolves on exit. */
function startChild(cmd: string, args: string[], cwd = ROOT) {
  const child = spawn(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const doneMarkers = (pids: string) =>
  existsSync(pids) ? readdirSync(pids).filter((f) => f.startsWith('done-')).length : 0;

describe.skipIf(!linux)('Ctrl-C in the middle of a lane', () => {
  it('through the API: SIGINT after two iterations keeps those two in metrics.json, leaves no process', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const file = join(dir, 'metrics.json');
    const c = startChild(process.execPath, [INTERRUPTIBLE, file, pids, '5']);
    try {
      await waitFor(() => /iteration 2 passed/.test(c.output()), 60_000, 'two finished iterations');
      c.child.kill('SIGINT'); // iteration 3 has just started and runs for 1.5 s
      const { code } = await Promise.race([
        c.exited,
        new Promise<never>((_, rej) =>
          setTimeout(() => rej(new Error(`no exit after SIGINT:\n${c.output()}`)), 20_000),
        ),
      ]);
      expect(code, c.output()).toBe(130);
      expect(c.output()).toMatch(/saved 2 partial/);
      const history = await readHistory(file);
      expect(history.runs).toHaveLength(1);
      const run = history.runs[0] as Run;
      expect(run.status).toBe('partial');
      expect(run.iterations.map((i) => i.status)).toEqual(['passed', 'passed']);
      expect(run.iterations_requested).toBe(5);
      expect(run.notes.join(' ')).toMatch(/interrupt|abort|Ctrl-C|2 of 5/i);
      expect(survivors(pids)).toEqual([]);
    } finally {
      c.child.kill('SIGKILL');
      cleanup(pids);
    }
  }, 90_000);

  it('through the CLI: lanebench run -- <slow command>, SIGINT after two iterations', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const out = join(dir, 'results');
    const c = startChild(
      process.execPath,
      [
        CLI,
        'run',
        '--lane',
        'docs',
        '--iterations',
        '5',
        '--output-dir',
        out,
        '--name',
        'slow build',
        '--',
        process.execPath,
        TREE,
        pids,
        'slow',
        '1500',
      ],
      dir,
    );
    try {
      // CI=true: plain progress lines. Iteration 3 runs for 1.5 s, so it is running when SIGINT arrives.
      await waitFor(() => /iteration 2\/5 passed/.test(c.output()), 90_000, `two finished iterations:\n${c.output()}`);
      expect(doneMarkers(pids)).toBe(2);
      c.child.kill('SIGINT');
      const result = await Promise.race([
        c.exited,
        new Promise<never>((_, rej) =>
          setTimeout(() => rej(new Error(`no exit after SIGINT:\n${c.output()}`)), 20_000),
        ),
      ]);
      expect(result.code === 0, c.output()).toBe(false);
      const history = await readHistory(join(out, 'metrics.json'));
      expect(history.runs, c.output()).toHaveLength(1);
      const run = history.runs[0] as Run;
      expect(run.workflow).toBe('slow build');
      expect(run.status).toBe('partial');
      expect(run.iterations.map((i) => i.status)).toEqual(['passed', 'passed']);
      expect(survivors(pids)).toEqual([]);
    } finally {
      c.child.kill('SIGKILL');
      cleanup(pids);
    }
  }, 120_000);
});
