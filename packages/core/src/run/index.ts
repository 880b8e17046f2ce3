// Running workflows: N iterations → Run (docs/ARCHITECTURE.md, run/).
export { runWorkflow, type RunWorkflowSpec } from './run-workflow.js';
export { measure, ADHOC_LANE, type MeasureOptions } from './measure.js';
export { runStatus } from './status.js';
export type {
  ExecOptions,
  ExecResult,
  ProgressEvent,
  Workflow,
  WorkflowContext,
  WorkflowFn,
  WorkflowOptions,
} from './types.js';
