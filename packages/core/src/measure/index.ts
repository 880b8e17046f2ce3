// Measurement of one iteration's process tree (docs/ARCHITECTURE.md, measure/).
export { ITERATION_COOKIE, measureIteration, type MeasureIterationOptions } from './iteration.js';
export type { SamplerFactory, SamplerOptions, TreeFigures, TreeSampler } from './sampler.js';
export type { Executor } from './exec.js';
export { FakeExecutor, FakeSampler, fakeSamplers, type FakeCommandResult } from './fake.js';
export { killTree, killTreesNow, type KillTreeOptions, type KnownProcess } from './kill.js';
export { ExecError } from './exec.js';
export { withMeasureLock } from './mutex.js';
export { downsampleTimeline } from './timeline.js';
export {
  ITERATION_OWNER,
  findStaleCarriers,
  ownerAlive,
  ownerToken,
  reapStaleCarriers,
  reaperNote,
  type ReapedProcess,
} from './reaper.js';
export type { ExecOptions, ExecResult, Workflow, WorkflowContext, WorkflowFn } from './types.js';
