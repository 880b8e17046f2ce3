/**
 * Collects the Runs the workers left in test meta and, at the end of the run, hands them to core's
 * publishRuns: history, every report, and the per-lane console summary. The same hooks fire on
 * Vitest 4 (bench mode included) and Vitest 5.
 */
import {
  publishRuns,
  safeOutput,
  shouldColor,
  unmatchedSelection,
  type ResolvedConfig,
  type Run,
} from '@lanebench/core';
import { resolve } from 'node:path';
import { readMeta } from './meta.js';

/** The parts of Vitest's reported tasks used here (both majors). */
interface TestCaseLike {
  meta(): Record<string, unknown>;
}
interface TestModuleLike {
  children: { allTests(): Iterable<TestCaseLike> };
}

/** Every line this reporter prints passes core's sanitizer; color codes survive only when the summary is colored. */
const log = (line: string): void => {
  process.stdout.write(`${safeOutput(line, { keepSgr: shouldColor(process.env, Boolean(process.stdout.isTTY)) })}\n`);
};

export class LanebenchReporter {
  private readonly runs = new Map<string, Run>();
  /** run id → absolute output directory, for workflows that chose their own */
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
    const unmatched = unmatchedSelection([...this.runs.values()]);
    if (unmatched) {
      process.stderr.write(`${safeOutput(`[lanebench] ${unmatched}`)}\n`);
      process.exitCode = 1;
    }
    if (this.runs.size === 0) return;
    // One publication per output directory (the config's, or a workflow's own).
    const groups = new Map<string, Run[]>();
    for (const run of this.runs.values()) {
      const dir = this.outputDirs.get(run.id) ?? this.config.outputDir;
      groups.set(dir, [...(groups.get(dir) ?? []), run]);
    }
    this.runs.clear();
    this.outputDirs.clear();
    for (const [outputDir, runs] of groups) {
      try {
        // annotations go out through publishRuns' own writer (they are the one kind of line allowed to start with `::`)
        const result = await publishRuns(runs, { config: { ...this.config, outputDir } });
        log('');
        log(result.summary);
        for (const [format, file] of Object.entries(result.reports)) log(`[lanebench] ${format}: ${file}`);
        // failing tests fail the run already; this covers what no test asserted (e.g. failOnRegression)
        if (result.exitCode !== 0) process.exitCode = 1;
      } catch (error) {
        // A corrupt history or an unwritable output directory must fail the run, with its own message.
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`${safeOutput(`[lanebench] could not publish results to ${outputDir}: ${message}`)}\n`);
        // 2 when the history could not take the run (it is in a rescue file), as the CLI does
        process.exitCode = error instanceof Error && 'rescueFile' in error ? 2 : 1;
      }
    }
  }

  private collect(test: TestCaseLike): void {
    const meta = readMeta(test.meta());
    for (const run of meta.runs) {
      this.runs.set(run.id, run);
      const dir = meta.outputDirs?.[run.id];
      if (dir !== undefined) this.outputDirs.set(run.id, resolve(this.config.root, dir));
    }
  }
}
