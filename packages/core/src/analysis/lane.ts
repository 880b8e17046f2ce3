/** `analyze`: statistics of a lane over its history window (docs/ANALYSIS.md). */
import { analyzeIterations } from '../stats/index.js';
import type { Run } from '../types.js';
import { laneRuns, lastN } from './select.js';
import type { LaneAnalysis } from './types.js';

/**
 * Pools the passed iterations of the lane's last `window` runs (every run when no window) and
 * describes each metric. Pooling iterations (not run means) keeps percentiles meaningful: p95 of
 * the lane is the p95 of the iterations a user waited for.
 */
export function analyzeLane(
  runs: readonly Run[],
  lane: string,
  opts: { window?: number; workflow?: string } = {},
): LaneAnalysis {
  const selected = lastN(laneRuns(runs, lane, opts.workflow), opts.window);
  return {
    lane,
    total_runs: selected.length,
    metrics_analysis: analyzeIterations(selected.flatMap((r) => r.iterations ?? [])),
    workflows: [...new Set(selected.map((r) => r.workflow))],
    first_run: selected[0]?.started_at ?? null,
    last_run: selected[selected.length - 1]?.started_at ?? null,
  };
}
