/**
 * The stage adapters call at the end of a test session: append the runs to the history, compare each
 * with its earlier runs, derive recommendations, write every configured report, and hand the CI its
 * job summary and annotations. A history error (corrupt file, newer schema) propagates unchanged, before
 * anything else is written; the history file is never overwritten in that case (history/ guarantees it).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gateLookback, type ChangePoint, type RegressionResult } from '../analysis/index.js';
import type { ResolvedConfig } from '../config/index.js';
import {
  HISTORY_FILE_NAME,
  onGitHubActions,
  openHistoryStore,
  rescueRuns,
  type HistoryStore,
  type HistoryWindow,
} from '../history/index.js';
import type { Recommendation } from '../recommend/index.js';
import { appendStepSummary, githubAnnotations } from '../report/github.js';
import { removeReports, writeReports } from '../report/index.js';
import { HistoryError } from '../history/errors.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderConsoleSummary, renderRegressionSummary, shouldColor } from '../report/console.js';
import { analyzeSession, SESSION_CHANGE_POINT_WINDOW, type SessionAnalysis } from '../session/index.js';
import type { ReportInput } from '../report/types.js';
import type { Run, Threshold } from '../types.js';
import { workflowCommandLine } from '../output/sanitize.js';

export interface PublishOptions {
  config: ResolvedConfig;
  /** where annotations and notices go (default: stdout, where GitHub Actions reads workflow commands) */
  log?: ((line: string) => void) | undefined;
  /** environment to read GITHUB_STEP_SUMMARY / NO_COLOR from (default process.env) */
  env?: NodeJS.ProcessEnv | undefined;
  /** print GitHub annotations (default: when this process runs on GitHub Actions, by the one CI detection) */
  annotations?: boolean | undefined;
  /** color the console summary (default: FORCE_COLOR / NO_COLOR / TTY) */
  color?: boolean | undefined;
  /** timestamp of the reports (default now) */
  generatedAt?: string | undefined;
  /** the history to write to (default: openHistoryStore(config, env), closed afterwards) */
  store?: HistoryStore | undefined;
}

export interface PublishResult {
  /** absolute path of metrics.json, or the PostgreSQL URL with its password masked */
  historyFile: string;
  /** format → absolute path of each report written */
  reports: Record<string, string>;
  regressions: RegressionResult[];
  /** change points of the published runs' series (last 200 runs each; execution_time, cpu_seconds, memory_usage) */
  changePoints: ChangePoint[];
  recommendations: Recommendation[];
  /** the console summary (already colored or not, per options) */
  summary: string;
  /** GitHub annotation lines printed (empty outside GitHub Actions) */
  annotations: string[];
  /** set when the Markdown summary was appended to $GITHUB_STEP_SUMMARY */
  stepSummary?: { file: string; bytes: number; truncated: boolean };
  /** the session's analysis the reports and the exit code come from */
  analysis: SessionAnalysis;
  /** 1 when a run did not pass (see exitCodeFor), or a regression was detected with failOnRegression */
  exitCode: 0 | 1;
}

function laneThresholds(config: ResolvedConfig): Record<string, Threshold[]> {
  return Object.fromEntries(Object.entries(config.lanes).map(([name, lane]) => [name, lane.thresholds]));
}

/**
 * What every report writer gets for a session: its runs, the history and the session's analysis (publishRuns and
 * `lanebench report` build it here, so the reports of both say the same).
 */
export function sessionReportInput(
  analysis: SessionAnalysis,
  history: readonly Run[],
  config: ResolvedConfig,
  generatedAt?: string,
): ReportInput {
  return {
    runs: analysis.runs.map((v) => v.run),
    history: [...history],
    regressions: analysis.regressions,
    recommendations: analysis.recommendations,
    // the dashboard draws them on the trend charts
    changePoints: analysis.changePoints,
    thresholds: laneThresholds(config),
    generated_at: generatedAt ?? new Date().toISOString(),
  };
}

/**
 * Runs of each lane/workflow the publish stage reads for its reports: the dashboard's trend charts (downsampled
 * to 500 points), the change points (the last 200) and the recommendations' trend see at most this many, the
 * regression gate its `historyWindow` and the runs it replays (`gateLookback`; when larger, that many are read).
 * docs/history.md, "What a run reads".
 */
export const PUBLISH_HISTORY_RUNS = 1000;

function byStart(a: Run, b: Run): number {
  return a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0;
}

/**
 * The part of the history a session's reports and gate need, through window reads only (never the whole
 * history): per lane/workflow of the session its newest `last` runs, where `last` is the larger of
 * PUBLISH_HISTORY_RUNS, the gate's lookback (historyWindow and the runs it replays) and the change points'
 * window; and, when those hold fewer than that lookback's comparable runs of a session run's environment, the
 * newest `last` runs of that environment too (the gate compares only within one environment). Oldest first (by started_at, then as read).
 */
export async function readSessionHistory(
  store: HistoryStore,
  runs: ReadonlyArray<{ lane: string; workflow: string; env?: { fingerprint?: string | undefined } | undefined }>,
  config: Pick<ResolvedConfig, 'historyWindow'>,
): Promise<Run[]> {
  const lookback = gateLookback(config.historyWindow);
  const last = Math.max(PUBLISH_HISTORY_RUNS, lookback, SESSION_CHANGE_POINT_WINDOW);
  const series = new Map<string, { lane: string; workflow: string; fingerprints: Set<string | undefined> }>();
  for (const r of runs) {
    const key = JSON.stringify([r.lane, r.workflow]);
    const s = series.get(key) ?? { lane: r.lane, workflow: r.workflow, fingerprints: new Set() };
    s.fingerprints.add(r.env?.fingerprint);
    series.set(key, s);
  }
  const byId = new Map<string, Run>();
  for (const { lane, workflow, fingerprints } of series.values()) {
    const window: HistoryWindow = { lane, workflow, last };
    const got = await store.readWindow(window);
    for (const r of got) byId.set(r.id, r);
    // fewer than `last`: the whole series is in
    if (got.length < last) continue;
    for (const fingerprint of fingerprints) {
      // the gate's baseline and the runs it replays: the newest `lookback` comparable runs of this environment
      const comparable = got.filter(
        (r) =>
          r.env?.fingerprint === fingerprint &&
          (r.status === 'completed' || r.status === 'partial') &&
          r.ab === undefined &&
          r.confirm === undefined,
      ).length;
      if (fingerprint === undefined || comparable >= lookback) continue;
      for (const r of await store.readWindow({ ...window, fingerprint })) byId.set(r.id, r);
    }
  }
  return [...byId.values()].sort(byStart);
}

export async function publishRuns(runs: Run[], opts: PublishOptions): Promise<PublishResult> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = opts.store ?? openHistoryStore(config, env);
  const historyFile = store.display;
  const color = opts.color ?? shouldColor(env, Boolean(process.stdout?.isTTY));

  let history: Run[];
  try {
    if (runs.length > 0) {
      try {
        await mkdir(config.outputDir, { recursive: true });
        // validates the existing history first and throws HistoryError on a corrupt/newer one
        await store.append(runs);
      } catch (err) {
        // a measured run is never thrown away: it goes to a rescue file and the error says how to merge it
        throw await rescueRuns(store.rescueFile, runs, err, { display: store.display });
      }
    }
    history = await readSessionHistory(store, runs, config);
    // a run of the session is there even if the store did not hand it back (it was just appended)
    const read = new Set(history.map((r) => r.id));
    if (runs.some((r) => !read.has(r.id))) history = [...history, ...runs.filter((r) => !read.has(r.id))].sort(byStart);
  } finally {
    if (!opts.store) await store.close();
  }

  const analysis = analyzeSession({ runs, history, config });
  const { regressions, recommendations, changePoints } = analysis;
  const input = sessionReportInput(analysis, history, config, opts.generatedAt);
  const reports = runs.length > 0 ? await writeReportsOrClean(input, config, historyFile) : {};
  if (runs.length > 0 && !reports.json && config.reports.includes('json') && store.kind === 'file') {
    reports.json = historyFile;
  }

  const result: PublishResult = {
    historyFile,
    reports,
    regressions,
    changePoints,
    recommendations,
    summary:
      renderConsoleSummary(runs, { color, env }) +
      renderRegressionSummary(regressions, { color, env, failOnRegression: analysis.failOnRegression }),
    annotations: [],
    analysis,
    exitCode: analysis.exitCode,
  };

  if (runs.length > 0 && env.GITHUB_STEP_SUMMARY) {
    const file = env.GITHUB_STEP_SUMMARY;
    const written = await appendStepSummary(renderMarkdown(input), file);
    result.stepSummary = { file, ...written };
  }
  if (opts.annotations ?? onGitHubActions()) {
    result.annotations = githubAnnotations(input);
    // the only lines lanebench prints that may start with `::` (every other print path defuses them)
    for (const line of result.annotations) log(workflowCommandLine(line));
  }
  return result;
}

/**
 * Writes the reports; when one cannot be written (disk full), removes the reports left from an earlier
 * run, so no report describes an older run than the history, and says so in the error.
 */
async function writeReportsOrClean(
  input: ReportInput,
  config: ResolvedConfig,
  historyDisplay: string,
): Promise<Record<string, string>> {
  try {
    return await writeReports(input, { outputDir: config.outputDir, formats: config.reports });
  } catch (err) {
    const removed = await removeReports(config.outputDir, config.reports);
    const reason = err instanceof Error ? err.message : String(err);
    const e = new HistoryError(
      join(config.outputDir, HISTORY_FILE_NAME),
      `the run was saved to ${historyDisplay}, but the reports could not be written: ${reason}` +
        (removed.length ? `; removed the older reports so none describes an earlier run: ${removed.join(', ')}` : '') +
        `. Regenerate them with: lanebench report --output-dir ${config.outputDir}`,
      { cause: err },
    );
    throw e;
  }
}
