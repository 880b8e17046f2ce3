// Running workflows: N iterations → Run (docs/ARCHITECTURE.md, run/).
export { runWorkflow, type RunWorkflowSpec } from './run-workflow.js';
export { measure, ADHOC_LANE, type MeasureOptions } from './measure.js';
export { runStatus } from './status.js';
export { assertRunPassed, runFailureMessage, runWarningMessage, type AssertRunOptions } from './failure-message.js';
export { formatProgressLine, progressLines, type ProgressLinesOptions } from './progress-line.js';
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
export {
  runAbSession,
  abOrder,
  abRun,
  type AbRunSpec,
  type AbSessionSpec,
  type AbSession,
  type AbSide,
  type AbProgress,
} from './ab.js';
export { machineState, mergeMachineStates, busyNote, type MachineState } from './machine.js';
export {
  STOP_FILE_ENV,
  RunStoppedError,
  readStopRequest,
  watchStopRequest,
  type StopRequest,
  type StopWatch,
} from './stop-request.js';
export {
  CONFIRM_ENV,
  WORKFLOWS_ENV,
  confirmTagFor,
  selectedWorkflows,
  workflowSelected,
  type ConfirmLaunch,
} from './confirm-launch.js';
