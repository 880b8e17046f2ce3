/**
 * `lanebench trends --lane L [--metric M (default execution_time)] [--window N] [--fail-on-regression]`: the last N values
 * (run means) of a metric per workflow, and the latest run's regression verdict.
 */
import {
  changePointsOf,
  analyzeSession,
  getTrends,
  METRIC_KEYS,
  metricUnit,
  readSessionHistory,
  type Run,
  visible,
} from '@lanebench/core';
import { checkLane, loadContext, requireLaneRuns, type CommonOptions, type Context } from '../lib/context.js';
import { UsageError } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { num, out, table } from '../lib/output.js';

export interface TrendsOptions extends CommonOptions {
  lane: string;
  metric: string;
  window?: number;
  workflow?: string;
  failOnRegression?: boolean;
  json?: boolean;
}

function customNames(runs: readonly Run[]): string[] {
  const names = new Set<string>();
  for (const r of runs) for (const it of r.iterations ?? []) for (const k of Object.keys(it.custom ?? {})) names.add(k);
  return [...names];
}

/**
 * The lane's runs a trend needs: per workflow the same windows publishing reads (the newest 1,000 runs, or
 * --window's N when larger, plus the latest run's environment), found through the store's summary, so the
 * command costs the same on 1,000 and 100,000 runs.
 */
async function loadLaneWindows(
  ctx: Context,
  lane: string,
  window: number,
): Promise<{ runs: Run[]; workflows: string[] }> {
  const store = ctx.openStore();
  try {
    const all = await store.summarize();
    checkLane(ctx, all, lane);
    const series = all.filter((s) => s.lane === lane);
    const runs = await readSessionHistory(
      store,
      series.map((s) => ({
        lane: s.lane,
        workflow: s.workflow,
        env: s.latest.fingerprint === null ? {} : { fingerprint: s.latest.fingerprint },
      })),
      { historyWindow: Math.max(ctx.config.historyWindow, window) },
    );
    // workflows in the order they were first recorded, as the whole history lists them
    return { runs, workflows: series.map((s) => s.workflow) };
  } finally {
    await store.close();
  }
}

export async function trendsAction(opts: TrendsOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const { runs, workflows } = await loadLaneWindows(ctx, opts.lane, opts.window ?? ctx.config.historyWindow);
  const laneRuns = requireLaneRuns(ctx, runs, opts.lane);
  const metrics = [...METRIC_KEYS, ...customNames(laneRuns)];
  if (!metrics.includes(opts.metric)) {
    throw new UsageError(
      `--metric: unknown metric '${opts.metric}' for lane '${opts.lane}'; expected one of: ${metrics.join(', ')}`,
    );
  }
  if (opts.workflow !== undefined && !workflows.includes(opts.workflow)) {
    throw new UsageError(
      `--workflow: unknown workflow '${opts.workflow}' in lane '${opts.lane}'; expected one of: ${workflows.join(', ')}`,
    );
  }
  const window = opts.window ?? ctx.config.historyWindow;
  const selected = opts.workflow ? [opts.workflow] : workflows;
  const unit = metricUnit(opts.metric, laneRuns);

  const trends = selected.map((workflow) => {
    const points = getTrends(runs, opts.lane, opts.metric, { window, workflow });
    return { workflow, points, latest: runs.find((r) => r.id === points[points.length - 1]?.run_id) };
  });
  // the latest run of each workflow against its baseline: the history gate of core analyzeSession on this metric;
  // the verdict is the gate alone (the runs' own SLA results are not this command's), failing only when asked
  const session = analyzeSession({
    runs: trends.flatMap((t) => (t.latest ? [t.latest] : [])),
    history: runs,
    config: ctx.config,
    metrics: [opts.metric],
    failOnRegression: opts.failOnRegression === true,
    gateRuns: false,
    recommendations: false,
    changePoints: false,
  });
  const report = trends.map(({ workflow, points, latest }) => {
    const verdict = latest
      ? session.regressions.find(
          (g) => g.lane === latest.lane && g.workflow === latest.workflow && g.metric === opts.metric,
        )
      : undefined;
    // change points over the same window of run medians (E-divisive, p ≤ 0.001)
    const changePoints = changePointsOf(runs, opts.lane, workflow, opts.metric, { window });
    return { workflow, points, regression: verdict ?? null, changePoints };
  });

  if (opts.json) {
    const changePoints = report.flatMap((w) => w.changePoints);
    out(
      JSON.stringify({ lane: opts.lane, metric: opts.metric, unit, window, workflows: report, changePoints }, null, 2),
    );
  } else {
    const c = colors();
    const blocks = report.map(({ workflow, points, regression, changePoints }) => {
      const head = c.bold(
        `Trend: ${visible(opts.lane)} › ${visible(workflow)} › ${visible(opts.metric)}${unit ? ` (${visible(unit)})` : ''}, last ${points.length} run(s)`,
      );
      if (points.length === 0) return `${head}\n  no values recorded`;
      const first = points[0]!.value;
      const rows = [
        ['started', 'run', 'mean', 'median', 'p95', 'samples', 'vs first', 'git'],
        ...points.map((p) => [
          p.started_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
          visible(p.run_id),
          num(p.value),
          num(p.median),
          num(p.p95),
          String(p.samples),
          first === 0 ? '—' : `${p.value >= first ? '+' : ''}${(((p.value - first) / first) * 100).toFixed(1)}%`,
          p.git_sha ? p.git_sha.slice(0, 7) : '—',
        ]),
      ];
      const status = regression ? `  Latest vs baseline: ${visible(regression.message)}` : '';
      const cps =
        changePoints.length === 0
          ? `  Change points (E-divisive, p ≤ 0.001): none in these ${points.length} run(s)`
          : [
              `  Change points (E-divisive, p ≤ 0.001):`,
              ...changePoints.map(
                (cp) =>
                  `    ${cp.started_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  run ${visible(cp.run_id)}  git ${cp.git_sha ? cp.git_sha.slice(0, 7) : '—'}  median ${num(cp.before)} → ${num(cp.after)}${unit ? ` ${visible(unit)}` : ''} (${cp.before === 0 ? '—' : `${cp.after >= cp.before ? '+' : ''}${(((cp.after - cp.before) / cp.before) * 100).toFixed(1)}%`}, p=${cp.p_value.toPrecision(2)})`,
              ),
            ].join('\n');
      return [head, table(rows, '  '), status, cps].filter(Boolean).join('\n');
    });
    out(blocks.join('\n\n'));
  }
  return session.exitCode;
}
