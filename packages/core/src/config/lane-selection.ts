import { ConfigError, showValue } from '../base/errors.js';

/**
 * Lanes chosen through LANEBENCH_LANE (`vitest bench` cannot take a --lane flag): a comma list,
 * trimmed, empty entries dropped. Unset or empty → null (run every lane).
 */
export function selectedLanes(env: NodeJS.ProcessEnv = process.env): string[] | null {
  const raw = env.LANEBENCH_LANE;
  if (raw === undefined) return null;
  const lanes = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  return lanes.length ? lanes : null;
}

/**
 * The lanes LANEBENCH_LANE selects, checked against the configured ones: a typo must fail the run
 * (ConfigError, exit 2 from the CLI, a failed run from the adapters) instead of skipping everything
 * and passing. null when nothing is selected.
 */
export function checkSelectedLanes(
  config: { lanes: Record<string, unknown> },
  env: NodeJS.ProcessEnv = process.env,
): string[] | null {
  const selected = selectedLanes(env);
  if (!selected) return null;
  const configured = Object.keys(config.lanes);
  const unknown = selected.filter((lane) => !Object.hasOwn(config.lanes, lane));
  if (unknown.length > 0) {
    throw new ConfigError(
      `LANEBENCH_LANE: unknown lane ${unknown.map((l) => showValue(l)).join(', ')}; configured lanes: ${configured.join(', ')}`,
    );
  }
  return selected;
}

/**
 * Why a LANEBENCH_LANE selection ran nothing of a selected lane, or undefined when every selected lane
 * recorded a run. A lane without workflow files is a broken selection, not a pass.
 */
export function unmatchedSelection(
  runs: ReadonlyArray<{ lane: string }>,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const selected = selectedLanes(env);
  if (!selected) return undefined;
  const missing = selected.filter((lane) => !runs.some((r) => r.lane === lane));
  if (missing.length === 0) return undefined;
  return (
    `LANEBENCH_LANE=${selected.join(',')}: no workflow of lane ${missing.map((l) => showValue(l)).join(', ')} ran ` +
    `(no workflow file of ${missing.length > 1 ? 'these lanes' : 'that lane'} matched the runner's files and filters)`
  );
}
