/**
 * `workflow(lane, name, fnOrCommand, options?)` for Jest test files: one Jest test that runs the
 * lane workflow N times through core's runWorkflow, hands the Run to the reporter through the
 * sidecar directory, and fails with the violation list when the SLA is not met.
 */
import { relative } from 'node:path';
import {
  assertRunPassed,
  callerFrame,
  loadConfig,
  progressLines,
  runWorkflow,
  selectedLanes,
  workflowSelected,
  visible,
  workflowTestTimeoutMs,
  type ResolvedConfig,
  type RunnerInfo,
  type Workflow,
  type WorkflowOptions,
} from '@lanebench/core';
import { jestGlobals, jestVersion } from './jest-globals.js';
import { readSession, sidecarDir, type Session } from './sidecar.js';
import { recordRun } from './record.js';

/** One line per finished iteration: Jest pipes a worker's stderr to its own live; 'running' lines would only add noise. */
const progressToStderr = progressLines({ finishedOnly: true });

export function workflow(lane: string, name: string, target: Workflow, options: WorkflowOptions = {}): void {
  const { test } = jestGlobals();
  // the runner prints test titles raw: escape what could act on the terminal (the Run keeps the real name)
  const title = `[${visible(lane)}] ${visible(name)}`;
  const selected = selectedLanes(process.env);
  if ((selected && !selected.includes(lane)) || !workflowSelected(name)) {
    // LANEBENCH_LANE picks other lanes (or LANEBENCH_WORKFLOWS other workflows): keep the test visible as skipped.
    test.skip(title, () => undefined);
    return;
  }
  const session = currentSession();
  const effective = { ...options, ...session?.workflowOverrides };
  // the lane file's line: a failed run's error points there (the failure comes long after this call)
  const callSite = callerFrame(workflow);
  // Without the reporter's config (not configured) core's defaults give the estimate.
  test(
    title,
    () => runInTest(lane, name, target, effective, session, callSite),
    workflowTestTimeoutMs(lane, effective, session?.config),
  );
}

function currentSession(): Session | undefined {
  const dir = sidecarDir();
  return dir ? readSession(dir) : undefined;
}

let warnedNoReporter = false;

async function sessionContext(session: Session | undefined): Promise<{ config: ResolvedConfig; runner: RunnerInfo }> {
  if (session?.error) throw failure(`lanebench configuration error: ${session.error}`);
  if (session?.config) return { config: session.config, runner: session.runner };
  if (!warnedNoReporter) {
    warnedNoReporter = true;
    process.stderr.write(
      "[lanebench] the @lanebench/jest reporter is not configured: runs are measured and asserted but not recorded. Add reporters: ['default', '@lanebench/jest'] to the Jest config.\n",
    );
  }
  return { config: await loadConfig({ root: process.cwd() }), runner: { name: 'jest', version: jestVersion() } };
}

async function runInTest(
  lane: string,
  name: string,
  target: Workflow,
  options: WorkflowOptions,
  session: Session | undefined,
  callSite: string | undefined,
): Promise<void> {
  const { config, runner } = await sessionContext(session);
  const testPath = jestGlobals().expect.getState().testPath;
  const run = await runWorkflow({
    lane,
    workflow: name,
    target,
    options,
    config,
    runner,
    ...(testPath ? { file: relative(config.root, testPath) } : {}),
    onProgress: progressToStderr,
  });
  recordRun(run);
  // fails the test on an incomplete run or SLA errors (warnings too in strict mode); prints warnings
  assertRunPassed(run, { toError: failure, callSite });
}

/** An assertion-style failure: Jest shows the message without a stack into this package. */
function failure(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}
