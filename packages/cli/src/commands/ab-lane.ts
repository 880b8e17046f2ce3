/**
 * `lanebench ab` and `lanebench calibrate` over a lane's workflow files (no command after `--`): each side runs
 * the lane through the configured runner (Vitest or Jest) in its own checkout, one measured iteration of every
 * workflow per launch, in ABBA order, so pair i of workflow W is base launch i's iteration of W against head
 * launch i's. A warm-up launch per side comes first, unrecorded. The launches write to a private history per
 * side (LANEBENCH_HISTORY, a temporary directory); the caller records the assembled session runs (Run.ab) itself.
 * A workflow that one side does not have (or that failed to record in a launch) has no pair for that launch.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import {
  abOrder,
  abRun,
  machineState,
  mergeMachineStates,
  newRunId,
  readHistory,
  resolveLane,
  type AbSession,
  type Iteration,
  type ResolvedConfig,
  type RunnerInfo,
} from '@lanebench/core';
import type { RunnerLaunch } from '../runners/types.js';
import { driveLaneRunner } from './run-lane.js';

export interface LaneAbSide {
  cwd: string;
  label: string;
}

export interface LaneAbSpec {
  config: ResolvedConfig;
  /** the user's checkout (its config file is looked up at the same relative path in each side's checkout) */
  cwd: string;
  lane: string;
  runner: 'vitest' | 'jest';
  base: LaneAbSide;
  head: LaneAbSide;
  pairs: number;
  /** stop between launches (a launch itself is stopped by the signal through the stop file) */
  signal: AbortSignal;
  onPair?: ((pair: number, pairs: number, side: 'base' | 'head', workflows: number) => void) | undefined;
}

export interface LaneAbResult {
  /** one session per workflow of the lane, in the order the workflows first ran */
  sessions: AbSession[];
  received: NodeJS.Signals | undefined;
}

export async function runLaneAb(spec: LaneAbSpec): Promise<LaneAbResult> {
  const lane = resolveLane(spec.config, spec.lane, {});
  const tmp = mkdtempSync(join(tmpdir(), 'lanebench-ab-lane-'));
  const configFile = spec.config.configFile;
  const rel = configFile ? relative(spec.cwd, configFile) : undefined;
  const launchOf = (side: LaneAbSide, iterations: number): RunnerLaunch => ({
    cwd: side.cwd,
    lane: spec.lane,
    ...(rel !== undefined && !rel.startsWith('..') && !isAbsolute(rel) ? { configFile: join(side.cwd, rel) } : {}),
    // the launches' reports are of one-iteration runs: they go to the temporary directory, not the user's
    config: { outputDir: join(tmp, 'reports'), failOnRegression: false },
    // warm-up is the session's (one launch per side), not each launch's
    overrides: { iterations, warmup: 0 },
    verbose: false,
  });
  const sideOf = (s: 'base' | 'head'): LaneAbSide => (s === 'base' ? spec.base : spec.head);
  let received: NodeJS.Signals | undefined;
  let runner: RunnerInfo | undefined;
  /** one launch of `side`; the iteration of each workflow it recorded */
  const launch = async (s: 'base' | 'head', history: string): Promise<Map<string, Iteration>> => {
    const before = new Set((await readHistory(history)).runs.map((r) => r.id));
    const r = await driveLaneRunner(spec.runner, launchOf(sideOf(s), 1), {
      env: { LANEBENCH_HISTORY: history },
      quiet: true,
    });
    if (r.received) received = r.received;
    const got = new Map<string, Iteration>();
    for (const run of (await readHistory(history)).runs) {
      if (before.has(run.id) || run.lane !== spec.lane) continue;
      const it = run.iterations[0];
      if (it) got.set(run.workflow, it);
      runner ??= run.runner;
    }
    return got;
  };

  const startedAt = new Date();
  const machineAtStart = machineState();
  const t0 = performance.now();
  const per = new Map<string, { base: Iteration[]; head: Iteration[] }>();
  let done = 0;
  try {
    let measurable = true;
    for (const s of ['base', 'head'] as const) {
      if (spec.signal.aborted || received) break;
      // a side that records no workflow in its warm-up (no files, no plugin, not installed) will not in a pair
      if ((await launch(s, join(tmp, `warmup-${s}.json`))).size === 0) measurable = false;
    }
    for (let i = 0; measurable && i < spec.pairs && !spec.signal.aborted && !received; i++) {
      const got: Partial<Record<'base' | 'head', Map<string, Iteration>>> = {};
      for (const s of abOrder(i)) {
        if (spec.signal.aborted || received) break;
        got[s] = await launch(s, join(tmp, `${s}.json`));
        spec.onPair?.(i + 1, spec.pairs, s, got[s].size);
      }
      if (!got.base || !got.head || received) break; // a pair interrupted half-way is not a pair
      for (const [workflow, b] of got.base) {
        const h = got.head.get(workflow);
        if (!h) continue;
        const entry = per.get(workflow) ?? { base: [], head: [] };
        entry.base.push({ ...b, index: entry.base.length + 1 });
        entry.head.push({ ...h, index: entry.head.length + 1 });
        per.set(workflow, entry);
      }
      done++;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const interrupted = (spec.signal.aborted || received !== undefined) && done < spec.pairs;
  const machine = mergeMachineStates(machineAtStart, machineState());
  const duration_s = Math.round(performance.now() - t0) / 1000;
  const info: RunnerInfo = runner ?? { name: spec.runner, version: null };
  const sessions: AbSession[] = [...per].map(([workflow, its]) => {
    const session = randomUUID();
    const side = (s: 'base' | 'head') =>
      abRun({
        id: newRunId(lane.name, `${workflow} [ab ${s}]`, startedAt),
        lane,
        workflow,
        side: s,
        session,
        iterations: its[s],
        pairsRequested: spec.pairs,
        pairsDone: its[s].length,
        interrupted,
        warmup: 1,
        startedAt,
        duration_s,
        runner: info,
        gitDir: sideOf(s).cwd,
        label: sideOf(s).label,
        machine,
      });
    return { session, base: side('base'), head: side('head'), pairs: its.base.length, interrupted };
  });
  return { sessions, received };
}
