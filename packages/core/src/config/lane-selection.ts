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
