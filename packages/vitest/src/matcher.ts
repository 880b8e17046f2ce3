/**
 * `expect(result).toMeetSla(laneOrThresholds, { strict? })`: core's slaMatcher over the Run behind
 * the value — a Run from measure(), or a Vitest 5 bench result from the lanebench provider. The
 * Run is also left in the current test's meta so the reporter records it.
 */
import { TestRunner } from 'vitest';
import { evaluateRun, isRun, slaMatcher, type Run, type SlaExpectation } from '@lanebench/core';
import { recordRun } from './meta.js';
import { NATIVE_LANE } from './native.js';
import { runBehind } from './run-handle.js';
import { workerPayload } from './worker-context.js';

export interface ToMeetSlaOptions {
  /** fail on warnings too (default: the lane's or config's strict setting) */
  strict?: boolean;
}

export function toMeetSla(received: unknown, expected: SlaExpectation, options: ToMeetSlaOptions = {}): { pass: boolean; message: () => string } {
  const run: unknown = runBehind(received) ?? received;
  const config = workerPayload()?.config;
  const opts = { ...(config ? { config } : {}), ...(options.strict !== undefined ? { strict: options.strict } : {}) };
  const result = slaMatcher(run, expected, opts);
  if (isRun(run)) keepRun(run, expected, opts);
  return result;
}

function keepRun(run: Run, expected: SlaExpectation, opts: Parameters<typeof evaluateRun>[2]): void {
  // A native bench without a lane was measured under `bench`: the asserted lane names it.
  if (run.lane === NATIVE_LANE && typeof expected === 'string' && expected !== NATIVE_LANE) {
    try {
      run.sla = evaluateRun(run, expected, opts);
      run.lane = expected;
    } catch {
      // an unknown lane: slaMatcher already reported it; keep the run as measured
    }
  }
  const test = (TestRunner as unknown as { getCurrentTest(): { meta: Record<string, unknown> } | undefined }).getCurrentTest();
  if (test) recordRun(test, run);
}
