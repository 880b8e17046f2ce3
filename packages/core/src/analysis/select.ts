/** Selecting runs and samples from a history: shared by every analysis function. */
import { METRIC_KEYS, type Run } from '../types.js';

const BUILTIN = new Set<string>(METRIC_KEYS);

/** Milliseconds since the epoch of a run's start (invalid dates sort first). */
export function startedMs(run: Run): number {
  const t = Date.parse(run.started_at);
  return Number.isFinite(t) ? t : 0;
}

/** Runs sorted oldest first; ties keep their order in the file. */
export function chronological(runs: readonly Run[]): Run[] {
  // each start time parsed once, not twice per comparison (a report sorts series of thousands of runs)
  return runs
    .map((run, i) => ({ run, i, ms: startedMs(run) }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i)
    .map((x) => x.run);
}

/** Runs of a lane (and workflow, when given), oldest first. */
export function laneRuns(runs: readonly Run[], lane: string, workflow?: string): Run[] {
  return chronological(runs.filter((r) => r.lane === lane && (workflow === undefined || r.workflow === workflow)));
}

/** The last `window` items (all of them when window is undefined). */
export function lastN<T>(items: T[], window?: number): T[] {
  if (window === undefined || window >= items.length) return items;
  return window <= 0 ? [] : items.slice(items.length - window);
}

/** Values of one metric (built-in or custom) over a run's passed iterations. */
export function metricValues(run: Run, metric: string): number[] {
  const out: number[] = [];
  for (const it of run.iterations ?? []) {
    if (it.status !== 'passed') continue;
    const v = BUILTIN.has(metric) ? (it as unknown as Record<string, unknown>)[metric] : it.custom?.[metric];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Pooled values of one metric over several runs. */
export function pooledValues(runs: readonly Run[], metric: string): number[] {
  return runs.flatMap((r) => metricValues(r, metric));
}

/** Custom metric names recorded by any passed iteration of the runs, in first-seen order. */
export function customMetrics(runs: readonly Run[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) {
    for (const it of r.iterations ?? []) {
      if (it.status !== 'passed') continue;
      for (const k of Object.keys(it.custom ?? {})) if (!BUILTIN.has(k)) seen.add(k);
    }
  }
  return [...seen];
}

/** The environment fingerprint of a run ('' when the run has none, e.g. hand-made data). */
export function fingerprint(run: Run): string {
  return run.env?.fingerprint ?? '';
}

export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Relative change in percent, null when the baseline is 0. */
export function changePct(baseline: number, candidate: number): number | null {
  if (baseline === 0) return candidate === 0 ? 0 : null;
  return ((candidate - baseline) / Math.abs(baseline)) * 100;
}

/**
 * The latest run of each lane/workflow pair (by start time; a tie goes to the later one in the
 * list), in first-seen order: what reports and recommendations are about when given a history.
 */
export function latestPerWorkflow(runs: readonly Run[]): Run[] {
  const latest = new Map<string, Run>();
  for (const r of runs) {
    const key = `${r.lane}\u0000${r.workflow}`;
    const prev = latest.get(key);
    if (!prev || startedMs(r) >= startedMs(prev)) latest.set(key, r);
  }
  return [...latest.values()];
}
