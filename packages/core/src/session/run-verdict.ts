/**
 * The pass/fail verdict of one run, as every report, the exit code and the CLI state it. It rests on what was
 * recorded with the run (status, SLA result), so a report written later says what the run said.
 */
import type { Run, Violation } from '../types.js';

/** A run that could not complete: reported as an error rather than an SLA result. */
export function isIncomplete(run: Run): boolean {
  return run.status === 'failed' || run.status === 'timeout';
}

/** Violations that fail the run: errors, plus warnings when the SLA was evaluated in strict mode. */
export function failingViolations(run: Run): Violation[] {
  const strict = run.sla?.strict === true;
  return (run.sla?.violations ?? []).filter((v) => v.severity === 'error' || strict);
}

/**
 * A run that kept fewer iterations than requested (failures, Ctrl-C, abort) but has statistics. It is
 * never a pass: its figures describe fewer iterations than the verdict was asked to rest on.
 */
export function isPartial(run: Run): boolean {
  return run.status === 'partial';
}

/** 'partial' is checked after the SLA: a partial run that also breaches its SLA is reported as the breach. */
export type RunOutcome = 'passed' | 'sla-failed' | 'partial' | 'error';

export function runOutcome(run: Run): RunOutcome {
  if (isIncomplete(run)) return 'error';
  if (!run.sla?.passed || failingViolations(run).length > 0) return 'sla-failed';
  if (isPartial(run)) return 'partial';
  return 'passed';
}

/** The one pass/fail verdict of a run: what the exit code, JUnit, CSV `Passed` and every badge follow. */
export function runPassed(run: Run): boolean {
  return runOutcome(run) === 'passed';
}
