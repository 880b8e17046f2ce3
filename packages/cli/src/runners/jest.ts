/**
 * Drives Jest 30 for `lanebench run --lane` when the config says runner: 'jest'. Prefers the
 * runJest helper of the project's @lanebench/jest (it also selects Jest projects named after the
 * lane and passes the CLI settings to the reporter); falls back to Jest's own runCLI with
 * LANEBENCH_LANE and the same settings set (core's withRunnerLaunch, as runJest does).
 */
import { withRunnerLaunch } from '@lanebench/core';
import { UsageError } from '../lib/errors.js';
import { installedVersion, projectRequire } from './project.js';
import { cliOverridesOf, type RunnerLaunch } from './types.js';

interface RunJest {
  (opts: Record<string, unknown>): Promise<{ exitCode: number }>;
}

export async function runJestLane(launch: RunnerLaunch): Promise<number> {
  const req = projectRequire(launch.cwd);
  if (!installedVersion(launch.cwd, 'jest')) {
    throw new UsageError(
      `runner 'jest': Jest is not installed in ${launch.cwd}; install jest (^30) and @lanebench/jest, or measure a command: lanebench run --lane ${launch.lane} -- <command>`,
    );
  }
  let runJest: RunJest | undefined;
  try {
    runJest = (req('@lanebench/jest') as { runJest?: RunJest }).runJest;
  } catch {
    runJest = undefined;
  }
  if (runJest) {
    const { exitCode } = await runJest({
      lane: launch.lane,
      cwd: launch.cwd,
      ...(launch.configFile ? { configFile: launch.configFile } : {}),
      config: launch.config,
      overrides: launch.overrides,
    });
    return exitCode;
  }
  const jest = req('jest') as {
    runCLI(argv: Record<string, unknown>, projects: string[]): Promise<{ results: { success: boolean } }>;
  };
  return withRunnerLaunch('jest', { lanes: [launch.lane], overrides: cliOverridesOf(launch) }, async () => {
    const { results } = await jest.runCLI({ _: [], $0: 'lanebench' }, [launch.cwd]);
    return results.success ? 0 : 1;
  });
}
