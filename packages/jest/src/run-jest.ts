/**
 * `runJest()` lets `lanebench run --lane <lane>` drive Jest through its Node API (runCLI) when
 * the lanebench config says `runner: 'jest'`. The lane reaches the workflows as LANEBENCH_LANE and,
 * when the Jest config has projects named after the lanes, also as `selectProjects`. CLI settings
 * (iterations, timeout, strict, outputDir, config file) reach the reporter through CLI_OVERRIDES_ENV
 * (core's withRunnerLaunch writes it, the reporter reads it back with readCliOverrides).
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { withRunnerLaunch, type LanebenchConfig, type WorkflowOverrides } from '@lanebench/core';

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
}

export interface RunJestResult {
  /** 0 when every test passed and the reporter reported no error, else 1 */
  exitCode: number;
  /** Jest's AggregatedResult */
  results: { success: boolean; numFailedTests: number; numPassedTests: number; numTotalTests: number };
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

  const overrides = {
    ...(options.configFile ? { configFile: resolve(cwd, options.configFile) } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.overrides ? { workflow: options.overrides } : {}),
  };
  return withRunnerLaunch('jest', { lanes, overrides }, async () => {
    const { results } = await jest.runCLI(argv, [cwd]);
    return { exitCode: results.success ? 0 : 1, results };
  });
}
