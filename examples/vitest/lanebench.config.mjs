// lanebench configuration of the Vitest example, read by the Vitest plugin and the `lanebench` CLI.
// The lanes themselves are shared with the Jest example (../workloads/lanes.mjs).
import { defineConfig } from '@lanebench/core';
import { lanes } from 'lanebench-example-workloads/lanes';

export default defineConfig({
  // Both examples write to the repository root, so one dashboard shows every lane of both runners.
  outputDir: '../../.benchmark_results',
  lanes,
});
