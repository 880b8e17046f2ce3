/**
 * One interface for the history, whatever holds it: the file store (metrics.json, the embedded
 * default) or the PostgreSQL store that many CI machines share. Every entry point (Vitest, Jest, the
 * CLI, the API) opens the store with openHistoryStore and reads and writes only through it.
 */
import path from 'node:path';
import { METRIC_KEYS, type BuiltinMetric, type HistoryFile, type Iteration, type Run } from '../types.js';

/** Which runs a command needs; every field narrows. `last` keeps the newest N (by started_at). */
export interface HistoryWindow {
  lane?: string;
  workflow?: string;
  fingerprint?: string;
  /** ISO date: runs started at or after it */
  since?: string;
  last?: number;
}

export interface PruneOptions {
  /** keep the newest N runs of each lane/workflow */
  keepRuns?: number;
  /** drop runs started before this date */
  olderThan?: Date;
  /** only this lane */
  lane?: string;
}

/** `historyRetention`: limits per lane/workflow applied on write (the config's key of that name). */
export interface HistoryRetention {
  /** keep the newest N runs */
  runs?: number;
  /** drop runs older than D days */
  days?: number;
}

/** An iteration as `analyze` needs it: its status and figures, no timeline. */
export type LightIteration = Pick<Iteration, 'status'> & { custom?: Iteration['custom'] | null } & Partial<
    Record<BuiltinMetric, number | null>
  >;

/**
 * A run without what `analyze` over the whole history does not need (timelines, statistics, environment), so
 * 100,000 of them fit in memory: its identity and its passed iterations' figures.
 */
export interface LightRun {
  id: string;
  lane: string;
  workflow: string;
  started_at: string;
  /** env.fingerprint, null when the run has none */
  fingerprint: string | null;
  /** the passed iterations (the others carry no statistics) */
  iterations: LightIteration[];
}

/** The light form of a full run (the file store; the PostgreSQL store projects it in SQL). */
export function lightRun(run: Run): LightRun {
  const iterations: LightIteration[] = [];
  for (const it of run.iterations ?? []) {
    if (it.status !== 'passed') continue;
    const light: LightIteration = { status: it.status, custom: it.custom };
    for (const key of METRIC_KEYS) if (it[key] !== undefined) light[key] = it[key];
    iterations.push(light);
  }
  return {
    id: run.id,
    lane: run.lane,
    workflow: run.workflow,
    started_at: run.started_at,
    fingerprint: run.env?.fingerprint ?? null,
    iterations,
  };
}

/** One lane/workflow of the history: how many runs, and its latest (by started_at; the last recorded on a tie). */
export interface SeriesSummary {
  lane: string;
  workflow: string;
  runs: number;
  latest: { id: string; started_at: string; fingerprint: string | null };
}

/** Series of light runs fed in readAll's order, in the order each first appears (latestPerWorkflow's rule). */
export function summarizeSeries(runs: Iterable<LightRun>): SeriesSummary[] {
  const out = new Map<string, SeriesSummary & { ms: number }>();
  for (const r of runs) {
    const key = JSON.stringify([r.lane, r.workflow]);
    const t = Date.parse(r.started_at);
    const ms = Number.isFinite(t) ? t : 0;
    const latest = { id: r.id, started_at: r.started_at, fingerprint: r.fingerprint };
    const s = out.get(key);
    if (!s) out.set(key, { lane: r.lane, workflow: r.workflow, runs: 1, latest, ms });
    else {
      s.runs++;
      if (ms >= s.ms) Object.assign(s, { latest, ms });
    }
  }
  return [...out.values()].map(({ lane, workflow, runs, latest }) => ({ lane, workflow, runs, latest }));
}

export interface HistoryStore {
  readonly kind: 'file' | 'postgres';
  /** where it is, safe to print (a URL's password masked) */
  readonly display: string;
  /** the metrics.json this store rescues runs beside (file store: itself; PostgreSQL: outputDir's) */
  readonly rescueFile: string;
  /** fails (HistoryError) when the store could not take a run: checked before the first iteration */
  check(): Promise<void>;
  /** appends runs; a run whose id is present replaces it (idempotent on the run id) */
  append(runs: readonly Run[]): Promise<void>;
  readWindow(window: HistoryWindow): Promise<Run[]>;
  /** everything, oldest first, as a schema-v1 document */
  readAll(): Promise<HistoryFile>;
  /**
   * Every run in its light form, in readAll's order, handed to `fn` one by one (PostgreSQL fetches them in
   * batches; nothing is kept), for commands that aggregate the whole history.
   */
  forEachLight(fn: (run: LightRun) => void): Promise<void>;
  /** each lane/workflow with its run count and latest run (PostgreSQL: from the indexes, no record read) */
  summarize(): Promise<SeriesSummary[]>;
  /** returns how many runs were removed */
  prune(opts: PruneOptions): Promise<number>;
  close(): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A URL with its password replaced by `***`; anything else unchanged. */
export function maskUrl(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return location.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** Removes a secret from a message (a driver error may quote the URL). */
export function maskSecret(message: string, location: string): string {
  let out = message;
  if (isPostgresUrl(location)) {
    try {
      const pw = decodeURIComponent(new URL(location).password);
      if (pw) out = out.split(pw).join('***');
      out = out.split(location).join(maskUrl(location));
    } catch {
      /* not a parseable URL: nothing to mask beyond the URL itself */
    }
  }
  const envPw = process.env.PGPASSWORD;
  if (envPw) out = out.split(envPw).join('***');
  return out;
}

/** Applies a window to runs held in memory (the file store, and tests). Oldest first. */
export function applyWindow(runs: readonly Run[], w: HistoryWindow): Run[] {
  const since = w.since ? Date.parse(w.since) : undefined;
  let out = runs.filter(
    (r) =>
      (w.lane === undefined || r.lane === w.lane) &&
      (w.workflow === undefined || r.workflow === w.workflow) &&
      (w.fingerprint === undefined || r.env?.fingerprint === w.fingerprint) &&
      (since === undefined || Date.parse(r.started_at) >= since),
  );
  if (w.last !== undefined) {
    out = [...out].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at)).slice(-w.last);
  }
  return out;
}

/** Runs to drop under `opts` (the file store's prune and retention). */
export function pruneRuns(runs: readonly Run[], opts: PruneOptions): Set<string> {
  const drop = new Set<string>();
  const cutoff = opts.olderThan?.getTime();
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    if (opts.lane !== undefined && r.lane !== opts.lane) continue;
    if (cutoff !== undefined && Date.parse(r.started_at) < cutoff) drop.add(r.id);
    const key = `${r.lane}\u0000${r.workflow}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  if (opts.keepRuns !== undefined) {
    for (const group of groups.values()) {
      const sorted = [...group].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
      for (const r of sorted.slice(opts.keepRuns)) drop.add(r.id);
    }
  }
  return drop;
}

/** The history file's name inside the output directory (the default history, the reports' neighbour). */
export const HISTORY_FILE_NAME = 'metrics.json';

/**
 * Where the history is: LANEBENCH_HISTORY (wins), then the config's `history`, then
 * `<outputDir>/metrics.json`. A relative path is relative to the config root.
 */
export function historyLocation(
  config: { outputDir: string; root?: string; history?: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = env.LANEBENCH_HISTORY?.trim() || config.history;
  if (!chosen) return path.join(config.outputDir, HISTORY_FILE_NAME);
  if (isPostgresUrl(chosen)) return chosen;
  return path.resolve(config.root ?? process.cwd(), chosen);
}
