/**
 * The stage adapters call at the end of a test session: append the runs to the history, compare each
 * with its earlier runs, derive recommendations, write every configured report, and hand the CI its
 * job summary and annotations. A history error (corrupt file, newer schema) propagates unchanged, before
 * anything else is written; the history file is never overwritten in that case (history/ guarantees it).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { changePointsOfHistory, detectRegressions, type ChangePoint } from '../analysis/index.js';
import type { RegressionResult } from '../analysis/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { appendRuns, readHistory } from '../history/index.js';
import { recommend } from '../recommend/index.js';
import type { Recommendation } from '../recommend/index.js';
import { appendStepSummary, githubAnnotations } from '../report/github.js';
import { HISTORY_FILE_NAME, writeReports } from '../report/index.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderConsoleSummary, shouldColor } from '../report/console.js';
import type { ReportInput } from '../report/types.js';
import type { Run, Threshold } from '../types.js';

export interface PublishOptions {
  config: ResolvedConfig;
  /** where annotations and notices go (default: stdout, where GitHub Actions reads workflow commands) */
  log?: (line: string) => void;
  /** environment to read GITHUB_ACTIONS / GITHUB_STEP_SUMMARY / NO_COLOR from (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** color the console summary (default: FORCE_COLOR / NO_COLOR / TTY) */
  color?: boolean;
  /** timestamp of the reports (default now) */
  generatedAt?: string;
}

export interface PublishResult {
  /** absolute path of metrics.json */
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
  /** 1 when a run failed, timed out or did not pass its SLA (errors, or warnings in strict mode) */
  exitCode: 0 | 1;
}

function laneThresholds(config: ResolvedConfig): Record<string, Threshold[]> {
  return Object.fromEntries(Object.entries(config.lanes).map(([name, lane]) => [name, lane.thresholds]));
}

export function exitCodeFor(runs: readonly Run[]): 0 | 1 {
  return runs.some((r) => r.status === 'failed' || r.status === 'timeout' || r.sla?.passed === false) ? 1 : 0;
}

export async function publishRuns(runs: Run[], opts: PublishOptions): Promise<PublishResult> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const historyFile = join(config.outputDir, HISTORY_FILE_NAME);
  const color = opts.color ?? shouldColor(env, Boolean(process.stdout?.isTTY));

  await mkdir(config.outputDir, { recursive: true });
  // appendRuns validates the existing file first and throws HistoryError on a corrupt/newer one
  const history = runs.length > 0 ? await appendRuns(historyFile, runs) : await readHistory(historyFile);

  const regressions = runs.flatMap((run) =>
    detectRegressions(run, history.runs, { threshold: config.regressionThreshold, window: config.historyWindow }),
  );
  const recommendations = runs.flatMap((run) => recommend(run, config.lanes[run.lane], history.runs));
  const changePoints = changePointsOfHistory(history.runs, undefined, { window: 200 }, runs);

  const input: ReportInput = {
    runs,
    history: history.runs,
    regressions,
    recommendations,
    thresholds: laneThresholds(config),
    generated_at: opts.generatedAt ?? new Date().toISOString(),
  };
  const reports =
    runs.length > 0 ? await writeReports(input, { outputDir: config.outputDir, formats: config.reports }) : {};
  if (runs.length > 0 && !reports.json && config.reports.includes('json')) reports.json = historyFile;

  const result: PublishResult = {
    historyFile,
    reports,
    regressions,
    changePoints,
    recommendations,
    summary: renderConsoleSummary(runs, { color, env }),
    annotations: [],
    exitCode: exitCodeFor(runs),
  };

  if (runs.length > 0 && env.GITHUB_STEP_SUMMARY) {
    const file = env.GITHUB_STEP_SUMMARY;
    const written = await appendStepSummary(renderMarkdown(input), file);
    result.stepSummary = { file, ...written };
  }
  if (env.GITHUB_ACTIONS === 'true') {
    result.annotations = githubAnnotations(input);
    for (const line of result.annotations) log(line);
  }
  return result;
}
