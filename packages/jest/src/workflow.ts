/**
 * `workflow(lane, name, fnOrCommand, options?)` for Jest test files: one Jest test that runs the
 * lane workflow N times through core's runWorkflow, hands the Run to the reporter through the
 * sidecar directory, and fails with the violation list when the SLA is not met.
 */
import { relative } from 'node:path';
import {
  formatViolation,
  loadConfig,
  resolveConfig,
  resolveLane,
  runWorkflow,
  selectedLanes,
  type ResolvedConfig,
  type Run,
  type RunnerInfo,
  type Workflow,
  type WorkflowOptions,
} from '@lanebench/core';
import { jestGlobals, jestVersion } from './jest-globals.js';
import { progressToStderr } from './progress.js';
import { readSession, sidecarDir, type Session } from './sidecar.js';
import { recordRun } from './record.js';

/** Time allowed per iteration on top of its own timeout: killing the tree and sampling. */
const GRACE_S = 15;
/** Loading the config and writing the Run, once per test. */
const SETUP_S = 30;
/** setTimeout's limit; Jest's test timeout is a setTimeout. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function workflow(lane: string, name: string, target: Workflow, options: WorkflowOptions = {}): void {
  const { test } = jestGlobals();
  const title = `[${lane}] ${name}`;
  const selected = selectedLanes(process.env);
  if (selected && !selected.includes(lane)) {
    // LANEBENCH_LANE picks other lanes: keep the test visible as skipped.
    test.skip(title, () => undefined);
    return;
  }
  const session = currentSession();
  const effective = { ...options, ...session?.workflowOverrides };
  test(title, () => runInTest(lane, name, target, effective, session), testTimeoutMs(lane, effective, session));
}

function currentSession(): Session | undefined {
  const dir = sidecarDir();
  return dir ? readSession(dir) : undefined;
}

/** iterations × (timeout + grace), so Jest never cuts a run that core would still finish. */
function testTimeoutMs(lane: string, options: WorkflowOptions, session: Session | undefined): number {
  try {
    // Without the reporter's config (not configured), the defaults give a first estimate.
    const config = session?.config ?? resolveConfig(undefined, { root: process.cwd() });
    const resolved = resolveLane(config, lane, options);
    const seconds = (resolved.iterations + resolved.warmup) * (resolved.timeout_s + GRACE_S) + SETUP_S;
    return Math.min(Math.ceil(seconds * 1000), MAX_TIMEOUT_MS);
  } catch {
    // Unknown lane or bad option: the test body reports the same error; do not time out first.
    return MAX_TIMEOUT_MS;
  }
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
  assertRun(run);
}

/** An assertion-style failure: Jest shows the message without a stack into this package. */
function failure(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** Fails the test for a run that did not complete or did not meet its SLA (warnings too in strict mode). */
function assertRun(run: Run): void {
  const label = `${run.lane} › ${run.workflow}`;
  if (run.status !== 'completed') {
    const errors = run.iterations
      .filter((i) => i.status !== 'passed')
      .map((i) => `  - iteration ${i.index} ${i.status}: ${i.error ?? 'no message'}`);
    throw failure(`lanebench: ${label} ${run.status} (${errors.length} of ${run.iterations_requested} iterations did not pass)\n${errors.join('\n')}`);
  }
  const lines = run.sla.violations.map((v) => `  - ${formatViolation(v)}`);
  if (!run.sla.passed) {
    const why = run.sla.compliant ? 'SLA warnings in strict mode' : 'SLA not met';
    throw failure(`lanebench: ${label}: ${why}\n${lines.join('\n')}`);
  }
  if (lines.length > 0) process.stderr.write(`[lanebench] ${label}: SLA warnings\n${lines.join('\n')}\n`);
}
