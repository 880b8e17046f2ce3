// Escaped processes (issue 11 item 1): every process of an iteration carries LANEBENCH_ITERATION_ID=<run>.<i>; on
// Linux whatever carries it is part of the tree — measured, counted, and killed at the end and at the timeout, even
// after `setsid -f` (new session, re-parented to init). Real processes; the check for survivors reads /proc itself.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { ITERATION_COOKIE, measureIteration } from '../src/measure/index.js';
import { baseOpts, fixture, isLinux, MB, readJson, scratch } from './measure-helpers.js';

const tmp = scratch();
const runIds: string[] = [];
afterAll(() => {
  // Never leave a probe behind, even when an assertion failed half-way.
  for (const id of runIds) for (const pid of carriers(id)) killQuietly(pid);
  tmp.cleanup();
});

/** Live processes whose environment carries a cookie of run `id` (any iteration). */
function carriers(id: string): number[] {
  const out: number[] = [];
  const needle = `${ITERATION_COOKIE}=${id}.`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) out.push(Number(name));
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

function newRunId(): string {
  const id = `esc-${randomBytes(4).toString('hex')}`;
  runIds.push(id);
  return id;
}

describe.runIf(isLinux)('escaped processes (environment cookie)', () => {
  test('`setsid -f sleep 3001` does not survive its iteration; it is counted as escaped and killed', async () => {
    const runId = newRunId();
    const it = await measureIteration('setsid -f sleep 3001; echo started', { ...baseOpts, runId, killGraceMs: 500 });
    expect(it.status).toBe('passed');
    expect(carriers(runId)).toEqual([]);
    expect(it.measurement?.escaped_processes).toEqual({ found: 1, killed: 1 });
  });

  test('a TERM-ignoring loop forking a setsid child every 0.2 s, killed at its timeout: zero orphans', async () => {
    const runId = newRunId();
    // `trap '' TERM` is inherited by the children (ignored signals survive exec): only SIGKILL ends any of them.
    const loop = `trap '' TERM; while :; do setsid -f sleep 3001; sleep 0.2; done`;
    const it = await measureIteration(['sh', '-c', loop], { ...baseOpts, runId, timeout_s: 1.5, killGraceMs: 600 });
    expect(it.status).toBe('timeout');
    // Children forked during the grace period are found by the sweep after the kill.
    expect(carriers(runId)).toEqual([]);
    const esc = it.measurement?.escaped_processes;
    expect(esc?.found).toBeGreaterThanOrEqual(5); // ≈ 1.5 s / 0.2 s, fewer under load
    // `killed` counts those still running at the kill. Up to two found ones may end on their own first: once the
    // shell is killed, its in-flight `setsid` (which exits after its fork) and its `sleep 0.2` are re-parented
    // (escaped) and end by themselves; every `sleep 3001` is killed.
    expect(esc?.killed).toBeLessThanOrEqual(esc?.found ?? 0);
    expect(esc?.killed).toBeGreaterThanOrEqual((esc?.found ?? 0) - 2);
  });

  test("an escaped daemon's CPU and memory are counted", async () => {
    const runId = newRunId();
    const out = tmp.file('daemon.json');
    // The main process waits until the daemon reports what it measured of itself, then exits; the daemon lives on.
    const cmd = `setsid -f python3 "${fixture('daemon.py')}" "${out}" 110 1.0; while [ ! -s "${out}" ]; do sleep 0.05; done`;
    const it = await measureIteration(cmd, { ...baseOpts, runId, killGraceMs: 500 });
    expect(it.status).toBe('passed');
    expect(existsSync(out)).toBe(true);
    const own = readJson<{ cpu: number; maxrss_kb: number }>(out);
    expect(own.cpu).toBeGreaterThanOrEqual(1);
    // its CPU up to its report plus the shell's polling; a little more burned before it was killed
    expect(it.cpu_seconds).toBeGreaterThanOrEqual(own.cpu * 0.95);
    expect(it.cpu_seconds).toBeLessThanOrEqual(own.cpu + 0.5);
    expect(it.memory_usage).toBeGreaterThanOrEqual((own.maxrss_kb * 1024 * 0.95) / MB);
    expect(it.memory_usage).toBeGreaterThanOrEqual(110);
    expect(it.measurement?.escaped_processes).toEqual({ found: 1, killed: 1 });
    expect(carriers(runId)).toEqual([]);
    // cpu_usage keeps its definition: the daemon ran in the same window as the main process
    expect(it.cpu_usage).toBeLessThanOrEqual(100);
  });
});
