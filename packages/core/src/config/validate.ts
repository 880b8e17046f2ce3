import { ConfigError, showValue } from '../base/errors.js';

/** Small validators shared by resolveConfig and resolveLane; each error names the setting, value and accepted range. */

export function integerInRange(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${what}: ${showValue(value)} is not valid; expected an integer from ${min} to ${max}`);
  }
  return value;
}

export function positiveNumber(value: unknown, what: string, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    const range = Number.isFinite(max) ? `a number > 0 and ≤ ${max}` : 'a number > 0';
    throw new ConfigError(`${what}: ${showValue(value)} is not valid; expected ${range}`);
  }
  return value;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${what}: ${showValue(value)} is not valid; expected true or false`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, what: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${what}: ${showValue(value)} is not valid; expected one of ${choices.map((c) => `'${c}'`).join(', ')}`,
    );
  }
  return value as T;
}

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
