import type { Run, SlaResult, Violation } from '../types.js';
import { showValue } from '../base/errors.js';
import { evaluateRun, type EvaluateRunOptions, type SlaExpectation } from './evaluate-run.js';
import { formatViolation } from '../thresholds/violation-text.js';

export interface SlaMatcherResult {
  pass: boolean;
  message: () => string;
}

/** A Run as produced by measure()/bench: the matcher's only accepted input. */
export function isRun(value: unknown): value is Run {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as Run).iterations) &&
    (value as Run).metrics_analysis !== null &&
    typeof (value as Run).metrics_analysis === 'object'
  );
}

/**
 * The runner-agnostic body of `expect(run).toMeetSla(expected)`. Both messages are always
 * available: the adapters show the failing one for `toMeetSla` and the passing one for `.not`.
 */
export function slaMatcher(
  received: unknown,
  expected: SlaExpectation,
  opts: EvaluateRunOptions = {},
): SlaMatcherResult {
  if (!isRun(received)) {
    return {
      pass: false,
      message: () =>
        `toMeetSla expects the result of measure() or a benchmark run (an object with iterations and metrics_analysis), ` +
        `but received ${describeReceived(received)}`,
    };
  }
  const result = evaluateRun(received, expected, opts);
  const subject = `${received.lane}/${received.workflow}`;
  const target = typeof expected === 'string' ? `the SLA of lane '${expected}'` : `the SLA ${showValue(expected)}`;
  return {
    pass: result.passed,
    message: () => (result.passed ? passedMessage(subject, target, result) : failedMessage(subject, target, result)),
  };
}

function failedMessage(subject: string, target: string, result: SlaResult): string {
  const errors = result.violations.filter((v) => v.severity === 'error').length;
  const warnings = result.violations.length - errors;
  const why = result.compliant
    ? `strict mode: ${warnings} warning(s) fail`
    : `${errors} error(s), ${warnings} warning(s)`;
  return [
    `expected ${subject} to meet ${target}, but it does not (${why}):`,
    ...result.violations.map(violationLine),
  ].join('\n');
}

function passedMessage(subject: string, target: string, result: SlaResult): string {
  const head = `expected ${subject} not to meet ${target}, but it is compliant (${result.checked} threshold(s) checked${result.strict ? ', strict' : ''})`;
  if (!result.violations.length) return head;
  return [`${head}; warnings:`, ...result.violations.map(violationLine)].join('\n');
}

/** One line per violation, in the one violation language (formatViolation). */
function violationLine(v: Violation): string {
  return `  - ${formatViolation(v)}`;
}

function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 8).join(', ') || '(none)'}`;
  if (typeof value === 'function') return 'a function (did you forget to call and await measure()?)';
  return `${typeof value} ${showValue(value)}`;
}
