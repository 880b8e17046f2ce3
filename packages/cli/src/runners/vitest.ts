/**
 * Drives Vitest 4.1 / 5 through its Node API (startVitest from 'vitest/node'), resolved from the
 * user's project. The lane travels as LANEBENCH_LANE; the other CLI settings as the JSON the
 * @lanebench/vitest plugin reads back (core's withRunnerLaunch / readCliOverrides, so the CLI
 * never loads the plugin). Vitest sets process.exitCode on failure; that becomes our result.
 */
import { pathToFileURL } from 'node:url';
import { withRunnerLaunch } from '@lanebench/core';
import { UsageError } from '../lib/errors.js';
import { installedVersion, projectRequire } from './project.js';
import { cliOverridesOf, type RunnerLaunch } from './types.js';

type StartVitest = (...args: unknown[]) => Promise<{ close?: () => Promise<void> } | undefined>;

export async function runVitest(launch: RunnerLaunch): Promise<number> {
  const version = installedVersion(launch.cwd, 'vitest');
  if (!version) {
    throw new UsageError(
      `runner 'vitest': Vitest is not installed in ${launch.cwd}; install vitest (^4.1 or ^5) and @lanebench/vitest, set runner: 'jest' in lanebench.config, or measure a command: lanebench run --lane ${launch.lane} -- <command>`,
    );
  }
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  if (major < 4 || (major === 4 && minor < 1)) {
    throw new UsageError(
      `runner 'vitest': Vitest ${version} is installed in ${launch.cwd}; lanebench supports ^4.1 and ^5`,
    );
  }
  const entry = projectRequire(launch.cwd).resolve('vitest/node');
  const { startVitest } = (await import(pathToFileURL(entry).href)) as { startVitest: StartVitest };

  return withRunnerLaunch('vitest', { lanes: [launch.lane], overrides: cliOverridesOf(launch) }, async () => {
    const saved = process.exitCode;
    process.exitCode = undefined;
    try {
      const base = { root: launch.cwd, run: true, watch: false };
      // v5 runs benchmarks as part of tests (benchmarkOnly is not in its types); v4 has a 'benchmark' mode
      if (major >= 5) await startVitest([], { ...base, benchmarkOnly: true });
      else await startVitest('benchmark', [], base);
      const code = process.exitCode;
      return typeof code === 'number' ? code : code ? Number(code) : 0;
    } finally {
      process.exitCode = saved;
    }
  });
}
