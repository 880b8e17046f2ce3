/**
 * Vitest 5 benchmark provider (`benchmark.provider`). Every `bench(name, fn).run()` — from
 * `workflow()` or written natively — is run as a lane workflow (execute.ts): N measured iterations
 * through core's runWorkflow instead of tinybench's time-boxed sampling. The result keeps tinybench's
 * shape for Vitest's tables and carries the Run for `toMeetSla`.
 */
import { runRegistration, type TaskLike } from './execute.js';
import type { NativeBenchOptions } from './native.js';
import { attachRun } from './run-handle.js';
import { providerResult, type ProviderBenchResult } from './tinybench.js';

/** Vitest 5's BenchmarkGroup, structurally (this package compiles against Vitest 4 types). */
interface BenchmarkGroup {
  test: TaskLike & { name: string };
  config?: { retainSamples?: boolean };
  registrations: Array<{ name: string; fn?: () => unknown; fnOpts?: NativeBenchOptions }>;
  options?: NativeBenchOptions;
}

const provider = {
  async run(group: BenchmarkGroup): Promise<ProviderBenchResult[]> {
    const results: ProviderBenchResult[] = [];
    for (const reg of group.registrations) {
      const run = await runRegistration({
        task: group.test,
        name: reg.name,
        fn: reg.fn,
        specCarrier: reg.fnOpts,
        options: [reg.fnOpts, group.options],
      });
      results.push(attachRun(providerResult(reg.name, run, group.config?.retainSamples ?? false), run));
    }
    return results;
  },
};

export default provider;
