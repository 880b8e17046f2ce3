/** Trends: one point per run for a metric of a lane (and workflow), oldest first. */
import { describe } from '../stats/index.js';
import type { Run } from '../types.js';
import { fingerprint, laneRuns, lastN, metricValues } from './select.js';
import type { TrendPoint } from './types.js';

/** The last `window` runs that have at least one passed value of `metric`. */
export function getTrends(
  runs: readonly Run[],
  lane: string,
  metric: string,
  opts: { window?: number; workflow?: string } = {},
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const run of laneRuns(runs, lane, opts.workflow)) {
    const values = metricValues(run, metric);
    if (values.length === 0) continue;
    const s = describe(values);
    points.push({
      run_id: run.id,
      lane: run.lane,
      workflow: run.workflow,
      started_at: run.started_at,
      metric,
      value: s.mean,
      median: s.median,
      p95: s.p95,
      samples: s.samples,
      status: run.status,
      git_sha: run.git?.sha ?? null,
      env_fingerprint: fingerprint(run),
    });
  }
  return lastN(points, opts.window);
}
