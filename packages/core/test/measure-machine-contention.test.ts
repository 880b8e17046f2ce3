// measurement.machine_contention (measure/machine-cpu.ts): the share of the machine's CPU that processes outside the
// measured tree used during an iteration. Checked against what the test controls: CPU burners it starts beside the
// iteration (their own CPU, read from /proc/<pid>/stat, is a lower bound of "others"), and burners inside the tree
// (which must not count). Both bounds hold whatever else the machine runs: other load only adds to "others".
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { machineContention, readMachineCpu } from '../src/measure/machine-cpu.js';
import { clkTck } from '../src/measure/procfs.js';
import { measureIteration } from '../src/measure/index.js';
import { baseOpts, fixture, isLinux, NODE } from './measure-helpers.js';

const cores = availableParallelism();
const neighbours: ChildProcess[] = [];
afterEach(async () => {
  // wait until each is reaped: a child reaped during a later iteration must not be what that test sees
  await Promise.all(
    neighbours.splice(0).map((n) => {
      const gone = new Promise((r) => n.once('exit', r));
      n.kill('SIGKILL');
      return gone;
    }),
  );
});

/** utime + stime of a live process, seconds */
function cpuOf(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / clkTck();
}

describe('machineContention from two /proc/stat readings', () => {
  const line = (user: number, idle: number, steal = 0): string =>
    `cpu  ${user} 0 0 ${idle} 0 0 0 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n`;

  test('busy ticks minus the tree, over all ticks; steal counts as other', () => {
    const a = readMachineCpu(() => line(1000, 5000));
    const b = readMachineCpu(() => line(1300, 5100, 100));
    // 500 ticks elapsed: 300 user + 100 steal busy, of which the tree's 1 s = 100 ticks → 300 / 500
    expect(machineContention(a, b, 1, 100)).toBe(0.6);
    // the tree cannot have used more than was busy: never below 0, never above 1
    expect(machineContention(a, b, 10, 100)).toBe(0);
  });

  test('unreadable or malformed /proc/stat records nothing', () => {
    const unreadable = readMachineCpu(() => {
      throw new Error('ENOENT');
    });
    expect(unreadable).toBeNull();
    expect(readMachineCpu(() => 'intr 1 2 3\n')).toBeNull();
    expect(readMachineCpu(() => 'cpu  1 2 x 4 5 6 7 8\n')).toBeNull();
    const a = readMachineCpu(() => line(1, 1));
    expect(machineContention(a, a, 0)).toBeNull(); // no tick elapsed
    expect(machineContention(null, a, 0)).toBeNull();
  });
});

describe.runIf(isLinux)('machine_contention of real iterations', () => {
  test('burners beside the iteration count as others: at least their own share of the machine', async () => {
    for (let i = 0; i < cores; i++) {
      neighbours.push(spawn(NODE, [fixture('burn.cjs'), '30'], { stdio: 'ignore' }));
    }
    await new Promise((r) => setTimeout(r, 300)); // let them start burning
    const before = neighbours.map((n) => cpuOf(n.pid!));
    const t0 = performance.now();
    const it = await measureIteration(['sleep', '1'], baseOpts);
    const wall = (performance.now() - t0) / 1000;
    const burnt = neighbours.reduce((sum, n, i) => sum + cpuOf(n.pid!) - before[i]!, 0);
    expect(it.status).toBe('passed');
    const share = burnt / (wall * cores);
    expect(burnt).toBeGreaterThan(0); // the burners ran (on a loaded machine they get less, and so does the bound)
    // the call's window is a little longer than the iteration's, and ticks are 10 ms: a small allowance
    expect(it.measurement?.machine_contention, `burners' share ${share}`).toBeGreaterThanOrEqual(share - 0.08);
  });

  test("the tree's own CPU is not counted as others", async () => {
    const t0 = performance.now();
    const burners = Array.from({ length: cores }, () => `"${NODE}" "${fixture('burn.cjs')}" 0.8 &`).join(' ');
    const it = await measureIteration(['sh', '-c', `${burners} wait`], baseOpts);
    const wall = (performance.now() - t0) / 1000;
    expect(it.status).toBe('passed');
    const treeShare = it.cpu_seconds / (wall * cores);
    // the burners' own CPU is in the tree's figure (each burns 0.8 s; a tick of slack each)
    expect(it.cpu_seconds).toBeGreaterThanOrEqual(cores * 0.79);
    // others + tree ≤ the whole machine: counting the tree as other would break this by the tree's share
    expect(it.measurement?.machine_contention, `tree share ${treeShare}`).toBeLessThanOrEqual(1 - treeShare + 0.08);
  });
});
