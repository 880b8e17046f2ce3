/**
 * Vitest 4 bench-mode runner (`project.config.runner`). Vitest 4's own benchmark runner hides
 * errors of a throwing bench and stops the file, which makes SLA failures impossible; this runner
 * runs every bench registration as an ordinary test whose body is N measured iterations of the
 * workflow (execute.ts, core's runWorkflow), so each workflow passes or fails on its own.
 */
import { TestRunner } from 'vitest';
import { runRegistration } from './execute.js';
import type { NativeBenchOptions } from './native.js';
import { legacyResult } from './tinybench.js';

/** The parts of a Vitest 4 test task used here. */
interface Test {
  name: string;
  meta: Record<string, unknown> & { benchmark?: boolean };
  file?: { filepath?: string; projectName?: string };
  context?: { signal?: AbortSignal; skip?: (note?: string) => never };
  result?: object;
}

/** Vitest 4's static accessors for bench registrations (deprecated there, gone in Vitest 5). */
interface BenchAccessors {
  getBenchFn(test: Test): (() => unknown) | undefined;
  getBenchOptions(test: Test): NativeBenchOptions | undefined;
  getTestFn(test: Test): (() => unknown) | undefined;
}

export default class LanebenchBenchRunner extends TestRunner {
  async runTask(task: unknown): Promise<void> {
    const test = task as Test;
    const access = TestRunner as unknown as BenchAccessors;
    if (!test.meta?.benchmark) {
      // test() in a bench file: run it as Vitest would without a custom runner hook.
      const fn = access.getTestFn(test);
      if (!fn) throw new Error('Test function is not found.');
      await fn();
      return;
    }
    const fn = access.getBenchFn(test);
    // the spec of workflow() rides on the bench function
    await runRegistration({
      task: test,
      name: test.name,
      fn,
      specCarrier: fn,
      options: [access.getBenchOptions(test)],
      onRun: (run) => setBenchmarkResult(test, run),
    });
  }
}

/** Fills the result Vitest 4's bench table prints (not for runs without a passed iteration: its summary would rank them fastest). */
function setBenchmarkResult(test: Test, run: Parameters<typeof legacyResult>[1]): void {
  if (!test.result || !run.iterations.some((i) => i.status === 'passed')) return;
  (test.result as { benchmark?: unknown }).benchmark = legacyResult(test.name, run);
}
