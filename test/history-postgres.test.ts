/**
 * The PostgreSQL history store against a real server (issue 14 §1, §4): migrations on an empty
 * database and refusal of a newer schema, idempotent appends, window reads, prune, a lossless round
 * trip file → PostgreSQL → file, 6 concurrent `lanebench run` writers, a writer SIGKILLed mid-publish,
 * and the server stopped mid-run (rescue file, exit 2, no password in any message).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyWindow,
  FileHistoryStore,
  PostgresHistoryStore,
  lightRun,
  serializeHistory,
  type Run,
} from '../packages/core/src/index.js';
import { PG_MIGRATIONS } from '../packages/core/src/history/postgres-store.js';
import { CLI, lanebench } from './cli-helpers.js';
import { makeHistory, makeRun } from './helpers/runs.mjs';
import { startPostgres, type PgServer } from './helpers/postgres.js';
import { requireBuilt } from './helpers/tools.js';

const HERE = dirname(fileURLToPath(import.meta.url));
requireBuilt(CLI);
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-pg-test-'));
  dirs.push(d);
  return d;
}

let pg: PgServer | null = null;
const stores: PostgresHistoryStore[] = [];
function open(url = pg!.url): PostgresHistoryStore {
  const s = new PostgresHistoryStore(url, join(tempDir(), 'metrics.json'));
  stores.push(s);
  return s;
}
beforeAll(async () => {
  pg = await startPostgres('the PostgreSQL history store tests');
}, 120_000);
afterAll(async () => {
  for (const s of stores) await s.close();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

/** Deterministic JSON: keys sorted at every level (JSONB does not keep key order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
const byId = (runs: readonly Run[]) => [...runs].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('PostgreSQL history store', () => {
  it('creates its schema on an empty database, once, and refuses a newer schema', async (ctx) => {
    if (!pg) return ctx.skip();
    const { default: pgLib } = await import('pg');
    const a = open();
    await a.check();
    expect(await a.schemaVersion()).toBe(2);
    await open().check(); // a second lanebench migrates nothing
    const client = new pgLib.Client({ connectionString: pg.url });
    await client.connect();
    try {
      const m = await client.query<{ version: number }>('SELECT version FROM lanebench_migrations');
      expect(m.rows.map((r) => r.version)).toEqual([1, 2]);
      const idx = await client.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'lanebench_runs' ORDER BY indexname",
      );
      expect(idx.rows.map((r) => r.indexname)).toEqual(
        expect.arrayContaining(['lanebench_runs_pkey', 'lanebench_runs_window', 'lanebench_runs_fingerprint']),
      );
      await client.query('INSERT INTO lanebench_migrations (version) VALUES (99)');
      const err = await open()
        .check()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        /has schema version 99, written by a newer lanebench \(this version knows 2\)/,
      );
      expect((err as Error).message).not.toContain(pg.password);
      expect((err as Error).message).toContain(':***@');
    } finally {
      await client.query('DELETE FROM lanebench_migrations WHERE version = 99');
      await client.end();
    }
  });

  it('appends idempotently, reads windows, prunes, and round-trips file → PostgreSQL → file losslessly', async (ctx) => {
    if (!pg) return ctx.skip();
    const store = open();
    await store.prune({ olderThan: new Date('2100-01-01') }); // empty, whatever ran before
    const runs = makeHistory(36, { timeline: 8 }).runs.map((r, i) => {
      if (i % 4 !== 0) for (const it of r.iterations) it.timeline = [];
      if (i % 5 === 0) r.env = { ...r.env, fingerprint: 'other-machine' };
      return r;
    });
    const dir = tempDir();
    const file = new FileHistoryStore(join(dir, 'metrics.json'));
    await file.append(runs);
    const original = await file.readAll();
    await store.append(original.runs);
    await store.append(original.runs.slice(0, 10)); // a retried publish duplicates nothing
    const all = await store.readAll();
    expect(all.runs).toHaveLength(36);

    // round trip, byte for byte after normalizing order
    const exported = serializeHistory(all);
    const normalize = (text: string) => {
      const h = JSON.parse(text) as { schema_version: number; runs: Run[] };
      return canonical({ ...h, runs: byId(h.runs) });
    };
    expect(normalize(exported)).toBe(normalize(readFileSync(join(dir, 'metrics.json'), 'utf8')));

    // windows read in the database equal the same windows applied in memory
    const windows = [
      { lane: 'docs', workflow: 'docs workflow', last: 5 },
      { lane: 'heavy', workflow: 'heavy workflow', fingerprint: 'other-machine' },
      { lane: 'standard', since: runs[20]!.started_at },
      { last: 3 },
    ];
    for (const w of windows) {
      const got = (await store.readWindow(w)).map((r) => r.id);
      expect(got, JSON.stringify(w)).toEqual(applyWindow(original.runs, w).map((r) => r.id));
      expect(got.length, JSON.stringify(w)).toBeGreaterThan(0);
    }

    expect(await store.prune({ keepRuns: 4, lane: 'docs' })).toBe(8);
    expect((await store.readWindow({ lane: 'docs' })).map((r) => r.id)).toEqual(
      applyWindow(original.runs, { lane: 'docs', last: 4 }).map((r) => r.id),
    );
    expect(await store.prune({ olderThan: new Date(runs[30]!.started_at) })).toBeGreaterThan(0);
    expect((await store.readAll()).runs.every((r) => r.started_at >= runs[30]!.started_at)).toBe(true);
  });

  it('migrates a version-1 database with runs: the light column is filled from the records, as an append writes it', async (ctx) => {
    if (!pg) return ctx.skip();
    const url = await pg.newDatabase();
    const { default: pgLib } = await import('pg');
    const runs = makeHistory(12, { timeline: 4 }).runs.map((r, i) => {
      if (i === 2) r.iterations[1]!.status = 'failed';
      if (i === 5) r.iterations[0]!.custom = { zeta: 2, alpha: 1.25e-9 };
      return r;
    });
    const client = new pgLib.Client({ connectionString: url });
    await client.connect();
    try {
      // what lanebench with schema version 1 left: its table, its rows
      await client.query(PG_MIGRATIONS[0]!.sql);
      await client.query(
        'CREATE TABLE lanebench_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      await client.query('INSERT INTO lanebench_migrations (version) VALUES (1)');
      for (const r of runs.slice(0, 6)) {
        await client.query(
          `INSERT INTO lanebench_runs (id, lane, workflow, started_at, status, env_fingerprint, record)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [r.id, r.lane, r.workflow, r.started_at, r.status, r.env?.fingerprint ?? null, JSON.stringify(r)],
        );
      }
    } finally {
      await client.end();
    }
    const store = open(url);
    try {
      await store.append(runs.slice(6)); // migrates first, then writes the light column itself
      expect(await store.schemaVersion()).toBe(2);
      const light: unknown[] = [];
      await store.forEachLight((r) => light.push(r));
      const want = runs.map(lightRun);
      // SQL names every figure (null where absent); the file store keeps only those present: same statistics
      const strip = (x: unknown) =>
        JSON.parse(JSON.stringify(x, (_k, v: unknown) => (v === null ? undefined : v))) as unknown;
      expect(strip(light)).toEqual(strip(want));
    } finally {
      await store.close();
    }
  });

  it('one append of 1,201 runs (three INSERT batches) keeps order, the last copy of a repeated id, every byte', async (ctx) => {
    if (!pg) return ctx.skip();
    const store = open(await pg.newDatabase());
    try {
      const runs = Array.from<unknown, Run>({ length: 1200 }, (_, i) =>
        makeRun({ seq: i, lane: i % 2 ? 'docs' : 'api', iterations: 2, timeline: 0 }),
      );
      // the same start for all of a batch boundary: order then comes from the append's order alone
      for (const r of runs.slice(495, 505)) r.started_at = runs[495]!.started_at;
      runs[7]!.notes = ['quote " backslash \\ brace { } comma , newline \n tab \t unicode ✓'];
      const again = { ...runs[3]!, status: 'partial' as const };
      await store.append([...runs, again]);
      const all = (await store.readAll()).runs;
      expect(all).toHaveLength(1200);
      expect(all.map((r) => r.id)).toEqual(runs.map((r) => r.id));
      expect(all[3]!.status).toBe('partial');
      expect(canonical(all[7])).toBe(canonical(runs[7]));
      expect(canonical(all.slice(490, 510))).toBe(canonical(runs.slice(490, 510)));
    } finally {
      await store.close();
    }
  });

  it('a writer killed with SIGKILL mid-publish leaves nothing partial, and the next publish succeeds', async (ctx) => {
    if (!pg) return ctx.skip();
    const store = open();
    for (const [round, delay] of [0, 15, 40, 90].entries()) {
      const tag = `kill${round}`;
      const child = spawn(process.execPath, [join(HERE, 'fixtures', 'fault', 'pg-append.mjs'), pg.url, tag, '300'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (out.includes('begin') || child.exitCode !== null) {
            clearInterval(t);
            resolve();
          }
        }, 2);
      });
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const mine = (await store.readWindow({ workflow: `batch ${tag}` })).length;
      // one transaction: all 300 or none, never a part
      expect([0, 300], `round ${round}, after ${delay} ms: ${mine} runs`).toContain(mine);
    }
    await store.append([makeRun({ id: 'after-kills' })]);
    expect((await store.readWindow({ lane: makeRun().lane })).some((r) => r.id === 'after-kills')).toBe(true);
  }, 120_000);

  it('6 concurrent `lanebench run` processes writing one database: 6 of 6 runs present', async (ctx) => {
    if (!pg) return ctx.skip();
    const cwd = tempDir();
    const results = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) =>
          new Promise<{ code: number | null; err: string }>((resolve) => {
            const child = spawn(
              process.execPath,
              [CLI, 'run', '--lane', 'docs', '--iterations', '1', '--name', `concurrent ${i}`, '--', 'true'],
              { cwd, env: { ...process.env, LANEBENCH_HISTORY: pg!.url, NO_COLOR: '1', CI: 'true' } },
            );
            let err = '';
            child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
            child.stdout.resume();
            child.on('exit', (code) => resolve({ code, err }));
          }),
      ),
    );
    expect(
      results.map((r) => r.code),
      results.map((r) => r.err).join('\n'),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    const runs = await open().readWindow({ lane: 'docs' });
    const names = runs.filter((r) => r.workflow.startsWith('concurrent ')).map((r) => r.workflow);
    expect(names.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `concurrent ${i}`));
    // the history never touched a metrics.json
    expect(readdirSync(join(cwd, '.benchmark_results')).filter((n) => n.startsWith('metrics'))).toEqual([]);
  }, 180_000);
});

describe('lanebench history export | import | prune', () => {
  it('round-trips file → PostgreSQL → file losslessly, imports idempotently, prunes both stores', async (ctx) => {
    if (!pg) return ctx.skip();
    const cwd = tempDir();
    const source = join(cwd, 'source.json');
    const runs = Array.from({ length: 24 }, (_, i) =>
      makeRun({ seed: i + 1, timeline: i % 3 === 0 ? 6 : 0, lane: 'roundtrip' }),
    );
    await new FileHistoryStore(source).append(runs);
    // a database of its own: the other tests' runs are not part of this round trip
    const url = await pg.newDatabase();
    const env = { LANEBENCH_HISTORY: url };
    for (let i = 0; i < 2; i++) {
      const imp = lanebench(cwd, ['history', 'import', source], env);
      expect(imp.code, imp.stderr).toBe(0);
      expect(imp.stdout).toContain(`24 run(s), ${i === 0 ? 24 : 0} new`);
      expect(imp.stdout + imp.stderr).not.toContain(pg.password);
    }
    const exp = lanebench(cwd, ['history', 'export', '--to', 'exported.json'], env);
    expect(exp.code, exp.stderr).toBe(0);
    const normalize = (text: string) => {
      const h = JSON.parse(text) as { schema_version: number; runs: Run[] };
      return canonical({ ...h, runs: byId(h.runs) });
    };
    expect(normalize(readFileSync(join(cwd, 'exported.json'), 'utf8'))).toBe(normalize(readFileSync(source, 'utf8')));

    const prunePg = lanebench(cwd, ['history', 'prune', '--keep-runs', '5'], env);
    expect(prunePg.code, prunePg.stderr).toBe(0);
    expect(prunePg.stdout).toContain('Pruned 19 run(s)');
    const pruneFile = lanebench(cwd, ['history', 'prune', '--keep-runs', '5'], { LANEBENCH_HISTORY: source });
    expect(pruneFile.code, pruneFile.stderr).toBe(0);
    expect(pruneFile.stdout).toContain('Pruned 19 run(s)');
    const left = (JSON.parse(readFileSync(source, 'utf8')) as { runs: Run[] }).runs.map((r) => r.id);
    expect(left).toEqual(runs.slice(-5).map((r) => r.id));
    const bad = lanebench(cwd, ['history', 'prune', '--older-than', '90 days'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--older-than: expected an age like 90d, 12h or 30m; got '90 days'");
  }, 120_000);
});

describe('PostgreSQL server stopped mid-run', () => {
  it('rescues the run to a file, exits 2 without the password, and merge brings it back', async (ctx) => {
    const own = await startPostgres('stopping a PostgreSQL server mid-run', { own: true });
    if (!own) return ctx.skip();
    try {
      const cwd = tempDir();
      const out = join(cwd, 'out');
      const env = { LANEBENCH_HISTORY: own.url };
      const r = lanebench(
        cwd,
        ['run', '--lane', 'docs', '--iterations', '1', '--output-dir', out, '--', ...own.stopCommand!],
        env,
      );
      const all = r.stdout + r.stderr;
      expect(r.code, all).toBe(2);
      expect(all).not.toContain(own.password);
      expect(r.stderr).toContain(`could not save the run to ${own.url.replace(own.password, '***')}`);
      const rescue = readdirSync(out).filter((n) => /^metrics\.rescue-.+\.json$/.test(n));
      expect(rescue).toHaveLength(1);
      const rescueFile = join(out, rescue[0]!);
      expect(r.stderr).toContain(`saved to ${rescueFile}`);
      expect(r.stderr).toContain(`lanebench merge ${rescueFile}`);

      own.startServer!();
      const m = lanebench(cwd, ['merge', rescueFile, '--output-dir', out], env);
      expect(m.code, m.stderr).toBe(0);
      expect(m.stdout + m.stderr).not.toContain(own.password);
      const id = (JSON.parse(readFileSync(rescueFile, 'utf8')) as { runs: Run[] }).runs[0]!.id;
      const store = open(own.url);
      expect((await store.readAll()).runs.map((x) => x.id)).toEqual([id]);
      await store.close();
    } finally {
      await own.stop();
    }
  }, 180_000);
});
