/**
 * Console summary printed by the adapters and the CLI at the end of a session: one line per run with
 * the headline statistics and compliance, then its violations.
 *
 * Colors: explicit `color` option first; otherwise FORCE_COLOR (Node's precedence: it wins over
 * NO_COLOR), then NO_COLOR (any non-empty value disables), then whether stdout is a terminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { RegressionResult } from '../analysis/types.js';
import type { Run } from '../types.js';
import {
  failingViolations,
  fmtMB,
  fmtPct,
  fmtSeconds,
  isIncomplete,
  reportedViolations,
  runErrorMessage,
  SMALL_SAMPLE_NOTE,
  stat,
  STRICT_WARNINGS_FAILURE,
} from './format.js';
import { violationFigures } from './stats-text.js';
import { buildReportView, type RunSummary } from './view-model.js';
import { forcedLevel, shouldColor } from '../output/color.js';
import { visible } from '../output/sanitize.js';

export { colorLevel, shouldColor } from '../output/color.js';

export interface ConsoleSummaryOptions {
  /** force colors on/off; default: from FORCE_COLOR / NO_COLOR / TTY */
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

/** Names and messages on one line, with everything that could act on the terminal shown as escapes. */
function oneLine(s: string): string {
  return visible(
    String(s)
      .replace(/\s*(?:\r\n|\r|\n)\s*/g, ' — ')
      .replace(/[\t ]+/g, ' ')
      .trim(),
  );
}

/** The shared label with its negation in capitals, as terminals have no bold red to rely on. */
function emphasize(label: string): string {
  return label.replace(/^not /, 'NOT ');
}

function runLine(c: ChalkInstance, s: RunSummary): string[] {
  const run = s.run;
  const et = stat(run, 'execution_time');
  const mark = (key: 'p95' | 'p99') => (et?.unresolved?.includes(key) ? '†' : '');
  const name = oneLine(`${run.lane} / ${run.workflow}`);
  const out: string[] = [];
  if (isIncomplete(run)) {
    out.push(
      `  ${c.red('✗')} ${c.bold(name)}  ${c.red(s.verdict.label.toUpperCase())}: ${oneLine(runErrorMessage(run))}`,
    );
  } else {
    const ok = s.verdict.tone !== 'bad';
    const figures = [
      `mean ${fmtSeconds(et?.mean)}`,
      `median ${fmtSeconds(et?.median)}`,
      `p95 ${fmtSeconds(et?.p95)}${mark('p95')}`,
      `p99 ${fmtSeconds(et?.p99)}${mark('p99')}`,
      `mem max ${fmtMB(stat(run, 'memory_usage')?.max)}`,
      `cpu avg ${fmtPct(stat(run, 'cpu_usage')?.mean)}`,
    ].join('  ');
    // the same verdict words as the dashboard and Markdown (labels.ts); a partial run is compliant on fewer
    // iterations than asked for, so it reads "compliant · partial: 2 of 5 iterations" with a warning mark
    const status = ok ? c.green('compliant') : c.red(emphasize(s.verdict.label));
    const partial = s.verdict.kind === 'partial';
    const iters = partial ? c.yellow(` · ${s.verdict.label}`) : '';
    const runMark = !ok ? c.red('✗') : partial ? c.yellow('!') : c.green('✓');
    out.push(`  ${runMark} ${c.bold(name)}  ${figures}  ${status}${violationCounts(run)}${iters}`);
  }
  for (const v of reportedViolations(run)) {
    const failing = failingViolations(run).includes(v);
    out.push(`      ${failing ? c.red('✗') : c.yellow('!')} ${oneLine(violationFigures(v, run))}`);
  }
  return out;
}

/**
 * ` · 1 error, 2 warnings`: counted by severity, so a compliant run reads "compliant · 1 warning"
 * rather than the contradictory "compliant, 1 violation".
 */
function violationCounts(run: Run): string {
  const all = reportedViolations(run);
  const errors = all.filter((v) => v.severity === 'error').length;
  const warnings = all.length - errors;
  const parts = [
    errors ? `${errors} error${errors > 1 ? 's' : ''}` : '',
    warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  return parts.length ? ` · ${parts.join(', ')}` : '';
}

export function renderConsoleSummary(runs: Run[], opts: ConsoleSummaryOptions = {}): string {
  const env = opts.env ?? process.env;
  const color = opts.color ?? shouldColor(env, opts.isTTY ?? Boolean(process.stdout?.isTTY));
  const c = new Chalk({ level: color ? forcedLevel(env) : 0 });
  if (runs.length === 0) return `${c.bold('lanebench')}: no runs recorded.\n`;
  const view = buildReportView({ runs, history: [], generated_at: '' });
  const o = view.overall;
  const lines: string[] = [];
  const bad = o.nonCompliantLanes.length;
  // compliance counts errors only; runs that strict mode failed on warnings are named separately
  lines.push(
    `${c.bold('lanebench')} ${o.runs} run${o.runs > 1 ? 's' : ''} in ${o.laneCount} lane${o.laneCount > 1 ? 's' : ''}: ` +
      (bad === 0 ? c.green('all lanes compliant') : c.red(`${bad} lane${bad > 1 ? 's' : ''} not compliant`)) +
      (o.strictFailed > 0
        ? c.red(`; ${o.strictFailed} run${o.strictFailed > 1 ? 's' : ''} failed in strict mode (warnings)`)
        : ''),
  );
  for (const lane of view.lanes) {
    const head = !lane.compliant
      ? c.red(`[${emphasize(lane.verdictLabel)}]`)
      : lane.runs.some((s) => s.verdict.kind === 'strict-failed')
        ? c.red(`[${STRICT_WARNINGS_FAILURE}]`)
        : c.green(`[${lane.verdictLabel}]`);
    lines.push(`${c.bold(oneLine(lane.name))} ${head}`);
    for (const s of lane.runs) lines.push(...runLine(c, s));
  }
  if (view.hasUnresolved) lines.push(c.dim(`† ${SMALL_SAMPLE_NOTE}`));
  return lines.join('\n') + '\n';
}

/**
 * The regression verdicts of this session, after the per-lane summary: every runner's console shows
 * them, not only the CLI and the reports. Also the changes a guard of the gate would not judge (they looked like
 * regressions or improvements, but the run shared its machine with more other work, or the series made as large a
 * jump by itself within the runs the gate replays): left out, they would be a silent pass. Empty when nothing
 * regressed, improved or was set aside that way.
 */
export function renderRegressionSummary(
  regressions: ReadonlyArray<
    Pick<RegressionResult, 'status' | 'message'> & Partial<Pick<RegressionResult, 'contention' | 'jump'>>
  >,
  opts: ConsoleSummaryOptions & { failOnRegression?: boolean } = {},
): string {
  const env = opts.env ?? process.env;
  const color = opts.color ?? shouldColor(env, opts.isTTY ?? Boolean(process.stdout?.isTTY));
  const c = new Chalk({ level: color ? forcedLevel(env) : 0 });
  // set aside by a guard: a change the gate would otherwise have called, shown with the guard's reason
  const setAsideBy = (r: (typeof regressions)[number]): string | null =>
    r.status !== 'inconclusive'
      ? null
      : r.contention
        ? 'machine busier'
        : r.jump
          ? 'the series jumped as much by itself'
          : null;
  const shown = regressions.filter(
    (r) => r.status === 'regression' || r.status === 'improvement' || setAsideBy(r) !== null,
  );
  if (shown.length === 0) return '';
  const count = shown.filter((r) => r.status === 'regression').length;
  const reasons = [...new Set(shown.map(setAsideBy).filter((why): why is string => why !== null))];
  const setAside = shown.filter((r) => setAsideBy(r) !== null).length;
  const aside = setAside ? `; ${setAside} change${setAside > 1 ? 's' : ''} not judged (${reasons.join('; ')})` : '';
  const head =
    count === 0
      ? `Compared with earlier runs: no regression${aside}`
      : `Compared with earlier runs: ${count} regression${count > 1 ? 's' : ''}${opts.failOnRegression ? ' (failOnRegression: the run fails)' : ''}${aside}`;
  const lines = shown.map((r) =>
    r.status === 'regression'
      ? `  ${c.red('▲')} ${oneLine(r.message)}`
      : r.status === 'improvement'
        ? `  ${c.green('▼')} ${oneLine(r.message)}`
        : `  ${c.yellow('?')} ${oneLine(r.message)}`,
  );
  return [count ? c.red(head) : setAside ? c.yellow(head) : head, ...lines].join('\n') + '\n';
}
