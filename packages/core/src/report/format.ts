/**
 * Formatting helpers shared by the report writers: numbers with units, grouping, run outcome.
 * No I/O here.
 */
import { stripVTControlCharacters } from 'node:util';
import type { MetricStats, Run, Violation } from '../types.js';
import { METRIC_UNITS } from '../types.js';
import type { ReportRecommendation, ReportRegression } from './types.js';
import { isIncomplete, runOutcome } from '../session/run-verdict.js';

// the verdict of a run is the session's (session/run-verdict.ts); the writers keep importing it from here
export {
  failingViolations,
  isIncomplete,
  isPartial,
  runOutcome,
  runPassed,
  type RunOutcome,
} from '../session/run-verdict.js';

export const PLACEHOLDER = '—';

export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Fixed decimals, never exponent form; `—` for missing values. */
export function fixed(v: number | null | undefined, digits = 2): string {
  if (!isNum(v)) return PLACEHOLDER;
  if (Math.abs(v) >= 1e21) return BigInt(Math.round(v)).toString();
  return v.toFixed(digits);
}

export function fmtSeconds(v: number | null | undefined): string {
  return isNum(v) ? `${fixed(v, v < 10 ? 3 : 2)} s` : PLACEHOLDER;
}

export function fmtMB(v: number | null | undefined): string {
  return isNum(v) ? `${fixed(v, 1)} MB` : PLACEHOLDER;
}

export function fmtPct(v: number | null | undefined): string {
  return isNum(v) ? `${fixed(v, 1)} %` : PLACEHOLDER;
}

export function fmtBytes(v: number | null | undefined): string {
  if (!isNum(v)) return PLACEHOLDER;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let x = Math.abs(v);
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${i === 0 ? String(Math.round(x)) : x.toFixed(1)} ${units[i]}`;
}

export function fmtSigned(v: number | null | undefined, digits = 1, suffix = ' %'): string {
  if (!isNum(v)) return PLACEHOLDER;
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}${suffix}`;
}

/**
 * Unit of a metric: built-in unit, else the custom unit the run recorded (of several runs, the first that
 * recorded one), else ''.
 */
export function metricUnit(metric: string, runs?: Run | readonly Run[]): string {
  const builtin = (METRIC_UNITS as Record<string, string>)[metric];
  if (builtin) return builtin;
  const list: readonly Run[] = runs === undefined ? [] : 'id' in runs ? [runs] : runs;
  return list.find((r) => r.custom_units?.[metric])?.custom_units[metric] ?? '';
}

/** A value in a metric's unit, human-readable. */
export function fmtMetric(metric: string, v: number | null | undefined, run?: Run): string {
  const unit = metricUnit(metric, run);
  switch (unit) {
    case 's':
      return fmtSeconds(v);
    case 'MB':
      return fmtMB(v);
    case '%':
      return fmtPct(v);
    case 'B':
      return fmtBytes(v);
    default:
      // counts (pages, files, requests) stay integers: "300 pages", not "300.00 pages"
      return isNum(v) ? `${Number.isInteger(v) ? String(v) : fixed(v, 2)}${unit ? ` ${unit}` : ''}` : PLACEHOLDER;
  }
}

export function stat(run: Run, metric: string): MetricStats | undefined {
  return run.metrics_analysis?.[metric];
}

/** Runs grouped by lane, lanes and runs in first-seen order. */
export function groupByLane(runs: Run[]): Map<string, Run[]> {
  const out = new Map<string, Run[]>();
  for (const r of runs) {
    const list = out.get(r.lane);
    if (list) list.push(r);
    else out.set(r.lane, [r]);
  }
  return out;
}

/** `2 of 5 iterations`: passed iterations out of the requested ones, the wording every report uses. */
export function iterationsKept(run: Run): string {
  const requested = run.iterations_requested ?? run.iterations.length;
  return `${passedIterations(run)} of ${requested} iteration${requested === 1 ? '' : 's'}`;
}

/** How every report words a partial run: `partial: 2 of 5 iterations`. */
export function partialText(run: Run): string {
  return `partial: ${iterationsKept(run)}`;
}

/**
 * A completed run that is compliant (no error-severity violation) yet failed: strict mode turned
 * its warnings into failures. Reports say so instead of "not compliant" (SlaResult: compliant
 * true, passed false).
 */
export function failedOnStrictWarnings(run: Run): boolean {
  return !isIncomplete(run) && run.sla?.compliant !== false && runOutcome(run) === 'sla-failed';
}

/** How every report words failedOnStrictWarnings. */
export const STRICT_WARNINGS_FAILURE = 'compliant, failed in strict mode (warnings)';

export function passedIterations(run: Run): number {
  return run.iterations.filter((i) => i.status === 'passed').length;
}

/** The first error message among a run's iterations (cleaned of ANSI/control characters), or a description of its status. */
export function runErrorMessage(run: Run): string {
  const bad = run.iterations.find((i) => i.status !== 'passed' && i.error);
  if (bad?.error) return `iteration ${bad.index}: ${cleanText(bad.error).trim()}`;
  if (run.status === 'timeout') return `timed out (limit ${fixed(run.timeout_s, 0)} s per iteration)`;
  // an interrupted or aborted run has no failed iteration; its note says why it stopped
  const stop = run.notes?.find((n) => n.startsWith('run interrupted') || n.startsWith('stopped after'));
  if (stop) return stop;
  return `run ${run.status}`;
}

/** Whether any reported stat of the run has percentiles its sample count cannot resolve. */
export function hasUnresolved(run: Run): boolean {
  return Object.values(run.metrics_analysis ?? {}).some((s) => (s.unresolved?.length ?? 0) > 0);
}

export const SMALL_SAMPLE_NOTE =
  'p95 needs at least 20 samples and p99 at least 100; values marked † were interpolated from fewer samples and are indicative only.';

/** Recommendations for a lane (and workflow when given), most urgent first. */
export function recommendationsFor(
  recs: ReportRecommendation[] | undefined,
  lane: string,
  workflow?: string,
): ReportRecommendation[] {
  return (recs ?? [])
    .filter((r) => r.lane === lane && (workflow === undefined || r.workflow === undefined || r.workflow === workflow))
    .sort((a, b) => a.priority - b.priority || b.estimated_improvement_pct - a.estimated_improvement_pct);
}

export function regressionsFor(
  regs: ReportRegression[] | undefined,
  lane: string,
  workflow?: string,
): ReportRegression[] {
  return (regs ?? []).filter((r) => r.lane === lane && (workflow === undefined || r.workflow === workflow));
}

export function isRegression(r: ReportRegression): boolean {
  return r.status === 'regression';
}

/** Lane compliance over a set of runs: every run completed and compliant. */
export function laneCompliant(runs: Run[]): boolean {
  return runs.every((r) => !isIncomplete(r) && r.sla?.compliant !== false);
}

/**
 * OSC strings (window title, OSC 8 link): ESC ] … BEL or ST. Removed before stripVTControlCharacters because
 * Node 20 and 22's version ends an OSC at the first character outside a URL-like set (a space in a title), which
 * leaves the rest of the payload in the text; Node 24's does not. Drop this when Node 24 is the minimum.
 */
const OSC_STRING = /\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;

/** Removes ANSI escape sequences (colored command output ends up in error messages). */
export function stripAnsi(s: string): string {
  return stripVTControlCharacters(s.replace(OSC_STRING, ''));
}

/** Text for display: ANSI sequences removed, other control characters (except tab and newline) dropped. */
export function cleanText(s: string): string {
  return stripAnsi(String(s))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}

/** One line: cleaned, line breaks and runs of whitespace collapsed. */
export function oneLine(s: string): string {
  return cleanText(s)
    .replace(/\s*\n\s*/g, ' — ')
    .replace(/[\t ]+/g, ' ')
    .trim();
}

/**
 * Violations worth listing: all of them, except, for runs that could not complete, the ones about
 * metrics without any sample (those only restate that no iteration passed; the run error says why).
 */
export function reportedViolations(run: Run): Violation[] {
  const all = run.sla?.violations ?? [];
  if (!isIncomplete(run)) return all;
  return all.filter((v) => run.metrics_analysis?.[v.metric] !== undefined);
}

/** A threshold value without trailing zeros (at most 6 decimals). */
export function plainNumber(v: number): string {
  return isNum(v) ? String(Number(v.toFixed(6))) : PLACEHOLDER;
}

/** Unique non-empty values, in order. */
export function unique<T>(values: Array<T | null | undefined>): T[] {
  const out: T[] = [];
  for (const v of values) if (v !== null && v !== undefined && v !== '' && !out.includes(v)) out.push(v);
  return out;
}

/** A standard deviation for display: "—" when it rests on a single sample (n − 1 = 0 says nothing). */
export function fmtStdev(metric: string, s: MetricStats, run?: Run): string {
  return s.samples < 2 ? PLACEHOLDER : fmtMetric(metric, s.stdev, run);
}

/** Metrics that were 0 in every passed iteration (typically disk and network of a cached, offline lane). */
export function allZeroMetrics(run: Run, metrics: readonly string[]): string[] {
  return metrics.filter((m) => {
    const st = run.metrics_analysis?.[m];
    return st !== undefined && st.samples > 0 && st.min === 0 && st.max === 0;
  });
}

/**
 * Splits advice text into prose and `code` segments. Recommendation texts mark commands and config
 * keys with backticks; each writer renders those in its own syntax (HTML <code>, Markdown code spans,
 * plain text on the console) instead of showing the backticks.
 */
export function textSegments(s: string): Array<{ code: boolean; text: string }> {
  const out: Array<{ code: boolean; text: string }> = [];
  const parts = String(s).split('`');
  // an odd number of backticks leaves the last one unmatched: keep it as text
  const balanced = parts.length % 2 === 1;
  parts.forEach((text, i) => {
    const code = balanced && i % 2 === 1;
    if (text !== '' || code) out.push({ code, text: !balanced && i > 0 ? `\`${text}` : text });
  });
  return out;
}

/** Advice text without its code markers, for plain-text output. */
export function plainText(s: string): string {
  return textSegments(s)
    .map((p) => p.text)
    .join('');
}
