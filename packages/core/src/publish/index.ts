/**
 * The stage adapters call at the end of a test session: append the runs to the history, compare each
 * with its earlier runs, derive recommendations, write every configured report, and hand the CI its
 * job summary and annotations. A history error (corrupt file, newer schema) propagates unchanged, before
 * anything else is written; the history file is never overwritten in that case (history/ guarantees it).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangePoint, RegressionResult } from '../analysis/index.js';
import type { ResolvedConfig } from '../config/index.js';
import {
  HISTORY_FILE_NAME,
  onGitHubActions,
  openHistoryStore,
  rescueRuns,
  type HistoryStore,
} from '../history/index.js';
import type { Recommendation } from '../recommend/index.js';
import { appendStepSummary, githubAnnotations } from '../report/github.js';
import { removeReports, writeReports } from '../report/index.js';
import { HistoryError } from '../history/errors.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderConsoleSummary, renderRegressionSummary, shouldColor } from '../report/console.js';
import { analyzeSession, type SessionAnalysis } from '../session/index.js';
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

export async function publishRuns(runs: Run[], opts: PublishOptions): Promise<PublishResult> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = opts.store ?? openHistoryStore(config, env);
  const historyFile = store.display;
  const color = opts.color ?? shouldColor(env, Boolean(process.stdout?.isTTY));

  let history;
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
    history = await store.readAll();
  } finally {
    if (!opts.store) await store.close();
  }

  const analysis = analyzeSession({ runs, history: history.runs, config });
  const { regressions, recommendations, changePoints } = analysis;
  const input = sessionReportInput(analysis, history.runs, config, opts.generatedAt);
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
