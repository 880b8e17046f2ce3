/**
 * Benchmarks written with Vitest's own API (`bench(name, fn)`, both majors) are measured as lane
 * workflows too. Their lane comes from, in order: a `lane` option on the bench or on `.run()`,
 * the Vitest project name ("docs" or "docs (bench)"), the file name ("docs.bench.ts"). Without
 * one they are recorded under core's SLA-less ad-hoc lane (withAdhocLane, as measure() does) until
 * `toMeetSla('<lane>')` names it.
 */
import { basename } from 'node:path';
import { ADHOC_LANE, type ResolvedConfig, type WorkflowOptions } from '@lanebench/core';
import type { WorkflowSpec } from './spec.js';

export const NATIVE_LANE = ADHOC_LANE;

/** Options Vitest's bench API passes through untouched (tinybench's plus ours). */
export interface NativeBenchOptions {
  lane?: string;
  iterations?: number;
  /** any lanebench workflow option (timeout, warmup, thresholds, …) */
  lanebench?: WorkflowOptions & { lane?: string };
  beforeAll?: () => unknown;
  afterAll?: () => unknown;
}

interface NativeTask {
  file?: { filepath?: string; projectName?: string };
}

export interface NativeBench {
  spec: WorkflowSpec;
  /** tinybench's once-per-benchmark hooks, run outside the measured iterations */
  beforeAll?: () => unknown;
  afterAll?: () => unknown;
}

export function nativeBench(
  name: string,
  fn: () => unknown,
  config: ResolvedConfig,
  task: NativeTask,
  ...optionSets: Array<NativeBenchOptions | undefined>
): NativeBench {
  const options: WorkflowOptions = {};
  let lane: string | undefined;
  let beforeAll: (() => unknown) | undefined;
  let afterAll: (() => unknown) | undefined;
  for (const set of optionSets) {
    if (!set || typeof set !== 'object') continue;
    const { lane: nestedLane, ...nested } = set.lanebench ?? {};
    lane ??= set.lane ?? nestedLane;
    if (typeof set.iterations === 'number' && options.iterations === undefined) options.iterations = set.iterations;
    Object.assign(options, nested);
    beforeAll ??= set.beforeAll;
    afterAll ??= set.afterAll;
  }
  lane ??= inferLane(config, task) ?? NATIVE_LANE;
  const target = async (): Promise<void> => {
    await fn();
  };
  return {
    spec: { lane, name, target, options },
    ...(beforeAll ? { beforeAll } : {}),
    ...(afterAll ? { afterAll } : {}),
  };
}

function inferLane(config: ResolvedConfig, task: NativeTask): string | undefined {
  const project = task.file?.projectName?.replace(/ \(bench\)$/, '');
  if (project && Object.hasOwn(config.lanes, project)) return project;
  const file = task.file?.filepath ? basename(task.file.filepath).split('.')[0] : undefined;
  if (file && Object.hasOwn(config.lanes, file)) return file;
  return undefined;
}
