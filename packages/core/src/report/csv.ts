/**
 * performance_metrics.csv — one row per run of this session, RFC 4180 (CRLF line ends, fields quoted
 * when they contain a comma, quote, CR or LF). The first ten columns are fixed (docs/FILE-FORMATS.md); the header
 * cells are written without spaces after the commas (`Benchmark ID,Lane,...`), as RFC 4180 readers
 * would otherwise keep the space in the column name.
 *
 * Units: seconds for times, MB for memory, % of the whole machine for CPU, bytes for I/O. The first ten
 * headers are the guide's names, unchanged (their units are documented in docs/FILE-FORMATS.md); the
 * extra columns carry their unit in the header (`Disk IO Mean (B)`), so the file describes itself.
 * Numbers are written as plain numbers (up to 6 decimals).
 *
 * Quoting and formula neutralization are csv-stringify's (RFC 4180 quoting, `escape_formulas` for a
 * cell that starts a formula), plus two rules it does not have: a cell containing `;` or `,` is always
 * quoted, and a formula start right after either is neutralized too, because a spreadsheet that splits
 * on `;` (European locales) or ignores the quotes would otherwise see `=…` at the start of a cell.
 */
import { stringify, type Options } from 'csv-stringify/sync';
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
  { header: 'Exec Time Median (s)', value: m('execution_time', 'median') },
  { header: 'Exec Time P99 (s)', value: m('execution_time', 'p99') },
  { header: 'Exec Time Stdev (s)', value: m('execution_time', 'stdev') },
  { header: 'Exec Time Min (s)', value: m('execution_time', 'min') },
  { header: 'Exec Time Max (s)', value: m('execution_time', 'max') },
  { header: 'Samples', value: (r) => stat(r, 'execution_time')?.samples },
  { header: 'Percentiles Unresolved', value: (r) => stat(r, 'execution_time')?.unresolved?.join(' ') ?? '' },
  { header: 'Memory Mean (MB)', value: m('memory_usage', 'mean') },
  { header: 'CPU Max (%)', value: m('cpu_usage', 'max') },
  { header: 'CPU Seconds Mean (s)', value: m('cpu_seconds', 'mean') },
  { header: 'Disk IO Mean (B)', value: m('disk_io', 'mean') },
  { header: 'Network IO Mean (B)', value: m('network_io', 'mean') },
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

/** Text that would start a formula in Excel/LibreOffice/Sheets (csv-stringify's list, plus LF). */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * A formula sign right after a `;` or `,` (optionally spaced): a cell start for a reader that splits
 * there. Whitespace is not counted as a formula start here (that reader's cell would begin with text).
 */
const FORMULA_AFTER_SEPARATOR = /([;,][ ]*)(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * Neutralizes a text cell against formula injection (OWASP CSV injection): a `'` before a formula
 * start at the beginning and after every `;` or `,`. Hand-written because csv-stringify's
 * `escape_formulas` only looks at the first character.
 */
export function neutralizeCsvText(s: string): string {
  const inner = s.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

function csvNumber(v: number): string {
  // plain decimal, 6 decimals at most; integers stay integers; never locale-formatted
  const rounded = Math.round(v * 1e6) / 1e6;
  const s = String(Object.is(rounded, -0) ? 0 : rounded);
  if (!/e/i.test(s)) return s;
  // very large/small magnitudes: expand instead of exponent form
  return Math.abs(v) >= 1 ? BigInt(Math.round(v)).toString() : '0';
}

/** A cell as text before quoting: numbers as plain decimals, text neutralized, nothing for missing values. */
function cellText(v: Cell): { text: string; isText: boolean } {
  if (v === null || v === undefined) return { text: '', isText: false };
  if (typeof v === 'number') return { text: isNum(v) ? csvNumber(v) : '', isText: false };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', isText: false };
  return { text: neutralizeCsvText(v), isText: true };
}

const STRINGIFY_OPTIONS: Options = {
  record_delimiter: '\r\n',
  // `,` is quoted by csv-stringify as the delimiter; `;` too, for readers that split on it; and
  // leading/trailing spaces, which readers would otherwise trim
  quoted_match: [/;/, /^\s|\s$/],
};

/** One CSV field: numbers as numbers, text neutralized and quoted when needed (RFC 4180). */
export function csvCell(v: Cell): string {
  return stringify([[cellText(v).text]], { ...STRINGIFY_OPTIONS, record_delimiter: '' });
}

export function renderCsv(input: ReportInput): string {
  const records = [
    CSV_COLUMNS.map((c) => c.header),
    ...input.runs.map((run) => CSV_COLUMNS.map((c) => cellText(c.value(run)).text)),
  ];
  return stringify(records, STRINGIFY_OPTIONS);
}

export const csvWriter: ReportWriter = {
  format: 'csv',
  fileName: 'performance_metrics.csv',
  render: renderCsv,
};
