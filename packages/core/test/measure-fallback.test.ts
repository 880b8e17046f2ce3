// Edge cases of the tree: orphans, children spawned without ctx.exec, the portable (pidusage) sampler.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { alive, baseOpts, fixture, isLinux, NODE, readJson, scratch } from './measure-helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

describe.runIf(isLinux)('process-tree edge cases (Linux)', () => {
  test('CPU of a descendant re-parented to init (never reaped by us) is counted from its readings', async () => {
    const out = tmp.file('orphan.json');
    // The subshell starts burn.cjs in the background and exits at once: burn.cjs is orphaned while `sleep` keeps
    // the iteration going, burns ~0.5 s and exits; init reaps it, so our cutime never sees its CPU.
    const it = await measureIteration(`( "${NODE}" "${fixture('burn.cjs')}" 0.5 "${out}" & ) ; sleep 2`, {
      ...baseOpts,
      sampleIntervalMs: 10,
    });
    expect(it.status).toBe('passed');
    const own = readJson<{ cpu: number }>(out).cpu;
    // what it measured itself, minus the CPU it used after its last reading (up to an interval or so)
    expect(it.cpu_seconds).toBeGreaterThanOrEqual(own * 0.9);
    expect(it.cpu_seconds).toBeLessThanOrEqual(own * 1.1 + 0.05);
  });

  test('children an in-process workflow spawns without ctx.exec are measured and do not outlive the iteration', async () => {
    const out = tmp.file('direct.json');
    let pid = 0;
    const it = await measureIteration(
      async () => {
        const child = spawn(NODE, [fixture('alloc.cjs'), '200', '60000', out], { stdio: 'ignore' });
        pid = child.pid!;
        await new Promise((r) => setTimeout(r, 1500));
      },
      { ...baseOpts, killGraceMs: 300 },
    );
    expect(it.status).toBe('passed');
    expect(pid).toBeGreaterThan(0);
    // our process + a child holding 200 MiB
    expect(it.memory_usage).toBeGreaterThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });

  test('an abort signal that already fired: nothing runs, the iteration reports aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    let ran = false;
    const it = await measureIteration(
      async (ctx) => {
        ran = true;
        await ctx.exec('true');
      },
      { ...baseOpts, signal: ac.signal },
    );
    expect(it.status).toBe('failed');
    expect(it.error).toBe('aborted');
    expect(ran).toBe(false);
  });
});

describe('portable sampler (pidusage), forced on this platform', () => {
  test('CPU and memory are sampled; disk and network say unavailable', async () => {
    const out = tmp.file('pidusage.json');
    const it = await measureIteration([NODE, fixture('spawn-grandchild.cjs'), '0.5', '300', out], {
      ...baseOpts,
      method: 'pidusage',
    });
    expect(it.status).toBe('passed');
    const own = readJson<{ grandchild: number; parent: number }>(out);
    expect(it.methods).toMatchObject({
      cpu: 'pidusage-sampled',
      memory: 'pidusage-sampled',
      disk: 'unavailable',
      network: 'unavailable',
      network_scope: 'unavailable',
    });
    // sampling misses the tail of each process: a lower bound, within a few intervals
    expect(it.cpu_seconds).toBeGreaterThan((own.grandchild + own.parent) * 0.6);
    expect(it.cpu_seconds).toBeLessThanOrEqual((own.grandchild + own.parent) * 1.05);
    expect(it.memory_usage).toBeGreaterThan(20);
    expect(it.disk_io).toBe(0);
    expect(it.network_io).toBe(0);
  });
});
