// Public API of @lanebench/core. Each stage lives in its own folder (see docs/ARCHITECTURE.md).
export * from './types.js';
export * from './config/index.js';
export * from './stats/index.js';
export * from './thresholds/index.js';
export * from './measure/index.js';
export * from './run/index.js';
export * from './history/index.js';
export * from './analysis/index.js';
export * from './recommend/index.js';
export * from './session/index.js';
export * from './report/index.js';
export * from './publish/index.js';
// the runner adapters' session: configuration before the run, publication after it
export * from './publish/adapter.js';
export * from './api/index.js';
export { safeOutput, visible, workflowCommandLine, type SafeOutputOptions } from './output/index.js';
