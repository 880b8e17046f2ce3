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
  /**
   * the frame of the user's `workflow()` call (callerFrame): the error's first frame, so the runner points at the
   * lane file, not at this package (the failure happens long after that call, so no frame of it is on the stack)
   */
  callSite?: string | undefined;
  /** where the warnings of a passing run go (default: stderr, which the runners forward) */
  warn?: (text: string) => void;
}

/** Fails the test (throws) for a run that did not complete or pass its SLA; prints warnings otherwise. */
export function assertRunPassed(run: Run, opts: AssertRunOptions = {}): void {
  const failure = runFailureMessage(run);
  if (failure !== null) {
    const error = opts.toError ? opts.toError(failure) : new Error(failure);
    if (opts.callSite) error.stack = withFirstFrame(error, opts.callSite);
    throw error;
  }
  const warnings = runWarningMessage(run);
  if (warnings !== null)
    (opts.warn ?? ((text: string) => void process.stderr.write(`${safeOutput(text)}\n`)))(warnings);
}

/**
 * The frame (`at … (file:line:column)`) of whoever called `fn`: in a lane file's `workflow(…)` call, that call's
 * line. V8's captureStackTrace leaves out `fn` and everything it called, so no path patterns are needed.
 */
export function callerFrame(fn: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  return holder.stack
    ?.split('\n')
    .find((l) => /^\s+at /.test(l))
    ?.trim();
}

/** The error's stack with `frame` first after the message (a stack without frames, e.g. Jest's message-only, too). */
function withFirstFrame(error: Error, frame: string): string {
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack ?? head;
  if (stack.startsWith(head)) return `${head}\n    ${frame}${stack.slice(head.length)}`;
  // a stack that is the message alone (or something else the runner wants to show): the frame goes after it
  return `${stack}\n    ${frame}`;
}
