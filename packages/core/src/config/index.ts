export { ConfigError } from '../base/errors.js';
export {
  DEFAULT_LANES,
  DEFAULT_ITERATIONS,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_TIMEOUT_S,
  ALL_REPORT_FORMATS,
  ITERATIONS_RANGE,
  WARMUP_RANGE,
  LANE_CONFIG_KEYS,
  type DefaultLaneName,
} from './defaults.js';
export { parseDuration, parseBytes, parseMegabytes, parsePercent, BYTES_PER_MB } from '../base/units.js';
export { defineConfig, resolveConfig, resolveLane } from './resolve.js';
export { loadConfig } from './load.js';
export { readConfigFile, CONFIG_FILE_NAMES, type ModuleImporter, type ReadConfigFileOptions } from './read-file.js';
export { findConfigFile, mergeConfigs, resolveLayeredConfig, type LayeredConfigSpec } from './layered.js';
export {
  cliOverridesEnvVar,
  encodeCliOverrides,
  readCliOverrides,
  withRunnerLaunch,
  type CliOverrides,
  type RunnerLaunchEnv,
} from './cli-overrides.js';
export { selectedLanes, checkSelectedLanes, unmatchedSelection } from './lane-selection.js';
export type {
  DurationInput,
  HistoryRetention,
  LaneConfig,
  LaneSlaInput,
  LanebenchConfig,
  OnFailure,
  ReportFormat,
  ResolvedConfig,
  ResolvedLane,
  ResolvedSla,
  RunnerName,
  WorkflowOverrides,
} from './types.js';
