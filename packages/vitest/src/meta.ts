/**
 * Runs travel from the worker to the reporter in the test's meta (`task.meta` in the worker,
 * `testCase.meta()` in reporters), which Vitest serializes with the task on both majors.
 */
import type { Run } from '@lanebench/core';

export const META_KEY = 'lanebench';

export interface LanebenchMeta {
  runs: Run[];
  /** run id → output directory, for workflows that chose their own */
  outputDirs?: Record<string, string>;
}

interface TaskWithMeta {
  meta: Record<string, unknown>;
}

/** Adds or replaces (same id) a run in the task's meta. */
export function recordRun(task: TaskWithMeta, run: Run, outputDir?: string): void {
  const meta = (task.meta[META_KEY] as LanebenchMeta | undefined) ?? { runs: [] };
  const at = meta.runs.findIndex((r) => r.id === run.id);
  if (at >= 0) meta.runs[at] = run;
  else meta.runs.push(run);
  if (outputDir !== undefined) meta.outputDirs = { ...meta.outputDirs, [run.id]: outputDir };
  task.meta[META_KEY] = meta;
}

export function readMeta(meta: Record<string, unknown> | undefined): LanebenchMeta {
  const value = meta?.[META_KEY] as LanebenchMeta | undefined;
  return {
    runs: Array.isArray(value?.runs) ? value.runs : [],
    ...(value?.outputDirs ? { outputDirs: value.outputDirs } : {}),
  };
}
