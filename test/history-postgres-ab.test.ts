/**
 * `lanebench ab` writes through the configured history store (issue 14): with LANEBENCH_HISTORY pointing at a real
 * PostgreSQL server both sides land in the database (no metrics.json), and a server that cannot be reached sends
 * them to a rescue file with exit 2 and a message without the password, as `lanebench run` does.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresHistoryStore, type HistoryFile } from '../packages/core/src/index.js';
import { CLI, lanebench, tempDir } from './cli-helpers.js';
import { startPostgres, type PgServer } from './helpers/postgres.js';
import { requireBuilt } from './helpers/tools.js';

requireBuilt(CLI);
let pg: PgServer | null = null;
const dirs: string[] = [];
beforeAll(async () => {
  pg = await startPostgres('lanebench ab on the PostgreSQL history store');
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 120_000);

const AB = ['ab', '--lane', 'docs', '--base-cmd', 'true', '--head-cmd', 'true', '--pairs', '3', '--name', 'noop'];

describe('lanebench ab with a PostgreSQL history', () => {
  it('records both sides in the database, tagged with the session; no metrics.json', async (ctx) => {
    if (!pg) return ctx.skip();
    const url = await pg.newDatabase();
    const d = tempDir('pg-ab');
    dirs.push(d);
    const r = lanebench(d, AB, { LANEBENCH_HISTORY: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(pg.password);
    const store = new PostgresHistoryStore(url, join(d, 'unused', 'metrics.json'));
    let runs;
    try {
      runs = (await store.readAll()).runs;
    } finally {
      await store.close();
    }
    expect(runs.map((x) => x.ab?.side)).toEqual(['base', 'head']);
    expect(runs[0]!.ab!.session).toBe(runs[1]!.ab!.session);
    expect(runs.every((x) => x.workflow === 'noop' && x.iterations.length === 3)).toBe(true);
    expect(existsSync(join(d, '.benchmark_results', 'metrics.json'))).toBe(false);
    // a second session adds two more runs (nothing replaced)
    expect(lanebench(d, AB, { LANEBENCH_HISTORY: url }).code).toBe(0);
    const again = new PostgresHistoryStore(url, join(d, 'unused', 'metrics.json'));
    try {
      expect((await again.readAll()).runs).toHaveLength(4);
    } finally {
      await again.close();
    }
  }, 300_000);

  it('a server that cannot be reached: both sides in a rescue file, exit 2, the password never shown', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const password = 'hunter2-ab-secret';
    const d = tempDir('pg-ab-down');
    dirs.push(d);
    const r = lanebench(d, AB, { LANEBENCH_HISTORY: `postgres://lanebench:${password}@127.0.0.1:${port}/nowhere` });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(password);
    expect(r.stderr).toMatch(/could not save 2 runs to postgres:\/\/lanebench:\*\*\*@127\.0\.0\.1/);
    const out = join(d, '.benchmark_results');
    const rescue = readdirSync(out).filter((f) => f.startsWith('metrics.rescue-'));
    expect(rescue).toHaveLength(1);
    expect(r.stderr).toContain(`lanebench merge ${join(out, rescue[0]!)}`);
    const saved = JSON.parse(readFileSync(join(out, rescue[0]!), 'utf8')) as HistoryFile;
    expect(saved.runs.map((x) => x.ab?.side)).toEqual(['base', 'head']);
  }, 300_000);
});
