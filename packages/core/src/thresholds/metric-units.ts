import { METRIC_KEYS, METRIC_UNITS, type BuiltinMetric } from '../types.js';
import { BYTE_UNITS, TIME_UNITS } from '../base/units.js';

/** How a metric's thresholds may be written: its stored unit and the units that convert to it. */
export interface MetricUnitRule {
  /** unit the values are stored in ('' when unknown) */
  stored: string;
  /** accepted unit → factor that converts a value in that unit to the stored unit */
  accepted: Record<string, number>;
  /** byte units are matched case-insensitively ('mb' = 'MB'); time units are not ('m' ≠ 'M') */
  caseInsensitive: boolean;
}

export function isBuiltinMetric(metric: string): metric is BuiltinMetric {
  return (METRIC_KEYS as readonly string[]).includes(metric);
}

/** Units of a metric: built-ins from METRIC_UNITS, custom metrics from their declared unit. */
export function unitRuleFor(metric: string, customUnits: Record<string, string> = {}): MetricUnitRule {
  const stored = isBuiltinMetric(metric) ? METRIC_UNITS[metric] : (customUnits[metric] ?? '');
  return ruleForStoredUnit(stored);
}

function ruleForStoredUnit(stored: string): MetricUnitRule {
  if (stored in TIME_UNITS) {
    return { stored, accepted: scaled(TIME_UNITS, TIME_UNITS[stored]!), caseInsensitive: false };
  }
  const byteFactor = BYTE_UNITS[stored.toUpperCase()];
  if (byteFactor !== undefined) {
    return { stored, accepted: scaled(BYTE_UNITS, byteFactor), caseInsensitive: true };
  }
  if (stored === '%') return { stored, accepted: { '%': 1 }, caseInsensitive: false };
  // an unknown custom unit (e.g. 'files'): only a bare number, or that exact unit, is meaningful
  return { stored, accepted: stored ? { [stored]: 1 } : {}, caseInsensitive: false };
}

function scaled(table: Readonly<Record<string, number>>, storedFactor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [unit, factor] of Object.entries(table)) out[unit] = factor / storedFactor;
  return out;
}

/** Factor converting `unit` to the metric's stored unit; undefined when the unit does not fit. */
export function conversionFactor(rule: MetricUnitRule, unit: string): number | undefined {
  if (unit === '') return 1;
  if (rule.accepted[unit] !== undefined) return rule.accepted[unit];
  if (rule.caseInsensitive) {
    const key = Object.keys(rule.accepted).find((u) => u.toUpperCase() === unit.toUpperCase());
    if (key) return rule.accepted[key];
  }
  return undefined;
}
