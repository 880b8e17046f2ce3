/**
 * The Jest reporter: `reporters: ['default', ['@lanebench/jest', options]]`.
 * It prepares the sidecar directory (constructor, before any worker starts), resolves the
 * configuration once for every worker (onRunStart: lanebench.config.* at rootDir ← reporter
 * options ← the settings of `lanebench run`, through core's resolveAdapterSession), and at the end
 * publishes every Run the workers wrote through core's publishAdapterRuns: history, reports, per-lane summary.
 */
import { adapterLog, publishAdapterRuns, resolveAdapterSession, type ResolvedConfig } from '@lanebench/core';
import { jestVersion } from './jest-globals.js';
import type { LanebenchJestOptions } from './options.js';
import { createSidecarDir, readRunFiles, removeSidecarDir, SIDECAR_ENV, writeSession } from './sidecar.js';

/** The part of Jest's GlobalConfig the reporter uses (kept structural so users need no @jest/types). */
export interface ReporterGlobalConfig {
  rootDir: string;
}

/**
 * Everything this reporter prints goes to stderr with the rest of Jest's report (publishRuns prints GitHub
 * annotations to stdout, where Actions reads them).
 */
const log = (line: string): void => adapterLog(process.stderr)(line);

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
      // a typo in LANEBENCH_LANE or a history that cannot take the runs fails every workflow before anything is measured
      const { config, workflowOverrides } = await resolveAdapterSession({
        runner: 'jest',
        root: this.rootDir,
        options: this.options,
        source: '@lanebench/jest reporter options',
      });
      this.config = config;
      writeSession(this.dir, { config, runner, ...(workflowOverrides ? { workflowOverrides } : {}) });
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
      // Failing tests already fail the Jest run; this also covers what no test asserted, a selection that ran
      // nothing and results that could not be published (Jest exits 1 for all of them).
      const { failure } = await publishAdapterRuns(runs, { config: this.config, log });
      if (failure !== undefined) this.lastError = new Error(`lanebench: ${failure}`);
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
