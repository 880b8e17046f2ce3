import path from 'node:path';
import type { Threshold } from '../types.js';
import { compileLaneSla, compileThresholds } from '../thresholds/compile.js';
import type { ThresholdSpec } from '../thresholds/types.js';
import {
  ALL_REPORT_FORMATS,
  DEFAULT_HISTORY_WINDOW,
  DEFAULT_ITERATIONS,
  DEFAULT_LANES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REGRESSION_THRESHOLD,
  DEFAULT_SAMPLE_INTERVAL_MS,
  DEFAULT_TIMEOUT_S,
  DEFAULT_WARMUP,
} from './defaults.js';
import { canonicalSla } from '../thresholds/sla-aliases.js';
import { ConfigError, showValue } from '../base/errors.js';
import { parseDuration, parseMegabytes, parsePercent } from '../base/units.js';
import { checkConfig, configSchema, workflowOverridesSchema } from './schema.js';
import type {
  LaneConfig,
  LaneSlaInput,
  LanebenchConfig,
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
  const raw: unknown = input ?? {};
  // lane names first: a lane called __proto__ must be refused before anything copies the object
  if (raw !== null && typeof raw === 'object' && 'lanes' in raw) checkLaneNames(raw.lanes);
  const c = checkConfig<LanebenchConfig>(configSchema, raw);
  const outputDir = c.outputDir ?? DEFAULT_OUTPUT_DIR;
  const strict = c.strict ?? false;
  const lanesInput: Record<string, LaneConfig> = c.lanes ?? {};
  const lanes: Record<string, ResolvedLane> = {};
  const names = [...new Set([...Object.keys(DEFAULT_LANES), ...Object.keys(lanesInput)])];
  for (const name of names) {
    const base = (DEFAULT_LANES as Record<string, LaneConfig>)[name];
    lanes[name] = resolveLaneConfig(name, mergeLaneConfig(base, lanesInput[name], `lanes.${name}.sla`), strict);
  }

  return {
    root,
    outputDir: path.resolve(root, outputDir),
    lanes,
    reports: c.reports === undefined ? [...ALL_REPORT_FORMATS] : [...new Set(c.reports)],
    runner: c.runner ?? 'vitest',
    sampleIntervalMs: c.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS,
    regressionThreshold: c.regressionThreshold ?? DEFAULT_REGRESSION_THRESHOLD,
    historyWindow: c.historyWindow ?? DEFAULT_HISTORY_WINDOW,
    strict,
    ...(c.history !== undefined ? { history: c.history } : {}),
    failOnRegression: c.failOnRegression ?? false,
    ...(c.historyRetention !== undefined ? { historyRetention: { ...c.historyRetention } } : {}),
  };
}

/** Refuses lane names that would vanish or collide with Object's own properties when used as keys. */
function checkLaneNames(lanesInput: unknown): void {
  if (lanesInput === null || typeof lanesInput !== 'object' || Array.isArray(lanesInput)) return;
  // a lane named __proto__ (or one that replaced the object's prototype) would vanish on assignment: refuse it.
  // The prototype may be another realm's Object.prototype (a config evaluated outside Jest's sandbox), so the
  // test is "a plain object's prototype", not identity with this realm's.
  const proto: unknown = Object.getPrototypeOf(lanesInput);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) {
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
  const what = `options of lane '${lane}'`;
  const o = checkConfig<WorkflowOverrides>(workflowOverridesSchema, overrides ?? {}, what);
  let thresholds = resolved.thresholds;
  let sla = resolved.sla;
  if (o.sla !== undefined) {
    const overrideSla = resolveSla(o.sla, `${what}.sla`);
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
    iterations: o.iterations ?? resolved.iterations,
    timeout_s: o.timeout === undefined ? resolved.timeout_s : positiveDuration(o.timeout, `${what}: timeout`),
    warmup: o.warmup ?? resolved.warmup,
    strict: o.strict ?? resolved.strict,
    onFailure: o.onFailure ?? resolved.onFailure,
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
  // the values were checked by configSchema; here they are converted and the defaults filled in
  const what = `lanes.${name}`;
  const customMetrics = resolveCustomMetrics(lane.customMetrics, `${what}.customMetrics`);
  const sla = lane.sla === undefined ? {} : resolveSla(lane.sla, `${what}.sla`);
  const thresholds: Threshold[] = [...compileLaneSla(sla, `${what}.sla`)];
  if (lane.thresholds !== undefined)
    thresholds.push(...compileExtraThresholds(lane.thresholds, `${what}.thresholds`, customMetrics));
  return {
    name,
    iterations: lane.iterations ?? DEFAULT_ITERATIONS,
    timeout_s: lane.timeout === undefined ? DEFAULT_TIMEOUT_S : positiveDuration(lane.timeout, `${what}.timeout`),
    warmup: lane.warmup ?? DEFAULT_WARMUP,
    strict: lane.strict ?? globalStrict,
    onFailure: lane.onFailure ?? 'continue',
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

function compileExtraThresholds(spec: ThresholdSpec, what: string, customMetrics: Record<string, string>): Threshold[] {
  try {
    return compileThresholds(spec, { customUnits: customMetrics });
  } catch (err) {
    if (err instanceof ConfigError) {
      const wrapped = new ConfigError(`${what}: ${err.message}`, { cause: err });
      wrapped.name = err.name;
      throw wrapped;
    }
    throw err;
  }
}

/** Declared custom metrics as name → unit; the schema checked the shape, names and units are checked here. */
function resolveCustomMetrics(value: LaneConfig['customMetrics'], what: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const name of value) {
      if (name === '') throw new ConfigError(`${what}: '' is not a metric name; expected non-empty strings`);
      out[name] = '';
    }
    return out;
  }
  // the unit grammar is shared with ctx.metric and merge (units.ts), so it is checked there, not in the schema
  for (const [name, unit] of Object.entries(value)) validateUnit(unit, `${what}.${name}`, (m) => new ConfigError(m));
  return { ...value };
}

/** Seconds from a duration the schema let through as a number or string; zero or less is refused. */
function positiveDuration(value: number | string, what: string): number {
  const seconds = parseDuration(value, what);
  if (seconds <= 0) {
    throw new ConfigError(
      `${what}: ${showValue(value)} is not valid; expected a positive duration (seconds, or '500ms', '2s', '15m', '1.5h')`,
    );
  }
  return seconds;
}
