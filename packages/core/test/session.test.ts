// analyzeSession: the one analysis of a session (run verdicts, history gate, recommendations, change points, exit
// code) that publishRuns and the CLI commands take their verdicts from.
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { analyzeSession, exitCodeFor, regressionOptions } from '../src/session/index.js';
import { compileThresholds } from '../src/thresholds/index.js';
import type { Run } from '../src/types.js';
import { makeRun } from './fixtures/runs.js';

const config = resolveConfig(undefined);
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1, 10);

/** `n` quiet runs of docs › build at ~1 s, a day apart, then the candidate the day after. */
function historyWith(candidate: (startedAt: Date) => Run, n = 8): { runs: Run[]; candidate: Run } {
  const runs = Array.from({ length: n }, (_, i) =>
    makeRun({
      lane: 'docs',
      workflow: 'build',
      exec: 1,
      memory: 50,
      cpu: 5,
      spread: 0.01,
      startedAt: new Date(t0 + i * DAY),
    }),
  );
  const c = candidate(new Date(t0 + n * DAY));
  return { runs: [...runs, c], candidate: c };
}

const quiet = (startedAt: Date) =>
  makeRun({ lane: 'docs', workflow: 'build', exec: 1, memory: 50, cpu: 5, spread: 0.01, startedAt });
const slower = (startedAt: Date) =>
  makeRun({ lane: 'docs', workflow: 'build', exec: 2, memory: 50, cpu: 5, spread: 0.01, startedAt });

describe('analyzeSession: verdicts of the runs', () => {
  test('a run that meets its SLA, no history: passed, exit 0, the gate has too few runs', () => {
    const run = quiet(new Date(t0));
    const s = analyzeSession({ runs: [run], history: [run], config });
    expect(s.passed).toBe(true);
    expect(s.runs).toEqual([{ run, outcome: 'passed', passed: true, failing: [] }]);
    expect(s.regressions.every((g) => g.status === 'insufficient-data')).toBe(true);
    expect(s.regressed).toBe(false);
    expect(s.exitCode).toBe(0);
  });

  test('an SLA error breach fails the session and names the violation', () => {
    const run = makeRun({
      lane: 'docs',
      workflow: 'build',
      exec: 1,
      memory: 50,
      cpu: 5,
      thresholds: compileThresholds({ execution_time: ['p(95) < 0.5'] }),
    });
    expect(run.sla.passed).toBe(false);
    const s = analyzeSession({ runs: [run], history: [run], config });
    expect(s.exitCode).toBe(1);
    expect(s.passed).toBe(false);
    expect(s.runs[0]!.outcome).toBe('sla-failed');
    expect(s.runs[0]!.failing.map((v) => [v.metric, v.severity])).toEqual([['execution_time', 'error']]);
  });

  test('warnings only: compliant and exit 0; the same warnings in strict mode fail it', () => {
    // docs' memory_max (512 MB) is a warning
    const warned = makeRun({ lane: 'docs', workflow: 'build', exec: 1, memory: 700, cpu: 5 });
    expect(warned.sla.violations.map((v) => v.severity)).toContain('warning');
    const s = analyzeSession({ runs: [warned], history: [warned], config });
    expect(s.exitCode).toBe(0);
    expect(s.runs[0]).toMatchObject({ outcome: 'passed', passed: true, failing: [] });

    const strict = makeRun({ lane: 'docs', workflow: 'build', exec: 1, memory: 700, cpu: 5, strict: true });
    const st = analyzeSession({ runs: [strict], history: [strict], config });
    expect(st.exitCode).toBe(1);
    expect(st.runs[0]!.outcome).toBe('sla-failed');
    expect(st.runs[0]!.failing.length).toBeGreaterThan(0);
    expect(st.runs[0]!.failing.every((v) => v.severity === 'warning')).toBe(true);
  });

  test('failed iterations: a failed run and a partial run both fail the session', () => {
    const failed = makeRun({
      lane: 'docs',
      workflow: 'build',
      exec: 1,
      memory: 50,
      cpu: 5,
      iterations: 2,
      override: { 0: { status: 'failed' }, 1: { status: 'failed' } },
    });
    expect(failed.status).toBe('failed');
    const partial = makeRun({
      lane: 'docs',
      workflow: 'lint',
      exec: 1,
      memory: 50,
      cpu: 5,
      override: { 2: { status: 'failed' } },
    });
    expect(partial.status).toBe('partial');
    expect(partial.sla.passed).toBe(true);
    for (const run of [failed, partial]) {
      const s = analyzeSession({ runs: [run], history: [run], config });
      expect(s.exitCode).toBe(1);
      expect(s.runs[0]!.passed).toBe(false);
    }
    expect(analyzeSession({ runs: [failed], history: [failed], config }).runs[0]!.outcome).toBe('error');
    expect(analyzeSession({ runs: [partial], history: [partial], config }).runs[0]!.outcome).toBe('partial');
    // one bad run among good ones is enough
    const good = quiet(new Date(t0));
    expect(analyzeSession({ runs: [good, partial], history: [good, partial], config }).exitCode).toBe(1);
  });
});

describe('analyzeSession: the history gate and failOnRegression', () => {
  const { runs, candidate } = historyWith(slower);

  test('a regression is reported; it fails the session only with failOnRegression', () => {
    const s = analyzeSession({ runs: [candidate], history: runs, config });
    const time = s.regressions.find((g) => g.metric === 'execution_time')!;
    expect(time.status).toBe('regression');
    expect(s.regressed).toBe(true);
    expect(s.passed).toBe(true);
    expect(s.failOnRegression).toBe(false);
    expect(s.exitCode).toBe(0);

    expect(analyzeSession({ runs: [candidate], history: runs, config, failOnRegression: true }).exitCode).toBe(1);
    // the config's failOnRegression applies when the caller says nothing; an explicit false wins (trends, compare)
    const failing = resolveConfig({ failOnRegression: true });
    expect(analyzeSession({ runs: [candidate], history: runs, config: failing }).exitCode).toBe(1);
    expect(
      analyzeSession({ runs: [candidate], history: runs, config: failing, failOnRegression: false }).exitCode,
    ).toBe(0);
  });

  test('the config sets the gate: a threshold above the change sees no regression', () => {
    const wide = resolveConfig({ regressionThreshold: 2 });
    const s = analyzeSession({ runs: [candidate], history: runs, config: wide, failOnRegression: true });
    expect(s.regressions.find((g) => g.metric === 'execution_time')!.status).not.toBe('regression');
    expect(s.exitCode).toBe(0);
    expect(regressionOptions(wide)).toEqual({ threshold: 2, window: 10 });
    expect(regressionOptions(resolveConfig({ historyWindow: 3 }), { metrics: ['cpu_seconds'] })).toEqual({
      threshold: 0.1,
      window: 3,
      metrics: ['cpu_seconds'],
    });
  });

  test('no regression on a quiet candidate, even with failOnRegression', () => {
    const q = historyWith(quiet);
    const s = analyzeSession({ runs: [q.candidate], history: q.runs, config, failOnRegression: true });
    expect(s.regressions.find((g) => g.metric === 'execution_time')!.status).toBe('no-change');
    expect(s.exitCode).toBe(0);
  });

  test('inconclusive (too few baseline runs) never fails the session', () => {
    const few = historyWith(slower, 3);
    const s = analyzeSession({ runs: [few.candidate], history: few.runs, config, failOnRegression: true });
    expect(s.regressions.find((g) => g.metric === 'execution_time')!.status).toBe('insufficient-data');
    expect(s.regressed).toBe(false);
    expect(s.exitCode).toBe(0);
  });

  test('metrics narrows the gate; gateRuns: false leaves out the runs’ own verdicts (trends)', () => {
    const s = analyzeSession({ runs: [candidate], history: runs, config, metrics: ['execution_time'] });
    expect(s.regressions.map((g) => g.metric)).toEqual(['execution_time']);
    const failed = makeRun({
      lane: 'docs',
      workflow: 'build',
      exec: 1,
      memory: 50,
      cpu: 5,
      thresholds: compileThresholds({ execution_time: ['p(95) < 0.5'] }),
    });
    expect(analyzeSession({ runs: [failed], history: [failed], config, gateRuns: false }).exitCode).toBe(0);
    expect(analyzeSession({ runs: [failed], history: [failed], config }).exitCode).toBe(1);
  });

  test('recommendations and change points come with it unless switched off', () => {
    // eight runs at 1 s, then eight at 2 s: a level shift in the session's series
    const shifted = [...runs.slice(0, 8), ...Array.from({ length: 8 }, (_, i) => slower(new Date(t0 + (8 + i) * DAY)))];
    const last = shifted[shifted.length - 1]!;
    const s = analyzeSession({ runs: [last], history: shifted, config });
    expect(Array.isArray(s.recommendations)).toBe(true);
    expect(s.changePoints.some((cp) => cp.metric === 'execution_time' && cp.workflow === 'build')).toBe(true);
    const bare = analyzeSession({
      runs: [last],
      history: shifted,
      config,
      recommendations: false,
      changePoints: false,
    });
    expect(bare.recommendations).toEqual([]);
    expect(bare.changePoints).toEqual([]);
    expect(bare.regressions).toEqual(s.regressions);
  });
});

describe('exitCodeFor: the one exit-code rule', () => {
  const good = quiet(new Date(t0));
  const partial = makeRun({
    lane: 'docs',
    workflow: 'b',
    exec: 1,
    memory: 50,
    cpu: 5,
    override: { 0: { status: 'failed' } },
  });
  test('runs first, then regressions when asked', () => {
    expect(exitCodeFor([good])).toBe(0);
    expect(exitCodeFor([partial])).toBe(1);
    expect(exitCodeFor([], [{ status: 'regression' }])).toBe(0);
    expect(exitCodeFor([], [{ status: 'regression' }], true)).toBe(1);
    expect(exitCodeFor([good], [{ status: 'inconclusive' }, { status: 'insufficient-data' }], true)).toBe(0);
  });
});
