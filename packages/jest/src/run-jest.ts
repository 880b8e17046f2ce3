/**
 * `runJest()` lets `lanebench run --lane <lane>` drive Jest through its Node API (runCLI) when
 * the lanebench config says `runner: 'jest'`. The lane reaches the workflows as LANEBENCH_LANE and,
 * when the Jest config has projects named after the lanes, also as `selectProjects`. CLI settings
 * (iterations, timeout, strict, outputDir, config file) reach the reporter through CLI_OVERRIDES_ENV
 * (core's withRunnerLaunch writes it, the reporter reads it back with readCliOverrides).
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { safeOutput, withRunnerLaunch, type LanebenchConfig, type WorkflowOverrides } from '@lanebench/core';
import { failureLines, laneTestFiles, type FailureSource } from './lane-files.js';

export interface RunJestOptions {
  /** lane(s) to run; omitted → every lane */
  lane?: string | string[];
  /** project root where Jest and its config live (default: process.cwd()) */
  cwd?: string;
  /** lanebench config file (`--config`), instead of lanebench.config.* at the root */
  configFile?: string;
  /** merged over the lanebench config and the reporter options, e.g. `{ outputDir }` */
  config?: LanebenchConfig;
  /** per-run settings from the command line; they beat options written in test files */
  overrides?: WorkflowOverrides;
  /** Jest config file (Jest's `--config`) */
  jestConfig?: string;
  /** 'auto' (default): pass selectProjects only when the Jest config has projects named after the lanes */
  selectProjects?: boolean | 'auto';
  /** further Jest argv, as runCLI takes it (e.g. `{ testPathPatterns: ['bench'], maxWorkers: 2 }`) */
  argv?: Record<string, unknown>;
  /**
   * with lanes: run only the test files that belong to them (lane-files.ts), not every test of the project
   * (default true; ignored when `argv` selects files itself)
   */
  laneFilesOnly?: boolean;
}

export interface RunJestResult {
  /** 0 when every test passed and the reporter reported no error, else 1 */
  exitCode: number;
  /** Jest's AggregatedResult */
  results: { success: boolean; numFailedTests: number; numPassedTests: number; numTotalTests: number } & FailureSource;
}

interface JestModule {
  runCLI(argv: Record<string, unknown>, projects: string[]): Promise<{ results: RunJestResult['results'] }>;
}

interface JestConfigModule {
  readConfigs(
    argv: Record<string, unknown>,
    projects: string[],
  ): Promise<{ configs: Array<{ displayName?: { name: string } }> }>;
}

/** Jest as installed in the project (a peer dependency), not a copy next to this package. */
function projectRequire(cwd: string): NodeJS.Require {
  return createRequire(join(cwd, 'package.json'));
}

/** Names of the Jest projects (displayName), through the same jest-config that runCLI uses. */
async function jestProjectNames(cwd: string, baseArgv: Record<string, unknown>): Promise<string[]> {
  try {
    const fromJest = createRequire(projectRequire(cwd).resolve('jest'));
    const fromCore = createRequire(fromJest.resolve('@jest/core'));
    const jestConfig = fromCore('jest-config') as JestConfigModule;
    const { configs } = await jestConfig.readConfigs(baseArgv, [cwd]);
    return configs.map((c) => c.displayName?.name).filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

export async function runJest(options: RunJestOptions = {}): Promise<RunJestResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const lanes = options.lane === undefined ? [] : Array.isArray(options.lane) ? options.lane : [options.lane];
  const jest = projectRequire(cwd)('jest') as JestModule;
  const argv: Record<string, unknown> = {
    _: [],
    $0: 'lanebench',
    ...(options.jestConfig ? { config: options.jestConfig } : {}),
    ...options.argv,
  };

  let select = false;
  if (lanes.length > 0 && options.selectProjects !== false) {
    if (options.selectProjects === true) select = true;
    else {
      const names = await jestProjectNames(cwd, argv);
      select = lanes.every((lane) => names.includes(lane));
    }
  }
  if (select) argv.selectProjects = lanes;
  const selectsFiles = ['_', 'testPathPatterns', 'runTestsByPath', 'findRelatedTests'].some((k) =>
    k === '_' ? (options.argv?._ as unknown[] | undefined)?.length : options.argv?.[k] !== undefined,
  );
  if (lanes.length > 0 && options.laneFilesOnly !== false && !selectsFiles) {
    const files = laneTestFiles(projectRequire(cwd), cwd, lanes, argv);
    // none found: run as before, so the reporter says that no workflow of the lane ran
    if (files && files.length > 0) {
      argv._ = files;
      argv.runTestsByPath = true;
    }
  }

  const overrides = {
    ...(options.configFile ? { configFile: resolve(cwd, options.configFile) } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.overrides ? { workflow: options.overrides } : {}),
  };
  return withRunnerLaunch('jest', { lanes, overrides }, async () => {
    const { results } = await jest.runCLI(argv, [cwd]);
    if (!results.success) explainFailure(results, cwd);
    return { exitCode: results.success ? 0 : 1, results };
  });
}

/** When Jest fails the run, say which tests did: a lane summary of compliant runs can sit above a failed test. */
function explainFailure(results: FailureSource, cwd: string): void {
  const lines = failureLines(results, cwd);
  const head =
    lines.length > 0
      ? '[lanebench] Jest exits 1 because of:'
      : "[lanebench] Jest exits 1 (no failed test: see Jest's output above)";
  process.stderr.write(`${safeOutput([head, ...lines.map((l) => `  - ${l}`)].join('\n'))}\n`);
}
