// Measurement of one iteration's process tree (docs/ARCHITECTURE.md, measure/).
export { measureIteration, type MeasureIterationOptions } from './iteration.js';
export { killTree, killTreesNow, type KillTreeOptions, type KnownProcess } from './kill.js';
export { ExecError } from './exec.js';
export { withMeasureLock } from './mutex.js';
export { downsampleTimeline } from './timeline.js';
