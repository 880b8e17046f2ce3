/**
 * `lanebench analyze` over the whole history without the full records (issue 14 §5): every store hands its runs
 * over in their light form (HistoryStore.forEachLight: passed iterations' figures only; PostgreSQL projects them
 * on the server) and LaneAggregator keeps only each metric's values. Its figures must be analyzeLane's over the
 * full runs, byte for byte: custom metrics in their order of first appearance, failed iterations left out,
 * workflows in order, start-time ties, a run id recorded twice on the file store (the later copy counts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileHistoryStore,
  LaneAggregator,
  PostgresHistoryStore,
  analyzeLane,
  getTrends,
  latestPerWorkflow,
  type HistoryStore,
  type Run,
} from '../packages/core/src/index.js';
import { CLI, lanebench } from './cli-helpers.js';
import { makeRun } from './helpers/runs.mjs';
import { startPostgres, type PgServer } from './helpers/postgres.js';
import { requireBuilt } from './helpers/tools.js';

requireBuilt(CLI);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lb-light-'));
  dirs.push(d);
  return d;
};
let pg: PgServer | null = null;
beforeAll(async () => {
  pg = await startPostgres('analyze over the PostgreSQL store');
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 120_000);

/** 240 runs over 3 lanes and 2 workflows each, with what makes the aggregation hard. */
function history(): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < 240; i++) {
    const lane = ['docs', 'api', 'heavy'][i % 3]!;
    const r = makeRun({
      seq: i,
      lane,
      workflow: i % 7 < 3 ? 'build' : 'test',
      iterations: 4,
      timeline: i % 50 === 0 ? 5 : 0,
      exec: 1 + (i % 11) / 10,
      override: i % 9 === 0 ? { 1: { status: 'failed', error: 'exit 1' } } : {},
    });
    // custom metrics appear late and in a different order per lane; one only in a failed iteration
    if (i > 100) r.iterations[0]!.custom = i % 2 ? { zeta: i, alpha: i / 3 } : { alpha: 1.5e-7 * i };
    if (i % 9 === 0) r.iterations[1]!.custom = { only_failed: 1 };
    if (i > 200) r.iterations[2]!.custom = { beta: i % 5 };
    // runs recorded out of start order, and start-time ties
    if (i === 150) r.started_at = '2024-12-31T23:00:00.000Z';
    if (i % 20 === 1) r.started_at = runs[i - 1]!.started_at;
    if (i === 77) r.status = 'failed';
    runs.push(r);
  }
  return runs;
}

async function aggregate(store: HistoryStore, workflow?: string): Promise<LaneAggregator> {
  const agg = new LaneAggregator({ workflow });
  await store.forEachLight((r) => agg.add(r));
  return agg;
}

/** [kind, store, its LANEBENCH_HISTORY]: the file store, and PostgreSQL when a server is there */
async function stores(dir: string): Promise<Array<[string, HistoryStore, string]>> {
  const file = join(dir, 'metrics.json');
  const out: Array<[string, HistoryStore, string]> = [
    ['file', new FileHistoryStore(file, { warn: () => undefined }), file],
  ];
  if (pg) {
    const url = await pg.newDatabase();
    out.push(['postgres', new PostgresHistoryStore(url, join(dir, 'rescue', 'metrics.json')), url]);
  }
  return out;
}

describe('analyze from light runs', () => {
  it('LaneAggregator over forEachLight equals analyzeLane over readAll, on both stores', async () => {
    const dir = tmp();
    const runs = history();
    for (const [kind, store] of await stores(dir)) {
      try {
        await store.append(runs.slice(0, 120));
        await store.append(runs.slice(120));
        // a retried publish: the same id again, now partial, must replace the first copy
        await store.append([{ ...runs[40]!, status: 'partial', iterations: runs[40]!.iterations.slice(0, 2) }]);
        const all = (await store.readAll()).runs;
        expect(all, kind).toHaveLength(240);
        for (const workflow of [undefined, 'test']) {
          const agg = await aggregate(store, workflow);
          expect(agg.laneNames(), kind).toEqual([...new Set(all.map((r) => r.lane))]);
          for (const lane of ['docs', 'api', 'heavy', 'none']) {
            const want = analyzeLane(all, lane, workflow ? { workflow } : {});
            expect(JSON.stringify(agg.analysis(lane)), `${kind} ${lane} ${workflow}`).toBe(JSON.stringify(want));
          }
        }
        const docs = (await aggregate(store)).analysis('docs');
        expect(Object.keys(docs.metrics_analysis).slice(-3), kind).toEqual(['alpha', 'zeta', 'beta']);
        expect(docs.metrics_analysis.only_failed, kind).toBeUndefined();
        expect(docs.first_run, kind).toBe('2024-12-31T23:00:00.000Z');
      } finally {
        await store.close();
      }
    }
  }, 300_000);

  it('lanebench analyze prints the same JSON as analyzeLane over the whole history (file and PostgreSQL)', async () => {
    const dir = tmp();
    const runs = history();
    for (const [kind, store, location] of await stores(dir)) {
      try {
        await store.append(runs);
        const env = { LANEBENCH_HISTORY: location };
        const all = (await store.readAll()).runs;
        const r = lanebench(dir, ['analyze'], env);
        expect(r.code, r.stderr).toBe(0);
        // configured lanes first (docs, standard, heavy by default), then the others as recorded
        const want = ['docs', 'heavy', 'api'].map((lane) => analyzeLane(all, lane));
        expect(JSON.parse(r.stdout), kind).toEqual(JSON.parse(JSON.stringify(want)));
        const one = lanebench(dir, ['analyze', '--lane', 'api', '--workflow', 'build'], env);
        expect(one.code, one.stderr).toBe(0);
        expect(JSON.parse(one.stdout), kind).toEqual(
          JSON.parse(JSON.stringify(analyzeLane(all, 'api', { workflow: 'build' }))),
        );
        const bad = lanebench(dir, ['analyze', '--lane', 'api', '--workflow', 'nope'], env);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain("unknown workflow 'nope' in lane 'api'; expected one of: build, test");
      } finally {
        await store.close();
      }
    }
  }, 300_000);

  it('summarize: each series with its count and latest run, as latestPerWorkflow over readAll; report and trends use it', async () => {
    const dir = tmp();
    const runs = history();
    for (const [kind, store, location] of await stores(dir)) {
      try {
        await store.append(runs);
        const all = (await store.readAll()).runs;
        const want = latestPerWorkflow(all).map((r) => ({
          lane: r.lane,
          workflow: r.workflow,
          runs: all.filter((x) => x.lane === r.lane && x.workflow === r.workflow).length,
          latest: { id: r.id, started_at: r.started_at, fingerprint: r.env?.fingerprint ?? null },
        }));
        expect(await store.summarize(), kind).toEqual(want);
        const out = join(dir, `out-${kind}`);
        const r = lanebench(dir, ['report', '--output-format', 'all', '--output-dir', out], {
          LANEBENCH_HISTORY: location,
        });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('Reports from 240 run(s)');
        for (const f of ['performance_dashboard.html', 'performance_metrics.csv', 'junit.xml', 'summary.md']) {
          expect(existsSync(join(out, f)), `${kind} ${f}`).toBe(true);
        }
        const trends = lanebench(dir, ['trends', '--lane', 'docs', '--window', '5', '--json'], {
          LANEBENCH_HISTORY: location,
        });
        expect(trends.code, trends.stderr).toBe(0);
        const got = JSON.parse(trends.stdout) as { workflows: Array<{ workflow: string; points: unknown[] }> };
        // in the order the whole history lists them (file: as recorded; PostgreSQL: by start)
        expect(
          got.workflows.map((w) => w.workflow),
          kind,
        ).toEqual([...new Set(all.filter((r) => r.lane === 'docs').map((r) => r.workflow))]);
        for (const w of got.workflows) {
          expect(w.points, `${kind} ${w.workflow}`).toEqual(
            JSON.parse(JSON.stringify(getTrends(all, 'docs', 'execution_time', { window: 5, workflow: w.workflow }))),
          );
        }
        const lane = lanebench(dir, ['report', '--output-format', 'csv', '--lane', 'nope', '--output-dir', out], {
          LANEBENCH_HISTORY: location,
        });
        expect(lane.code).toBe(2);
        expect(lane.stderr).toContain("unknown lane 'nope'");
      } finally {
        await store.close();
      }
    }
  }, 300_000);
});
