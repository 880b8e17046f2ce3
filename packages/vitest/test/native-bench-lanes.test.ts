import { describe, expect, it } from 'vitest';
import { resolveConfig } from '@lanebench/core';
import { NATIVE_LANE, nativeBench } from '../src/native.js';

const config = resolveConfig({ lanes: { docs: { iterations: 3 } } }, { root: '/project' });
const fn = (): void => undefined;

describe("lanes of Vitest's own benchmarks", () => {
  it('prefers an explicit lane, then the project name, then the file name, else the ad-hoc lane', () => {
    const task = { file: { filepath: '/project/heavy.bench.ts', projectName: 'standard (bench)' } };
    expect(nativeBench('x', fn, config, task, { lane: 'docs' }).spec.lane).toBe('docs');
    expect(nativeBench('x', fn, config, task, undefined, { lanebench: { lane: 'docs' } }).spec.lane).toBe('docs');
    expect(nativeBench('x', fn, config, task).spec.lane).toBe('standard');
    expect(nativeBench('x', fn, config, { file: { filepath: '/project/heavy.bench.ts' } }).spec.lane).toBe('heavy');
    expect(nativeBench('x', fn, config, { file: { filepath: '/project/render.bench.ts' } }).spec.lane).toBe(
      NATIVE_LANE,
    );
  });

  it('takes iterations and lanebench options from the bench options first, then the run options', () => {
    const { spec } = nativeBench(
      'x',
      fn,
      config,
      {},
      { iterations: 4 },
      { iterations: 9, lanebench: { timeout: '5s' } },
    );
    expect(spec.options).toEqual({ iterations: 4, timeout: '5s' });
    expect(spec.name).toBe('x');
  });
});
