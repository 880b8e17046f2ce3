/**
 * Settings `lanebench run` hands to the runner it drives in-process (Vitest's startVitest, Jest's
 * runCLI). They travel in an environment variable because the runner builds the lanebench
 * plugin/reporter from its own config; they beat the adapter's options, and `workflow` beats the
 * options written in test files. One variable per runner, so a run of one never reads the other's.
 */
import { ConfigError, showValue } from '../base/errors.js';
import type { LanebenchConfig, RunnerName, WorkflowOverrides } from './types.js';
import { knownKeys, plainObject } from './validate.js';

export interface CliOverrides {
  /** absolute path of `--config` */
  configFile?: string;
  /** config values from the command line (e.g. outputDir), merged over file and adapter options */
  config?: LanebenchConfig;
  /** --iterations, --timeout, --strict: beat the options of each workflow */
  workflow?: WorkflowOverrides;
}

const ENV_VARS: Readonly<Record<RunnerName, string>> = {
  vitest: 'LANEBENCH_VITEST_OVERRIDES',
  jest: 'LANEBENCH_JEST_OVERRIDES',
};

const KEYS: ReadonlyArray<keyof CliOverrides> = ['configFile', 'config', 'workflow'];
const SHAPE = '{ configFile?, config?, workflow? }';

/** The environment variable the given runner's adapter reads the overrides from. */
export function cliOverridesEnvVar(runner: RunnerName): string {
  return ENV_VARS[runner];
}

/** The JSON the adapters read back with readCliOverrides; members left undefined are omitted. */
export function encodeCliOverrides(overrides: CliOverrides): string {
  const present = KEYS.filter((key) => overrides[key] !== undefined).map((key) => [key, overrides[key]]);
  return JSON.stringify(Object.fromEntries(present));
}

/**
 * The overrides `lanebench run` left for this runner ({} when none). Malformed JSON or a wrong
 * shape is a ConfigError naming the variable; the values themselves are validated where they are
 * used (resolveConfig, resolveLane), with the same messages as every other layer.
 */
export function readCliOverrides(runner: RunnerName, env: NodeJS.ProcessEnv = process.env): CliOverrides {
  const name = cliOverridesEnvVar(runner);
  const raw = env[name];
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} is not valid JSON: ${raw.slice(0, 200)}`);
  }
  const obj = plainObject(value, name, SHAPE);
  knownKeys(obj, name, KEYS);
  if (obj.configFile !== undefined && (typeof obj.configFile !== 'string' || obj.configFile === '')) {
    throw new ConfigError(`${name}.configFile: ${showValue(obj.configFile)} is not valid; expected a file path`);
  }
  if (obj.config !== undefined) plainObject(obj.config, `${name}.config`, '({ outputDir, lanes, … })');
  if (obj.workflow !== undefined) plainObject(obj.workflow, `${name}.workflow`, '({ iterations, timeout, strict, … })');
  return obj;
}

export interface RunnerLaunchEnv {
  /** lanes to run, passed as LANEBENCH_LANE (see selectedLanes); none → the variable is left as it is */
  lanes?: readonly string[];
  overrides: CliOverrides;
}

/**
 * Runs `fn` (which starts the runner in this process) with LANEBENCH_LANE and the runner's
 * overrides variable set, and restores both afterwards: the runner may be started again in the
 * same process with other settings.
 */
export async function withRunnerLaunch<T>(
  runner: RunnerName,
  launch: RunnerLaunchEnv,
  fn: () => Promise<T>,
): Promise<T> {
  const vars: Record<string, string> = { [cliOverridesEnvVar(runner)]: encodeCliOverrides(launch.overrides) };
  if (launch.lanes && launch.lanes.length > 0) vars.LANEBENCH_LANE = launch.lanes.join(',');
  const saved = Object.entries(vars).map(([key]) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
