/**
 * The Jest reporter: `reporters: ['default', ['@lanebench/jest', options]]`.
 * It prepares the sidecar directory (constructor, before any worker starts), resolves the
 * configuration once for every worker (onRunStart: lanebench.config.* at rootDir ← reporter
 * options ← the settings of `lanebench run`, through core), and at the end publishes every Run
 * the workers wrote through core's publishRuns: history, reports, per-lane summary.
 */
import {
  checkSelectedLanes,
  openHistoryStore,
  publishRuns,
  safeOutput,
  shouldColor,
  readCliOverrides,
  resolveLayeredConfig,
  unmatchedSelection,
  type ResolvedConfig,
} from '@lanebench/core';
import { jestVersion } from './jest-globals.js';
import type { LanebenchJestOptions } from './options.js';
import { createSidecarDir, readRunFiles, removeSidecarDir, SIDECAR_ENV, writeSession } from './sidecar.js';

/** The part of Jest's GlobalConfig the reporter uses (kept structural so users need no @jest/types). */
export interface ReporterGlobalConfig {
  rootDir: string;
}

/** Every line this reporter prints passes core's sanitizer; color codes survive only when the summary is colored. */
const log = (line: string): void => {
  process.stderr.write(`${safeOutput(line, { keepSgr: shouldColor(process.env, Boolean(process.stdout.isTTY)) })}\n`);
};

export class LanebenchReporter {
  private readonly rootDir: string;
  private readonly options: LanebenchJestOptions;
  private readonly dir: string;
  private config: ResolvedConfig | undefined;
  private lastError: Error | undefined;
  private readonly cleanup = (): void => removeSidecarDir(this.dir);

  constructor(globalConfig: ReporterGlobalConfig, options?: LanebenchJestOptions | null) {
    this.rootDir = globalConfig.rootDir;
    this.options = options ?? {};
    // Workers are spawned after reporters are constructed and inherit this variable.
    this.dir = createSidecarDir();
    process.env[SIDECAR_ENV] = this.dir;
    // An interrupted run never reaches onRunComplete; do not leave the directory behind.
    process.once('exit', this.cleanup);
  }

  async onRunStart(): Promise<void> {
    const runner = { name: 'jest', version: jestVersion() };
    try {
      const overrides = readCliOverrides('jest');
      const { configFile, ...reporterOptions } = this.options;
      const file = overrides.configFile ?? configFile;
      this.config = await resolveLayeredConfig({
        root: this.rootDir,
        ...(file !== undefined ? { configFile: file } : {}),
        options: reporterOptions,
        ...(overrides.config ? { overrides: overrides.config } : {}),
        source: '@lanebench/jest reporter options',
      });
      // a typo in LANEBENCH_LANE fails the run instead of skipping every workflow as "not selected"
      checkSelectedLanes(this.config);
      // a history that cannot take the runs fails every workflow before anything is measured
      const store = openHistoryStore(this.config);
      try {
        await store.check();
      } finally {
        await store.close();
      }
      writeSession(this.dir, {
        config: this.config,
        runner,
        ...(overrides.workflow ? { workflowOverrides: overrides.workflow } : {}),
      });
    } catch (error) {
      // Every workflow test fails with this message; the run fails through getLastError too.
      const message = error instanceof Error ? error.message : String(error);
      writeSession(this.dir, { error: message, runner });
      this.lastError = new Error(`lanebench: ${message}`);
      log(`[lanebench] ${message}`);
    }
  }

  async onRunComplete(): Promise<void> {
    try {
      const { runs, problems } = readRunFiles(this.dir);
      for (const p of problems) log(`[lanebench] could not read a run handed over by a worker: ${p}`);
      if (!this.config) return;
      const unmatched = unmatchedSelection(runs);
      if (unmatched) {
        log(`[lanebench] ${unmatched}`);
        this.lastError ??= new Error(`lanebench: ${unmatched}`);
      }
      if (runs.length === 0) return;
      // publishRuns prints GitHub annotations to stdout (where Actions reads them); the summary
      // goes to stderr with the rest of Jest's report.
      const result = await publishRuns(runs, { config: this.config });
      log(`\n${result.summary.trimEnd()}`);
      for (const [format, file] of Object.entries(result.reports)) log(`[lanebench] ${format}: ${file}`);
      // Failing tests already fail the Jest run; this also covers SLA errors the tests did not assert.
      if (result.exitCode !== 0 && !this.lastError) {
        this.lastError = new Error(
          'lanebench: SLA error violations, failed or partial runs, or regressions with failOnRegression (see the summary above)',
        );
      }
    } catch (error) {
      // A corrupt history or an unwritable output dir must fail the run with its own message.
      const message = error instanceof Error ? error.message : String(error);
      log(`[lanebench] could not publish results: ${message}`);
      this.lastError = new Error(`lanebench: ${message}`);
    } finally {
      this.cleanup();
      process.removeListener('exit', this.cleanup);
      // runJest may start Jest again in this process; do not point it at a removed directory.
      if (process.env[SIDECAR_ENV] === this.dir) delete process.env[SIDECAR_ENV];
    }
  }

  /** Jest marks the run failed (exit 1) when a reporter reports an error here. */
  getLastError(): Error | undefined {
    return this.lastError;
  }
}
