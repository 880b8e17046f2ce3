// Accuracy of measureIteration against what each test controls: figures the measured processes report about
// themselves (VmHWM, process.cpuUsage()), bytes written and fsynced, a known sleep. Linux (/proc) only.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { baseOpts, diskScratchDir, fixture, isLinux, MB, median, NODE, readJson, scratch } from './measure-helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

describe.runIf(isLinux)('measureIteration accuracy (Linux /proc)', () => {
  test('a child touching 256 MiB: memory_usage within 5% of its own VmHWM', async () => {
    const out = tmp.file('alloc.json');
    const it = await measureIteration([NODE, fixture('alloc.cjs'), '256', '300', out], baseOpts);
    expect(it.status).toBe('passed');
    const own = readJson<{ hwm: number }>(out).hwm / MB;
    // The child's own peak is 256 MiB of touched pages plus its Node baseline.
    expect(own).toBeGreaterThan(256);
    expect(it.memory_usage).toBeGreaterThanOrEqual(own * 0.95);
    expect(it.memory_usage).toBeLessThanOrEqual(own * 1.05);
    expect(it.methods.memory).toBe('proc-pss-sum+vmhwm');
    // the timeline saw the allocation too
    expect(Math.max(...it.timeline.map((p) => p.mem))).toBeGreaterThan(256);
  });

  test('three children holding 100 MiB each at the same time: tree peak ≥ 290 MiB', async () => {
    const outs = [1, 2, 3].map((i) => tmp.file(`three-${i}.json`));
    const cmd = outs.map((o) => `"${NODE}" "${fixture('alloc.cjs')}" 100 1500 "${o}" &`).join(' ') + ' wait';
    const it = await measureIteration(cmd, baseOpts);
    expect(it.status).toBe('passed');
    expect(it.memory_usage).toBeGreaterThanOrEqual(290);
    // and not more than the three processes' own peaks plus the shell
    const sum = outs.map((o) => readJson<{ hwm: number }>(o).hwm / MB).reduce((a, b) => a + b, 0);
    expect(it.memory_usage).toBeLessThanOrEqual(sum * 1.05 + 5);
  });

  test('a grandchild that burns ~1 s CPU and exits before the iteration ends is counted', async () => {
    const out = tmp.file('cpu.json');
    const it = await measureIteration([NODE, fixture('spawn-grandchild.cjs'), '1', '300', out], baseOpts);
    expect(it.status).toBe('passed');
    const own = readJson<{ grandchild: number; parent: number }>(out);
    expect(own.grandchild).toBeGreaterThanOrEqual(1);
    // The tree's CPU is what the grandchild and its parent each measured of themselves.
    const expected = own.grandchild + own.parent;
    expect(it.cpu_seconds).toBeGreaterThanOrEqual(expected * 0.95);
    expect(it.cpu_seconds).toBeLessThanOrEqual(expected * 1.05);
    expect(it.methods.cpu).toBe('proc-stat-reaped');
    expect(it.cpu_usage).toBeCloseTo(
      (it.cpu_seconds / (it.execution_time * (await import('node:os')).availableParallelism())) * 100,
      1,
    );
  });

  test('`sleep 0.3` reports execution_time within 2%', async () => {
    // Median of five: one iteration delayed by another engineer's build says nothing about the method.
    // argv form: `sh -c 'sleep 0.3'` really takes ~2.5 ms longer (dash start-up and fork; hyperfine sees it too).
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const it = await measureIteration(['sleep', '0.3'], baseOpts);
      expect(it.status).toBe('passed');
      expect(it.exit_code).toBe(0);
      times.push(it.execution_time);
    }
    // The clock starts when the program has been exec'd and stops at 'exit': a little scheduling noise either way.
    expect(median(times)).toBeGreaterThanOrEqual(0.3 * 0.98);
    expect(median(times)).toBeLessThanOrEqual(0.3 * 1.02);
  });

  test('a shell command string is timed like its argv form plus the shell', async () => {
    const it = await measureIteration('sleep 0.3', baseOpts);
    expect(it.status).toBe('passed');
    expect(it.execution_time).toBeGreaterThanOrEqual(0.3 * 0.98);
    expect(it.execution_time).toBeLessThanOrEqual(0.3 * 1.05);
  });

  test('writing and fsyncing 64 MiB shows ≥ 64 MiB disk_write_bytes', async () => {
    const dir = diskScratchDir();
    try {
      const it = await measureIteration([NODE, fixture('write-fsync.cjs'), `${dir}/data.bin`, '64'], baseOpts);
      expect(it.status).toBe('passed');
      expect(it.disk_write_bytes).toBeGreaterThanOrEqual(64 * MB);
      expect(it.disk_io).toBe(it.disk_read_bytes + it.disk_write_bytes);
      expect(it.methods.disk).toBe('proc-io-minus-cancelled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in-process function: own CPU and own peak memory (VmHWM reset at the start)', async () => {
    const it = await measureIteration(() => {
      const b = Buffer.alloc(128 * MB, 1);
      const t = process.cpuUsage();
      for (;;) {
        const u = process.cpuUsage(t);
        if (u.user + u.system >= 300_000) break;
      }
      return b.length;
    }, baseOpts);
    expect(it.status).toBe('passed');
    expect(it.cpu_seconds).toBeGreaterThanOrEqual(0.3);
    expect(it.methods.cpu).toBe('process-cpuusage+proc-stat-reaped');
    // our whole process's peak, which includes the 128 MiB buffer
    expect(it.memory_usage).toBeGreaterThanOrEqual(128);
    expect(it.memory_usage).toBeLessThanOrEqual(process.memoryUsage().rss / MB + 128 + 64);
  });

  test('records network scope and methods for every figure; timeline ≤ 200 points', async () => {
    const it = await measureIteration('sleep 0.2', { ...baseOpts, sampleIntervalMs: 1 });
    expect(it.methods).toMatchObject({
      network: 'proc-net-dev',
      network_scope: 'network-namespace',
      sample_interval_ms: 1,
    });
    expect(it.network_io).toBe(it.network_rx_bytes + it.network_tx_bytes);
    expect(it.timeline.length).toBeGreaterThan(10);
    expect(it.timeline.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < it.timeline.length; i++)
      expect(it.timeline[i]!.t).toBeGreaterThanOrEqual(it.timeline[i - 1]!.t);
  });
});
