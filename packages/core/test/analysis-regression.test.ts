import { describe, expect, it } from 'vitest';
import { detectRegressions } from '../src/analysis/index.js';
import { makeRun, normal, prng } from './analysis-fixtures.js';
import type { Run } from '../src/types.js';

const day = (i: number): string => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();

/** A run whose execution_time iterations are exactly `values` (so its median is known). */
function run(i: number, values: number[], extra: Partial<Parameters<typeof makeRun>[0]> = {}): Run {
  return makeRun({ startedAt: day(i), id: `r${i}`, iterations: values.map((e) => ({ execution_time: e })), ...extra });
}

/** Baseline runs with the given medians (three iterations each: m − 1 %, m, m + 1 %). */
function baseline(medians: number[]): Run[] {
  return medians.map((m, i) => run(i, [m * 0.99, m, m * 1.01]));
}

const gate = (cand: Run, history: Run[], extra = {}) =>
  detectRegressions(cand, history, { metrics: ['execution_time'], ...extra })[0]!;

// Ten baseline medians whose logs have mean 0 (geometric mean 1) and sample sd 0.02 exactly.
const SD = 0.02;
const DEV = [-1, 1, -1, 1, -1, 1, -1, 1, -1, 1].map((s) => s * SD * Math.sqrt(9 / 10));
const MEDIANS = DEV.map(Math.exp);
// the prediction half-width on the log scale: t(0.995, 9) · sd · √(1 + 1/10)
const HALF = 3.249835541592126 * SD * Math.sqrt(1.1);

describe('run-level gate (detectRegressions)', () => {
  it('compares the candidate median with the distribution of baseline run medians (pinned figures)', () => {
    const r = gate(run(20, [1.2, 1.25, 1.3]), baseline(MEDIANS));
    expect(r.baseline_runs).toBe(10);
    expect(r.baseline_mean).toBeCloseTo(1, 12);
    expect(r.candidate_mean).toBe(1.25);
    expect(r.change_pct).toBeCloseTo(25, 9);
    expect(r.status).toBe('regression');
    expect(r.ci_low_pct).toBeCloseTo(Math.expm1(Math.log(1.25) - HALF) * 100, 6);
    expect(r.ci_high_pct).toBeCloseTo(Math.expm1(Math.log(1.25) + HALF) * 100, 6);
    // p from t with 9 df at d/se = ln 1.25 / (0.02·√1.1): scipy 2*t.sf(10.638, 9) ≈ 2.1e-6
    expect(r.p_value!).toBeGreaterThan(1e-6);
    expect(r.p_value!).toBeLessThan(4e-6);
    expect(r.run_cv_pct).toBeCloseTo(Math.sqrt(Math.expm1(SD * SD)) * 100, 9);
    // MDE: max(τ, t·se) + z0.9·se with se = 0.02·√1.1
    const se = SD * Math.sqrt(1.1);
    expect(r.mde_pct).toBeCloseTo(
      Math.expm1(Math.max(Math.log(1.1), 3.249835541592126 * se) + 1.2815515655 * se) * 100,
      6,
    );
    expect(r.message).toMatch(/regression: 1\.00 → 1\.25 \(run medians, \+25\.0%/);
  });

  it('regression needs the estimate above the threshold: just above is regression, just below is not', () => {
    const tau = Math.log(1.1);
    const above = gate(run(20, [Math.exp(tau + 1e-6)]), baseline(MEDIANS));
    const below = gate(run(20, [Math.exp(tau - 1e-6)]), baseline(MEDIANS));
    expect(above.status).toBe('regression');
    // below the threshold and the interval reaches past it: neither regression nor no-change
    expect(below.status).toBe('inconclusive');
  });

  it('no-change exactly when the whole prediction interval is inside ±threshold', () => {
    const tau = Math.log(1.1);
    const inside = gate(run(20, [Math.exp(tau - HALF - 1e-6)]), baseline(MEDIANS));
    const edge = gate(run(20, [Math.exp(tau - HALF + 1e-6)]), baseline(MEDIANS));
    expect(inside.status).toBe('no-change');
    expect(edge.status).toBe('inconclusive');
  });

  it('improvement mirrors regression', () => {
    const tau = Math.log(1.1);
    expect(gate(run(20, [Math.exp(-tau - 1e-6)]), baseline(MEDIANS)).status).toBe('improvement');
    expect(gate(run(20, [Math.exp(-tau + 1e-6)]), baseline(MEDIANS)).status).toBe('inconclusive');
  });

  it('a noisy history makes a large change inconclusive instead of a regression', () => {
    // run-to-run sd 15 %: a +12 % candidate is within what runs do on their own
    const noisy = DEV.map((d) => Math.exp((d / SD) * 0.15));
    const r = gate(run(20, [1.12]), baseline(noisy));
    expect(r.status).toBe('inconclusive');
    expect(r.message).toMatch(/inconclusive \(run-to-run CV 15\.\d% of the last 10 runs/);
  });

  it('is honest when runs drift more than iterations vary (the pooled gate was not): ≤ 1 % false regressions', () => {
    // iteration CV 1 %, run-to-run drift 5 %: every run is the same workload on a drifting machine
    const draw = normal(prng(2024));
    let alarms = 0;
    let regressions = 0;
    let pooledWouldFlag = 0;
    const TRIALS = 400;
    for (let t = 0; t < TRIALS; t++) {
      const runs: Run[] = [];
      for (let i = 0; i <= 10; i++) {
        const level = Math.exp(draw(0, 0.05));
        runs.push(
          run(
            i,
            Array.from({ length: 5 }, () => level * Math.exp(draw(0, 0.01))),
            { id: `t${t}-${i}` },
          ),
        );
      }
      const r = gate(runs[10]!, runs.slice(0, 10));
      if (r.status === 'regression') regressions++;
      if (r.status === 'regression' || r.status === 'improvement') alarms++;
      if (Math.abs(r.change_pct!) > 10) pooledWouldFlag++;
    }
    // the level is α = 1 % two-sided: at most ~½ % each way, plus binomial noise
    expect(regressions).toBeLessThanOrEqual(TRIALS * 0.01);
    expect(alarms).toBeLessThanOrEqual(TRIALS * 0.02);
    // the drift is real: a tenth-or-so of candidates are more than 10 % off the baseline center
    expect(pooledWouldFlag).toBeGreaterThan(TRIALS * 0.02);
  });

  it('says insufficient-data with fewer than 5 baseline runs, and how many it has', () => {
    const r = gate(run(20, [1, 1, 1]), baseline([1, 1, 1, 1]));
    expect(r.status).toBe('insufficient-data');
    expect(r.message).toMatch(/needs at least 5 earlier comparable runs, has 4/);
    expect(r.p_value).toBeNull();
    expect(gate(run(20, [1]), []).message).toMatch(/no earlier run to compare with/);
    // minRuns is an option
    expect(gate(run(20, [2]), baseline([1, 1.01, 0.99]), { minRuns: 3 }).status).toBe('regression');
  });

  it('marks pairs from different environments instead of mixing them', () => {
    const base = baseline(MEDIANS).map((r) => ({ ...r, env: { ...r.env, fingerprint: 'laptop' } }));
    const cand = run(20, [1.5], { fingerprint: 'ci-runner' });
    const r = gate(cand, base);
    expect(r.status).toBe('environment-mismatch');
    expect(r.message).toMatch(/other environment/);
  });

  it('ignores later runs, other workflows, failed runs, A/B and confirmation runs; honours the window', () => {
    const history = [
      ...baseline([5, 5, 5, 5, 5]), // oldest: would make the candidate an improvement
      ...[1, 1.01, 0.99, 1, 1.02].map((m, i) => run(10 + i, [m])),
      run(16, [9], { status: 'failed' }),
      run(17, [9], { workflow: 'other' }),
      { ...run(18, [9]), ab: { session: 's', side: 'head' as const, pair_count: 10 } },
      { ...run(19, [9]), confirm: { of: 'x', attempt: 1, of_attempts: 2, reason: 'r' } },
      run(40, [9]),
    ];
    const r = gate(run(30, [1]), history, { window: 5 });
    expect(r.baseline_runs).toBe(5);
    expect(r.status).toBe('no-change');
  });

  it('checks custom metrics by default and treats all-zero series as no change', () => {
    const mk = (i: number, pages: number) =>
      makeRun({ startedAt: day(i), iterations: [1, 2, 3].map(() => ({ execution_time: 1, custom: { pages } })) });
    const history = [100, 101, 99, 100, 102].map((p, i) => mk(i, p));
    const results = detectRegressions(mk(9, 200), history);
    expect(results.map((r) => r.metric)).toEqual(['execution_time', 'cpu_seconds', 'memory_usage', 'pages']);
    expect(results[3]!.status).toBe('regression');
    expect(results[0]!.status).toBe('no-change');
  });
});

/** The run with every iteration's measurement.machine_contention set to `c`. */
function contended(r: Run, c: number): Run {
  return {
    ...r,
    iterations: r.iterations.map((i) => ({ ...i, measurement: { ...i.measurement, machine_contention: c } })),
  };
}

describe('machine-contention guard of the run-level gate', () => {
  const quietBaseline = (cs: number[]) => baseline(MEDIANS).map((r, i) => contended(r, cs[i % cs.length]!));
  const slow = run(20, [1.5, 1.5, 1.5]);

  it('a slowdown during a run that shared its machine with more other work than every baseline run is inconclusive', () => {
    const r = gate(contended(slow, 0.46), quietBaseline([0.02, 0.05, 0.12]));
    expect(r.status).toBe('inconclusive');
    expect(r.contention).toEqual({ candidate: 0.46, baseline_min: 0.02, baseline_max: 0.12 });
    expect(r.message).toMatch(
      /inconclusive \(other processes used 46% of the machine's CPU during this run, 2%–12% during the 10 baseline runs: the slowdown may be theirs/,
    );
    expect(r.change_pct).toBeCloseTo(50, 6); // the figures stay, only the verdict changes
  });

  it('stays a regression at the margin, when a baseline run was as busy, or when the figure is missing', () => {
    // 0.12 + CONTENTION_MARGIN (0.25) = 0.37: at it, not above it
    expect(gate(contended(slow, 0.37), quietBaseline([0.02, 0.12])).status).toBe('regression');
    expect(gate(contended(slow, 0.3701), quietBaseline([0.02, 0.12])).status).toBe('inconclusive');
    expect(gate(contended(slow, 0.46), quietBaseline([0.02, 0.4])).status).toBe('regression');
    // older history without the figure, or a candidate without it: the guard is off
    expect(gate(contended(slow, 0.46), baseline(MEDIANS)).status).toBe('regression');
    expect(gate(slow, quietBaseline([0.02])).status).toBe('regression');
    // fewer than half of the baseline runs carry it: off
    const mostlyOld = baseline(MEDIANS).map((r, i) => (i < 4 ? contended(r, 0.02) : r));
    expect(gate(contended(slow, 0.46), mostlyOld).status).toBe('regression');
    const halfNew = baseline(MEDIANS).map((r, i) => (i < 5 ? contended(r, 0.02) : r));
    expect(gate(contended(slow, 0.46), halfNew).status).toBe('inconclusive');
  });

  it('an improvement while the baseline runs shared the machine with more than the candidate is inconclusive', () => {
    const fast = run(20, [0.6, 0.6, 0.6]);
    expect(gate(contended(fast, 0.02), quietBaseline([0.3, 0.4])).status).toBe('inconclusive');
    expect(gate(contended(fast, 0.1), quietBaseline([0.3, 0.4])).status).toBe('improvement');
  });

  it('guards timing metrics only: memory, I/O and custom metrics keep their verdicts', () => {
    const mem = (m: number, i: number) =>
      makeRun({ startedAt: day(i), id: `m${i}`, iterations: [{ execution_time: 1, memory_usage: m }] });
    const history = MEDIANS.map((m, i) => contended(mem(100 * m, i), 0.02));
    const [r] = detectRegressions(contended(mem(150, 20), 0.8), history, { metrics: ['memory_usage'] });
    expect(r!.status).toBe('regression');
    expect(r!.contention).toBeUndefined();
  });
});

describe('the gate replays itself over the runs before its window', () => {
  // t(0.995, 9): the window's degrees of freedom also with the replayed spread
  const T9 = 3.249835541592126;
  /** 40 earlier runs, newest = index 39: all exactly 1, except the run `spikeAge` runs before the candidate. */
  function spiked(spikeAge: number, spike: number): Run[] {
    return Array.from({ length: 40 }, (_, i) => run(i, [39 - i + 1 === spikeAge ? spike : 1]));
  }

  it('widens the interval to the series own one-run-ahead errors (pinned) when they exceed the window s', () => {
    const a = 0.3;
    // newest first, the spike is at index 20: it is 0.3 off its window (all 1), and the ten runs after it are
    // each −0.03 off theirs (their windows hold it): Σe² = a² + 10·(a/10)² over 30 replayed runs
    const history = spiked(21, Math.exp(a));
    const rms = a * Math.sqrt(1.1 / 30);
    const cand = run(50, [1.15]);
    const r = gate(cand, history);
    expect(r.baseline_runs).toBe(10);
    expect(r.run_cv_pct).toBe(0);
    expect(r.replay_runs).toBe(30);
    expect(r.replay_spread_pct).toBeCloseTo(Math.expm1(rms) * 100, 9);
    expect(r.ci_low_pct).toBeCloseTo(Math.expm1(Math.log(1.15) - T9 * rms) * 100, 6);
    expect(r.ci_high_pct).toBeCloseTo(Math.expm1(Math.log(1.15) + T9 * rms) * 100, 6);
    expect(r.status).toBe('inconclusive');
    expect(r.message).toMatch(/the last 30 runs each differed from the 10 before them by 5\.9% \(root mean square\)/);
    // the same candidate against the window alone (no earlier runs to replay) was a regression
    const alone = gate(cand, history.slice(30));
    expect(alone.replay_runs).toBe(0);
    expect(alone.replay_spread_pct).toBeNull();
    expect(alone.status).toBe('regression');
    // a jump well past what the series did stays a regression
    expect(gate(run(50, [1.5]), history).status).toBe('regression');
  });

  it('keeps the window interval when the replay is narrower, and needs ten replayed runs', () => {
    // the window (MEDIANS, s = 2 %) after 30 runs at exactly 1: the replay errors are smaller than the window s
    const history = [...Array.from({ length: 30 }, (_, i) => run(i, [1])), ...MEDIANS.map((m, i) => run(30 + i, [m]))];
    const r = gate(run(50, [1.25]), history);
    expect(r.replay_runs).toBe(30);
    expect(r.ci_low_pct).toBeCloseTo(Math.expm1(Math.log(1.25) - HALF) * 100, 6);
    // 19 earlier runs: 9 replayable (each needs 10 before it), too few; 20 runs: 10
    expect(gate(run(50, [1.25]), spiked(5, 1.3).slice(21)).replay_runs).toBe(0);
    expect(gate(run(50, [1.25]), spiked(5, 1.3).slice(20)).replay_runs).toBe(10);
    // the window option scales the lookback: window 5 replays the 35 runs of the 40 that have 5 before them
    expect(gate(run(50, [1.25]), spiked(5, 1.3), { window: 5 }).replay_runs).toBe(35);
  });

  /** 210 earlier runs: exactly 1 but for ±1 % alternation, and one run `age` runs back at `value`. */
  function withJump(age: number, value: number): Run[] {
    return Array.from({ length: 210 }, (_, i) => run(i, [210 - i === age ? value : i % 2 ? 1.01 : 0.99]));
  }

  it('a change no larger than a jump the series made by itself within the last 200 runs is inconclusive, naming it', () => {
    // 150 runs back one run was +30 % off the ten before it; the newest 30 (the spread) do not hold it
    const history = withJump(150, 1.3);
    const r = gate(run(300, [1.25]), history);
    expect(r.replay_runs).toBe(200);
    expect(r.status).toBe('inconclusive');
    expect(r.jump?.run_id).toBe('r60');
    expect(r.jump?.change_pct).toBeCloseTo(
      (1.3 / Math.exp((5 * Math.log(1.01) + 5 * Math.log(0.99)) / 10) - 1) * 100,
      6,
    );
    expect(r.message).toMatch(
      /run r60 of .* was \+30\.0% off the 10 runs before it, no less than this run is, within the last 200 runs/,
    );
    // larger than that jump: a regression
    expect(gate(run(300, [1.35]), history).status).toBe('regression');
    // the same run 201 runs back is outside the replay: a regression
    expect(gate(run(300, [1.25]), withJump(201, 1.3)).status).toBe('regression');
    // the mirror image for an improvement
    const drop = withJump(150, 0.7);
    expect(gate(run(300, [0.75]), drop).status).toBe('inconclusive');
    expect(gate(run(300, [0.65]), drop).status).toBe('improvement');
    // a jump the other way does not shield a regression
    expect(gate(run(300, [1.25]), drop).status).toBe('regression');
  });

  const CANDIDATES = 1200;
  /**
   * Regressions among CANDIDATES runs of one workload at `level()` (±1 % per iteration, seeded), each judged
   * against the `read` runs before it, for each history length in `reads`.
   */
  function falseAlarms(level: () => number, seed: number, reads: number[]): number[] {
    const draw = normal(prng(seed));
    const lead = Math.max(...reads);
    const runs = Array.from({ length: lead + CANDIDATES }, (_, i) => {
      const l = level();
      return run(
        i,
        Array.from({ length: 5 }, () => l * Math.exp(draw(0, 0.01))),
      );
    });
    return reads.map((read) => {
      let n = 0;
      for (let c = lead; c < lead + CANDIDATES; c++) {
        if (gate(runs[c]!, runs.slice(c - read, c)).status === 'regression') n++;
      }
      return n;
    });
  }

  it('holds ≤ 1 % false alarms when one run in ten is 30 % slower at random (heavy tails the t interval misses)', () => {
    const rand = prng(92);
    // 210 runs read (the gate's lookback), and 40: a replay of 30, the spread and a jump over 30 runs (chance 1/31)
    const [guarded, forty] = falseAlarms(() => (rand() < 0.1 ? 1.3 : 1), 91, [210, 40]);
    expect(guarded).toBeLessThanOrEqual(CANDIDATES * 0.01);
    expect(forty).toBeGreaterThan(CANDIDATES * 0.015);
  });

  it('holds its false-alarm rate on a machine whose speed jumps in spells (the window alone does not)', () => {
    // a two-state machine, as measured on this VM: runs at level 1 or 1.3 (±1 % per iteration), switching with
    // probability 4 % per run, so ten consecutive runs often all come from one spell
    const rand = prng(78);
    let slow = false;
    const spells = (): number => {
      if (rand() < 0.04) slow = !slow;
      return slow ? 1.3 : 1;
    };
    const [replayed, windowOnly] = falseAlarms(spells, 77, [40, 10]);
    expect(replayed).toBeLessThanOrEqual(CANDIDATES * 0.01);
    // the window alone calls most switches to the slow state regressions (≈ 2 % of runs switch up)
    expect(windowOnly).toBeGreaterThan(CANDIDATES * 0.01);
  });
});
