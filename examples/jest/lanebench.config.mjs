// lanebench configuration of the Jest example, read by the Jest reporter and the `lanebench` CLI.
// The lanes themselves are shared with the Vitest example (../workloads/lanes.mjs).
import { defineConfig } from '@lanebench/core';
import { lanes } from 'lanebench-example-workloads/lanes';

export default defineConfig({
  // Both examples write to the repository root, so one dashboard shows every lane of both runners.
  outputDir: '../../.benchmark_results',
  // `lanebench run --lane <lane>` drives this runner (the Vitest example leaves the default, 'vitest')
  runner: 'jest',
  lanes,
});
