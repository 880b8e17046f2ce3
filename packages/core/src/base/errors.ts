/**
 * A configuration problem the user must fix: a bad value, an unknown key, lane, metric or unit.
 * Messages always name the bad value and the accepted range or choices (SPEC §9: exit code 2).
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Renders a user value for an error message: strings quoted, everything else as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    // undefined for functions and symbols
    const json = JSON.stringify(value) as string | undefined;
    if (json !== undefined) return json;
  } catch {
    // cyclic, or a BigInt inside: the type tag is the best we can show
  }
  return Object.prototype.toString.call(value);
}
