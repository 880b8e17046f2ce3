/**
 * `lanebench validate-sla --lane L [--strict] [--window N]`.
 * Per workflow of the lane, the latest N runs (default 1) are evaluated against the lane's
 * configured SLA (core validateLane). ✓ when the lane passes, ✗ with the violations otherwise.
 */
import { formatViolation, validateLane, visible } from '@lanebench/core';
import { loadContext, loadRuns, requireLaneRuns, type CommonOptions } from '../lib/context.js';
import { EXIT_FAILURE, EXIT_OK } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { out } from '../lib/output.js';

export interface ValidateOptions extends CommonOptions {
  lane: string;
  strict?: boolean;
  window?: number;
  json?: boolean;
}

export async function validateSlaAction(opts: ValidateOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const runs = await loadRuns(ctx);
  requireLaneRuns(ctx, runs, opts.lane);
  const result = validateLane(runs, opts.lane, {
    config: ctx.config,
    ...(opts.strict ? { strict: true } : {}),
    ...(opts.window !== undefined ? { window: opts.window } : {}),
  });
  if (opts.json) {
    out(JSON.stringify(result, null, 2));
    return result.passed ? EXIT_OK : EXIT_FAILURE;
  }
  const c = colors();
  const several = result.workflows.length > 1;
  const line = (v: (typeof result.violations)[number]) =>
    `  - ${visible(formatViolation(v))}${several ? ` [${visible(v.workflow)}]` : ''}`;
  const lines: string[] = [];
  if (result.passed) {
    lines.push(`${c.green('✓')} SLA Status: ${visible(opts.lane)}`, '  Compliant: True');
    const warnings = result.violations.filter((v) => v.severity === 'warning');
    if (warnings.length) lines.push(`  Warnings: ${warnings.length}`, ...warnings.map(line));
  } else {
    // in strict mode warnings fail too, so the lane is reported as not compliant
    lines.push(
      `${c.red('✗')} SLA Status: ${visible(opts.lane)}`,
      '  Compliant: False',
      `  Violations: ${result.violations.length}`,
      ...result.violations.map(line),
    );
  }
  const evaluated = result.workflows.map(
    (w) => `${visible(w.workflow)} (${w.runs.length === 1 ? `run ${visible(w.runs[0])}` : `${w.runs.length} runs`})`,
  );
  lines.push(c.dim(`  Evaluated: ${evaluated.join(', ')}${result.strict ? '; strict' : ''}`));
  out(lines.join('\n'));
  return result.passed ? EXIT_OK : EXIT_FAILURE;
}
