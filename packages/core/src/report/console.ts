/**
 * Console summary printed by the adapters and the CLI at the end of a session: one line per run with
 * the headline statistics and compliance, then its violations.
 *
 * Colors: explicit `color` option first; otherwise FORCE_COLOR (Node's precedence: it wins over
 * NO_COLOR), then NO_COLOR (any non-empty value disables), then whether stdout is a terminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Run } from '../types.js';
import {
  failingViolations,
  fmtMB,
  fmtPct,
  fmtSeconds,
  isIncomplete,
  oneLine,
  reportedViolations,
  runErrorMessage,
  SMALL_SAMPLE_NOTE,
  stat,
  STRICT_WARNINGS_FAILURE,
} from './format.js';
import { violationFigures } from './stats-text.js';
import { buildReportView, type RunSummary } from './view-model.js';

export interface ConsoleSummaryOptions {
  /** force colors on/off; default: from FORCE_COLOR / NO_COLOR / TTY */
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

/** Whether to color output, following FORCE_COLOR / NO_COLOR conventions. */
export function shouldColor(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout?.isTTY)): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** The level a colored terminal gets: FORCE_COLOR=2/3 ask for 256 colors / truecolor, else basic. */
function forcedLevel(env: NodeJS.ProcessEnv): 1 | 2 | 3 {
  const f = env.FORCE_COLOR;
  if (f === '2') return 2;
  if (f === '3') return 3;
  return 1;
}

/** A chalk color level (0 = none) following shouldColor, for the CLI's own output. */
export function colorLevel(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout?.isTTY),
): 0 | 1 | 2 | 3 {
  return shouldColor(env, isTTY) ? forcedLevel(env) : 0;
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
    const violations = s.errors + s.warnings;
    // the same verdict words as the dashboard and Markdown (labels.ts); warnings are counted separately
    const status = ok ? c.green('compliant') : c.red(emphasize(s.verdict.label));
    const iters = s.iterations.partial ? c.yellow(` (${s.iterations.marked} passed)`) : '';
    out.push(
      `  ${ok ? c.green('✓') : c.red('✗')} ${c.bold(name)}  ${figures}  ${status}${violations ? `, ${violations} violation${violations > 1 ? 's' : ''}` : ''}${iters}`,
    );
  }
  for (const v of reportedViolations(run)) {
    const failing = failingViolations(run).includes(v);
    out.push(`      ${failing ? c.red('✗') : c.yellow('!')} ${oneLine(violationFigures(v, run))}`);
  }
  return out;
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
