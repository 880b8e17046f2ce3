/**
 * runAbSession: a paired, interleaved A/B of two versions of one workflow (`lanebench ab`, docs/ANALYSIS.md).
 *
 * Order: warm-up of each side (the lane's warmup count, at least 1, unmeasured), then pairs in ABBA blocks:
 * pair 1 base→head, pair 2 head→base, … so that a trend over the session hits both sides equally and neither side
 * is always second (caches, turbo budgets). Every iteration is measured by measureIteration with the lane's timeout
 * and sampling interval, exactly as `run` measures. The result is two Run records (one per side, iteration i = pair
 * i) tagged with Run.ab, ready for the history.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config/index.js';
import { resolveConfig, resolveLane } from '../config/index.js';
import { collectEnv, collectGit, newRunId } from '../history/index.js';
import { measureIteration } from '../measure/index.js';
import { analyzeIterations } from '../stats/index.js';
import { evaluateRun } from './evaluate-run.js';
import type { Iteration, Run, RunnerInfo } from '../types.js';
import { busyNote, machineState, mergeMachineStates } from './machine.js';
import { runNotes } from './notes.js';
import { runStatus } from './status.js';
import type { Workflow } from '../measure/index.js';

export interface AbSide {
  target: Workflow;
  /** working directory of this side's commands (the side's git worktree in the ref form) */
  cwd?: string;
  /** label for progress lines, e.g. the command or the ref */
  label?: string;
}

export interface AbProgress {
  pair: number;
  pairs: number;
  side: 'base' | 'head';
  warmup: boolean;
  execution_time?: number;
  status?: string;
}

export interface AbSessionSpec {
  lane: string;
  workflow: string;
  base: AbSide;
  head: AbSide;
  pairs: number;
  config?: ResolvedConfig;
  runner?: RunnerInfo;
  signal?: AbortSignal;
  onProgress?: (e: AbProgress) => void;
  /** override the lane's warm-up count (per side; default: max(1, lane warmup)) */
  warmup?: number;
}

export interface AbSession {
  session: string;
  base: Run;
  head: Run;
  /** pairs measured on both sides (fewer than asked when interrupted) */
  pairs: number;
  interrupted: boolean;
}

/** Which side runs first in pair `i` (0-based): ABBA blocks. */
export function abOrder(i: number): ['base', 'head'] | ['head', 'base'] {
  return i % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
}

export async function runAbSession(spec: AbSessionSpec): Promise<AbSession> {
  if (!Number.isInteger(spec.pairs) || spec.pairs < 1)
    throw new RangeError(`pairs must be an integer ≥ 1, got ${spec.pairs}`);
  const config = spec.config ?? resolveConfig(undefined);
  const lane = resolveLane(config, spec.lane, {});
  const runner: RunnerInfo = spec.runner ?? { name: 'api', version: null };
  const session = randomUUID();
  const warmup = spec.warmup ?? Math.max(1, lane.warmup);
  const startedAt = new Date();
  // known before the first iteration: part of each iteration's environment cookie
  const runIds = {
    base: newRunId(lane.name, `${spec.workflow} [ab base]`, startedAt),
    head: newRunId(lane.name, `${spec.workflow} [ab head]`, startedAt),
  };
  const machineAtStart = machineState();
  const t0 = performance.now();
  const iterations: Record<'base' | 'head', Iteration[]> = { base: [], head: [] };
  const common = {
    timeout_s: lane.timeout_s,
    sampleIntervalMs: config.sampleIntervalMs,
    lane: lane.name,
    workflow: spec.workflow,
    signal: spec.signal,
  };
  const sideOf = (s: 'base' | 'head'): AbSide => (s === 'base' ? spec.base : spec.head);
  const emit = (e: AbProgress): void => {
    try {
      spec.onProgress?.(e);
    } catch {
      /* progress must not break the measurement */
    }
  };

  for (let w = 1; w <= warmup && !spec.signal?.aborted; w++) {
    for (const s of ['base', 'head'] as const) {
      if (spec.signal?.aborted) break;
      emit({ pair: w, pairs: warmup, side: s, warmup: true });
      await measureIteration(sideOf(s).target, {
        ...common,
        cwd: sideOf(s).cwd,
        runId: runIds[s],
        iteration: w,
        warmup: true,
      });
    }
  }

  let done = 0;
  for (let i = 0; i < spec.pairs && !spec.signal?.aborted; i++) {
    const got: Partial<Record<'base' | 'head', Iteration>> = {};
    for (const s of abOrder(i)) {
      if (spec.signal?.aborted) break;
      emit({ pair: i + 1, pairs: spec.pairs, side: s, warmup: false });
      const it = await measureIteration(sideOf(s).target, {
        ...common,
        cwd: sideOf(s).cwd,
        runId: runIds[s],
        iteration: i + 1,
      });
      if (spec.signal?.aborted) break;
      got[s] = it;
      emit({
        pair: i + 1,
        pairs: spec.pairs,
        side: s,
        warmup: false,
        status: it.status,
        execution_time: it.execution_time,
      });
    }
    // a pair interrupted half-way is not a pair: neither side keeps it
    if (got.base && got.head) {
      iterations.base.push(got.base);
      iterations.head.push(got.head);
      done++;
    }
  }
  const interrupted = Boolean(spec.signal?.aborted) && done < spec.pairs;
  const machine = mergeMachineStates(machineAtStart, machineState());
  const busy = busyNote(machine);
  const duration = Math.round(performance.now() - t0) / 1000;

  const mk = (s: 'base' | 'head'): Run => {
    const its = iterations[s];
    const run: Run = {
      id: runIds[s],
      lane: lane.name,
      workflow: spec.workflow,
      started_at: startedAt.toISOString(),
      duration_s: duration,
      iterations_requested: spec.pairs,
      warmup,
      timeout_s: lane.timeout_s,
      status: runStatus(its, spec.pairs, interrupted),
      iterations: its,
      metrics_analysis: analyzeIterations(its),
      sla: { compliant: true, strict: lane.strict, passed: true, violations: [], checked: 0 },
      custom_units: {},
      env: collectEnv(runner),
      git: collectGit(sideOf(s).cwd ?? config.root),
      runner,
      notes: [
        `A/B session ${session}: ${s} side of ${done} interleaved pair(s) (ABBA)${sideOf(s).label ? `: ${sideOf(s).label}` : ''}`,
        ...runNotes(its, spec.pairs, interrupted ? done + 1 : undefined),
        ...(busy ? [busy] : []),
      ],
      ab: { session, side: s, pair_count: done },
      machine,
    };
    run.sla = evaluateRun(run, {}, { strict: lane.strict });
    return run;
  };
  return { session, base: mk('base'), head: mk('head'), pairs: done, interrupted };
}
