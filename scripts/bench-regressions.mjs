#!/usr/bin/env node
// Section `regressions` of `pnpm bench` (docs/ANALYSIS.md): error rates of lanebench's regression verdicts on this
// machine, with real processes measured by measureIteration exactly as `run` and `ab` measure them.
//   node scripts/bench-regressions.mjs            (or: node scripts/bench.mjs regressions)
//
// Workloads (short on purpose, so that ≥ 100 trials fit in minutes): cpu = awk busy loop (~10 ms CPU), sleep =
// `sleep 0.03`, mixed = half of each. A slowdown is injected by a real longer command: more loops and a longer sleep,
// scaled (workFactor) so that the command's wall time, process start-ups included, is +10 % / +20 %.
//   regressions.ab       A/A: TRIALS trials of PAIRS ABBA pairs of the same command → rate of 'regression'
//                        verdicts (false alarms); +10 % and +20 %: DETECT trials each → rate of 'regression'.
//                        The same trials through the old pooled gate (10 % change of means AND Mann-Whitney
//                        p < 0.05 on the iterations) and a hyperfine-style rule (head mean − σ > base mean + σ).
//   regressions.history  A/A: RUNS consecutive runs of ITER iterations of the same command; every run after the
//                        first LOOKBACK (210: the 10-run window and the 200 runs the gate replays) is a candidate
//                        against the runs before it (sliding, so the trials overlap), in two orders: back-to-back
//                        (as measured: the machine's slow spells make neighbouring runs alike) and exchangeable (the
//                        same runs shuffled, seeded: runs from unrelated times, as a CI history is) → false-alarm
//                        rate of the gate vs the gate reading 40 runs vs the previous gate (the window alone) vs
//                        the pooled gate vs mean ± σ.
//                        Then HISTORY_DETECT real +10 % / +20 % candidates, each after the runs before it.
// Env: LANEBENCH_BENCH_AB_TRIALS (100), LANEBENCH_BENCH_DETECT_TRIALS (20), LANEBENCH_BENCH_AB_PAIRS (10),
//      LANEBENCH_BENCH_GATE_RUNS (410), LANEBENCH_BENCH_HISTORY_DETECT (30), LANEBENCH_BENCH_KINDS (cpu,sleep,mixed; cpu-long too),
//      LANEBENCH_BENCH_DUMP=<prefix> writes the history section's runs to <prefix>-<kind>.json, and
//      LANEBENCH_BENCH_REPLAY=<prefix> judges those saved runs again instead of measuring (the A/A rows only),
//      LANEBENCH_BENCH_NEIGHBOUR=1 starts a CPU-burning neighbour process for the duration of the section (stopped
//      at the end).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSections } from './bench-table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(
  pathToFileURL(process.env.LANEBENCH_BENCH_CORE ?? join(ROOT, 'packages/core/dist/index.js')).href
);

/** An integer setting from the environment, at least `min`: anything else stops the bench naming it (a rate over zero trials would print as met). */
export function countFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer ≥ ${min}`);
  return n;
}

const TRIALS = countFromEnv('LANEBENCH_BENCH_AB_TRIALS', 100, 1);
const DETECT = countFromEnv('LANEBENCH_BENCH_DETECT_TRIALS', 20, 1);
// fewer than 6 pairs: no 95 % interval exists (every verdict inconclusive)
const PAIRS = countFromEnv('LANEBENCH_BENCH_AB_PAIRS', 10, 6);
const ITER = 5;
const WINDOW = 10;
// the runs the gate reads for a candidate: its window and the runs it replays itself over (analysis/regression.ts)
const LOOKBACK = core.gateLookback(WINDOW);
const RUNS = countFromEnv('LANEBENCH_BENCH_GATE_RUNS', LOOKBACK + 200, LOOKBACK + 1);
const HISTORY_DETECT = countFromEnv('LANEBENCH_BENCH_HISTORY_DETECT', 30, 0);
const KINDS = (process.env.LANEBENCH_BENCH_KINDS ?? 'cpu,sleep,mixed').split(',');
for (const kind of KINDS) {
  if (!['cpu', 'cpu-long', 'sleep', 'mixed'].includes(kind)) {
    throw new Error(`LANEBENCH_BENCH_KINDS: unknown workload "${kind}"; expected cpu, cpu-long, sleep or mixed`);
  }
}
const THRESHOLD = 0.1;

// awk loop count for ~10 ms of CPU on an idle core of this machine class; the slowdown scales it
const LOOP = 400_000;
export const command = (kind, factor = 1) => {
  const loop = (n) => `awk 'BEGIN{for(i=0;i<${Math.round(n)};i++)s+=i}'`;
  if (kind === 'cpu') return loop(LOOP * factor);
  // the cpu loop ten times over (~0.2 s an iteration, ~1 s a run): a run long enough to span the VM's short spells
  if (kind === 'cpu-long') return loop(LOOP * 10 * factor);
  if (kind === 'sleep') return `sleep ${(0.03 * factor).toFixed(4)}`;
  return `${loop((LOOP / 2) * factor)}; sleep ${(0.015 * factor).toFixed(4)}`;
};

/**
 * The work factor that makes `kind` take (1 + slowdown) × its measured wall time. Scaling the work alone by 1.2
 * is not +20 %: the process start-ups (sh, awk, sleep) are a fixed part of every iteration (≈ a third of the mixed
 * command), so ×1.2 work measured +13–15 % there. The time of one unit of work is the difference between the
 * command at work ×2 and ×1 (medians of CALIBRATION interleaved iterations each).
 */
const CALIBRATION = 15;
export async function workFactor(kind, slowdown) {
  const one = [];
  const two = [];
  for (let i = 0; i < CALIBRATION; i++) {
    one.push((await measure(command(kind, 1))).execution_time);
    two.push((await measure(command(kind, 2))).execution_time);
  }
  const t1 = core.describe(one).median;
  const unit = core.describe(two).median - t1;
  // noise larger than the work itself: fall back to scaling the work (an under-estimate of the slowdown)
  return unit > 0 ? 1 + (slowdown * t1) / unit : 1 + slowdown;
}

const OPTS = { timeout_s: 60, sampleIntervalMs: 50, lane: 'bench', workflow: 'bench' };
let counter = 0;
export async function measure(cmd) {
  const it = await core.measureIteration(cmd, { ...OPTS, iteration: ++counter });
  if (it.status !== 'passed') throw new Error(`${cmd}: ${it.status}`);
  return it;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
export const rate = (k, n) => `${((100 * k) / n).toFixed(1)}% (${k}/${n})`;

/** The previous gate: pooled iterations, 10 % change of means AND two-sided Mann-Whitney p < 0.05. */
function pooledGate(base, cand) {
  const change = mean(cand) / mean(base) - 1;
  return change > THRESHOLD && core.mannWhitneyU(base, cand).p_value < 0.05;
}
/** hyperfine-style: the mean ± σ ranges do not overlap and head is the slower one. */
function overlapRule(base, cand) {
  return mean(cand) - sd(cand) > mean(base) + sd(base);
}

/** One A/B trial: PAIRS ABBA pairs, warm-up of one per side; returns the execution_time of each side per pair. */
export async function abTrial(baseCmd, headCmd) {
  await measure(baseCmd);
  await measure(headCmd);
  const b = [];
  const h = [];
  for (let i = 0; i < PAIRS; i++) {
    for (const side of core.abOrder(i)) {
      const it = await measure(side === 'base' ? baseCmd : headCmd);
      (side === 'base' ? b : h).push(it.execution_time);
    }
  }
  return { b, h };
}

function startNeighbour() {
  if (process.env.LANEBENCH_BENCH_NEIGHBOUR !== '1') return null;
  // a noisy neighbour: one busy core, bursty (on 300 ms, off 200 ms)
  return spawn(
    process.execPath,
    [
      '-e',
      'for(;;){const e=Date.now()+300;while(Date.now()<e);const t=Date.now()+200;while(Date.now()<t)Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,50)}',
    ],
    {
      stdio: 'ignore',
    },
  );
}

async function abSection() {
  const rows = [];
  const neighbour = startNeighbour();
  try {
    for (const kind of KINDS) {
      for (const [label, slowdown, trials] of [
        ['A/A', 0, TRIALS],
        ['+10%', 0.1, DETECT],
        ['+20%', 0.2, DETECT],
      ]) {
        const factor = slowdown === 0 ? 1 : await workFactor(kind, slowdown);
        const ratios = [];
        let ab = 0;
        let inconclusive = 0;
        let pooled = 0;
        let overlap = 0;
        const t0 = performance.now();
        const durations = [];
        for (let t = 0; t < trials; t++) {
          const { b, h } = await abTrial(command(kind), command(kind, factor));
          durations.push(...b);
          ratios.push(core.describe(h).median / core.describe(b).median);
          const row = core.analyzePairs('bench', 'execution_time', b, h, { threshold: THRESHOLD });
          if (row.verdict === 'regression') ab++;
          if (row.verdict === 'inconclusive') inconclusive++;
          if (pooledGate(b, h)) pooled++;
          if (overlapRule(b, h)) overlap++;
        }
        const secs = ((performance.now() - t0) / 1000).toFixed(0);
        const what = label === 'A/A' ? 'false alarms' : 'detected';
        const med = core.describe(durations).median;
        // what the head really was: the median over trials of its median / the base's median
        const injected =
          slowdown === 0
            ? ''
            : `, work ×${factor.toFixed(2)}, measured head/base ${core.describe(ratios).median.toFixed(3)}`;
        rows.push({
          section: 'regressions.ab',
          figure: `${kind} ${label} ${what}: ab | pooled MW | mean±σ (${trials}×${PAIRS} pairs, ${(med * 1000).toFixed(0)} ms/iter${injected}, ${secs}s)`,
          value: `${rate(ab, trials)} | ${rate(pooled, trials)} | ${rate(overlap, trials)}; ab inconclusive ${rate(inconclusive, trials)}`,
          ...(label === 'A/A'
            ? { target: 'ab ≤ 1%', ok: ab <= trials * 0.01 }
            : label === '+20%'
              ? { target: 'ab ≥ 90%', ok: ab >= trials * 0.9 }
              : {}),
        });
      }
    }
  } finally {
    neighbour?.kill('SIGKILL');
  }
  return rows;
}

/** A copy of the run without measurement.machine_contention: the gate's contention guard is then off. */
function withoutContention(run) {
  return {
    ...run,
    iterations: run.iterations.map(({ measurement, ...it }) => {
      if (!measurement) return it;
      const rest = { ...measurement };
      delete rest.machine_contention;
      return { ...it, measurement: rest };
    }),
  };
}

/** A seeded order (mulberry32) so the exchangeable design is the same shuffle on every run of the bench. */
function shuffled(xs, seed) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The runs in this order, their start times (the gate's order) renumbered to match. */
function inOrder(runs, start) {
  return runs.map((r, i) => ({ ...r, started_at: new Date(start + i * 1000).toISOString() }));
}

const GATE_OPTS = { metrics: ['execution_time'], window: WINDOW, threshold: THRESHOLD };
const gateVerdict = (cand, earlier) => core.detectRegressions(cand, earlier, GATE_OPTS)[0];

async function measuredRun(kind, factor, id) {
  const its = [];
  for (let i = 0; i < ITER; i++) its.push({ ...(await measure(command(kind, factor))), index: i + 1 });
  return {
    id,
    lane: 'bench',
    workflow: kind,
    started_at: new Date().toISOString(),
    status: 'completed',
    iterations: its,
    env: { fingerprint: 'bench' },
  };
}

/**
 * The A/A trials of one order of the runs: every run after the first LOOKBACK is a candidate against the runs
 * before it, through the gate (LOOKBACK runs: its window and the runs it replays), the previous gate (the window's
 * 10 runs alone, which is what it read), the gate without its contention guard, pooled MW and mean ± σ.
 */
function aaTrials(runs) {
  if (runs.length <= LOOKBACK) {
    throw new Error(`${runs.length} runs: the A/A trials need more than ${LOOKBACK} (the gate's lookback)`);
  }
  const n = { gate: 0, spreadOnly: 0, windowOnly: 0, unguarded: 0, inconclusive: 0, pooled: 0, overlap: 0, trials: 0 };
  for (let c = LOOKBACK; c < runs.length; c++) {
    n.trials++;
    const earlier = runs.slice(c - LOOKBACK, c);
    const window = runs.slice(c - WINDOW, c);
    const v = gateVerdict(runs[c], earlier);
    if (v.status === 'regression') n.gate++;
    if (v.status === 'inconclusive') n.inconclusive++;
    if (gateVerdict(runs[c], window).status === 'regression') n.windowOnly++;
    // 40 runs read: the replay's spread, and a largest jump over 30 runs only
    if (gateVerdict(runs[c], runs.slice(c - 4 * WINDOW, c)).status === 'regression') n.spreadOnly++;
    // the candidate's contention figure removed turns the guard off
    if (gateVerdict(withoutContention(runs[c]), earlier).status === 'regression') n.unguarded++;
    const base = window.flatMap((r) => r.iterations.map((i) => i.execution_time));
    const cand = runs[c].iterations.map((i) => i.execution_time);
    if (pooledGate(base, cand)) n.pooled++;
    if (overlapRule(base, cand)) n.overlap++;
  }
  return n;
}

async function historySection() {
  const rows = [];
  const neighbour = startNeighbour();
  try {
    for (const kind of KINDS) {
      const t0 = performance.now();
      const start = Date.now();
      // LANEBENCH_BENCH_REPLAY=<prefix>: the runs an earlier LANEBENCH_BENCH_DUMP saved, judged by today's gate
      const replayed = process.env.LANEBENCH_BENCH_REPLAY;
      const runs = replayed ? JSON.parse(readFileSync(`${replayed}-${kind}.json`, 'utf8')) : [];
      if (!replayed) for (let r = 0; r < RUNS; r++) runs.push(await measuredRun(kind, 1, `bench-${kind}-${r}`));
      const took = replayed ? `runs of ${replayed}-${kind}.json` : `${((performance.now() - t0) / 1000).toFixed(0)}s`;
      if (process.env.LANEBENCH_BENCH_DUMP && !replayed) {
        // every measured run, in the order measured, for a look at the series behind the figures
        writeFileSync(`${process.env.LANEBENCH_BENCH_DUMP}-${kind}.json`, JSON.stringify(runs));
      }
      const medians = runs.map((r) => core.runMedian(r, 'execution_time'));
      const iterCv = mean(
        runs.map(
          (r) => sd(r.iterations.map((i) => i.execution_time)) / mean(r.iterations.map((i) => i.execution_time)),
        ),
      );
      const runCv = sd(medians) / mean(medians);
      const designs = [
        ['back-to-back', inOrder(runs, start)],
        // the same runs in a seeded random order: a history whose runs come from unrelated times, as CI runs do
        ['exchangeable', inOrder(shuffled(runs, 12), start)],
      ];
      for (const [design, ordered] of designs) {
        const n = aaTrials(ordered);
        rows.push({
          section: 'regressions.history',
          figure: `${kind} A/A false alarms, ${design}: gate | gate reading 40 runs | previous gate (window alone) | gate without contention guard | pooled MW | mean±σ (${n.trials} candidates, ${WINDOW}-run window + ${LOOKBACK - WINDOW} replayed, ${ITER} iter/run, run CV ${(runCv * 100).toFixed(1)}%, iter CV ${(iterCv * 100).toFixed(1)}%, ${(core.describe(medians).median * 1000).toFixed(0)} ms/iter, ${took})`,
          value: `${rate(n.gate, n.trials)} | ${rate(n.spreadOnly, n.trials)} | ${rate(n.windowOnly, n.trials)} | ${rate(n.unguarded, n.trials)} | ${rate(n.pooled, n.trials)} | ${rate(n.overlap, n.trials)}; gate inconclusive ${rate(n.inconclusive, n.trials)}`,
          target: 'gate ≤ 1%',
          ok: n.gate <= n.trials * 0.01,
        });
      }
      // detection: real slower candidates, each judged against the LOOKBACK runs before it; an A/A run follows
      // each so the history moves on as it does in CI
      for (const [label, slowdown] of [
        ['+10%', 0.1],
        ['+20%', 0.2],
      ]) {
        if (HISTORY_DETECT === 0 || replayed) break;
        const factor = await workFactor(kind, slowdown);
        const series = inOrder(runs, start);
        const d = { gate: 0, windowOnly: 0, inconclusive: 0, pooled: 0 };
        const t1 = performance.now();
        for (let t = 0; t < HISTORY_DETECT; t++) {
          const cand = {
            ...(await measuredRun(kind, factor, `bench-${kind}-${label}-${t}`)),
            started_at: new Date(start + (series.length + 1) * 1000).toISOString(),
          };
          const v = gateVerdict(cand, series.slice(-LOOKBACK));
          if (v.status === 'regression') d.gate++;
          if (v.status === 'inconclusive') d.inconclusive++;
          if (gateVerdict(cand, series.slice(-WINDOW)).status === 'regression') d.windowOnly++;
          const base = series.slice(-WINDOW).flatMap((r) => r.iterations.map((i) => i.execution_time));
          if (
            pooledGate(
              base,
              cand.iterations.map((i) => i.execution_time),
            )
          )
            d.pooled++;
          const next = await measuredRun(kind, 1, `bench-${kind}-${label}-aa-${t}`);
          series.push({ ...next, started_at: new Date(start + (series.length + 2) * 1000).toISOString() });
        }
        const s2 = ((performance.now() - t1) / 1000).toFixed(0);
        rows.push({
          section: 'regressions.history',
          figure: `${kind} ${label} detected, back-to-back: gate | previous gate | pooled MW (${HISTORY_DETECT} candidates, work ×${factor.toFixed(2)}, ${s2}s)`,
          value: `${rate(d.gate, HISTORY_DETECT)} | ${rate(d.windowOnly, HISTORY_DETECT)} | ${rate(d.pooled, HISTORY_DETECT)}; gate inconclusive ${rate(d.inconclusive, HISTORY_DETECT)}`,
        });
      }
    }
  } finally {
    neighbour?.kill('SIGKILL');
  }
  return rows;
}

export const SECTIONS = [
  { name: 'regressions.ab', run: abSection },
  { name: 'regressions.history', run: historySection },
];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runSections('lanebench bench-regressions', SECTIONS, process.argv.slice(2));
}
