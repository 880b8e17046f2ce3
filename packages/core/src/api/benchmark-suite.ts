import { loadConfig, resolveLane, type LanebenchConfig, type ResolvedConfig } from '../config/index.js';
import { openHistoryStore } from '../history/index.js';
import { publishRuns } from '../publish/index.js';
import { runWorkflow } from '../run/index.js';
import type { Workflow } from '../measure/index.js';
import type { ProgressEvent, WorkflowOptions } from '../run/types.js';
import type { Run } from '../types.js';
import { toResolvedConfig } from './resolve.js';

interface Registered {
  lane: string;
  name: string;
  target: Workflow;
  options?: WorkflowOptions | undefined;
}

export interface SuiteRunHooks {
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Runs lane workflows outside a test runner (the guide's `BenchmarkSuite`).
 *
 * @example
 * const suite = await BenchmarkSuite.load();
 * suite.add(LaneType.DOCS, 'build site', 'npm run docs:build');
 * const runs = await suite.runLane('docs');
 * await suite.publish(runs); // metrics.json, reports, regressions, recommendations
 */
export class BenchmarkSuite {
  readonly config: ResolvedConfig;
  private readonly workflows: Registered[] = [];

  /** @param config a resolved or user configuration; default: the built-in lanes */
  constructor(config?: ResolvedConfig | LanebenchConfig) {
    this.config = toResolvedConfig(config);
  }

  /** Loads `lanebench.config.*` from `root` (default: the current directory). */
  static async load(opts: { root?: string; configFile?: string } = {}): Promise<BenchmarkSuite> {
    return new BenchmarkSuite(await loadConfig(opts));
  }

  /** Registers a workflow of a lane; throws ConfigError for an unknown lane. */
  add(lane: string, name: string, target: Workflow, options?: WorkflowOptions): this {
    resolveLane(this.config, lane);
    this.workflows.push({ lane, name, target, options });
    return this;
  }

  /** Runs one workflow now (N iterations, per the lane and options). */
  runWorkflow(
    lane: string,
    name: string,
    target: Workflow,
    options?: WorkflowOptions,
    hooks: SuiteRunHooks = {},
  ): Promise<Run> {
    return runWorkflow({
      lane,
      workflow: name,
      target,
      options,
      config: this.config,
      runner: { name: 'api', version: null },
      ...hooks,
    });
  }

  /** Runs every registered workflow of the lane, one after another. */
  async runLane(lane: string, hooks: SuiteRunHooks = {}): Promise<Run[]> {
    resolveLane(this.config, lane);
    const runs: Run[] = [];
    for (const w of this.workflows.filter((x) => x.lane === lane)) {
      if (hooks.signal?.aborted) break;
      runs.push(await this.runWorkflow(w.lane, w.name, w.target, w.options, hooks));
    }
    return runs;
  }

  /** Appends the runs to the history and writes the configured reports (publishRuns). */
  publish(runs: Run[], log?: (line: string) => void) {
    return publishRuns(runs, { config: this.config, log });
  }

  /** Every run recorded in this configuration's history (file or PostgreSQL store). */
  async history(): Promise<Run[]> {
    const store = openHistoryStore(this.config);
    try {
      return (await store.readAll()).runs;
    } finally {
      await store.close();
    }
  }
}
