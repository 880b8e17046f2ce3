#!/usr/bin/env node
// Section `regressions.confirm` of `pnpm bench` (docs/PERFORMANCE.md, "Confirm and the +20 % target"): what limits
// the +20 % detection target under load, and what `confirm: N` does to the history gate's verdicts.
//   node scripts/bench-confirm.mjs            (or: node scripts/bench.mjs regressions.confirm)
//
// Same workloads and measurement as scripts/bench-regressions.mjs (cpu awk loop ~10 ms, `sleep 0.03`), real processes.
//   history gate + confirm: per trial one fresh baseline run (the gate reads the last 40: its 10-run window and
//     the 30 runs it replays), then a candidate run of
//     the same command slowed to 1.0 (A/A), 1.1 or 1.2 × its wall time (workFactor); a flagged candidate is re-run twice (as `--confirm 2`
//     does), each re-run judged against the same window. Rates: flagged (confirm 0), confirmed by 1 and by 2 re-runs.
//   ab +20 %: the ab trials of bench-regressions at PAIRS pairs: detection, inconclusive, and the median number of
//     pairs the inconclusive ones would have needed (the paired test's own estimate).
// Env: LANEBENCH_BENCH_CONFIRM_TRIALS (30), LANEBENCH_BENCH_DETECT_TRIALS (20), LANEBENCH_BENCH_AB_PAIRS (10),
//      LANEBENCH_BENCH_KINDS (cpu,sleep).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSections } from './bench-table.mjs';
import { abTrial, command, countFromEnv, measure, rate, workFactor } from './bench-regressions.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(
  pathToFileURL(process.env.LANEBENCH_BENCH_CORE ?? join(ROOT, 'packages/core/dist/index.js')).href
);

const TRIALS = countFromEnv('LANEBENCH_BENCH_CONFIRM_TRIALS', 30, 1);
const DETECT = countFromEnv('LANEBENCH_BENCH_DETECT_TRIALS', 20, 1);
const PAIRS = countFromEnv('LANEBENCH_BENCH_AB_PAIRS', 10, 6);
const KINDS = (process.env.LANEBENCH_BENCH_KINDS ?? 'cpu,sleep').split(',');
const ITER = 5;
const WINDOW = 10;
const THRESHOLD = 0.1;
const CONFIRM = 2;
// what the gate reads for a candidate: the window and the runs it replays itself over (analysis/regression.ts)
const LOOKBACK = core.gateLookback(WINDOW);

let runNo = 0;
const start = Date.now();
async function measuredRun(kind, factor) {
  const its = [];
  for (let i = 0; i < ITER; i++) its.push({ ...(await measure(command(kind, factor))), index: i + 1 });
  runNo++;
  return {
    id: `confirm-${kind}-${runNo}`,
    lane: 'bench',
    workflow: kind,
    started_at: new Date(start + runNo * 1000).toISOString(),
    status: 'completed',
    iterations: its,
    env: { fingerprint: 'bench' },
  };
}

const verdict = (cand, window) =>
  core.detectRegressions(cand, window, { metrics: ['execution_time'], window: WINDOW, threshold: THRESHOLD })[0].status;

async function historyConfirm() {
  const rows = [];
  for (const kind of KINDS) {
    const pool = [];
    for (let r = 0; r < LOOKBACK; r++) pool.push(await measuredRun(kind, 1));
    for (const [label, slowdown] of [
      ['A/A', 0],
      ['+10%', 0.1],
      ['+20%', 0.2],
    ]) {
      // the work factor that makes the command's wall time +10 % / +20 % (bench-regressions.mjs)
      const factor = slowdown === 0 ? 1 : await workFactor(kind, slowdown);
      const t0 = performance.now();
      let inconclusive = 0;
      const confirmed = Array(CONFIRM + 1).fill(0);
      for (let t = 0; t < TRIALS; t++) {
        pool.push(await measuredRun(kind, 1));
        const window = pool.slice(-LOOKBACK);
        const v = verdict(await measuredRun(kind, factor), window);
        if (v === 'inconclusive') inconclusive++;
        if (v !== 'regression') continue;
        confirmed[0]++;
        for (let n = 1; n <= CONFIRM; n++) {
          if (verdict(await measuredRun(kind, factor), window) !== 'regression') break;
          confirmed[n]++;
        }
      }
      const secs = ((performance.now() - t0) / 1000).toFixed(0);
      const what = label === 'A/A' ? 'false alarms' : 'detected';
      rows.push({
        section: 'regressions.confirm',
        figure: `${kind} history gate ${label} ${what}: confirm 0 | 1 | 2 (${TRIALS} candidates, ${WINDOW}-run window + ${LOOKBACK - WINDOW} replayed, ${ITER} iter/run, ${secs}s)`,
        value: `${confirmed.map((k) => rate(k, TRIALS)).join(' | ')}; inconclusive ${rate(inconclusive, TRIALS)}`,
        ...(label === 'A/A' ? { target: 'confirm 2 ≤ 1%', ok: confirmed[CONFIRM] <= TRIALS * 0.01 } : {}),
      });
    }
  }
  return rows;
}

async function abTwenty() {
  const rows = [];
  for (const kind of KINDS) {
    let detected = 0;
    let inconclusive = 0;
    const needed = [];
    const factor = await workFactor(kind, 0.2);
    const t0 = performance.now();
    for (let t = 0; t < DETECT; t++) {
      const { b, h } = await abTrial(command(kind), command(kind, factor));
      const row = core.analyzePairs('bench', 'execution_time', b, h, { threshold: THRESHOLD });
      if (row.verdict === 'regression') detected++;
      if (row.verdict === 'inconclusive') {
        inconclusive++;
        needed.push(row.pairs_to_decide ?? Infinity);
      }
    }
    needed.sort((a, b) => a - b);
    const med = needed.length ? needed[Math.floor(needed.length / 2)] : null;
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    rows.push({
      section: 'regressions.confirm',
      figure: `${kind} ab +20% detected at ${PAIRS} pairs (${DETECT} trials, ${secs}s); inconclusive; median pairs they would need`,
      value: `${rate(detected, DETECT)}; ${rate(inconclusive, DETECT)}; ${med === null ? '—' : med === Infinity ? '> 10000' : med}`,
      target: 'ab ≥ 90%',
      ok: detected >= DETECT * 0.9,
    });
  }
  return rows;
}

export const SECTIONS = [
  {
    name: 'regressions.confirm',
    run: async () => [...(await abTwenty()), ...(await historyConfirm())],
  },
];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runSections('lanebench bench-confirm', SECTIONS, process.argv.slice(2));
}
