/**
 * The one schema of metrics.json (schema_version 1), shared by the reader, merge, report and every
 * store: a run is checked down to the inner types the analysis and reports use, so a bad file is
 * refused with a message naming the file and the run instead of a TypeError later. Objects are
 * loose: fields added by later versions (optional by the SPEC's rule) pass through unchanged.
 */
import { z } from 'zod';
import { HISTORY_SCHEMA_VERSION, type Run } from '../types.js';
import { HistoryError } from './errors.js';

const num = z.number();
const str = z.string();

const methodsSchema = z.looseObject({
  execution_time: str,
  cpu: str,
  memory: str,
  disk: str,
  network: str,
  network_scope: str,
  sample_interval_ms: num,
});

const iterationSchema = z.looseObject({
  index: num,
  status: z.enum(['passed', 'failed', 'timeout']),
  started_at: str,
  error: str.optional(),
  exit_code: num.nullable().optional(),
  signal: str.nullable().optional(),
  execution_time: num,
  cpu_seconds: num,
  cpu_usage: num,
  memory_usage: num,
  disk_read_bytes: num,
  disk_write_bytes: num,
  disk_io: num,
  network_rx_bytes: num,
  network_tx_bytes: num,
  network_io: num,
  custom: z.record(str, num),
  methods: methodsSchema,
  timeline: z.array(z.looseObject({ t: num, cpu: num, mem: num })),
});

const statsSchema = z.looseObject({
  mean: num,
  median: num,
  stdev: num,
  min: num,
  max: num,
  p95: num,
  p99: num,
  samples: num,
  unresolved: z.array(str),
});

const violationSchema = z.looseObject({
  name: str,
  metric: str,
  aggregation: str,
  operator: str,
  value: num,
  threshold: num,
  unit: str,
  severity: z.enum(['error', 'warning']),
  message: str,
});

export const runSchema = z.looseObject({
  id: str.min(1),
  lane: str,
  workflow: str,
  file: str.optional(),
  started_at: str,
  duration_s: num,
  iterations_requested: num,
  warmup: num,
  timeout_s: num,
  status: z.enum(['completed', 'partial', 'failed', 'timeout']),
  iterations: z.array(iterationSchema),
  metrics_analysis: z.record(str, statsSchema),
  sla: z.looseObject({
    compliant: z.boolean(),
    strict: z.boolean(),
    passed: z.boolean(),
    violations: z.array(violationSchema),
    checked: num,
  }),
  custom_units: z.record(str, str),
  env: z.looseObject({ fingerprint: str, hostname: str.optional() }),
  git: z.looseObject({ sha: str.nullable(), branch: str.nullable(), dirty: z.boolean().nullable() }),
  runner: z.looseObject({ name: str, version: str.nullable() }),
  notes: z.array(str),
});

/** A whole metrics.json: the document the file store writes and `lanebench history export` produces. */
export const historyDocumentSchema = z
  .looseObject({
    schema_version: z.literal(HISTORY_SCHEMA_VERSION),
    runs: z.array(runSchema),
  })
  .meta({
    title: 'lanebench metrics.json',
    description:
      'The lanebench history (schema_version 1): one record per run. Objects allow fields added by later versions.',
  });

/**
 * The JSON Schema (draft 2020-12) of metrics.json, generated from the zod schema above, so the published
 * copy (docs/metrics.schema.json, written by scripts/metrics-schema.mjs) cannot drift from what the
 * reader accepts: packages/core/test/history-json-schema.test.ts fails when the copy is stale.
 */
export function metricsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(historyDocumentSchema, { target: 'draft-2020-12', io: 'input' });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length
    ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
    : '';
  return `${where.replace(/^\./, '') || '(the run)'}: ${issue.message}`;
}

/**
 * Checks one run; throws a HistoryError naming the file, the run's position and id, and the first
 * wrong fields. `where` is the file (or store) the run came from.
 */
export function validateRun(where: string, value: unknown, index: number): Run {
  const result = runSchema.safeParse(value);
  if (result.success) return value as Run;
  const id =
    value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? ` (id ${JSON.stringify((value as { id: string }).id)})`
      : '';
  const issues = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
  throw new HistoryError(
    where,
    `history ${where}: runs[${index}]${id} is not a valid lanebench run: ${issues}. ` +
      `The file was left untouched: repair or remove that run (or move the file away to start a new history).`,
  );
}

/** Validates a whole parsed history document (schema_version, runs and every run). */
export function validateHistoryDocument(where: string, data: unknown): { schema_version: 1; runs: Run[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new HistoryError(
      where,
      `history file ${where} is not a lanebench history: expected an object { "schema_version": 1, "runs": [...] }`,
    );
  }
  const version = (data as { schema_version?: unknown }).schema_version;
  checkSchemaVersion(where, version);
  const runs = (data as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) {
    throw new HistoryError(where, `history file ${where} is not a lanebench history: "runs" must be an array`);
  }
  runs.forEach((run, i) => validateRun(where, run, i));
  return { schema_version: HISTORY_SCHEMA_VERSION, runs: runs as Run[] };
}

export function checkSchemaVersion(where: string, version: unknown): void {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new HistoryError(
      where,
      `history file ${where} has no valid schema_version (found ${JSON.stringify(version)}); expected ${HISTORY_SCHEMA_VERSION}`,
    );
  }
  if (version > HISTORY_SCHEMA_VERSION) {
    throw new HistoryError(
      where,
      `history file ${where} was written by a newer lanebench (schema_version ${version}; this version reads ${HISTORY_SCHEMA_VERSION}). ` +
        `Upgrade lanebench or use another output directory; the file was left untouched.`,
    );
  }
}
