/**
 * The worker side shared by the Vitest 4 runner and the Vitest 5 provider: one path from a bench
 * registration to a measured, asserted Run (core's runWorkflow), left in the test's meta for the reporter.
 */
import { relative } from 'node:path';
import {
  assertRunPassed,
  progressLines,
  runWorkflow,
  withAdhocLane,
  type ResolvedConfig,
  type Run,
} from '@lanebench/core';
import { skipUnselectedLane } from './lane-filter.js';
import { recordRun } from './meta.js';
import { nativeBench, NATIVE_LANE, type NativeBenchOptions } from './native.js';
import { runnerInfo } from './payload.js';
import { readSpec, type WorkflowSpec } from './spec.js';
import { requirePayload } from './worker-context.js';

/** The parts of a Vitest task (both majors) used here. */
export interface TaskLike {
  meta: Record<string, unknown>;
  file?: { filepath?: string; projectName?: string };
  context?: { signal?: AbortSignal; skip?: (note?: string) => never };
}

/** A `bench(name, fn, options)` registration as the Vitest 4 runner or the Vitest 5 provider receives it. */
export interface BenchRegistration {
  /** the test it runs in */
  task: TaskLike;
  name: string;
  fn: (() => unknown) | undefined;
  /** what workflow() attached its spec to: the bench function (Vitest 4) or the bench options (Vitest 5) */
  specCarrier: unknown;
  /** the bench's options, then the group's (Vitest 5 `.run(options)`); the first that sets a value wins */
  options: ReadonlyArray<NativeBenchOptions | undefined>;
  /** sees the Run before it is asserted (Vitest 4 fills its bench table with it) */
  onRun?: (run: Run) => void;
}

/**
 * Measures a registration: workflow() specs as written; benchmarks written with Vitest's own API as lane
 * workflows of the lane they name or imply (skipped when LANEBENCH_LANE selects others), with their
 * beforeAll/afterAll hooks outside the measured iterations. Like Vitest's own runner, a benchmark that cannot
 * complete fails its test; so does one that breaks the SLA of the lane it was given (the ad-hoc lane has none:
 * the test asserts).
 */
export async function runRegistration(reg: BenchRegistration): Promise<Run> {
  const signal = reg.task.context?.signal;
  const spec = readSpec(reg.specCarrier);
  if (spec) return finish(reg, await measureSpec(reg.task, spec, signal ? { signal } : {}), spec.callSite);
  const payload = requirePayload();
  const native = nativeBench(reg.name, reg.fn ?? (() => undefined), payload.config, reg.task, ...reg.options);
  skipUnselectedLane(native.spec.lane, reg.task.context);
  const config = native.spec.lane === NATIVE_LANE ? withAdhocLane(payload.config) : payload.config;
  await native.beforeAll?.();
  try {
    return finish(reg, await measureSpec(reg.task, native.spec, { config, ...(signal ? { signal } : {}) }));
  } finally {
    await native.afterAll?.();
  }
}

function finish(reg: BenchRegistration, run: Run, callSite?: string): Run {
  reg.onRun?.(run);
  assertRunPassed(run, { callSite });
  return run;
}

export async function measureSpec(
  task: TaskLike,
  spec: WorkflowSpec,
  opts: { signal?: AbortSignal; config?: ResolvedConfig } = {},
): Promise<Run> {
  const payload = requirePayload();
  const config = opts.config ?? payload.config;
  const filepath = task.file?.filepath;
  const run = await runWorkflow({
    lane: spec.lane,
    workflow: spec.name,
    target: spec.target,
    // `lanebench run --iterations …` beats what the test file says
    options: { ...spec.options, ...payload.workflowOverrides },
    config,
    runner: runnerInfo(payload),
    ...(filepath ? { file: relative(config.root, filepath) } : {}),
    // every event, 'running' included: Vitest forwards the worker's stderr live
    onProgress: progressLines(),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  recordRun(task, run, spec.outputDir);
  return run;
}
