/**
 * `expect(result).toMeetSla(laneOrThresholds, { strict? })`: core's slaMatcher over the Run behind
 * the value — a Run from measure(), or a Vitest 5 bench result from the lanebench provider. The
 * Run is also left in the current test's meta so the reporter records it.
 */
import { evaluateRun, isRun, recordAssertedSla, slaMatcher, type Run, type SlaExpectation } from '@lanebench/core';
import { currentTest } from './current-test.js';
import { recordRun } from './meta.js';
import { runBehind } from './run-handle.js';
import { workerPayload } from './worker-context.js';

export interface ToMeetSlaOptions {
  /** fail on warnings too (default: the lane's or config's strict setting) */
  strict?: boolean;
}

/** The part of Vitest's matcher context used here. */
interface MatcherContext {
  isNot?: boolean;
}

export function toMeetSla(
  this: MatcherContext | undefined,
  received: unknown,
  expected: SlaExpectation,
  options: ToMeetSlaOptions = {},
): { pass: boolean; message: () => string } {
  const run: unknown = runBehind(received) ?? received;
  const config = workerPayload()?.config;
  const opts = { ...(config ? { config } : {}), ...(options.strict !== undefined ? { strict: options.strict } : {}) };
  const result = slaMatcher(run, expected, opts);
  if (isRun(run)) keepRun(run, expected, opts, this?.isNot === true);
  return result;
}

function keepRun(run: Run, expected: SlaExpectation, opts: Parameters<typeof evaluateRun>[2], negated: boolean): void {
  recordAssertedSla(run, expected, opts, negated);
  const test = currentTest();
  if (test) recordRun(test, run);
}
