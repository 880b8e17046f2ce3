import path from 'node:path';
import type { Threshold } from '../types.js';
import { compileLaneSla, compileThresholds } from '../thresholds/compile.js';
import type { ThresholdSpec } from '../thresholds/types.js';
import {
  ALL_REPORT_FORMATS,
  CONFIG_KEYS,
  DEFAULT_HISTORY_WINDOW,
  DEFAULT_ITERATIONS,
  DEFAULT_LANES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REGRESSION_THRESHOLD,
  DEFAULT_SAMPLE_INTERVAL_MS,
  DEFAULT_TIMEOUT_S,
  DEFAULT_WARMUP,
  ITERATIONS_RANGE,
  LANE_CONFIG_KEYS,
  ON_FAILURE_CHOICES,
  RUNNERS,
  WARMUP_RANGE,
} from './defaults.js';
import { canonicalSla } from '../thresholds/sla-aliases.js';
import { ConfigError, showValue } from '../base/errors.js';
import { parseDuration, parseMegabytes, parsePercent } from '../base/units.js';
import { boolean, integerInRange, knownKeys, oneOf, plainObject, positiveNumber } from './validate.js';
import type {
  HistoryRetention,
  LaneConfig,
  LaneSlaInput,
  LanebenchConfig,
  ReportFormat,
  ResolvedConfig,
  ResolvedLane,
  ResolvedSla,
  WorkflowOverrides,
} from './types.js';
import { validateUnit } from '../base/unit-text.js';

/** Identity, so a config file gets types: `export default defineConfig({ … })`. */
export function defineConfig(config: LanebenchConfig): LanebenchConfig {
  return config;
}

/**
 * Merges the user's configuration over the defaults (SPEC §3) and validates every value.
 * Throws ConfigError naming the bad value and the accepted range or choices.
 */
export function resolveConfig(
  input: LanebenchConfig | undefined,
  opts: { root?: string | undefined } = {},
): ResolvedConfig {
  const root = path.resolve(opts.root ?? process.cwd());
  const cfg =
    input === undefined || input === null ? {} : plainObject(input, 'config', '({ outputDir, lanes, reports, … })');
  knownKeys(cfg, 'config', CONFIG_KEYS);
  const c = cfg as LanebenchConfig;

  const outputDir = c.outputDir ?? DEFAULT_OUTPUT_DIR;
  if (typeof outputDir !== 'string' || outputDir.trim() === '') {
    throw new ConfigError(
      `config.outputDir: ${showValue(outputDir)} is not valid; expected a non-empty directory path`,
    );
  }
  const strict = c.strict === undefined ? false : boolean(c.strict, 'config.strict');

  const lanesInput =
    c.lanes === undefined ? {} : plainObject(c.lanes, 'config.lanes', '{ <lane>: { iterations, timeout, sla, … } }');
  // a lane named __proto__ (or one that replaced the object's prototype) would vanish on assignment: refuse it
  const proto: unknown = Object.getPrototypeOf(lanesInput);
  if (proto !== Object.prototype && proto !== null) {
    throw new ConfigError(
      "config.lanes: a lane named '__proto__' is not allowed (it replaces the object's prototype); choose another lane name",
    );
  }
  for (const name of Object.keys(lanesInput)) {
    if (RESERVED_LANE_NAMES.includes(name)) {
      throw new ConfigError(
        `config.lanes: the lane name '${name}' is reserved; lane names are any other non-empty text, e.g. 'docs' or 'e2e'`,
      );
    }
  }
  const lanes: Record<string, ResolvedLane> = {};
  const names = [...new Set([...Object.keys(DEFAULT_LANES), ...Object.keys(lanesInput)])];
  for (const name of names) {
    const base = (DEFAULT_LANES as Record<string, LaneConfig>)[name];
    const user = lanesInput[name];
    const userLane =
      user === undefined
        ? undefined
        : (plainObject(
            user,
            `lanes.${name}`,
            '{ iterations, timeout, warmup, strict, onFailure, sla, thresholds }',
          ) as LaneConfig);
    lanes[name] = resolveLaneConfig(name, mergeLaneConfig(base, userLane, `lanes.${name}.sla`), strict);
  }

  return {
    root,
    outputDir: path.resolve(root, outputDir),
    lanes,
    reports: c.reports === undefined ? [...ALL_REPORT_FORMATS] : resolveReports(c.reports),
    runner: c.runner === undefined ? 'vitest' : oneOf(c.runner, 'config.runner', RUNNERS),
    sampleIntervalMs:
      c.sampleIntervalMs === undefined
        ? DEFAULT_SAMPLE_INTERVAL_MS
        : positiveNumber(c.sampleIntervalMs, 'config.sampleIntervalMs', 60_000),
    regressionThreshold:
      c.regressionThreshold === undefined
        ? DEFAULT_REGRESSION_THRESHOLD
        : positiveNumber(c.regressionThreshold, 'config.regressionThreshold'),
    historyWindow:
      c.historyWindow === undefined
        ? DEFAULT_HISTORY_WINDOW
        : integerInRange(c.historyWindow, 'config.historyWindow', 1, 10_000),
    strict,
    ...(c.history !== undefined ? { history: historyLocationOf(c.history) } : {}),
    failOnRegression: c.failOnRegression === undefined ? false : boolean(c.failOnRegression, 'config.failOnRegression'),
    ...(c.historyRetention !== undefined ? { historyRetention: historyRetentionOf(c.historyRetention) } : {}),
  };
}

/**
 * A lane's settings for one workflow: the configured lane with per-workflow overrides applied.
 * Overrides may carry other workflow options (cwd, env, …); only the lane settings are read here.
 */
export function resolveLane(config: ResolvedConfig, lane: string, overrides: WorkflowOverrides = {}): ResolvedLane {
  const resolved = config.lanes[lane];
  if (!resolved || !Object.prototype.hasOwnProperty.call(config.lanes, lane)) {
    throw new ConfigError(`unknown lane ${showValue(lane)}; configured lanes: ${Object.keys(config.lanes).join(', ')}`);
  }
  const o = plainObject(
    overrides ?? {},
    `options of lane '${lane}'`,
    '{ iterations, timeout, warmup, strict, thresholds, sla, onFailure }',
  ) as WorkflowOverrides;
  const what = `options of lane '${lane}'`;
  let thresholds = resolved.thresholds;
  let sla = resolved.sla;
  if (o.sla !== undefined) {
    const overrideSla = resolveSla(
      plainObject(o.sla, `${what}.sla`, '{ target, p95, p99, memory_max, cpu_avg }'),
      `${what}.sla`,
    );
    sla = { ...resolved.sla, ...overrideSla };
    // replace the thresholds that came from the lane's SLA, keep the extra ones
    const fromSla = compileLaneSla(resolved.sla);
    thresholds = [
      ...compileLaneSla(sla, `${what}.sla`),
      ...thresholds.filter((t) => !fromSla.some((s) => s.name === t.name && s.expr === t.expr && s.value === t.value)),
    ];
  }
  if (o.thresholds !== undefined) {
    thresholds = [...thresholds, ...compileExtraThresholds(o.thresholds, `${what}.thresholds`, resolved.customMetrics)];
  }
  return {
    ...resolved,
    iterations:
      o.iterations === undefined
        ? resolved.iterations
        : integerInRange(o.iterations, `${what}: iterations`, ITERATIONS_RANGE.min, ITERATIONS_RANGE.max),
    timeout_s: o.timeout === undefined ? resolved.timeout_s : positiveDuration(o.timeout, `${what}: timeout`),
    warmup:
      o.warmup === undefined
        ? resolved.warmup
        : integerInRange(o.warmup, `${what}: warmup`, WARMUP_RANGE.min, WARMUP_RANGE.max),
    strict: o.strict === undefined ? resolved.strict : boolean(o.strict, `${what}: strict`),
    onFailure:
      o.onFailure === undefined ? resolved.onFailure : oneOf(o.onFailure, `${what}: onFailure`, ON_FAILURE_CHOICES),
    sla,
    thresholds,
  };
}

/** User values win; SLAs merge value by value; thresholds and custom metrics add up. */
/** Names that would collide with Object's own properties when used as keys. */
const RESERVED_LANE_NAMES = ['__proto__', 'constructor', 'prototype'];

function mergeLaneConfig(base: LaneConfig | undefined, user: LaneConfig | undefined, what = 'sla'): LaneConfig {
  if (!base) return user ?? {};
  if (!user) return base;
  return {
    ...base,
    ...user,
    // aliases renamed first, so a later `target_time` replaces an earlier `target`
    sla: base.sla || user.sla ? { ...canonicalSla(base.sla, what), ...canonicalSla(user.sla, what) } : undefined,
  };
}

function resolveLaneConfig(name: string, lane: LaneConfig, globalStrict: boolean): ResolvedLane {
  const what = `lanes.${name}`;
  knownKeys(lane as Record<string, unknown>, what, LANE_CONFIG_KEYS);
  const customMetrics = resolveCustomMetrics(lane.customMetrics, `${what}.customMetrics`);
  const sla =
    lane.sla === undefined
      ? {}
      : resolveSla(plainObject(lane.sla, `${what}.sla`, '{ target, p95, p99, memory_max, cpu_avg }'), `${what}.sla`);
  const thresholds: Threshold[] = [...compileLaneSla(sla, `${what}.sla`)];
  if (lane.thresholds !== undefined)
    thresholds.push(...compileExtraThresholds(lane.thresholds, `${what}.thresholds`, customMetrics));
  return {
    name,
    iterations:
      lane.iterations === undefined
        ? DEFAULT_ITERATIONS
        : integerInRange(lane.iterations, `${what}.iterations`, ITERATIONS_RANGE.min, ITERATIONS_RANGE.max),
    timeout_s: lane.timeout === undefined ? DEFAULT_TIMEOUT_S : positiveDuration(lane.timeout, `${what}.timeout`),
    warmup:
      lane.warmup === undefined
        ? DEFAULT_WARMUP
        : integerInRange(lane.warmup, `${what}.warmup`, WARMUP_RANGE.min, WARMUP_RANGE.max),
    strict: lane.strict === undefined ? globalStrict : boolean(lane.strict, `${what}.strict`),
    onFailure:
      lane.onFailure === undefined ? 'continue' : oneOf(lane.onFailure, `${what}.onFailure`, ON_FAILURE_CHOICES),
    thresholds,
    sla,
    customMetrics,
  };
}

/** An SLA in stored units (s, MB, %), validated; undefined values are dropped. */
function resolveSla(input: LaneSlaInput, what: string): ResolvedSla {
  const sla = canonicalSla(input, what);
  // compileLaneSla checks the keys; converting first gives ResolvedSla plain numbers
  compileLaneSla(sla, what);
  const out: ResolvedSla = {};
  if (sla.target !== undefined) out.target = parseDuration(sla.target, `${what}.target`);
  if (sla.p95 !== undefined) out.p95 = parseDuration(sla.p95, `${what}.p95`);
  if (sla.p99 !== undefined) out.p99 = parseDuration(sla.p99, `${what}.p99`);
  if (sla.memory_max !== undefined) out.memory_max = parseMegabytes(sla.memory_max, `${what}.memory_max`);
  if (sla.cpu_avg !== undefined) out.cpu_avg = parsePercent(sla.cpu_avg, `${what}.cpu_avg`);
  return out;
}

function compileExtraThresholds(spec: unknown, what: string, customMetrics: Record<string, string>): Threshold[] {
  const obj = plainObject(spec, what, "{ <metric>: ['p(95) < 20m', …] }");
  try {
    return compileThresholds(obj as ThresholdSpec, { customUnits: customMetrics });
  } catch (err) {
    if (err instanceof ConfigError) {
      const wrapped = new ConfigError(`${what}: ${err.message}`, { cause: err });
      wrapped.name = err.name;
      throw wrapped;
    }
    throw err;
  }
}

function resolveCustomMetrics(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const name of value) {
      if (typeof name !== 'string' || name === '')
        throw new ConfigError(`${what}: ${showValue(name)} is not a metric name; expected non-empty strings`);
      out[name] = '';
    }
    return out;
  }
  const obj = plainObject(value, what, '{ <name>: <unit> } or a list of names');
  for (const [name, unit] of Object.entries(obj)) {
    if (typeof unit !== 'string')
      throw new ConfigError(
        `${what}.${name}: unit ${showValue(unit)} is not valid; expected a string such as 'ms', 'MB' or 'files'`,
      );
    validateUnit(unit, `${what}.${name}`, (m) => new ConfigError(m));
  }
  return { ...(obj as Record<string, string>) };
}

function positiveDuration(value: unknown, what: string): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new ConfigError(
      `${what}: ${showValue(value)} is not valid; expected a positive duration (seconds, or '500ms', '2s', '15m', '1.5h')`,
    );
  }
  const seconds = parseDuration(value, what);
  if (seconds <= 0) {
    throw new ConfigError(
      `${what}: ${showValue(value)} is not valid; expected a positive duration (seconds, or '500ms', '2s', '15m', '1.5h')`,
    );
  }
  return seconds;
}

function resolveReports(value: unknown): ReportFormat[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(
      `config.reports: ${showValue(value)} is not valid; expected a list of ${ALL_REPORT_FORMATS.map((f) => `'${f}'`).join(', ')}`,
    );
  }
  const out: ReportFormat[] = [];
  for (const f of value) {
    const format = oneOf(f, 'config.reports', ALL_REPORT_FORMATS);
    if (!out.includes(format)) out.push(format);
  }
  return out;
}

/** `historyRetention: { runs?, days? }`: at least one limit, each named in its error. */
function historyRetentionOf(value: unknown): HistoryRetention {
  const what = 'config.historyRetention';
  const obj = plainObject(value, what, '{ runs?: integer ≥ 1, days?: number > 0 }');
  knownKeys(obj, what, ['runs', 'days']);
  if (obj.runs === undefined && obj.days === undefined) {
    throw new ConfigError(`${what}: set runs (newest runs kept per lane/workflow), days (maximum age), or both`);
  }
  return {
    ...(obj.runs !== undefined ? { runs: integerInRange(obj.runs, `${what}.runs`, 1, 10_000_000) } : {}),
    ...(obj.days !== undefined ? { days: positiveNumber(obj.days, `${what}.days`, 36_500) } : {}),
  };
}

function historyLocationOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`config.history: expected a file path or a postgres:// URL, got ${showValue(value)}`);
  }
  return value;
}
