import type { Run, SlaResult, Threshold, Violation } from '../types.js';
import { LANE_CONFIG_KEYS } from '../config/defaults.js';
import { ConfigError, showValue } from '../base/errors.js';
import { resolveConfig, resolveLane } from '../config/resolve.js';
import type { LaneConfig, ResolvedConfig } from '../config/types.js';
import { knownKeys } from '../config/validate.js';
import { metricSamples } from '../stats/analyze.js';
import { compileLaneSla, compileThresholds } from '../thresholds/compile.js';
import { evaluateThresholds } from '../thresholds/evaluate.js';
import type { ThresholdSpec } from '../thresholds/types.js';

export interface EvaluateRunOptions {
  /** used to resolve a lane name (default: the built-in configuration) */
  config?: ResolvedConfig | undefined;
  /** overrides the lane's strict setting */
  strict?: boolean | undefined;
}

/** What `toMeetSla` and evaluateRun accept: a lane name, a k6-style spec, or a lane config with sla/thresholds. */
export type SlaExpectation = string | ThresholdSpec | LaneConfig;

/** An object with `sla` or `thresholds` keys is a lane config; any other object is a threshold spec keyed by metric. */
export function isLaneConfig(spec: object): spec is LaneConfig {
  return 'sla' in spec || 'thresholds' in spec;
}

/**
 * Evaluates a run against a lane's SLA, a threshold spec or a lane config. Failed or timed-out
 * iterations are excluded from the stats, so they are reported as the error `iterations_failed`.
 */
export function evaluateRun(run: Run, spec: SlaExpectation, opts: EvaluateRunOptions = {}): SlaResult {
  const customUnits = { ...(run.custom_units ?? {}) };
  const values = metricSamples(run.iterations ?? []);
  for (const it of run.iterations ?? []) for (const name of Object.keys(it.custom ?? {})) customUnits[name] ??= '';
  const { thresholds, strict } = expectationThresholds(spec, customUnits, opts);
  const result = evaluateThresholds(run.metrics_analysis ?? {}, thresholds, { strict, customUnits, values });
  const failed = failedIterationsViolation(run);
  if (failed) {
    result.violations.unshift(failed);
    result.compliant = false;
    result.passed = false;
    result.checked += 1;
  }
  return result;
}

function expectationThresholds(
  spec: SlaExpectation,
  customUnits: Record<string, string>,
  opts: EvaluateRunOptions,
): { thresholds: Threshold[]; strict: boolean } {
  if (typeof spec === 'string') {
    const lane = resolveLane(opts.config ?? resolveConfig(undefined), spec);
    // the lane was compiled without the run's custom metrics; its thresholds are valid as they are
    return { thresholds: lane.thresholds, strict: opts.strict ?? lane.strict };
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ConfigError(
      `SLA expectation ${showValue(spec)} is not valid; expected a lane name (e.g. 'docs'), a threshold spec ({ execution_time: ['p(95) < 20m'] }) or a lane config ({ sla: { p95: '20m' } })`,
    );
  }
  const compileOpts = { customUnits };
  if (isLaneConfig(spec)) {
    knownKeys(spec as Record<string, unknown>, 'SLA lane config', LANE_CONFIG_KEYS);
    const thresholds = [...compileLaneSla(spec.sla ?? {})];
    if (spec.thresholds !== undefined) thresholds.push(...compileThresholds(spec.thresholds, compileOpts));
    return { thresholds, strict: opts.strict ?? spec.strict ?? false };
  }
  return { thresholds: compileThresholds(spec, compileOpts), strict: opts.strict ?? false };
}

function failedIterationsViolation(run: Run): Violation | undefined {
  const its = run.iterations ?? [];
  const failed = its.filter((it) => it.status === 'failed').length;
  const timedOut = its.filter((it) => it.status === 'timeout').length;
  const bad = failed + timedOut;
  if (bad === 0) return undefined;
  const parts = [failed ? `${failed} failed` : '', timedOut ? `${timedOut} timed out` : ''].filter(Boolean).join(', ');
  return {
    name: 'iterations_failed',
    metric: 'iterations',
    aggregation: 'max',
    operator: '==',
    value: bad,
    threshold: 0,
    unit: 'iterations',
    severity: 'error',
    message: `iterations_failed: ${bad} of ${its.length} iterations did not pass (${parts}) (error)`,
  };
}
