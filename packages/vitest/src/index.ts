/**
 * @lanebench/vitest — lane workflows as benchmarks in Vitest 4.1 and 5.
 *   plugins: [lanebench({ … })]                       (vitest.config.ts)
 *   workflow('docs', 'build site', 'npm run docs:build') (*.bench.ts)
 *   expect(await measure(fn, { iterations: 3 })).toMeetSla('docs')
 */
import './augment.js';

export { lanebench, DEFAULT_BENCH_INCLUDE } from './plugin.js';
export { workflow } from './workflow.js';
export { LanebenchReporter } from './reporter.js';
export { CLI_OVERRIDES_ENV, type LanebenchPluginOptions } from './options.js';
export type { LanebenchWorkflowOptions } from './spec.js';
export type { ToMeetSlaOptions } from './matcher.js';
export type { NativeBenchOptions } from './native.js';
export { measure } from './measure.js';
export { defineConfig } from '@lanebench/core';
export type {
  CliOverrides,
  LanebenchConfig,
  LaneConfig,
  MeasureOptions,
  Run,
  SlaExpectation,
  ThresholdSpec,
  Workflow,
  WorkflowContext,
  WorkflowOptions,
} from '@lanebench/core';
