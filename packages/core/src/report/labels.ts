/**
 * The words every report uses for a verdict: the console summary, Markdown, the HTML dashboard, JUnit
 * and the CLI all take their labels from here, so one run never reads "no-change" in one report and
 * "not significant" in another.
 */
import type { Run } from '../types.js';
import {
  failedOnStrictWarnings,
  fixed,
  isIncomplete,
  isNum,
  iterationsKept,
  partialText,
  reportedViolations,
  runOutcome,
} from './format.js';
import { STRICT_WARNINGS_FAILURE } from './format.js';

/** SLA verdict of one run. */
export type RunVerdictKind =
  'compliant' | 'compliant-warnings' | 'partial' | 'strict-failed' | 'not-compliant' | 'failed' | 'timeout';

export interface RunVerdict {
  kind: RunVerdictKind;
  /**
   * lower-case label: "compliant", "not compliant", "timeout", "partial: 2 of 5 iterations", … (failed/timeout:
   * the run status itself)
   */
  label: string;
  /** good (green), warn (amber) or bad (red): the color every report gives the verdict */
  tone: 'ok' | 'warn' | 'bad';
}

export function runVerdict(run: Run): RunVerdict {
  if (isIncomplete(run))
    return run.status === 'timeout'
      ? { kind: 'timeout', label: 'timeout', tone: 'bad' }
      : { kind: 'failed', label: 'failed', tone: 'bad' };
  if (failedOnStrictWarnings(run)) return { kind: 'strict-failed', label: STRICT_WARNINGS_FAILURE, tone: 'bad' };
  const outcome = runOutcome(run);
  if (outcome === 'sla-failed') return { kind: 'not-compliant', label: 'not compliant', tone: 'bad' };
  // fewer iterations than requested is never a plain pass (a breach above still wins)
  if (outcome === 'partial') return { kind: 'partial', label: partialText(run), tone: 'warn' };
  const warnings = reportedViolations(run).length;
  return warnings > 0
    ? { kind: 'compliant-warnings', label: `compliant, ${warnings} warning${warnings > 1 ? 's' : ''}`, tone: 'warn' }
    : { kind: 'compliant', label: 'compliant', tone: 'ok' };
}

/** Lane-level verdict label (a lane is compliant when every run is). */
export function laneVerdictLabel(compliant: boolean): string {
  return compliant ? 'compliant' : 'not compliant';
}

/**
 * Labels of the regression/comparison verdicts (docs/ANALYSIS.md). Keyed by string so verdicts added by the
 * analysis (e.g. `inconclusive`) get a readable label before this table knows them.
 */
export const VERDICT_LABELS: Readonly<Record<string, string>> = {
  regression: 'regression',
  improvement: 'improvement',
  'no-change': 'no change',
  inconclusive: 'inconclusive',
  'insufficient-data': 'insufficient data',
  'environment-mismatch': 'environment mismatch',
};

export function verdictLabel(status: string): string {
  return VERDICT_LABELS[status] ?? status.replace(/-/g, ' ');
}

/** Color of a regression verdict. */
export function verdictTone(status: string): 'ok' | 'warn' | 'bad' | 'neutral' {
  if (status === 'regression') return 'bad';
  if (status === 'improvement') return 'ok';
  if (status === 'environment-mismatch' || status === 'inconclusive') return 'warn';
  return 'neutral';
}

/** Verdicts that say nothing was compared (no baseline, too few samples, other machine). */
export function isNoComparison(status: string): boolean {
  return status === 'insufficient-data' || status === 'environment-mismatch';
}

/** A p-value as every report prints it. */
export function pValueLabel(p: number | null | undefined): string {
  if (!isNum(p)) return '—';
  return p < 0.001 ? '< 0.001' : fixed(p, 3);
}

/** How many iterations a run has against what was asked for. */
export interface IterationCount {
  passed: number;
  requested: number;
  /** fewer passed than requested on a run that still has statistics (status `partial`) */
  partial: boolean;
  /** "2 of 5 iterations" */
  text: string;
  /** the same with a warning mark when partial: "⚠ 2 of 5 iterations" */
  marked: string;
}

export const PARTIAL_MARK = '⚠';

export function iterationCount(run: Run): IterationCount {
  const passed = run.iterations.filter((i) => i.status === 'passed').length;
  const requested = Math.max(run.iterations_requested ?? 0, run.iterations.length);
  const partial = run.status === 'partial' || (!isIncomplete(run) && passed < requested);
  const text = iterationsKept(run);
  return { passed, requested, partial, text, marked: partial ? `${PARTIAL_MARK} ${text}` : text };
}
