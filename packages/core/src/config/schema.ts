/**
 * The one schema of a lanebench configuration (the file, the plugin/reporter options, the layers merged from
 * them): zod checks every value's type, range and choices and every object's keys, and `configIssue` turns the
 * first problem into today's message, naming the setting, the value and what is accepted:
 * `lanes.docs.iterations: 0 is not valid; expected an integer from 1 to 100`.
 *
 * What stays in resolve.ts: converting values (durations, sizes, percentages, thresholds) and merging the
 * defaults. The unit grammar ('15m', '1GB', '30%') and the threshold language ('p(95) < 20m') are lanebench's
 * own parsers, shared with the CLI and the threshold compiler, whose messages name the bad token and the valid
 * units; the schema checks only that such a value has the right type there.
 *
 * Types: the hand-written interfaces in types.ts stay the public types (their doc comments are what users see
 * in `defineConfig({ … })` and in the API reference, and other changes add keys there); the checks at the end
 * of this file fail to compile when the schema and the interfaces disagree on a key or a value type.
 */
import { z } from 'zod';
import type { LaneConfig, LaneSlaInput, LanebenchConfig, ReportFormat, WorkflowOverrides } from './types.js';
import { ALL_REPORT_FORMATS, ITERATIONS_RANGE, ON_FAILURE_CHOICES, RUNNERS, WARMUP_RANGE } from './defaults.js';
import { SLA_KEY_ALIASES } from '../thresholds/sla-aliases.js';
import type { ThresholdSpec } from '../thresholds/types.js';
import { ConfigError, showValue } from '../base/errors.js';

const REPORT_FORMATS = ALL_REPORT_FORMATS as [ReportFormat, ...ReportFormat[]];
const quoted = (choices: readonly string[]): string => choices.map((c) => `'${c}'`).join(', ');

function integerFrom(min: number, max: number) {
  const error = `expected an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

function integerAtLeast(min: number) {
  const error = `expected an integer ≥ ${min}`;
  return z.int({ error }).min(min, { error });
}

function positiveNumber(max = Number.POSITIVE_INFINITY) {
  const error = Number.isFinite(max) ? `expected a number > 0 and ≤ ${max}` : 'expected a number > 0';
  return z.number({ error }).gt(0, { error }).max(max, { error });
}

const booleanValue = z.boolean({ error: 'expected true or false' });

const POSITIVE_DURATION = "expected a positive duration (seconds, or '500ms', '2s', '15m', '1.5h')";
/** A duration, size or percentage: a number, or a string with a unit that resolve.ts parses (and names if bad). */
const numberOrString = (error: string) => z.union([z.number(), z.string()], { error });

const plainObjectOf = <T>(shape: string) =>
  z.custom<T>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
    error: `expected an object ${shape}`,
  });

const SLA_SHAPE = '{ target, p95, p99, memory_max, cpu_avg }';
const slaDuration = numberOrString("expected a duration (seconds, or '500ms', '2s', '15m', '1.5h')").optional();
export const slaSchema = z.strictObject(
  {
    target: slaDuration,
    p95: slaDuration,
    p99: slaDuration,
    memory_max: numberOrString("expected a number of MB or a string like '512MB', '1GB'").optional(),
    cpu_avg: numberOrString("expected a number ≥ 0 or a string like '30%'").optional(),
    target_time: slaDuration,
    p95_time: slaDuration,
    p99_time: slaDuration,
  },
  { error: `expected an object ${SLA_SHAPE}` },
);

const LANE_SHAPE = '{ iterations, timeout, warmup, strict, onFailure, sla, thresholds }';
const laneFields = {
  iterations: integerFrom(ITERATIONS_RANGE.min, ITERATIONS_RANGE.max).optional(),
  timeout: numberOrString(POSITIVE_DURATION).optional(),
  warmup: integerFrom(WARMUP_RANGE.min, WARMUP_RANGE.max).optional(),
  strict: booleanValue.optional(),
  onFailure: z.enum(ON_FAILURE_CHOICES, { error: `expected one of ${quoted(ON_FAILURE_CHOICES)}` }).optional(),
  sla: slaSchema.optional(),
  // the threshold language is checked, with its own messages, by thresholds/compile.ts
  thresholds: plainObjectOf<ThresholdSpec>("{ <metric>: ['p(95) < 20m', …] }").optional(),
  // names are checked here; units by units.ts's validateUnit (the same check as ctx.metric and merge)
  customMetrics: z
    .union([z.array(z.string()), z.record(z.string(), z.string())], {
      error: "expected a list of metric names or { <name>: <unit> }, e.g. ['pages'] or { pages: 'pages' }",
    })
    .optional(),
  // confirm re-runs of flagged workflows before failing (issue 12)
  confirm: integerAtLeast(0).optional(),
};
export const laneSchema = z.strictObject(laneFields, { error: `expected an object ${LANE_SHAPE}` });

/** Options a workflow (or `lanebench run --iterations …`) sets over its lane; other workflow options pass. */
const workflowOverridesShape = z.object(
  {
    iterations: laneFields.iterations,
    timeout: laneFields.timeout,
    warmup: laneFields.warmup,
    strict: laneFields.strict,
    thresholds: laneFields.thresholds,
    sla: laneFields.sla,
    onFailure: laneFields.onFailure,
  },
  { error: `expected an object ${LANE_SHAPE}` },
);
export const workflowOverridesSchema = workflowOverridesShape.loose();

const historyRetentionSchema = z
  .strictObject(
    {
      runs: integerFrom(1, 10_000_000).optional(),
      days: positiveNumber(36_500).optional(),
    },
    { error: 'expected an object { runs?: integer ≥ 1, days?: number > 0 }' },
  )
  .refine((r) => r.runs !== undefined || r.days !== undefined, {
    error: 'set runs (newest runs kept per lane/workflow), days (maximum age), or both',
  });

export const configSchema = z.strictObject(
  {
    outputDir: z
      .string({ error: 'expected a non-empty directory path' })
      .refine((s) => s.trim() !== '', { error: 'expected a non-empty directory path' })
      .optional(),
    lanes: z
      .record(z.string(), laneSchema, { error: 'expected an object { <lane>: { iterations, timeout, sla, … } }' })
      .optional(),
    reports: z
      .array(z.enum(REPORT_FORMATS, { error: `expected one of ${quoted(ALL_REPORT_FORMATS)}` }), {
        error: `expected a list of ${quoted(ALL_REPORT_FORMATS)}`,
      })
      .optional(),
    runner: z.enum(RUNNERS, { error: `expected one of ${quoted(RUNNERS)}` }).optional(),
    sampleIntervalMs: positiveNumber(60_000).optional(),
    regressionThreshold: positiveNumber().optional(),
    historyWindow: integerFrom(1, 10_000).optional(),
    strict: booleanValue.optional(),
    history: z
      .string({ error: 'expected a file path or a postgres:// URL' })
      .refine((s) => s.trim() !== '', { error: 'expected a file path or a postgres:// URL' })
      .optional(),
    failOnRegression: booleanValue.optional(),
    // issue 12 (confirm before failing) and issue 14 (bounded history): accepted here, used by their features
    confirm: integerAtLeast(0).optional(),
    historyRetention: historyRetentionSchema.optional(),
  },
  { error: 'expected an object ({ outputDir, lanes, reports, … })' },
);

/** The keys each kind of object accepts, in the order the messages list them. */
export const CONFIG_SCHEMA_KEYS = Object.keys(configSchema.shape);
export const LANE_SCHEMA_KEYS = Object.keys(laneSchema.shape);

/** Where an issue is, as today's messages say it: `config.runner`, `lanes.docs.sla.p95`, `config.reports`. */
function settingName(path: readonly PropertyKey[], root: string): string {
  const keys = path.filter((p) => typeof p !== 'number').map(String);
  // workflow options: `options of lane 'docs': iterations`, `options of lane 'docs'.sla.p95`
  if (root !== 'config') return keys[0] === 'sla' ? [root, ...keys].join('.') : `${root}: ${keys.join('.')}`;
  if (keys[0] === 'lanes' && keys.length >= 2) return keys.join('.');
  return ['config', ...keys.slice(0, keys[0] === 'historyRetention' ? 2 : 1)].join('.');
}

function validKeys(path: readonly PropertyKey[], root: string): string {
  const last = path[path.length - 1];
  if (last === 'sla') {
    return `${Object.keys(slaSchema.shape)
      .filter((k) => !(k in SLA_KEY_ALIASES))
      .join(', ')} (aliases: ${Object.keys(SLA_KEY_ALIASES).join(', ')})`;
  }
  if (last === 'historyRetention') return 'runs, days';
  if (root === 'config' && path.length === 0) return CONFIG_SCHEMA_KEYS.join(', ');
  return LANE_SCHEMA_KEYS.join(', ');
}

/** Today's message for one zod issue; `root` names the whole object ('config', or `options of lane 'docs'`). */
export function configIssue(issue: z.core.$ZodIssue, root = 'config'): string {
  const where = settingName(issue.path, root);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    // an SLA key names its object after the key, as the threshold compiler says it for toMeetSla
    if (issue.path[issue.path.length - 1] === 'sla') {
      return `unknown key '${key}' in ${where}; valid keys: ${validKeys(issue.path, root)}`;
    }
    return `${where}: unknown key '${key}'; valid keys: ${validKeys(issue.path, root)}`;
  }
  // a rule over a whole object (historyRetention's "runs or days") says what is missing: no bad value to show
  const input: unknown = issue.input;
  if (issue.code === 'custom' && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return `${where}: ${issue.message}`;
  }
  return `${where}: ${showValue(issue.input)} is not valid; ${issue.message}`;
}

/**
 * The first problem of the value against the schema, as a ConfigError; else the value itself, typed as the
 * interface of types.ts that the schema matches (see ConfigSchemaMatchesTypes).
 */
export function checkConfig<T>(schema: z.ZodType, value: unknown, root = 'config'): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return value as T;
  // an unknown key first: a misspelt key explains the values around it
  const issues = result.error.issues;
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  throw new ConfigError(first ? configIssue(first, root) : `${root}: ${showValue(value)} is not valid`);
}

// ---- compile-time checks: the schema and the interfaces of types.ts describe the same values ----
// Compared with `undefined` removed from every property: at run time an explicit `undefined` means "not set"
// (the layers are spread over each other), which the schema allows and some interfaces spell out.
type Defined<T> = T extends readonly (infer U)[]
  ? Defined<U>[]
  : T extends object
    ? { [K in keyof T]-?: Defined<Exclude<T[K], undefined>> }
    : T;
type Same<A, B> = (<V>() => V extends A ? 1 : 2) extends <V>() => V extends B ? 1 : 2 ? true : false;
type Check<T extends true> = T;
export type ConfigSchemaMatchesTypes = [
  Check<Same<Defined<z.input<typeof slaSchema>>, Defined<LaneSlaInput>>>,
  Check<Same<Defined<z.input<typeof laneSchema>>, Defined<LaneConfig>>>,
  Check<Same<Defined<z.input<typeof workflowOverridesShape>>, Defined<WorkflowOverrides>>>,
  Check<Same<Defined<z.input<typeof configSchema>>, Defined<LanebenchConfig>>>,
];
