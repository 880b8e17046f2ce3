/**
 * performance_metrics.csv — one row per run of this session, RFC 4180 (CRLF line ends, fields quoted
 * when they contain a comma, quote, CR or LF). The first ten columns are fixed by SPEC §8; the header
 * cells are written without spaces after the commas (`Benchmark ID,Lane,...`), as RFC 4180 readers
 * would otherwise keep the space in the column name.
 *
 * Units: seconds for times, MB for memory, % of the whole machine for CPU, bytes for I/O.
 * Numbers are written as plain numbers (up to 6 decimals). Text cells that a spreadsheet would treat as
 * a formula (starting with = + - @ tab CR LF) are prefixed with `'`.
 */
import type { Run } from '../types.js';
import { failingViolations, isNum, passedIterations, runPassed, stat } from './format.js';
import type { ReportInput, ReportWriter } from './types.js';

type Cell = string | number | boolean | null | undefined;

interface Column {
  header: string;
  value(run: Run): Cell;
}

const m =
  (metric: string, key: 'mean' | 'median' | 'stdev' | 'min' | 'max' | 'p95' | 'p99') =>
  (run: Run): Cell =>
    stat(run, metric)?.[key];

export const CSV_COLUMNS: readonly Column[] = [
  { header: 'Benchmark ID', value: (r) => r.id },
  { header: 'Lane', value: (r) => r.lane },
  { header: 'Start Time', value: (r) => r.started_at },
  { header: 'Duration', value: (r) => r.duration_s },
  { header: 'Iterations', value: (r) => r.iterations.length },
  { header: 'Status', value: (r) => r.status },
  { header: 'Exec Time Mean', value: m('execution_time', 'mean') },
  { header: 'Exec Time P95', value: m('execution_time', 'p95') },
  { header: 'Memory Max', value: m('memory_usage', 'max') },
  { header: 'CPU Mean', value: m('cpu_usage', 'mean') },
  { header: 'Workflow', value: (r) => r.workflow },
  { header: 'Iterations Passed', value: (r) => passedIterations(r) },
  { header: 'Iterations Requested', value: (r) => r.iterations_requested },
  { header: 'Exec Time Median', value: m('execution_time', 'median') },
  { header: 'Exec Time P99', value: m('execution_time', 'p99') },
  { header: 'Exec Time Stdev', value: m('execution_time', 'stdev') },
  { header: 'Exec Time Min', value: m('execution_time', 'min') },
  { header: 'Exec Time Max', value: m('execution_time', 'max') },
  { header: 'Samples', value: (r) => stat(r, 'execution_time')?.samples },
  { header: 'Percentiles Unresolved', value: (r) => stat(r, 'execution_time')?.unresolved?.join(' ') ?? '' },
  { header: 'Memory Mean', value: m('memory_usage', 'mean') },
  { header: 'CPU Max', value: m('cpu_usage', 'max') },
  { header: 'CPU Seconds Mean', value: m('cpu_seconds', 'mean') },
  { header: 'Disk IO Mean', value: m('disk_io', 'mean') },
  { header: 'Network IO Mean', value: m('network_io', 'mean') },
  { header: 'Compliant', value: (r) => r.sla?.compliant },
  { header: 'Passed', value: (r) => runPassed(r) },
  { header: 'Violations', value: (r) => r.sla?.violations.length ?? 0 },
  { header: 'Error Violations', value: (r) => failingViolations(r).length },
  { header: 'Violation Names', value: (r) => (r.sla?.violations ?? []).map((v) => v.name).join(' ') },
  { header: 'Git SHA', value: (r) => r.git?.sha },
  { header: 'Git Branch', value: (r) => r.git?.branch },
  { header: 'Env Fingerprint', value: (r) => r.env?.fingerprint },
  {
    header: 'Runner',
    value: (r) => (r.runner ? `${r.runner.name}${r.runner.version ? ` ${r.runner.version}` : ''}` : ''),
  },
];

/** Text that would start a formula in Excel/LibreOffice/Sheets. */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/** Neutralizes a text cell against formula injection (OWASP CSV injection). */
export function neutralizeCsvText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

function csvNumber(v: number): string {
  // plain decimal, 6 decimals at most; integers stay integers; never locale-formatted
  const rounded = Math.round(v * 1e6) / 1e6;
  const s = String(Object.is(rounded, -0) ? 0 : rounded);
  if (!/e/i.test(s)) return s;
  // very large/small magnitudes: expand instead of exponent form
  return Math.abs(v) >= 1 ? BigInt(Math.round(v)).toString() : '0';
}

/** One CSV field: numbers as numbers, text neutralized and quoted when needed (RFC 4180). */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return isNum(v) ? csvNumber(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = neutralizeCsvText(v);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(input: ReportInput): string {
  const rows = [CSV_COLUMNS.map((c) => csvCell(c.header)).join(',')];
  for (const run of input.runs) rows.push(CSV_COLUMNS.map((c) => csvCell(c.value(run))).join(','));
  return rows.join('\r\n') + '\r\n';
}

export const csvWriter: ReportWriter = {
  format: 'csv',
  fileName: 'performance_metrics.csv',
  render: renderCsv,
};
