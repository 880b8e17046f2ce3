// Running workflows: N iterations → Run (docs/ARCHITECTURE.md, run/).
export { runWorkflow, type RunWorkflowSpec } from './run-workflow.js';
export { measure, type MeasureOptions } from './measure.js';
export { runStatus } from './status.js';
export {
  assertRunPassed,
  callerFrame,
  runFailureMessage,
  runWarningMessage,
  type AssertRunOptions,
} from './failure-message.js';
export {
  formatProgressLine,
  progressLines,
  PROGRESS_INTERVAL_ENV,
  progressIntervalSeconds,
  PROGRESS_EVENTS_ENV,
  type ProgressEventRecord,
  type ProgressLinesOptions,
} from './progress-line.js';
export { workflowTestTimeoutMs, MAX_TEST_TIMEOUT_MS } from './test-timeout.js';
export { ADHOC_LANE, withAdhocLane } from './adhoc-lane.js';
// a Run against an SLA named by lane, spec or lane config: it resolves lanes, so it sits above config/ and thresholds/
export { evaluateRun, isLaneConfig, type EvaluateRunOptions, type SlaExpectation } from './evaluate-run.js';
export { slaMatcher, isRun, type SlaMatcherResult } from './matcher.js';
export { recordAssertedSla } from './asserted-sla.js';
export type { ProgressEvent, WorkflowOptions } from './types.js';
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
