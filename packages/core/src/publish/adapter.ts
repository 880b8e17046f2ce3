/**
 * What every runner adapter (the Vitest plugin, the Jest reporter) does around a test run, once: resolve the
 * configuration and check it before anything is measured, and at the end publish the Runs the workers handed
 * over, turning what went wrong into the run's exit code and one message. The adapters keep only what depends
 * on their runner: how the Runs reach them, where their lines go and how they fail the run.
 */
import { resolve } from 'node:path';
import {
  checkSelectedLanes,
  readCliOverrides,
  resolveLayeredConfig,
  unmatchedSelection,
  type LanebenchConfig,
  type LayeredConfigSpec,
  type ResolvedConfig,
  type RunnerName,
  type WorkflowOverrides,
} from '../config/index.js';
import { openHistoryStore } from '../history/index.js';
import { progressIntervalSeconds } from '../run/index.js';
import { shouldColor } from '../output/color.js';
import { safeOutput } from '../output/sanitize.js';
import type { Run } from '../types.js';
import { publishRuns, type PublishResult } from './index.js';

/** An adapter's options (plugin or reporter options): any config key, plus the file to read. */
export interface AdapterOptions extends LanebenchConfig {
  /** a lanebench config file to read instead of looking for lanebench.config.{ts,mjs,js,json} at the root */
  configFile?: string;
}

export interface AdapterSessionSpec {
  /** whose `lanebench run` overrides to read */
  runner: RunnerName;
  /** project root (Vitest's root, Jest's rootDir) */
  root: string;
  options?: AdapterOptions | undefined;
  /** names the options in error messages, e.g. 'lanebench() plugin options' */
  source: string;
  /** loads TypeScript config files where plain Node cannot (Vitest passes its module runner) */
  importFile?: LayeredConfigSpec['importFile'] | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** What the workers need: the configuration, and the `lanebench run` settings that beat the test files' options. */
export interface AdapterSession {
  config: ResolvedConfig;
  workflowOverrides?: WorkflowOverrides;
}

/**
 * The configuration of a test run: lanebench.config.* (or the `configFile` option) ← the adapter's options ←
 * the settings of `lanebench run`. A typo in LANEBENCH_LANE or LANEBENCH_PROGRESS_INTERVAL, or a history that
 * cannot take the runs, throws here: before the first iteration, not after every workflow was measured or skipped.
 */
export async function resolveAdapterSession(spec: AdapterSessionSpec): Promise<AdapterSession> {
  const env = spec.env ?? process.env;
  const overrides = readCliOverrides(spec.runner, env);
  const { configFile, ...options } = spec.options ?? {};
  const file = overrides.configFile ?? configFile;
  const config = await resolveLayeredConfig({
    root: spec.root,
    ...(file !== undefined ? { configFile: file } : {}),
    options,
    ...(overrides.config ? { overrides: overrides.config } : {}),
    source: spec.source,
    ...(spec.importFile ? { importFile: spec.importFile } : {}),
  });
  checkSelectedLanes(config, env);
  // a bad LANEBENCH_PROGRESS_INTERVAL fails here, once, not in every workflow's first iteration
  progressIntervalSeconds(env);
  const store = openHistoryStore(config, env);
  try {
    await store.check();
  } finally {
    await store.close();
  }
  return { config, ...(overrides.workflow ? { workflowOverrides: overrides.workflow } : {}) };
}

export interface AdapterPublishOptions {
  config: ResolvedConfig;
  /** run id → the output directory its workflow chose (relative to the root); the others go to the config's */
  outputDirs?: ReadonlyMap<string, string> | undefined;
  /** prints the summary and where the reports went */
  log: (line: string) => void;
  /** prints what went wrong (default: log) */
  warn?: ((line: string) => void) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface AdapterPublishOutcome {
  /**
   * 0; 1 when a run did not pass, a regression failed the run (failOnRegression), the LANEBENCH_LANE selection
   * ran nothing of a lane, or the results could not be published; 2 when the history could not take the runs
   * (they are in a rescue file), as the CLI exits.
   */
  exitCode: 0 | 1 | 2;
  /** why the run fails, for runners that take one error (Jest's getLastError): a publish error first */
  failure?: string;
  results: PublishResult[];
}

/** What a failed run says when nothing else went wrong: the summary above it has the details. */
export const RUN_FAILED_MESSAGE =
  'SLA error violations, failed or partial runs, or regressions with failOnRegression (see the summary above)';

/**
 * Publishes the session's Runs through publishRuns, once per output directory: history, every report, the
 * summary. An error (a corrupt history, an unwritable directory) is printed with the directory and fails the
 * run; it does not stop the other directories.
 */
export async function publishAdapterRuns(
  runs: readonly Run[],
  opts: AdapterPublishOptions,
): Promise<AdapterPublishOutcome> {
  const { config, log } = opts;
  const warn = opts.warn ?? log;
  let exitCode: 0 | 1 | 2 = 0;
  let publishError: string | undefined;
  let selectionError: string | undefined;
  let runFailed = false;
  const results: PublishResult[] = [];

  const unmatched = unmatchedSelection(runs, opts.env);
  if (unmatched) {
    warn(`[lanebench] ${unmatched}`);
    selectionError = unmatched;
    exitCode = 1;
  }
  for (const [outputDir, group] of byOutputDir(runs, config, opts.outputDirs)) {
    try {
      // annotations go out through publishRuns' own writer (the one kind of line allowed to start with `::`)
      const result = await publishRuns(group, {
        config: { ...config, outputDir },
        ...(opts.env ? { env: opts.env } : {}),
      });
      results.push(result);
      log('');
      log(result.summary.trimEnd());
      for (const [format, file] of Object.entries(result.reports)) log(`[lanebench] ${format}: ${file}`);
      // failing tests fail the run already; this covers what no test asserted (e.g. failOnRegression)
      if (result.exitCode !== 0) {
        runFailed = true;
        exitCode = Math.max(exitCode, 1) as 1 | 2;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      warn(`[lanebench] could not publish results to ${outputDir}: ${message}`);
      publishError ??= message;
      exitCode = error instanceof Error && 'rescueFile' in error ? 2 : (Math.max(exitCode, 1) as 1 | 2);
    }
  }
  const failure = publishError ?? selectionError ?? (runFailed ? RUN_FAILED_MESSAGE : undefined);
  return { exitCode, ...(failure !== undefined ? { failure } : {}), results };
}

/** Runs grouped by absolute output directory, in the order they first appear. */
function byOutputDir(
  runs: readonly Run[],
  config: ResolvedConfig,
  outputDirs: ReadonlyMap<string, string> | undefined,
): Map<string, Run[]> {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const chosen = outputDirs?.get(run.id);
    const dir = chosen === undefined ? config.outputDir : resolve(config.root, chosen);
    groups.set(dir, [...(groups.get(dir) ?? []), run]);
  }
  return groups;
}

/**
 * A line printer for an adapter: every line passes core's sanitizer; color codes survive only when the summary
 * is colored (then they are lanebench's own).
 */
export function adapterLog(
  stream: { write(text: string): unknown },
  keepColor: boolean = shouldColor(process.env, Boolean(process.stdout?.isTTY)),
): (line: string) => void {
  return (line) => {
    stream.write(`${safeOutput(line, { keepSgr: keepColor })}\n`);
  };
}
