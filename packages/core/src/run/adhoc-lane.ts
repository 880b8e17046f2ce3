/**
 * The SLA-less ad-hoc lane of runs that name no lane (measure(), Vitest's native benchmarks): the
 * default iterations and timeout, no thresholds, until toMeetSla supplies them.
 */
import { resolveConfig, type ResolvedConfig } from '../config/index.js';

/** Lane of the runs that name none. */
export const ADHOC_LANE = 'adhoc';

/** The configuration with the ad-hoc lane added when the user did not define one of that name. */
export function withAdhocLane(config: ResolvedConfig): ResolvedConfig {
  if (Object.hasOwn(config.lanes, ADHOC_LANE)) return config;
  // the project's strict setting still applies to it, like to any lane without its own
  const lane = resolveConfig({ strict: config.strict, lanes: { [ADHOC_LANE]: {} } }, { root: config.root }).lanes[
    ADHOC_LANE
  ]!;
  return { ...config, lanes: { ...config.lanes, [ADHOC_LANE]: lane } };
}
