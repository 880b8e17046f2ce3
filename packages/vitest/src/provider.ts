/**
 * Vitest 5 benchmark provider (`benchmark.provider`). Every `bench(name, fn).run()` — from
 * `workflow()` or written natively — is run as a lane workflow: N measured iterations through
 * core's runWorkflow instead of tinybench's time-boxed sampling. The result keeps tinybench's
 * shape for Vitest's tables and carries the Run for `toMeetSla`.
 */
import { assertRunPassed, withAdhocLane, type Run } from '@lanebench/core';
import { measureSpec, type TaskLike } from './execute.js';
import { skipUnselectedLane } from './lane-filter.js';
import { nativeBench, NATIVE_LANE, type NativeBenchOptions } from './native.js';
import { attachRun } from './run-handle.js';
import { readSpec } from './spec.js';
import { providerResult, type ProviderBenchResult } from './tinybench.js';
import { requirePayload } from './worker-context.js';

/** Vitest 5's BenchmarkGroup, structurally (this package compiles against Vitest 4 types). */
interface BenchmarkGroup {
  test: TaskLike & { name: string; context?: { signal?: AbortSignal; skip?: (note?: string) => never } };
  config?: { retainSamples?: boolean };
  registrations: Array<{ name: string; fn?: () => unknown; fnOpts?: NativeBenchOptions }>;
  options?: NativeBenchOptions;
}

async function runRegistration(group: BenchmarkGroup, reg: BenchmarkGroup['registrations'][number]): Promise<Run> {
  const signal = group.test.context?.signal;
  const spec = readSpec(reg.fnOpts);
  if (spec) {
    const run = await measureSpec(group.test, spec, signal ? { signal } : {});
    assertRunPassed(run);
    return run;
  }
  const payload = requirePayload();
  const native = nativeBench(
    reg.name,
    reg.fn ?? (() => undefined),
    payload.config,
    group.test,
    reg.fnOpts,
    group.options,
  );
  skipUnselectedLane(native.spec.lane, group.test.context);
  const config = native.spec.lane === NATIVE_LANE ? withAdhocLane(payload.config) : payload.config;
  await native.beforeAll?.();
  try {
    const run = await measureSpec(group.test, native.spec, { config, ...(signal ? { signal } : {}) });
    // Like Vitest's own provider, a benchmark that cannot complete fails its test; so does one
    // that breaks the SLA of the lane it was given (the ad-hoc lane has none: the test asserts).
    assertRunPassed(run);
    return run;
  } finally {
    await native.afterAll?.();
  }
}

const provider = {
  async run(group: BenchmarkGroup): Promise<ProviderBenchResult[]> {
    const results: ProviderBenchResult[] = [];
    for (const reg of group.registrations) {
      const run = await runRegistration(group, reg);
      results.push(attachRun(providerResult(reg.name, run, group.config?.retainSamples ?? false), run));
    }
    return results;
  },
};

export default provider;
