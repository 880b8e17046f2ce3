// Timeouts and tree killing: nothing of a hung workflow's tree survives its iteration.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { killTree, measureIteration } from '../src/measure/index.js';
import { alive, baseOpts, fixture, isLinux, NODE, readJson, scratch } from './measure-helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

describe.runIf(isLinux)('timeouts and killTree', () => {
  for (const mode of ['same-group', 'setsid'] as const) {
    test(`a command that starts a grandchild (${mode}) and hangs is ended at its timeout with its whole tree`, async () => {
      const out = tmp.file(`hang-${mode}.json`);
      const t0 = performance.now();
      const it = await measureIteration([NODE, fixture('hang.cjs'), out, mode], {
        ...baseOpts,
        timeout_s: 1,
        killGraceMs: 300,
      });
      const elapsed = (performance.now() - t0) / 1000;
      const pids = readJson<{ parent: number; grandchild: number }>(out);
      expect(it.status).toBe('timeout');
      expect(it.error).toMatch(/timed out after 1 s/);
      expect(it.signal).toBe('SIGKILL'); // it ignored SIGTERM
      expect(alive(pids.parent)).toBe(false);
      expect(alive(pids.grandchild)).toBe(false);
      // ended at the timeout, not at some later point (generous bound: noisy shared machine)
      expect(elapsed).toBeLessThan(1 + 0.3 + 5);
      expect(it.execution_time).toBeGreaterThanOrEqual(1);
    });
  }

  test('a function workflow that hangs: soft timeout, every child from ctx.exec is killed', async () => {
    const out = tmp.file('fn-hang.json');
    let sawAbort = false;
    const it = await measureIteration(
      async (ctx) => {
        ctx.signal.addEventListener('abort', () => (sawAbort = true));
        await ctx.exec([NODE, fixture('hang.cjs'), out, 'setsid']);
      },
      { ...baseOpts, timeout_s: 2, killGraceMs: 300 },
    );
    const pids = readJson<{ parent: number; grandchild: number }>(out);
    expect(it.status).toBe('timeout');
    expect(sawAbort).toBe(true);
    expect(alive(pids.parent)).toBe(false);
    expect(alive(pids.grandchild)).toBe(false);
  });

  test('leftover background processes of a passed command are ended with the iteration', async () => {
    const out = tmp.file('bg.json');
    // The shell exits at once; its background child (and that one's grandchild) would otherwise outlive it.
    const it = await measureIteration(`"${NODE}" "${fixture('hang.cjs')}" "${out}" setsid & sleep 1.5`, {
      ...baseOpts,
      killGraceMs: 300,
    });
    expect(it.status).toBe('passed');
    const pids = readJson<{ parent: number; grandchild: number }>(out);
    expect(alive(pids.parent)).toBe(false);
    expect(alive(pids.grandchild)).toBe(false);
  });

  test('killTree: SIGTERM first, SIGKILL after the grace period, whole tree', async () => {
    const out = tmp.file('direct.json');
    const child = spawn(NODE, [fixture('hang.cjs'), out], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', (_c, sig) => r(sig)));
    for (let i = 0; i < 200 && !(await exists(out)); i++) await new Promise((r) => setTimeout(r, 25));
    const pids = readJson<{ parent: number; grandchild: number }>(out);
    expect(alive(pids.grandchild)).toBe(true);
    const t0 = performance.now();
    await killTree(child.pid!, { graceMs: 400 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(380); // waited the grace period: SIGTERM was ignored
    expect(await exited).toBe('SIGKILL');
    expect(alive(pids.parent)).toBe(false);
    expect(alive(pids.grandchild)).toBe(false);
  });

  test('killTree of a process that exits on SIGTERM returns without waiting the grace period', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', (_c, sig) => r(sig)));
    await new Promise((r) => setTimeout(r, 50));
    await killTree(child.pid!, { graceMs: 10_000 });
    expect(await exited).toBe('SIGTERM');
  });
});

async function exists(file: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
