/**
 * The analysis of a session — the runs a test session recorded, or the runs a CLI command looks at — against the
 * history: the verdict of each run, the regressions of the history gate, the recommendations, the change points and
 * the exit code. Publishing and every CLI command that states a verdict take it from here, so the rules (which runs
 * fail, how the config's regression settings and failOnRegression apply) exist once.
 */
import { changePointsOfHistory } from '../analysis/changepoints.js';
import { detectRegressions } from '../analysis/regression.js';
import type { ChangePoint, RegressionOptions, RegressionResult } from '../analysis/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { recommend } from '../recommend/recommend.js';
import type { Recommendation } from '../recommend/types.js';
import type { Run, Violation } from '../types.js';
import { failingViolations, runOutcome, type RunOutcome } from './run-verdict.js';

/** Runs per series the change-point detection looks at (the dashboard draws them on its trend charts). */
export const SESSION_CHANGE_POINT_WINDOW = 200;

export interface SessionInput {
  /** the session's runs: just recorded, or the latest of each workflow */
  runs: readonly Run[];
  /** every run of the history, the session's included (each run's baseline is taken from the runs before it) */
  history: readonly Run[];
  /** regressionThreshold, historyWindow, failOnRegression and the lanes (for recommendations) */
  config: ResolvedConfig;
  /**
   * A detected regression fails the session (exit 1). Undefined: the config's failOnRegression. Commands that
   * query the history (trends, compare) pass their own `--fail-on-regression` flag, which alone decides there.
   */
  failOnRegression?: boolean | undefined;
  /**
   * The runs' own verdicts count towards the exit code (default true). False for history queries (trends):
   * their verdict is the regression gate alone.
   */
  gateRuns?: boolean | undefined;
  /** check only these metrics for regressions and change points (default: the gate's metrics) */
  metrics?: readonly string[] | undefined;
  /** derive recommendations (default true); a command that prints none can skip the work */
  recommendations?: boolean | undefined;
  /** detect change points in the runs' series (default true) */
  changePoints?: boolean | undefined;
}

/** The verdict of one run of the session, as recorded when it was measured. */
export interface SessionRunVerdict {
  run: Run;
  outcome: RunOutcome;
  /** completed, not partial, and its SLA passed (errors; warnings too in strict mode) */
  passed: boolean;
  /** the violations that failed it */
  failing: Violation[];
}

export interface SessionAnalysis {
  runs: SessionRunVerdict[];
  /** every run of the session passed */
  passed: boolean;
  regressions: RegressionResult[];
  /** a regression was detected (whatever failOnRegression says) */
  regressed: boolean;
  /** whether a regression fails this session (the input's flag, else the config's) */
  failOnRegression: boolean;
  recommendations: Recommendation[];
  changePoints: ChangePoint[];
  /** see exitCodeFor */
  exitCode: 0 | 1;
}

/** The history gate's options from a config: its threshold and baseline window (plus the caller's metrics). */
export function regressionOptions(
  config: Pick<ResolvedConfig, 'regressionThreshold' | 'historyWindow'>,
  extra: { metrics?: readonly string[] | undefined } = {},
): RegressionOptions & { threshold: number; window: number } {
  return {
    threshold: config.regressionThreshold,
    window: config.historyWindow,
    ...(extra.metrics ? { metrics: [...extra.metrics] } : {}),
  };
}

/**
 * The exit code of a session: 1 when a run did not pass (failed, timed out, partial, SLA errors or strict
 * warnings) or, with `failOnRegression`, when a regression was detected; else 0. The same verdict every report
 * shows (runPassed).
 */
export function exitCodeFor(
  runs: readonly Run[],
  regressions: readonly Pick<RegressionResult, 'status'>[] = [],
  failOnRegression = false,
): 0 | 1 {
  if (runs.some((r) => runOutcome(r) !== 'passed')) return 1;
  return failOnRegression && regressions.some((g) => g.status === 'regression') ? 1 : 0;
}

export function analyzeSession(input: SessionInput): SessionAnalysis {
  const { config } = input;
  const runs = [...input.runs];
  const history = [...input.history];
  const options = regressionOptions(config, { metrics: input.metrics });
  const regressions = runs.flatMap((run) => detectRegressions(run, history, options));
  const recommendations =
    input.recommendations === false ? [] : runs.flatMap((run) => recommend(run, config.lanes[run.lane], history));
  const changePoints =
    input.changePoints === false
      ? []
      : changePointsOfHistory(history, input.metrics, { window: SESSION_CHANGE_POINT_WINDOW }, runs);
  const verdicts = runs.map((run): SessionRunVerdict => {
    const outcome = runOutcome(run);
    return { run, outcome, passed: outcome === 'passed', failing: failingViolations(run) };
  });
  const failOnRegression = input.failOnRegression ?? config.failOnRegression;
  return {
    runs: verdicts,
    passed: verdicts.every((v) => v.passed),
    regressions,
    regressed: regressions.some((g) => g.status === 'regression'),
    failOnRegression,
    recommendations,
    changePoints,
    exitCode: exitCodeFor(input.gateRuns === false ? [] : runs, regressions, failOnRegression),
  };
}
