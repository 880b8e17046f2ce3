/**
 * The PostgreSQL history store: runs as rows with indexed columns (id, lane, workflow, started_at,
 * status, environment fingerprint, git sha, branch) and the full record as JSONB, so nothing of a
 * run is lost and window reads are index scans. lanebench creates and migrates the schema itself
 * (a versioned migrations table; a newer schema is refused). Many machines write at once without a
 * lock file: each publish is one transaction, idempotent on the run id. Credentials come only from
 * the URL or the standard PG* variables, and every message masks the password.
 */
import type { Pool, PoolClient } from 'pg';
import { HISTORY_SCHEMA_VERSION, METRIC_KEYS, type HistoryFile, type Run } from '../types.js';
import { HistoryError } from './errors.js';
import {
  maskSecret,
  maskUrl,
  type HistoryRetention,
  type HistoryStore,
  type HistoryWindow,
  lightRun,
  type LightIteration,
  type LightRun,
  type PruneOptions,
  type SeriesSummary,
} from './history-store.js';
import { validateRun } from './schema.js';

/** The newest database schema this lanebench knows. */
export const PG_SCHEMA_VERSION = 2;

// a run's passed iterations' figures (LightRun), as SQL builds them from the record: timelines and statistics left out
const LIGHT_OF_RECORD = `jsonb_build_object('started_at', record->'started_at', 'iterations',
  (SELECT coalesce(jsonb_agg(jsonb_build_object('status', it->'status', 'custom', it->'custom', ${METRIC_KEYS.map(
    (k) => `'${k}', it->'${k}'`,
  ).join(', ')}) ORDER BY n), '[]'::jsonb)
   FROM jsonb_array_elements(record->'iterations') WITH ORDINALITY AS i(it, n)
   WHERE it->>'status' = 'passed'))`;

export const PG_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE lanebench_runs (
        seq BIGSERIAL NOT NULL,
        id TEXT PRIMARY KEY,
        lane TEXT NOT NULL,
        workflow TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        status TEXT NOT NULL,
        env_fingerprint TEXT,
        git_sha TEXT,
        git_branch TEXT,
        record JSONB NOT NULL
      );
      CREATE INDEX lanebench_runs_window ON lanebench_runs (lane, workflow, started_at DESC);
      CREATE INDEX lanebench_runs_fingerprint ON lanebench_runs (env_fingerprint, lane, workflow, started_at DESC);
      CREATE INDEX lanebench_runs_started ON lanebench_runs (started_at);
      CREATE INDEX lanebench_runs_sha ON lanebench_runs (git_sha);
      CREATE INDEX lanebench_runs_branch ON lanebench_runs (git_branch);
    `,
  },
  {
    // the light form beside the record (about a fifth of its size, stored inline), so reading every run for
    // `analyze` does not open 100,000 full records
    version: 2,
    sql: `
      ALTER TABLE lanebench_runs ADD COLUMN light JSONB;
      UPDATE lanebench_runs SET light = ${LIGHT_OF_RECORD};
      ALTER TABLE lanebench_runs ALTER COLUMN light SET NOT NULL;
    `,
  },
];

/** What the `light` column holds for a run (the same figures LIGHT_OF_RECORD takes from its record). */
function lightColumn(run: Run): string {
  const { started_at, iterations } = lightRun(run);
  return JSON.stringify({ started_at, iterations });
}

/** Runs per FETCH of a light read. */
const LIGHT_BATCH = 2000;

const LIGHT_SELECT = `SELECT id, lane, workflow, env_fingerprint AS fingerprint, light
  FROM lanebench_runs ORDER BY started_at, seq`;

/** Runs per INSERT statement of an append (a few MB of JSON each). */
const APPEND_BATCH = 500;

// one key for every lanebench migrating a database at the same time
const MIGRATION_LOCK_KEY = 7_215_003_101;

export class PostgresHistoryStore implements HistoryStore {
  readonly kind = 'postgres' as const;
  readonly display: string;
  private pool: Pool | undefined;
  private migrated = false;

  /** `rescueFile`: the metrics.json path whose directory takes rescue files when the server is unreachable */
  constructor(
    private readonly url: string,
    readonly rescueFile: string,
    private readonly retention?: HistoryRetention,
  ) {
    this.display = maskUrl(url);
  }

  private fail(what: string, err: unknown): HistoryError {
    const reason = maskSecret(err instanceof Error ? err.message : String(err), this.url);
    return new HistoryError(this.display, `PostgreSQL history ${this.display}: ${what}: ${reason}`);
  }

  private async connect(): Promise<PoolClient> {
    if (!this.pool) {
      const { default: pg } = await import('pg');
      this.pool = new pg.Pool({ connectionString: this.url, max: 2, connectionTimeoutMillis: 10_000 });
      // an idle client losing its server must not crash the process; the next query reports it
      this.pool.on('error', () => undefined);
    }
    try {
      const client = await this.pool.connect();
      if (!this.migrated) await this.migrate(client);
      return client;
    } catch (err) {
      if (err instanceof HistoryError) throw err;
      throw this.fail('cannot connect', err);
    }
  }

  private async migrate(client: PoolClient): Promise<void> {
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS lanebench_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM lanebench_migrations');
      const current = rows[0]?.v ?? 0;
      if (current > PG_SCHEMA_VERSION) {
        await client.query('ROLLBACK');
        client.release();
        throw new HistoryError(
          this.display,
          `PostgreSQL history ${this.display} has schema version ${current}, written by a newer lanebench ` +
            `(this version knows ${PG_SCHEMA_VERSION}). Upgrade lanebench; the database was left untouched.`,
        );
      }
      for (const m of PG_MIGRATIONS) {
        if (m.version <= current) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO lanebench_migrations (version) VALUES ($1)', [m.version]);
      }
      await client.query('COMMIT');
      this.migrated = true;
    } catch (err) {
      if (err instanceof HistoryError) throw err;
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw this.fail('cannot create or migrate the schema', err);
    }
  }

  /** The schema version in the database (after migration). */
  async schemaVersion(): Promise<number> {
    const client = await this.connect();
    try {
      const { rows } = await client.query<{ v: number }>('SELECT max(version) AS v FROM lanebench_migrations');
      return rows[0]!.v;
    } finally {
      client.release();
    }
  }

  async check(): Promise<void> {
    const client = await this.connect();
    client.release();
  }

  async append(runs: readonly Run[]): Promise<void> {
    runs.forEach((r, i) => validateRun(`(new runs for ${this.display})`, r, i));
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      // a later copy of an id replaces an earlier one and keeps its place, as one INSERT per run would
      const latest = [...new Map(runs.map((r) => [r.id, r])).values()];
      for (let i = 0; i < latest.length; i += APPEND_BATCH) {
        const batch = latest.slice(i, i + APPEND_BATCH);
        // one statement per batch (arrays unnested in order), so loading many runs costs few round trips
        await client.query(
          `INSERT INTO lanebench_runs (id, lane, workflow, started_at, status, env_fingerprint, git_sha, git_branch, record, light)
           SELECT id, lane, workflow, started_at, status, env_fingerprint, git_sha, git_branch, record, light
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::jsonb[], $10::jsonb[])
             WITH ORDINALITY AS u(id, lane, workflow, started_at, status, env_fingerprint, git_sha, git_branch, record, light, n)
           ORDER BY n
           ON CONFLICT (id) DO UPDATE SET lane = EXCLUDED.lane, workflow = EXCLUDED.workflow,
             started_at = EXCLUDED.started_at, status = EXCLUDED.status, env_fingerprint = EXCLUDED.env_fingerprint,
             git_sha = EXCLUDED.git_sha, git_branch = EXCLUDED.git_branch, record = EXCLUDED.record,
             light = EXCLUDED.light`,
          [
            batch.map((r) => r.id),
            batch.map((r) => r.lane),
            batch.map((r) => r.workflow),
            batch.map((r) => r.started_at),
            batch.map((r) => r.status),
            batch.map((r) => r.env?.fingerprint ?? null),
            batch.map((r) => r.git?.sha ?? null),
            batch.map((r) => r.git?.branch ?? null),
            batch.map((r) => JSON.stringify(r)),
            batch.map(lightColumn),
          ],
        );
      }
      await this.applyRetention(client, runs);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err instanceof HistoryError ? err : this.fail(`could not save ${runs.length} run(s)`, err);
    } finally {
      client.release();
    }
  }

  /** historyRetention for the lanes/workflows just written, in the publish's transaction (index scans). */
  private async applyRetention(client: PoolClient, runs: readonly Run[]): Promise<void> {
    const r = this.retention;
    if (!r) return;
    const groups = new Map(runs.map((run) => [`${run.lane}\u0000${run.workflow}`, run]));
    for (const run of groups.values()) {
      if (r.days !== undefined) {
        await client.query('DELETE FROM lanebench_runs WHERE lane = $1 AND workflow = $2 AND started_at < $3', [
          run.lane,
          run.workflow,
          new Date(Date.now() - r.days * 86_400_000).toISOString(),
        ]);
      }
      if (r.runs !== undefined) {
        await client.query(
          `DELETE FROM lanebench_runs WHERE lane = $1 AND workflow = $2 AND id IN (
             SELECT id FROM lanebench_runs WHERE lane = $1 AND workflow = $2
             ORDER BY started_at DESC, seq DESC OFFSET $3)`,
          [run.lane, run.workflow, r.runs],
        );
      }
    }
  }

  private async select(where: string, params: unknown[], tail = 'ORDER BY started_at, seq'): Promise<Run[]> {
    const client = await this.connect();
    try {
      const { rows } = await client.query<{ record: unknown }>(
        `SELECT record FROM lanebench_runs ${where} ${tail}`,
        params,
      );
      return rows.map((row, i) => validateRun(this.display, row.record, i));
    } catch (err) {
      throw err instanceof HistoryError ? err : this.fail('could not read runs', err);
    } finally {
      client.release();
    }
  }

  async readWindow(w: HistoryWindow): Promise<Run[]> {
    const cond: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      cond.push(sql.replace('?', `$${params.length}`));
    };
    if (w.lane !== undefined) add('lane = ?', w.lane);
    if (w.workflow !== undefined) add('workflow = ?', w.workflow);
    if (w.fingerprint !== undefined) add('env_fingerprint = ?', w.fingerprint);
    if (w.since !== undefined) add('started_at >= ?', w.since);
    const where = cond.length ? `WHERE ${cond.join(' AND ')}` : '';
    if (w.last === undefined) return this.select(where, params);
    params.push(w.last);
    const runs = await this.select(where, params, `ORDER BY started_at DESC, seq DESC LIMIT $${params.length}`);
    return runs.reverse();
  }

  async readAll(): Promise<HistoryFile> {
    return { schema_version: HISTORY_SCHEMA_VERSION, runs: await this.select('', []) };
  }

  async forEachLight(fn: (run: LightRun) => void): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE lanebench_light NO SCROLL CURSOR FOR ${LIGHT_SELECT}`);
      const fetch = () => {
        const next = client.query<{
          id: string;
          lane: string;
          workflow: string;
          fingerprint: string | null;
          light: { started_at: string; iterations: LightIteration[] };
        }>(`FETCH ${LIGHT_BATCH} FROM lanebench_light`);
        next.catch(() => undefined); // awaited below; never an unhandled rejection when `fn` throws first
        return next;
      };
      // The next batch is asked for before this one is handed over, so the server reads and sends it while
      // `fn` runs (the client would otherwise wait for it after every batch).
      let pending = fetch();
      for (;;) {
        const { rows } = await pending;
        const more = rows.length === LIGHT_BATCH;
        if (more) pending = fetch();
        for (const { light, ...row } of rows)
          fn({ ...row, started_at: light.started_at, iterations: light.iterations });
        if (!more) break;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err instanceof HistoryError ? err : this.fail('could not read runs', err);
    } finally {
      client.release();
    }
  }

  async summarize(): Promise<SeriesSummary[]> {
    const client = await this.connect();
    try {
      // first and latest run of each series by the window index; only the latest rows' records are opened
      const { rows } = await client.query<{
        lane: string;
        workflow: string;
        runs: string;
        id: string;
        started_at: string;
        fingerprint: string | null;
      }>(
        `WITH firsts AS (
           SELECT DISTINCT ON (lane, workflow) lane, workflow, started_at, seq FROM lanebench_runs
           ORDER BY lane, workflow, started_at, seq),
         lasts AS (
           SELECT DISTINCT ON (lane, workflow) lane, workflow, id FROM lanebench_runs
           ORDER BY lane, workflow, started_at DESC, seq DESC),
         counts AS (SELECT lane, workflow, count(*) AS runs FROM lanebench_runs GROUP BY lane, workflow)
         SELECT f.lane, f.workflow, c.runs, r.id, r.record->>'started_at' AS started_at, r.env_fingerprint AS fingerprint
         FROM firsts f JOIN counts c USING (lane, workflow) JOIN lasts l USING (lane, workflow)
         JOIN lanebench_runs r ON r.id = l.id
         ORDER BY f.started_at, f.seq`,
      );
      return rows.map((r) => ({
        lane: r.lane,
        workflow: r.workflow,
        runs: Number(r.runs),
        latest: { id: r.id, started_at: r.started_at, fingerprint: r.fingerprint },
      }));
    } catch (err) {
      throw err instanceof HistoryError ? err : this.fail('could not read runs', err);
    } finally {
      client.release();
    }
  }

  async prune(opts: PruneOptions): Promise<number> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      let removed = 0;
      const laneCond = opts.lane !== undefined ? 'AND lane = $2' : '';
      if (opts.olderThan) {
        const r = await client.query(`DELETE FROM lanebench_runs WHERE started_at < $1 ${laneCond}`, [
          opts.olderThan.toISOString(),
          ...(opts.lane !== undefined ? [opts.lane] : []),
        ]);
        removed += r.rowCount ?? 0;
      }
      if (opts.keepRuns !== undefined) {
        const r = await client.query(
          `DELETE FROM lanebench_runs WHERE id IN (
             SELECT id FROM (
               SELECT id, lane, row_number() OVER (PARTITION BY lane, workflow ORDER BY started_at DESC, seq DESC) AS n
               FROM lanebench_runs
             ) ranked WHERE n > $1 ${laneCond})`,
          [opts.keepRuns, ...(opts.lane !== undefined ? [opts.lane] : [])],
        );
        removed += r.rowCount ?? 0;
      }
      await client.query('COMMIT');
      return removed;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.fail('could not prune', err);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }
}
