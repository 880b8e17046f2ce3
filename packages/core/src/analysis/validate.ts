/**
 * SLA validation over the history (`lanebench validate-sla`, SLAValidator).
 *
 * For each workflow of the lane, the passed and failed iterations of its latest `window` runs
 * (default 1: the latest run) are pooled into one sample and evaluated against the lane's
 * *current* configured thresholds, so an SLA changed in the config applies to recorded runs. The
 * lane is compliant when no workflow has an error-severity violation; failed or timed-out
 * iterations count as the error `iterations_failed` (evaluateRun).
 */
import type { ResolvedConfig } from '../config/index.js';
import { analyzeIterations } from '../stats/index.js';
import { evaluateRun } from '../run/evaluate-run.js';
import type { Run, SlaResult, Violation } from '../types.js';
import { laneRuns, lastN } from './select.js';

export interface WorkflowValidation {
  workflow: string;
  /** ids of the runs evaluated, oldest first */
  runs: string[];
  sla: SlaResult;
}

export interface LaneValidation {
  lane: string;
  /** no error-severity violation in any workflow */
  compliant: boolean;
  /** compliant and, in strict mode, free of warnings too */
  passed: boolean;
  strict: boolean;
  workflows: WorkflowValidation[];
  violations: Array<Violation & { workflow: string }>;
}

/** Pools runs of one workflow into one run-shaped sample (latest run's metadata), stats recomputed from the iterations. */
function pooled(runs: Run[]): Run {
  const last = runs[runs.length - 1]!;
  const iterations = runs.flatMap((r) => r.iterations ?? []);
  return {
    ...last,
    iterations,
    metrics_analysis: analyzeIterations(iterations),
    custom_units: Object.fromEntries(runs.flatMap((r) => Object.entries(r.custom_units ?? {}))),
  };
}

export function validateLane(
  runs: readonly Run[],
  lane: string,
  opts: { config?: ResolvedConfig; strict?: boolean; window?: number } = {},
): LaneValidation {
  const window = opts.window ?? 1;
  const selected = laneRuns(runs, lane);
  const workflows = [...new Set(selected.map((r) => r.workflow))];
  const results: WorkflowValidation[] = workflows.map((workflow) => {
    const chosen = lastN(
      selected.filter((r) => r.workflow === workflow),
      window,
    );
    const sla = evaluateRun(pooled(chosen), lane, { config: opts.config, strict: opts.strict });
    return { workflow, runs: chosen.map((r) => r.id), sla };
  });
  const strict = results[0]?.sla.strict ?? opts.strict ?? false;
  return {
    lane,
    compliant: results.every((r) => r.sla.compliant),
    passed: results.every((r) => r.sla.passed),
    strict,
    workflows: results,
    violations: results.flatMap((r) => r.sla.violations.map((v) => ({ ...v, workflow: r.workflow }))),
  };
}
