/**
 * The PostgreSQL store end to end from the runners (issue 14 §4): a fresh Vitest 4.1 project pointed
 * at a real server by LANEBENCH_HISTORY, a fresh Jest 30 project by the config's `history`, and
 * `lanebench analyze --window` reading only its window (the server's own statistics: index scans of
 * lanebench_runs, no sequential scan).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresHistoryStore, type Run } from '../packages/core/src/index.js';
import { CLI, lanebench, tempDir } from './cli-helpers.js';
import { makeRun } from './helpers/runs.mjs';
import { createProject } from './helpers/project.js';
import { startPostgres, type PgServer } from './helpers/postgres.js';
import { requireBuilt } from './helpers/tools.js';

requireBuilt(CLI);
let pg: PgServer | null = null;
const dirs: string[] = [];
beforeAll(async () => {
  pg = await startPostgres('the runners on the PostgreSQL history store');
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 180_000);

async function runsIn(url: string): Promise<Run[]> {
  const store = new PostgresHistoryStore(url, join(tempDir('pg-read'), 'metrics.json'));
  try {
    return (await store.readAll()).runs;
  } finally {
    await store.close();
  }
}

describe('runners on PostgreSQL', () => {
  it('Vitest 4.1: LANEBENCH_HISTORY=postgres://… stores every run in the database, no metrics.json', async (ctx) => {
    if (!pg) return ctx.skip();
    const url = await pg.newDatabase();
    const project = createProject({ name: 'pg-vitest', lanebench: ['vitest'], dependencies: { vitest: '4.1.12' } });
    dirs.push(project.dir);
    project.write(
      'vitest.config.ts',
      `import { defineConfig } from 'vitest/config';
import { lanebench } from '@lanebench/vitest';
export default defineConfig({ plugins: [lanebench({ outputDir: 'out', lanes: { docs: { iterations: 2 } } })] });
`,
    );
    project.write(
      'docs.bench.ts',
      `import { workflow } from '@lanebench/vitest';
workflow('docs', 'build site', 'node -e "setTimeout(() => {}, 50)"');
workflow('docs', 'lint', 'node -e "setTimeout(() => {}, 20)"');
`,
    );
    for (let round = 1; round <= 2; round++) {
      const res = project.run('npx', ['vitest', 'bench', '--run'], {
        env: { LANEBENCH_HISTORY: url },
        timeoutMs: 240_000,
      });
      const output = `${res.stdout}\n${res.stderr}`;
      expect(res.status, output).toBe(0);
      expect(output).not.toContain(pg.password);
      const runs = await runsIn(url);
      expect(runs).toHaveLength(2 * round);
      expect(runs.every((r) => r.runner.name === 'vitest' && r.iterations.length === 2)).toBe(true);
    }
    expect(project.exists('out/metrics.json')).toBe(false);
    expect(project.exists('out/performance_dashboard.html')).toBe(true);
  }, 600_000);

  it('Jest 30: config `history: postgres://…` stores every run in the database', async (ctx) => {
    if (!pg) return ctx.skip();
    const url = await pg.newDatabase();
    const project = createProject({
      name: 'pg-jest',
      lanebench: ['jest'],
      dependencies: { jest: '30.5.2' },
      type: 'commonjs',
    });
    dirs.push(project.dir);
    project.write(
      'lanebench.config.json',
      JSON.stringify({ runner: 'jest', history: url, lanes: { quick: { iterations: 2, timeout: '30s' } } }),
    );
    project.write(
      'jest.config.js',
      `module.exports = { reporters: ['default', ['@lanebench/jest', { outputDir: 'out' }]], setupFilesAfterEnv: ['@lanebench/jest/setup'], testMatch: ['<rootDir>/bench/**/*.test.js'] };\n`,
    );
    project.write(
      'bench/quick.test.js',
      `const { workflow } = require('@lanebench/jest');
workflow('quick', 'spawn', 'node -e "setTimeout(() => {}, 30)"');
workflow('quick', 'in process', async () => { await new Promise((r) => setTimeout(r, 10)); });
`,
    );
    const res = project.run('npx', ['jest', '--maxWorkers=1'], { timeoutMs: 240_000 });
    const output = `${res.stdout}\n${res.stderr}`;
    expect(res.status, output).toBe(0);
    expect(output).not.toContain(pg.password);
    const runs = await runsIn(url);
    expect(runs.map((r) => r.workflow).sort()).toEqual(['in process', 'spawn']);
    expect(runs.every((r) => r.runner.name === 'jest' && r.lane === 'quick')).toBe(true);
    expect(project.exists('out/metrics.json')).toBe(false);
  }, 600_000);

  it('analyze --lane --window reads only its window: index scans of a few rows, no sequential scan', async (ctx) => {
    if (!pg) return ctx.skip();
    const url = await pg.newDatabase();
    const store = new PostgresHistoryStore(url, join(tempDir('pg-window'), 'metrics.json'));
    try {
      for (let i = 0; i < 3000; i += 1000) {
        await store.append(
          Array.from<unknown, Run>({ length: 1000 }, (_, k) =>
            makeRun({
              id: `pg-${i + k}`,
              startedAt: new Date(Date.UTC(2025, 0, 1) + (i + k) * 60_000),
              lane: 'docs',
              workflow: (i + k) % 3 ? 'w' : 'v',
              iterations: 2,
              timeline: 0,
            }),
          ),
        );
      }
    } finally {
      await store.close();
    }
    const { default: pgLib } = await import('pg');
    const client = new pgLib.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('ANALYZE lanebench_runs');
      const scans = async () => {
        await client.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ seq: string; idx: string; tuples: string }>(
          `SELECT seq_scan AS seq, idx_scan AS idx, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS tuples
           FROM pg_stat_user_tables WHERE relname = 'lanebench_runs'`,
        );
        return { seq: Number(rows[0]!.seq), idx: Number(rows[0]!.idx), tuples: Number(rows[0]!.tuples) };
      };
      const before = await scans();
      const cwd = tempDir('pg-analyze');
      dirs.push(cwd);
      const r = lanebench(cwd, ['analyze', '--lane', 'docs', '--workflow', 'w', '--window', '7'], {
        LANEBENCH_HISTORY: url,
      });
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { total_runs: number }).total_runs).toBe(7);
      // the CLI's backend has exited: its statistics are flushed; give the collector a moment
      let after = await scans();
      for (let k = 0; k < 20 && after.idx === before.idx; k++) {
        await new Promise((res) => setTimeout(res, 250));
        after = await scans();
      }
      expect(after.idx).toBeGreaterThan(before.idx);
      expect(after.seq).toBe(before.seq);
      // a handful of the 3,000 rows were read (the window and the index's look-ahead)
      expect(after.tuples - before.tuples).toBeLessThan(50);
      // the same command without --window reads every row: the contrast that makes the figure above mean something
      const all = lanebench(cwd, ['analyze', '--lane', 'docs'], { LANEBENCH_HISTORY: url });
      expect(all.code, all.stderr).toBe(0);
      let full = await scans();
      for (let k = 0; k < 20 && full.tuples === after.tuples; k++) {
        await new Promise((res) => setTimeout(res, 250));
        full = await scans();
      }
      expect(full.tuples - after.tuples).toBeGreaterThanOrEqual(3000);
    } finally {
      await client.end();
    }
  }, 300_000);
});
