/**
 * Turns a measured Run into the test's outcome: a failed or timed-out run, or SLA errors (and
 * warnings in strict mode), fail the test with one line per violation; warnings alone are printed.
 */
import { formatViolation, type Run } from '@lanebench/core';

export function assertRun(run: Run): void {
  const label = `${run.lane} › ${run.workflow}`;
  if (run.status !== 'completed') {
    const errors = run.iterations
      .filter((i) => i.status !== 'passed')
      .map((i) => `  - iteration ${i.index} ${i.status}: ${i.error ?? 'no message'}`);
    throw new Error(
      `lanebench: ${label} ${run.status} (${errors.length} of ${run.iterations_requested} iterations did not pass)\n${errors.join('\n')}`,
    );
  }
  const lines = run.sla.violations.map((v) => `  - ${formatViolation(v)}`);
  if (!run.sla.passed) {
    const why = run.sla.compliant ? 'SLA warnings in strict mode' : 'SLA not met';
    throw new Error(`lanebench: ${label}: ${why}\n${lines.join('\n')}`);
  }
  if (lines.length > 0) process.stderr.write(`[lanebench] ${label}: SLA warnings\n${lines.join('\n')}\n`);
}
