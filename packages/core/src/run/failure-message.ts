/**
 * What a test that measured a Run reports: the failure message for a run that did not complete or
 * did not pass its SLA (errors, and warnings in strict mode), or the warnings of a run that passed.
 * Both adapters fail their test with the first and print the second; the error type is theirs.
 */
import { formatViolation } from '../thresholds/index.js';
import { safeOutput, visible } from '../output/sanitize.js';
import type { Run } from '../types.js';

function label(run: Run): string {
  return `${visible(run.lane)} › ${visible(run.workflow)}`;
}

/** A multi-line error text kept readable under its bullet, every line escaped (see output/sanitize.ts). */
function indented(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(visible)
    .join('\n    ');
}

function violationLines(run: Run): string[] {
  return run.sla.violations.map((v) => `  - ${visible(formatViolation(v))}`);
}

/** The message a test fails with, or null when the run completed and passed its SLA. */
export function runFailureMessage(run: Run): string | null {
  if (run.status !== 'completed') {
    const errors = run.iterations
      .filter((i) => i.status !== 'passed')
      .map((i) => `  - iteration ${i.index} ${i.status}: ${indented(i.error ?? 'no message')}`);
    return `lanebench: ${label(run)} ${run.status} (${errors.length} of ${run.iterations_requested} iterations did not pass)\n${errors.join('\n')}`;
  }
  if (!run.sla.passed) {
    // compliant but not passed: only warnings, which strict mode turns into failures
    const why = run.sla.compliant ? 'SLA warnings in strict mode' : 'SLA not met';
    return `lanebench: ${label(run)}: ${why}\n${violationLines(run).join('\n')}`;
  }
  return null;
}

/** The warnings of a run that passed (printed, not failed), or null when there are none or it failed. */
export function runWarningMessage(run: Run): string | null {
  if (runFailureMessage(run) !== null || run.sla.violations.length === 0) return null;
  return `[lanebench] ${label(run)}: SLA warnings\n${violationLines(run).join('\n')}`;
}

export interface AssertRunOptions {
  /** builds the error the test fails with (default: a plain Error), e.g. one the runner shows without a stack */
  toError?: (message: string) => Error;
  /** where the warnings of a passing run go (default: stderr, which the runners forward) */
  warn?: (text: string) => void;
}

/** Fails the test (throws) for a run that did not complete or pass its SLA; prints warnings otherwise. */
export function assertRunPassed(run: Run, opts: AssertRunOptions = {}): void {
  const failure = runFailureMessage(run);
  if (failure !== null) throw opts.toError ? opts.toError(failure) : new Error(failure);
  const warnings = runWarningMessage(run);
  if (warnings !== null)
    (opts.warn ?? ((text: string) => void process.stderr.write(`${safeOutput(text)}\n`)))(warnings);
}
