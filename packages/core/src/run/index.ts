// Running workflows: N iterations → Run (docs/ARCHITECTURE.md, run/).
export { runWorkflow, type RunWorkflowSpec } from './run-workflow.js';
export { measure, ADHOC_LANE, type MeasureOptions } from './measure.js';
export { runStatus } from './status.js';
export { assertRunPassed, runFailureMessage, runWarningMessage, type AssertRunOptions } from './failure-message.js';
export {
  formatProgressLine,
  progressLines,
  PROGRESS_INTERVAL_ENV,
  type ProgressLinesOptions,
} from './progress-line.js';
export { workflowTestTimeoutMs, MAX_TEST_TIMEOUT_MS } from './test-timeout.js';
export { withAdhocLane } from './adhoc-lane.js';
export { recordAssertedSla } from './asserted-sla.js';
export type {
  ExecOptions,
  ExecResult,
  ProgressEvent,
  Workflow,
  WorkflowContext,
  WorkflowFn,
  WorkflowOptions,
} from './types.js';
export { runAbSession, abOrder, type AbSessionSpec, type AbSession, type AbSide, type AbProgress } from './ab.js';
export { machineState, busyNote, type MachineState } from './machine.js';
