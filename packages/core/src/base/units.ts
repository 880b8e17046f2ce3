import { ConfigError, showValue } from './errors.js';

/** Seconds per time unit accepted in durations and time thresholds. */
export const TIME_UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Bytes per size unit (1 KB = 1024 B, SPEC §3: MB means 1,048,576 bytes). */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
};

export const BYTES_PER_MB = 1024 ** 2;

const NUMBER_WITH_UNIT = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z%]*)\s*$/;

/** Splits '1.5h' into [1.5, 'h']; null when the text is not a number optionally followed by a unit. */
export function splitNumberAndUnit(text: string): [number, string] | null {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return null;
  return [Number(match[1]), match[2] ?? ''];
}

/** Finds a byte unit case-insensitively ('mb' = 'MB'); size units are unambiguous. */
export function byteUnitFactor(unit: string): number | undefined {
  return BYTE_UNITS[unit.toUpperCase()];
}

/**
 * A duration in seconds. Numbers are seconds; strings are a number with an optional unit:
 * '500ms', '2s', '15m', '1.5h' (no unit = seconds).
 */
export function parseDuration(value: number | string, what: string): number {
  const accepted = `a number of seconds or a string like '500ms', '2s', '15m', '1.5h' (units: ms, s, m, h)`;
  let seconds: number | undefined;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string') {
    const parts = splitNumberAndUnit(value);
    if (parts) {
      const factor = parts[1] === '' ? 1 : TIME_UNITS[parts[1]];
      if (factor !== undefined) seconds = parts[0] * factor;
    }
  }
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw new ConfigError(`${what}: invalid duration ${showValue(value)}; expected ${accepted}`);
  }
  if (seconds < 0) {
    throw new ConfigError(`${what}: duration ${showValue(value)} is negative; expected a duration ≥ 0 (${accepted})`);
  }
  return seconds;
}

/**
 * A size in bytes. Numbers are bytes; strings are a number with an optional unit:
 * '512B', '64KB', '512MB', '1.5GB' (1 KB = 1024 B; no unit = bytes).
 */
export function parseBytes(value: number | string, what: string): number {
  const accepted = `a number of bytes or a string like '512MB', '1GB' (units: B, KB, MB, GB; 1 KB = 1024 B)`;
  let bytes: number | undefined;
  if (typeof value === 'number') {
    bytes = value;
  } else if (typeof value === 'string') {
    const parts = splitNumberAndUnit(value);
    if (parts) {
      const factor = parts[1] === '' ? 1 : byteUnitFactor(parts[1]);
      if (factor !== undefined) bytes = parts[0] * factor;
    }
  }
  if (bytes === undefined || !Number.isFinite(bytes)) {
    throw new ConfigError(`${what}: invalid size ${showValue(value)}; expected ${accepted}`);
  }
  if (bytes < 0) {
    throw new ConfigError(`${what}: size ${showValue(value)} is negative; expected a size ≥ 0 (${accepted})`);
  }
  return bytes;
}

/** A memory limit in MB: numbers are MB (as in the SPEC §3 table), strings carry a size unit. */
export function parseMegabytes(value: number | string, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(
        `${what}: invalid memory ${showValue(value)}; expected a number of MB ≥ 0 or a string like '512MB', '1GB'`,
      );
    }
    return value;
  }
  return parseBytes(value, what) / BYTES_PER_MB;
}

/** A CPU share in percent of the whole machine: 30 or '30%'. */
export function parsePercent(value: number | string, what: string): number {
  let percent: number | undefined;
  if (typeof value === 'number') percent = value;
  else if (typeof value === 'string') {
    const parts = splitNumberAndUnit(value);
    if (parts && (parts[1] === '' || parts[1] === '%')) percent = parts[0];
  }
  if (percent === undefined || !Number.isFinite(percent) || percent < 0) {
    throw new ConfigError(
      `${what}: invalid percentage ${showValue(value)}; expected a number ≥ 0 or a string like '30%'`,
    );
  }
  return percent;
}
