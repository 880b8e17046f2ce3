/**
 * `lanebench compare <baseline> <candidate>`: two run ids, git refs or history files side by side
 * per lane/workflow/metric, with change %, Mann-Whitney p-value and whether the environments match.
 */
import {
  compareRuns,
  exitCodeFor,
  metricUnit,
  regressionOptions,
  verdictLabel,
  visible,
  type Comparison,
  type Run,
} from '@lanebench/core';
import { resolveSide, type Side } from '../lib/compare-side.js';
import { loadContext, loadRuns, type CommonOptions } from '../lib/context.js';
import { UsageError } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { num, out, table } from '../lib/output.js';

export interface CompareOptions extends CommonOptions {
  lane?: string;
  json?: boolean;
  failOnRegression?: boolean;
}

function fingerprints(runs: readonly Run[]): string[] {
  return [...new Set(runs.map((r) => r.env?.fingerprint ?? 'unknown'))];
}

function describeEnv(runs: readonly Run[]): string {
  const envs = [...new Map(runs.map((r) => [r.env?.fingerprint, r.env])).values()];
  return envs
    .map((e) => (e ? `${e.cpu_model} ×${e.logical_cores}, ${e.os} ${e.arch}, node ${e.node_version}` : 'unknown'))
    .join(' | ');
}

/** `execution_time (s)`: the metric with its stored unit (custom metrics: their recorded unit). */
function unitLabel(metric: string, runs: readonly Run[]): string {
  const unit = metricUnit(metric, runs);
  return unit ? `${metric} (${unit})` : metric;
}

/** The verdict in the words of every report (the dashboard's label for the same status). */
function significance(c: Comparison): string {
  if (c.p_value === null) return verdictLabel('insufficient-data');
  const label = verdictLabel(c.status);
  // a no-change verdict says why: the difference was significant but within the threshold, or not significant
  if (c.status === 'no-change')
    return `${label} (${c.significant ? 'significant, within threshold' : 'not significant'})`;
  return label;
}

export async function compareAction(baselineArg: string, candidateArg: string, opts: CompareOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const history = await loadRuns(ctx);
  const scope = (s: Side): Side => (opts.lane ? { ...s, runs: s.runs.filter((r) => r.lane === opts.lane) } : s);
  const baseline = scope(await resolveSide(baselineArg, history, ctx.cwd, ctx.historyFile));
  const candidate = scope(await resolveSide(candidateArg, history, ctx.cwd, ctx.historyFile));
  const rows = compareRuns(baseline.runs, candidate.runs, {
    threshold: regressionOptions(ctx.config).threshold,
  });
  if (rows.length === 0) {
    const pairs = (s: Side) => [...new Set(s.runs.map((r) => `${r.lane} › ${r.workflow}`))].join(', ') || 'none';
    throw new UsageError(
      `nothing to compare: '${baselineArg}' has ${pairs(baseline)} and '${candidateArg}' has ${pairs(candidate)}; the two sides need a lane and workflow in common`,
    );
  }
  const fps = fingerprints([...baseline.runs, ...candidate.runs]);
  const envMatch = fps.length === 1;
  // two sides, not a session against its history: only the comparison's regressions, and only when asked
  const code = exitCodeFor([], rows, opts.failOnRegression === true);

  if (opts.json) {
    out(
      JSON.stringify(
        {
          baseline: { arg: baselineArg, kind: baseline.kind, runs: baseline.runs.map((r) => r.id) },
          candidate: { arg: candidateArg, kind: candidate.kind, runs: candidate.runs.map((r) => r.id) },
          environment_match: envMatch,
          fingerprints: fps,
          comparisons: rows,
        },
        null,
        2,
      ),
    );
    return code;
  }

  const c = colors();
  const lines: string[] = [
    `Baseline:  ${baseline.description} — ${baseline.runs.length} run(s)`,
    `Candidate: ${candidate.description} — ${candidate.runs.length} run(s)`,
    envMatch
      ? `Environment: ${c.green('match')} (${describeEnv(baseline.runs)})`
      : `${c.yellow('⚠')} Environment: ${c.yellow('MISMATCH')} — runs come from ${fps.length} different environments; differences may come from the machines, not the code\n  baseline:  ${describeEnv(baseline.runs)}\n  candidate: ${describeEnv(candidate.runs)}`,
  ];
  const groups = [...new Set(rows.map((r) => `${r.lane}\u0000${r.workflow}`))];
  for (const g of groups) {
    const [lane, workflow] = g.split('\u0000') as [string, string];
    const mine = rows.filter((r) => r.lane === lane && r.workflow === workflow);
    const tableRows = [
      ['metric', 'baseline', 'candidate', 'change', 'p-value', 'significance'],
      ...mine.map((r) => [
        unitLabel(r.metric, [...baseline.runs, ...candidate.runs]),
        `${num(r.baseline.mean)} (n=${r.baseline.samples})`,
        `${num(r.candidate.mean)} (n=${r.candidate.samples})`,
        r.change_pct === null ? '—' : `${r.change_pct >= 0 ? '+' : ''}${r.change_pct.toFixed(1)}%`,
        r.p_value === null ? '—' : r.p_value < 0.0001 ? r.p_value.toExponential(1) : r.p_value.toFixed(4),
        significance(r),
      ]),
    ];
    lines.push('', c.bold(`${visible(lane)} › ${visible(workflow)}`), table(tableRows, '  '));
  }
  lines.push(
    '',
    c.dim(
      `Means over passed iterations; two-sided Mann-Whitney U; change counts when |change| > ${ctx.config.regressionThreshold * 100}% and p < 0.05.`,
    ),
  );
  out(lines.join('\n'));
  return code;
}
