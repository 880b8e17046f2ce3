/**
 * What every command needs: the configuration (lanebench.config.* or --config), the output
 * directory (--output-dir beats the config), the history file and the lanes known.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  loadConfig,
  openHistoryStore,
  rescueRuns,
  type HistoryStore,
  type ResolvedConfig,
  type Run,
} from '@lanebench/core';
import { UsageError } from './errors.js';

export interface CommonOptions {
  outputDir?: string;
  config?: string;
}

export interface Context {
  cwd: string;
  config: ResolvedConfig;
  /** the history's location as printed (a PostgreSQL URL with its password masked) */
  historyFile: string;
  /** opens the configured history store (file or PostgreSQL); close it when done */
  openStore(): HistoryStore;
}

export async function loadContext(opts: CommonOptions, cwd = process.cwd()): Promise<Context> {
  if (opts.config !== undefined && !existsSync(resolve(cwd, opts.config))) {
    throw new UsageError(`--config: file '${opts.config}' does not exist (resolved to ${resolve(cwd, opts.config)})`);
  }
  if (opts.config !== undefined && opts.config.trim() === '') {
    throw new UsageError(`--config: '${opts.config}' is empty; expected the path of a lanebench config file`);
  }
  if (opts.outputDir !== undefined && opts.outputDir.trim() === '') {
    // an empty value used to fall back to the default directory without a word
    throw new UsageError(`--output-dir: '${opts.outputDir}' is empty; expected a directory path`);
  }
  // core loads every kind of config file (TypeScript included) on every supported Node
  const loaded = await loadConfig({
    root: cwd,
    ...(opts.config !== undefined ? { configFile: resolve(cwd, opts.config) } : {}),
  });
  const config: ResolvedConfig =
    opts.outputDir !== undefined ? { ...loaded, outputDir: resolve(cwd, opts.outputDir) } : loaded;
  const probe = openHistoryStore(config);
  return { cwd, config, historyFile: probe.display, openStore: () => openHistoryStore(config) };
}

export async function loadRuns(ctx: Context): Promise<Run[]> {
  const store = ctx.openStore();
  try {
    return (await store.readAll()).runs;
  } finally {
    await store.close();
  }
}

/**
 * Appends runs to the configured history (file or PostgreSQL, LANEBENCH_SHARD and historyRetention applied),
 * reading nothing back. When the store cannot take them they go to a rescue file, and the error (exit 2) says
 * how to merge them back, as after `lanebench run`.
 */
export async function recordRuns(ctx: Context, runs: readonly Run[]): Promise<void> {
  const store = ctx.openStore();
  try {
    await mkdir(ctx.config.outputDir, { recursive: true });
    await store.append(runs);
  } catch (err) {
    throw await rescueRuns(store.rescueFile, runs, err, { display: store.display });
  } finally {
    await store.close();
  }
}

/** Lanes from the configuration first, then any other lane found in the history. */
export function knownLanes(ctx: Context, runs: readonly Pick<Run, 'lane'>[]): string[] {
  return [...new Set([...Object.keys(ctx.config.lanes), ...runs.map((r) => r.lane)])];
}

/** A lane must be configured or present in the history; otherwise exit 2 listing the choices. */
export function checkLane(ctx: Context, runs: readonly Pick<Run, 'lane'>[], lane: string): void {
  const lanes = knownLanes(ctx, runs);
  if (!lanes.includes(lane)) {
    throw new UsageError(`--lane: unknown lane '${lane}'; expected one of: ${lanes.join(', ')}`);
  }
}

/** The lane's runs, or exit 2 when there are none (nothing to evaluate). */
/** A --workflow value must name a workflow of the lane's runs; otherwise exit 2 listing them. */
export function checkWorkflow(
  runs: readonly Pick<Run, 'lane' | 'workflow'>[],
  lane: string | undefined,
  workflow: string | undefined,
): void {
  if (workflow === undefined) return;
  const names = [...new Set(runs.filter((r) => lane === undefined || r.lane === lane).map((r) => r.workflow))];
  if (!names.includes(workflow)) {
    throw new UsageError(
      `--workflow: unknown workflow '${workflow}'${lane === undefined ? '' : ` in lane '${lane}'`}; expected one of: ${
        names.length ? names.join(', ') : '(no runs recorded)'
      }`,
    );
  }
}

export function requireLaneRuns(ctx: Context, runs: readonly Run[], lane: string): Run[] {
  checkLane(ctx, runs, lane);
  const mine = runs.filter((r) => r.lane === lane);
  if (mine.length === 0) {
    throw new UsageError(
      `no runs of lane '${lane}' in ${ctx.historyFile}; record some first: lanebench run --lane ${lane}`,
    );
  }
  return mine;
}
