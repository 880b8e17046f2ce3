/** `lanebench analyze [--lane L] [--window N]`: JSON statistics per lane (one object with --lane, else an array). */
import { analyzeLane, LaneAggregator, type Run } from '@lanebench/core';
import {
  checkLane,
  checkWorkflow,
  knownLanes,
  loadContext,
  loadRuns,
  type CommonOptions,
  type Context,
} from '../lib/context.js';
import { EXIT_OK } from '../lib/errors.js';
import { out } from '../lib/output.js';

export interface AnalyzeOptions extends CommonOptions {
  lane?: string;
  window?: number;
  workflow?: string;
}

/**
 * `--lane L --window N` needs only the lane's last N runs: the store reads just those (the file
 * store backwards from the end, PostgreSQL by an index scan), whatever the size of the history.
 */
async function loadWindow(ctx: Context, lane: string, last: number, workflow: string | undefined): Promise<Run[]> {
  const store = ctx.openStore();
  try {
    return await store.readWindow({ lane, last, ...(workflow !== undefined ? { workflow } : {}) });
  } finally {
    await store.close();
  }
}

/**
 * Without --window every run counts: the store hands them over in their light form (no timelines, no
 * statistics; PostgreSQL projects them on the server and sends them in batches) and only each metric's values
 * are kept, so 100,000 runs fit in a few hundred MB at most. Same figures as analyzeLane over the full runs.
 */
async function analyzeAll(ctx: Context, opts: AnalyzeOptions): Promise<number> {
  const agg = new LaneAggregator({ workflow: opts.workflow });
  const store = ctx.openStore();
  try {
    await store.forEachLight((run) => agg.add(run));
  } finally {
    await store.close();
  }
  if (opts.lane !== undefined) checkLane(ctx, agg.series, opts.lane);
  checkWorkflow(agg.series, opts.lane, opts.workflow);
  if (opts.lane !== undefined) {
    out(JSON.stringify(agg.analysis(opts.lane), null, 2));
    return EXIT_OK;
  }
  // every lane that has runs, configured lanes first
  const withRuns = new Set(agg.laneNames());
  const lanes = knownLanes(ctx, agg.series).filter((lane) => withRuns.has(lane));
  out(
    JSON.stringify(
      lanes.map((lane) => agg.analysis(lane)),
      null,
      2,
    ),
  );
  return EXIT_OK;
}

export async function analyzeAction(opts: AnalyzeOptions): Promise<number> {
  const ctx = await loadContext(opts);
  if (opts.window === undefined) return analyzeAll(ctx, opts);
  const runs =
    opts.lane !== undefined && opts.window !== undefined
      ? await loadWindow(ctx, opts.lane, opts.window, opts.workflow)
      : await loadRuns(ctx);
  if (opts.lane !== undefined) checkLane(ctx, runs, opts.lane);
  checkWorkflow(runs, opts.lane, opts.workflow);
  const range = {
    ...(opts.window !== undefined ? { window: opts.window } : {}),
    ...(opts.workflow !== undefined ? { workflow: opts.workflow } : {}),
  };
  if (opts.lane !== undefined) {
    checkLane(ctx, runs, opts.lane);
    out(JSON.stringify(analyzeLane(runs, opts.lane, range), null, 2));
    return EXIT_OK;
  }
  // without --lane: every lane that has runs, configured lanes first
  const lanes = knownLanes(ctx, runs).filter((lane) => runs.some((r) => r.lane === lane));
  out(
    JSON.stringify(
      lanes.map((lane) => analyzeLane(runs, lane, range)),
      null,
      2,
    ),
  );
  return EXIT_OK;
}
