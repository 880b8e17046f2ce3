// A child of the measuring process that predates the iteration (a runner's other children, a test's earlier
// process) and is reaped during it adds its CPU to our cutime: that CPU is not the iteration's (proc-sampler.ts,
// childrenWithTicks). The child here burns a known amount of CPU, says so, and exits during the iteration.
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { baseOpts, fixture, isLinux, NODE } from './measure-helpers.js';

describe.runIf(isLinux)('children that predate the iteration', () => {
  test("a child that burnt 0.6 s before a `sleep 1` iteration and exits during it is not the iteration's CPU", async () => {
    // The wrapper runs burn.cjs to its end (reaped: its CPU is in the wrapper's cutime), only then passes on its
    // report, sleeps 300 ms and exits: inside the iteration's second. (Had burn.cjs written to our pipe itself, its
    // report could arrive before the wrapper reaped it, and its CPU would then be the wrapper's *during* the
    // iteration, which is counted.)
    const script = `const r = require('node:child_process').execFileSync(${JSON.stringify(NODE)}, [${JSON.stringify(fixture('burn.cjs'))}, '0.6']); process.stdout.write(r); setTimeout(() => {}, 300);`;
    const child = spawn(NODE, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const burnt = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').once('data', (d: string) => resolve((JSON.parse(d) as { cpu: number }).cpu));
      child.once('error', reject);
    });
    expect(burnt).toBeGreaterThanOrEqual(0.6);
    const it = await measureIteration(['sleep', '1'], baseOpts);
    // it was reaped during the iteration (the point of the test), not before or after
    expect(child.exitCode).toBe(0);
    expect(await exited).toBe(0);
    expect(it.status).toBe('passed');
    // `sleep` itself uses a few ms; with the earlier child counted this is ≥ 0.6 s (its burner plus its node)
    expect(it.cpu_seconds).toBeLessThan(0.1);
  });
});
