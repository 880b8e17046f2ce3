// A quiet tree (every process resting, no new id, nothing reaped) is sampled every two intervals (proc-sampler.ts,
// QUIET_STRETCH). What that must not cost: a short process started by a tree that rested for a while is still seen,
// and its peak is still the peak. The child reports its own VmHWM, the truth this test controls. (On a machine where
// other processes start all the time the kernel's ids move at every sample and the tree is never quiet: the test then
// checks the normal cadence, which must pass it too.)
import { describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { baseOpts, fixture, isLinux, MB, NODE, readJson, scratch } from './measure-helpers.js';

describe.runIf(isLinux)('a quiet tree sampled at half the rate', () => {
  test('a 150 MiB process held 0.15 s after 1.5 s of rest is measured at its own VmHWM (within 5 %)', async () => {
    const s = scratch();
    try {
      for (let k = 0; k < 3; k++) {
        const report = s.file(`hwm-${k}.json`);
        const argv = ['sh', '-c', `sleep 1.5; "${NODE}" "${fixture('alloc.cjs')}" 150 150 "${report}"; sleep 0.3`];
        const it = await measureIteration(argv, baseOpts);
        expect(it.status).toBe('passed');
        const { hwm } = readJson<{ hwm: number }>(report);
        expect(hwm).toBeGreaterThan(150 * MB);
        expect(it.memory_usage, `iteration ${k}: child's own VmHWM ${(hwm / MB).toFixed(1)} MiB`).toBeGreaterThan(
          (0.95 * hwm) / MB,
        );
        expect(it.memory_usage).toBeLessThan((1.05 * hwm) / MB + 5);
      }
    } finally {
      s.cleanup();
    }
  }, 30_000);
});
