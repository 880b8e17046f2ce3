/**
 * `--confirm N` (or `confirm: N` in the config) for runner-driven lanes: the workflows the regression gate flagged
 * are re-run through the runner N times, and only those (LANEBENCH_WORKFLOWS skips the others). Each re-run is
 * recorded with Run.confirm (of, attempt, of_attempts, reason) and judged against the same baseline as the flagged
 * run (the flagged run left out). A regression stands only when every re-run shows it on every flagged metric.
 */
import {
  CONFIRM_ENV,
  detectRegressions,
  WORKFLOWS_ENV,
  type ConfirmLaunch,
  type RegressionResult,
  type Run,
} from '@lanebench/core';
import { loadRuns, type Context } from '../lib/context.js';
import { out } from '../lib/output.js';
import type { RunnerLaunch } from '../runners/types.js';
import { driveLaneRunner } from './run-lane.js';

interface Flagged {
  run: Run;
  metrics: string[];
  reason: string;
}

export interface LaneConfirmResult {
  /** ids of the flagged runs whose regression every re-run repeated */
  confirmed: Set<string>;
  /** a signal stopped the re-runs */
  received: NodeJS.Signals | undefined;
}

export async function confirmLaneRegressions(
  ctx: Context,
  runner: 'vitest' | 'jest',
  launch: RunnerLaunch,
  regressions: readonly RegressionResult[],
  added: readonly Run[],
  n: number,
): Promise<LaneConfirmResult> {
  const pending = new Map<string, Flagged>();
  for (const run of added) {
    const hits = regressions.filter((r) => r.status === 'regression' && r.workflow === run.workflow);
    if (hits.length === 0) continue;
    pending.set(run.workflow, {
      run,
      metrics: hits.map((h) => h.metric),
      reason: hits.map((h) => h.message).join('; '),
    });
  }
  for (const f of pending.values())
    out(`Confirming: re-running '${f.run.workflow}' ${n} time(s) because ${f.metrics.join(', ')} regressed`);

  // the CLI judges the re-runs itself: the runner's reporter must not fail on its own verdicts meanwhile
  const quietLaunch: RunnerLaunch = { ...launch, config: { ...launch.config, failOnRegression: false } };
  let received: NodeJS.Signals | undefined;
  for (let attempt = 1; attempt <= n && pending.size > 0; attempt++) {
    const tag: ConfirmLaunch = {
      attempt,
      of_attempts: n,
      runs: Object.fromEntries([...pending].map(([name, f]) => [name, { of: f.run.id, reason: f.reason }])),
    };
    const before = new Set((await loadRuns(ctx)).map((r) => r.id));
    const result = await driveLaneRunner(runner, quietLaunch, {
      env: { [WORKFLOWS_ENV]: JSON.stringify([...pending.keys()]), [CONFIRM_ENV]: JSON.stringify(tag) },
    });
    if (result.received) {
      received = result.received;
      break;
    }
    const history = await loadRuns(ctx);
    for (const [name, f] of [...pending]) {
      const rerun = history.find((r) => !before.has(r.id) && r.workflow === name && r.confirm?.attempt === attempt);
      if (!rerun) {
        out(`  re-run ${attempt}/${n} of '${name}': not recorded (the workflow failed or was not run); not confirmed`);
        pending.delete(name);
        continue;
      }
      const verdicts = detectRegressions(
        rerun,
        history.filter((r) => r.id !== f.run.id),
        { metrics: f.metrics, threshold: ctx.config.regressionThreshold, window: ctx.config.historyWindow },
      );
      const still = verdicts.every((v) => v.status === 'regression');
      out(
        `  re-run ${attempt}/${n} of '${name}': ${still ? 'regression again' : verdicts.map((v) => v.message).join('; ')}`,
      );
      if (!still) pending.delete(name);
    }
  }
  const confirmed = new Set(received ? [] : [...pending.values()].map((f) => f.run.id));
  for (const run of added) {
    if (!regressions.some((r) => r.status === 'regression' && r.workflow === run.workflow)) continue;
    if (received) continue;
    out(
      confirmed.has(run.id)
        ? `Regression of '${run.workflow}' confirmed by ${n} re-run(s).`
        : `Regression of '${run.workflow}' not confirmed by the re-runs; not failing on it.`,
    );
  }
  return { confirmed, received };
}
