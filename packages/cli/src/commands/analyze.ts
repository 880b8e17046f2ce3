/** `lanebench analyze [--lane L] [--window N]`: JSON statistics per lane (one object with --lane, else an array). */
import { analyzeLane } from '@lanebench/core';
import { checkLane, checkWorkflow, knownLanes, loadContext, loadRuns, type CommonOptions } from '../lib/context.js';
import { EXIT_OK } from '../lib/errors.js';
import { out } from '../lib/output.js';

export interface AnalyzeOptions extends CommonOptions {
  lane?: string;
  window?: number;
  workflow?: string;
}

export async function analyzeAction(opts: AnalyzeOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const runs = await loadRuns(ctx);
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
