/**
 * What the stored record of a run says after `expect(run).toMeetSla(expected)`: a run without a lane
 * of its own (measure() or a native bench: the SLA-less ad-hoc lane) takes the SLA the test asserted,
 * and the asserted lane's name, so metrics.json, every report and the exit code agree with the test.
 * One place for both adapters: a matcher that checks thresholds the record does not carry is a false
 * green in every report.
 */
import { evaluateRun, type EvaluateRunOptions, type SlaExpectation } from './evaluate-run.js';
import type { Run } from '../types.js';
import { ADHOC_LANE } from './adhoc-lane.js';

/**
 * Applies the asserted SLA to an ad-hoc run in place and returns whether the record changed. A negated
 * assertion (`.not.toMeetSla`) or an invalid expectation (the matcher reports it) leaves it as measured.
 */
export function recordAssertedSla(
  run: Run,
  expected: SlaExpectation,
  opts: EvaluateRunOptions = {},
  negated = false,
): boolean {
  if (negated || run.lane !== ADHOC_LANE) return false;
  try {
    run.sla = evaluateRun(run, expected, opts);
  } catch {
    return false;
  }
  if (typeof expected === 'string') run.lane = expected;
  return true;
}
