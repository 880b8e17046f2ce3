import { ConfigError, showValue } from '../base/errors.js';

/**
 * Two small checks for objects outside the config schema (schema.ts): the overrides variable of `lanebench run`
 * and the lane spec of evaluate-run. Each error names the setting, the value and what is accepted.
 */

export function plainObject(value: unknown, what: string, shape: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${what}: ${showValue(value)} is not valid; expected an object ${shape}`);
  }
  return value as Record<string, unknown>;
}

export function knownKeys(obj: Record<string, unknown>, what: string, valid: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!valid.includes(key)) {
      throw new ConfigError(`${what}: unknown key '${key}'; valid keys: ${valid.join(', ')}`);
    }
  }
}
