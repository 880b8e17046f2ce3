/**
 * The one way a violation is written, on every surface (matcher, stored message, JUnit, console,
 * Markdown, HTML, GitHub annotations):
 *
 *   execution_time_p95: measured 0.004854 s, required < 0.001 s (error)
 *
 * The name is `<metric>_<aggregation>` (docs/configuration.md); the measured value gets as many digits as it takes
 * to never read as meeting the threshold it breaks (1200.0004 against `<= 1200` is not "1200").
 */
import type { Operator, Violation } from '../types.js';
import { compare } from './compare.js';

/** At least 4 significant digits and one decimal (never rounding the integer part), more until the breach shows. */
export function formatMeasured(value: number, operator: Operator, threshold: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  let decimals = Math.max(1, 3 - magnitude);
  // the real value breaks the threshold; the printed one must too (at most 17 significant digits exist)
  while (decimals < 20 && compare(Number(value.toFixed(decimals)), operator, threshold)) decimals++;
  return trimZeros(value.toFixed(Math.min(decimals, 100)));
}

/** A threshold as written: no trailing zeros, at most 6 decimals, never exponent form. */
export function formatThresholdValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return trimZeros(value.toFixed(6));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Violations that are not a measured value against a threshold carry their own explanation. */
function isExplained(v: Pick<Violation, 'name' | 'value' | 'message'>): boolean {
  return (
    v.name === 'iterations_failed' ||
    !Number.isFinite(v.value) ||
    /no samples of|needs the raw samples/.test(v.message ?? '')
  );
}

export function formatViolation(
  v: Pick<Violation, 'name' | 'value' | 'threshold' | 'severity' | 'operator' | 'unit'> & { message?: string },
): string {
  if (isExplained({ name: v.name, value: v.value, message: v.message ?? '' }) && v.message) return v.message;
  const unit = v.unit ? ` ${v.unit}` : '';
  return `${v.name}: measured ${formatMeasured(v.value, v.operator, v.threshold)}${unit}, required ${v.operator} ${formatThresholdValue(v.threshold)}${unit} (${v.severity})`;
}
