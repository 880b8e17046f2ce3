import { describe, expect, it } from 'vitest';
import { metricUnit } from '../src/report/format.js';
import { makeRun } from './fixtures/runs.js';

describe('metricUnit', () => {
  const plain = makeRun({ lane: 'docs', workflow: 'build', exec: 1, memory: 100, cpu: 10, seed: 1 });
  const withUnit = { ...plain, custom_units: { bundle_size: 'kB' } };

  it('gives a built-in metric its stored unit whatever the runs say', () => {
    expect(metricUnit('execution_time')).toBe('s');
    expect(metricUnit('memory_usage', { ...plain, custom_units: { memory_usage: 'GB' } })).toBe('MB');
  });

  it("gives a custom metric the unit a run recorded: one run's, or the first of several that has one", () => {
    expect(metricUnit('bundle_size', withUnit)).toBe('kB');
    expect(metricUnit('bundle_size', [plain, withUnit, { ...plain, custom_units: { bundle_size: 'B' } }])).toBe('kB');
    expect(metricUnit('bundle_size', [plain])).toBe('');
    expect(metricUnit('bundle_size')).toBe('');
  });
});
