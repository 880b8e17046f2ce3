/**
 * Collects the Runs the workers left in test meta and, at the end of the run, hands them to core's
 * publishAdapterRuns: history, every report, and the per-lane console summary. The same hooks fire on
 * Vitest 4 (bench mode included) and Vitest 5.
 */
import { adapterLog, publishAdapterRuns, type ResolvedConfig, type Run } from '@lanebench/core';
import { readMeta } from './meta.js';

/** The parts of Vitest's reported tasks used here (both majors). */
interface TestCaseLike {
  meta(): Record<string, unknown>;
}
interface TestModuleLike {
  children: { allTests(): Iterable<TestCaseLike> };
}

export class LanebenchReporter {
  private readonly runs = new Map<string, Run>();
  /** run id → output directory (relative to the root), for workflows that chose their own */
  private readonly outputDirs = new Map<string, string>();

  constructor(private readonly config: ResolvedConfig) {}

  /** A new run (watch mode reruns): forget the previous one. */
  onTestRunStart(): void {
    this.runs.clear();
    this.outputDirs.clear();
  }

  onTestCaseResult(testCase: TestCaseLike): void {
    this.collect(testCase);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModuleLike> = []): Promise<void> {
    // Meta also arrives with the final module state; pick up anything a per-test hook missed.
    for (const module of testModules) for (const test of module.children.allTests()) this.collect(test);
    const runs = [...this.runs.values()];
    const outputDirs = new Map(this.outputDirs);
    this.runs.clear();
    this.outputDirs.clear();
    const { exitCode } = await publishAdapterRuns(runs, {
      config: this.config,
      outputDirs,
      log: adapterLog(process.stdout),
      warn: adapterLog(process.stderr, false),
    });
    // Vitest exits with process.exitCode when it is set; failing tests have set it already
    if (exitCode !== 0) process.exitCode = exitCode;
  }

  private collect(test: TestCaseLike): void {
    const meta = readMeta(test.meta());
    for (const run of meta.runs) {
      this.runs.set(run.id, run);
      const dir = meta.outputDirs?.[run.id];
      if (dir !== undefined) this.outputDirs.set(run.id, dir);
    }
  }
}
