/**
 * The guide's own SLA keys (its SLA_CONFIG: target_time, p95_time, p99_time, memory_max, cpu_avg) are
 * what a migrating user writes; memory_max and cpu_avg are already ours, the *_time keys are aliases.
 * Giving both spellings of one key is an error: which one wins would be a guess.
 */
import { ConfigError, showValue } from '../base/errors.js';

/** The keys of a lane's `sla` (SPEC §3). */
export const SLA_KEYS = ['target', 'p95', 'p99', 'memory_max', 'cpu_avg'] as const;

export const SLA_KEY_ALIASES = { target_time: 'target', p95_time: 'p95', p99_time: 'p99' } as const;

/** The SLA with aliases renamed to the canonical keys; anything that is not a plain object passes unchanged. */
export function canonicalSla<T>(sla: T, what = 'sla'): T {
  if (sla === null || typeof sla !== 'object' || Array.isArray(sla)) return sla;
  const input = sla as Record<string, unknown>;
  if (!Object.keys(SLA_KEY_ALIASES).some((alias) => Object.hasOwn(input, alias))) return sla;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const canonical = (SLA_KEY_ALIASES as Record<string, string>)[key];
    if (canonical === undefined) {
      out[key] = value;
      continue;
    }
    if (Object.hasOwn(input, canonical)) {
      throw new ConfigError(
        `${what}: both '${canonical}' (${showValue(input[canonical])}) and its alias '${key}' (${showValue(value)}) are given; keep one`,
      );
    }
    out[canonical] = value;
  }
  return out as T;
}
