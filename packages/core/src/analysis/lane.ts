/** `analyze`: statistics of a lane over its history window (docs/ANALYSIS.md). */
import type { LightRun } from '../history/history-store.js';
import { analyzeIterations, describe } from '../stats/index.js';
import { METRIC_KEYS, type Run } from '../types.js';
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

/** A place in the history's chronological order: start time, then the order the store gave the run in. */
type Place = [ms: number, order: number, sub: number];

function before(a: Place, b: Place): boolean {
  return a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
}

interface LaneTotals {
  runs: number;
  first: { place: Place; started_at: string } | null;
  last: { place: Place; started_at: string } | null;
  workflows: Map<string, Place>;
  values: Map<string, number[]>;
  custom: Map<string, Place>;
}

const BUILTIN: ReadonlySet<string> = new Set(METRIC_KEYS);

function valuesOf(t: LaneTotals, metric: string): number[] {
  let all = t.values.get(metric);
  if (!all) t.values.set(metric, (all = []));
  return all;
}

/**
 * analyzeLane for every lane over the whole history, fed one light run at a time in the store's order
 * (HistoryStore.forEachLight), keeping only each metric's values: the same figures as analyzeLane over the
 * full runs without holding them. Every order that analyzeLane takes from the chronological order (workflows,
 * custom metrics, first and last run) is kept as the earliest or latest place seen, so the feed's order
 * needs to be readAll's only for ties of start time.
 */
export class LaneAggregator {
  private readonly lanes = new Map<string, LaneTotals>();
  private order = 0;
  /** each lane/workflow seen, once, in the feed's order (for the checks of --lane and --workflow) */
  readonly series: Array<{ lane: string; workflow: string }> = [];
  private readonly seen = new Set<string>();

  /** `workflow`: only its runs count (analyzeLane's option) */
  constructor(private readonly opts: { workflow?: string | undefined } = {}) {}

  add(run: LightRun): void {
    const order = this.order++;
    const key = JSON.stringify([run.lane, run.workflow]);
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.series.push({ lane: run.lane, workflow: run.workflow });
    }
    let t = this.lanes.get(run.lane);
    if (!t) {
      t = { runs: 0, first: null, last: null, workflows: new Map(), values: new Map(), custom: new Map() };
      this.lanes.set(run.lane, t);
    }
    if (this.opts.workflow !== undefined && run.workflow !== this.opts.workflow) return;
    const ms = Date.parse(run.started_at);
    const place: Place = [Number.isFinite(ms) ? ms : 0, order, 0];
    t.runs++;
    if (!t.first || before(place, t.first.place)) t.first = { place, started_at: run.started_at };
    if (!t.last || before(t.last.place, place)) t.last = { place, started_at: run.started_at };
    const wf = t.workflows.get(run.workflow);
    if (!wf || before(place, wf)) t.workflows.set(run.workflow, place);
    // metricSamples' selection (passed iterations, finite numbers, no custom metric shadowing a built-in one),
    // without its per-run arrays: this runs for every run of the history. The order of values within a metric
    // does not matter (describe sorts them); the order custom metrics first appear in does.
    let sub = 0;
    let customSeen: Set<string> | undefined;
    for (const it of run.iterations) {
      if (it.status !== 'passed') continue;
      for (const key of METRIC_KEYS) {
        const v = it[key];
        if (typeof v === 'number' && Number.isFinite(v)) valuesOf(t, key).push(v);
      }
      const custom = it.custom;
      if (!custom) continue;
      for (const name of Object.keys(custom)) {
        const v = custom[name];
        if (BUILTIN.has(name) || typeof v !== 'number' || !Number.isFinite(v)) continue;
        valuesOf(t, name).push(v);
        if (customSeen?.has(name)) continue;
        (customSeen ??= new Set()).add(name);
        const at: Place = [place[0], place[1], sub++];
        const seenAt = t.custom.get(name);
        if (!seenAt || before(at, seenAt)) t.custom.set(name, at);
      }
    }
  }

  /** Lanes in the order their first run was fed. */
  laneNames(): string[] {
    return [...this.lanes.keys()];
  }

  analysis(lane: string): LaneAnalysis {
    const t = this.lanes.get(lane);
    const sorted = <T>(m: Map<T, Place>) =>
      [...m.entries()].sort((a, b) => (before(a[1], b[1]) ? -1 : before(b[1], a[1]) ? 1 : 0)).map(([k]) => k);
    const metrics_analysis: LaneAnalysis['metrics_analysis'] = {};
    if (t) {
      for (const key of METRIC_KEYS) {
        const v = t.values.get(key);
        if (v?.length) metrics_analysis[key] = describe(v);
      }
      for (const name of sorted(t.custom)) metrics_analysis[name] = describe(t.values.get(name)!);
    }
    return {
      lane,
      total_runs: t?.runs ?? 0,
      metrics_analysis,
      workflows: t ? sorted(t.workflows) : [],
      first_run: t?.first?.started_at ?? null,
      last_run: t?.last?.started_at ?? null,
    };
  }
}
