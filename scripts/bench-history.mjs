#!/usr/bin/env node
// The history stores at scale, side by side in one run (issue 14 §5). scripts/bench.mjs imports SECTIONS
// from here; this file also runs alone and prints the same table:
//   node scripts/bench-history.mjs
//
//   history.stores  for each size (LANEBENCH_BENCH_HISTORY_SIZES, default 1000,10000,100000) and each
//                   store (file; PostgreSQL when LANEBENCH_BENCH_PG_URL or LANEBENCH_TEST_PG_URL names a
//                   server where databases can be created):
//                   - append one run: median and max of 7 appends (file: in place, with the compaction draw)
//                   - window read: the last 10 runs of one lane/workflow (what the gate reads), median of 5
//                   - the publish read of one run (readSessionHistory: what publishRuns reads after appending)
//                   - `lanebench analyze` (every run), `lanebench analyze --lane L --window 10`,
//                     `lanebench trends --lane L` and `lanebench report --output-format all`: wall time and
//                     peak RSS of the CLI process (GNU time when present)
//                   - `lanebench history export --to FILE` (every run, written in pieces)
//                   - file store only: the whole-file rewrite an append cost before (writeHistory of all runs)
//
// Synthetic runs: 5 iterations with every metric, no timelines, 4 lanes × 1 workflow each, one minute apart.
// PostgreSQL is loaded through the store's own append (INSERT batches of 500 runs), 5,000 runs per call.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSections } from './bench-table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'cli.js');
const core = await import(pathToFileURL(join(ROOT, 'packages', 'core', 'dist', 'index.js')).href);
const { makeRun } = await import(pathToFileURL(join(ROOT, 'test', 'helpers', 'runs.mjs')).href);
const SIZES = (process.env.LANEBENCH_BENCH_HISTORY_SIZES ?? '1000,10000,100000').split(',').map(Number);
const PG_URL = process.env.LANEBENCH_BENCH_PG_URL ?? process.env.LANEBENCH_TEST_PG_URL;
// LANEBENCH_BENCH_HISTORY_STORES=postgres measures only that store (default: file,postgres)
const STORES = (process.env.LANEBENCH_BENCH_HISTORY_STORES ?? 'file,postgres').split(',');
const LANES = 4;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (v) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;

const template = JSON.stringify(
  makeRun({
    seq: 0,
    id: 'TEMPLATE',
    lane: 'LANE',
    workflow: 'WF',
    iterations: 5,
    timeline: 0,
    analyze: (iterations) => ({ metrics_analysis: core.analyzeIterations(iterations) }),
  }),
);
const START = Date.UTC(2025, 0, 1);
function runText(i) {
  return template
    .replace('"TEMPLATE"', JSON.stringify(`bench-${i}`))
    .replace('"lane":"LANE"', `"lane":"lane${i % LANES}"`)
    .replace('"workflow":"WF"', `"workflow":"wf${i % LANES}"`)
    .replace(/"started_at":"[^"]+"/, `"started_at":"${new Date(START + i * 60_000).toISOString()}"`);
}

function fileHistory(dir, n) {
  const file = join(dir, '.benchmark_results', 'metrics.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '{"schema_version":1,"runs":[\n');
  const batch = [];
  for (let i = 0; i < n; i++) {
    batch.push(i === n - 1 ? `${runText(i)}\n]}\n` : `${runText(i)},\n`);
    if (batch.length === 2000) appendFileSync(file, batch.splice(0).join(''));
  }
  appendFileSync(file, batch.join(''));
  return file;
}

async function pgAdmin(fn) {
  const pg = createRequire(join(ROOT, 'packages', 'core', 'package.json'))('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function pgHistory(n) {
  const db = `lanebench_bench_${n}_${process.pid}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE ${db}`));
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  const url = u.toString();
  const store = new core.PostgresHistoryStore(url, join(os.tmpdir(), 'unused-metrics.json'));
  for (let i = 0; i < n; i += 5000) {
    const runs = [];
    for (let k = i; k < Math.min(n, i + 5000); k++) runs.push(JSON.parse(runText(k)));
    await store.append(runs);
  }
  await store.close();
  return {
    url,
    drop: () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)),
  };
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Wall time and peak RSS of `lanebench args` in cwd. */
function cli(cwd, args, env) {
  const t0 = performance.now();
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%M', process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`lanebench ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-800)}`);
  const rss = GNU_TIME ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1] ?? NaN) / 1024 : NaN;
  return { wall, rss };
}

async function measureStore(kind, n, store, cwd, env) {
  const rows = [];
  const label = `${n} runs, ${kind}`;
  const appends = [];
  for (let k = 0; k < 7; k++) {
    const run = JSON.parse(runText(n + k));
    const t0 = performance.now();
    await store.append([run]);
    appends.push(performance.now() - t0);
  }
  rows.push({
    figure: `${label}: append one run (median / max of 7)`,
    value: `${ms(median(appends))} / ${ms(Math.max(...appends))}`,
    target: '< 100 ms',
    ok: median(appends) < 100,
  });
  const windows = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const got = await store.readWindow({ lane: 'lane1', workflow: 'wf1', last: 10 });
    windows.push(performance.now() - t0);
    if (got.length !== 10) throw new Error(`${label}: window read returned ${got.length} runs`);
  }
  rows.push({
    figure: `${label}: window read, last 10 of one workflow (median of 5)`,
    value: ms(median(windows)),
    target: '< 100 ms',
    ok: median(windows) < 100,
  });
  const publish = [];
  let publishRuns = 0;
  const config = { historyWindow: 10 };
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const got = await core.readSessionHistory(store, [JSON.parse(runText(n + 1))], config);
    publish.push(performance.now() - t0);
    publishRuns = got.length;
  }
  rows.push({
    figure: `${label}: publish read of one run (runs read; median of 3)`,
    value: `${ms(median(publish))} (${publishRuns} runs)`,
  });
  // Issue 14 §5: analyze and every report of 100,000 PostgreSQL runs < 5 s and < 500 MB; of 10,000 file-store runs
  // < 2 s and < 500 MB (the file store's limit of "today").
  const limitMs = n >= 100_000 && kind === 'postgres' ? 5000 : n === 10_000 && kind === 'file' ? 2000 : 0;
  const readTarget = (r) =>
    limitMs > 0 ? { target: `< ${limitMs / 1000} s, < 500 MB`, ok: r.wall < limitMs && r.rss < 500 } : {};
  const all = cli(cwd, ['analyze'], env);
  rows.push({
    figure: `${label}: lanebench analyze (all runs): wall / peak RSS`,
    value: `${ms(all.wall)} / ${all.rss.toFixed(0)} MB`,
    ...readTarget(all),
  });
  const win = cli(cwd, ['analyze', '--lane', 'lane1', '--workflow', 'wf1', '--window', '10'], env);
  rows.push({
    figure: `${label}: lanebench analyze --lane --window 10: wall / peak RSS`,
    value: `${ms(win.wall)} / ${win.rss.toFixed(0)} MB`,
  });
  const trends = cli(cwd, ['trends', '--lane', 'lane1', '--metric', 'execution_time'], env);
  rows.push({
    figure: `${label}: lanebench trends --lane: wall / peak RSS`,
    value: `${ms(trends.wall)} / ${trends.rss.toFixed(0)} MB`,
    ...readTarget(trends),
  });
  const report = cli(cwd, ['report', '--output-format', 'all'], env);
  rows.push({
    figure: `${label}: lanebench report --output-format all: wall / peak RSS`,
    value: `${ms(report.wall)} / ${report.rss.toFixed(0)} MB`,
    ...readTarget(report),
  });
  // the whole history as one schema-v1 file: past V8's string limit at 100,000 runs, so it is written in pieces
  const exported = join(cwd, `export-${kind}.json`);
  const exp = cli(cwd, ['history', 'export', '--to', exported], env);
  rows.push({
    figure: `${label}: lanebench history export --to FILE: wall / peak RSS (file size)`,
    value: `${ms(exp.wall)} / ${exp.rss.toFixed(0)} MB (${(statSync(exported).size / 1e6).toFixed(1)} MB)`,
  });
  rmSync(exported, { force: true });
  return rows;
}

export const SECTIONS = [
  {
    name: 'history.stores',
    async run() {
      const rows = [];
      if (!PG_URL) {
        rows.push({
          section: this.name,
          figure: 'PostgreSQL store',
          value: 'skipped: set LANEBENCH_BENCH_PG_URL (or LANEBENCH_TEST_PG_URL) to a server',
        });
      }
      for (const n of SIZES) {
        const dir = mkdtempSync(join(os.tmpdir(), 'lanebench-bench-history-'));
        try {
          const file = fileHistory(dir, n);
          const bytes = statSync(file).size;
          rows.push({
            section: this.name,
            figure: `${n} runs: metrics.json size`,
            value: `${(bytes / 1e6).toFixed(1)} MB`,
          });
          if (bytes < 400e6 && STORES.includes('file')) {
            // what an append cost before: read and rewrite everything
            const history = await core.readHistory(file);
            const t0 = performance.now();
            await core.writeHistory(file, history);
            rows.push({
              section: this.name,
              figure: `${n} runs, file: whole-file rewrite (the append before this change)`,
              value: ms(performance.now() - t0),
            });
          }
          const fileStore = new core.FileHistoryStore(file, { warn: () => undefined });
          if (STORES.includes('file')) {
            for (const row of await measureStore('file', n, fileStore, dir, { LANEBENCH_HISTORY: '' })) {
              rows.push({ section: this.name, ...row });
            }
          }
          rmSync(join(dir, '.benchmark_results'), { recursive: true, force: true });
          if (PG_URL && STORES.includes('postgres')) {
            const t0 = performance.now();
            const pgh = await pgHistory(n);
            rows.push({
              section: this.name,
              figure: `${n} runs, postgres: load (store.append of 5,000 runs at a time)`,
              value: ms(performance.now() - t0),
            });
            try {
              const store = new core.PostgresHistoryStore(pgh.url, join(dir, 'metrics.json'));
              for (const row of await measureStore('postgres', n, store, dir, { LANEBENCH_HISTORY: pgh.url })) {
                rows.push({ section: this.name, ...row });
              }
              await store.close();
            } finally {
              await pgh.drop();
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return rows;
    },
  },
];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runSections('lanebench bench-history', SECTIONS, process.argv.slice(2));
}
