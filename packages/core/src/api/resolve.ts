/** Accepts a resolved configuration, a user configuration, or nothing (built-in defaults). */
import { resolveConfig, type LanebenchConfig, type ResolvedConfig } from '../config/index.js';

export function isResolvedConfig(c: unknown): c is ResolvedConfig {
  const r = c as Partial<ResolvedConfig> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.root === 'string' &&
    Array.isArray(r.reports) &&
    typeof r.sampleIntervalMs === 'number' &&
    typeof r.historyWindow === 'number'
  );
}

export function toResolvedConfig(c?: ResolvedConfig | LanebenchConfig, root?: string): ResolvedConfig {
  if (isResolvedConfig(c)) return c;
  return resolveConfig(c, root ? { root } : {});
}
