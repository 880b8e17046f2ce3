/**
 * The report view model: what the HTML dashboard, the Markdown summary and the console summary say
 * about a session, derived once. Per-lane counts, worst figures, verdict labels, the environment list
 * and the recommendation list used to be computed separately by each writer and drifted apart; the
 * writers now only format this.
 */
import type { Run } from '../types.js';
import {
  failingViolations,
  fixed,
  groupByLane,
  hasUnresolved,
  isIncomplete,
  isNum,
  isPartial,
  isRegression,
  laneCompliant,
  recommendationsFor,
  regressionsFor,
  reportedViolations,
  stat,
  failedOnStrictWarnings,
  unique,
} from './format.js';
import {
  isNoComparison,
  iterationCount,
  laneVerdictLabel,
  runVerdict,
  type IterationCount,
  type RunVerdict,
} from './labels.js';
import type { ReportInput, ReportRecommendation, ReportRegression } from './types.js';

export interface RunSummary {
  run: Run;
  verdict: RunVerdict;
  iterations: IterationCount;
  /** violations that fail the run (errors; warnings too in strict mode) */
  errors: number;
  /** reported violations that do not fail it */
  warnings: number;
  /** regression verdicts on this workflow */
  regressions: number;
}

export interface WorstFigures {
  execMean?: number | undefined;
  execP95?: number | undefined;
  memoryMax?: number | undefined;
  cpuMean?: number | undefined;
}

export interface LaneSummary {
  name: string;
  runs: RunSummary[];
  compliant: boolean;
  verdictLabel: string;
  workflows: number;
  /** runs that failed or timed out */
  failed: number;
  errors: number;
  warnings: number;
  worst: WorstFigures;
}

export interface EnvironmentSummary {
  fingerprint: string;
  os: string;
  arch: string;
  kernel: string;
  cpu: string;
  cores: number;
  memoryGb: string;
  node: string;
  /** every runner that produced a run on this environment, e.g. ["vitest 4.1.12", "jest 30.2.0"] */
  runners: string[];
  ci: string;
  hosts: string[];
  runs: number;
}

export interface RecommendationView {
  rec: ReportRecommendation;
  /** "35 %", or "not estimated" when the rule cannot put a figure on it */
  improvement: string;
  /** passed iterations behind the advice, when known */
  samples?: number;
  /** "based on fewer than 5 samples (3)" when the evidence is thin, else undefined */
  sampleNote?: string;
}

export interface ReportView {
  generatedAt: string;
  runs: RunSummary[];
  lanes: LaneSummary[];
  overall: {
    compliant: boolean;
    laneCount: number;
    nonCompliantLanes: string[];
    runs: number;
    /** runs that failed or timed out */
    incomplete: number;
    strictFailed: number;
    /** runs that kept fewer iterations than requested (status `partial`): "compliant on partial data" */
    partial: RunSummary[];
    violations: number;
    regressions: number;
  };
  environments: EnvironmentSummary[];
  /** environments seen only in the history, not in this session */
  otherHistoryEnvironments: number;
  recommendations: RecommendationView[];
  /** regression results: verdicts that compared something, and the comparisons that could not be made */
  comparisons: { made: ReportRegression[]; notMade: ReportRegression[]; detected: number } | undefined;
  hasUnresolved: boolean;
  commits: Array<{ sha: string | null; branch: string | null; dirty: boolean | null }>;
}

/** Advice resting on fewer passed iterations than this says so. */
export const MIN_ADVICE_SAMPLES = 5;

function maxOf(runs: Run[], metric: string, key: 'mean' | 'p95' | 'max'): number | undefined {
  const vals = runs.map((r) => stat(r, metric)?.[key]).filter(isNum);
  return vals.length ? Math.max(...vals) : undefined;
}

function runnerLabel(name: string | null | undefined, version: string | null | undefined): string | undefined {
  if (!name) return undefined;
  return version ? `${name} ${version}` : name;
}

function summarizeRun(input: ReportInput, run: Run): RunSummary {
  const reported = reportedViolations(run);
  const failing = failingViolations(run);
  const errors = reported.filter((v) => failing.includes(v)).length;
  return {
    run,
    verdict: runVerdict(run),
    iterations: iterationCount(run),
    errors,
    warnings: reported.length - errors,
    regressions: regressionsFor(input.regressions, run.lane, run.workflow).filter(isRegression).length,
  };
}

export function environmentsOf(runs: readonly Run[]): EnvironmentSummary[] {
  return unique(runs.map((r) => r.env?.fingerprint)).map((fp) => {
    const same = runs.filter((r) => r.env?.fingerprint === fp);
    const e = same[0]!.env;
    return {
      fingerprint: fp,
      os: e.os,
      arch: e.arch,
      kernel: e.kernel,
      cpu: e.cpu_model,
      cores: e.logical_cores,
      memoryGb: fixed(e.memory_total_mb / 1024, 1),
      node: e.node_version,
      // the runner is per run (Vitest and Jest runs share a machine), not per environment
      runners: unique(
        same.map(
          (r) => runnerLabel(r.runner?.name, r.runner?.version) ?? runnerLabel(r.env?.runner, r.env?.runner_version),
        ),
      ),
      ci: unique(same.map((r) => r.env?.ci_provider)).join(', ') || 'local',
      hosts: unique(same.map((r) => r.env?.hostname)),
      runs: same.length,
    };
  });
}

function recommendationView(input: ReportInput, rec: ReportRecommendation): RecommendationView {
  const pct = rec.estimated_improvement_pct;
  const run = input.runs.find((r) => r.lane === rec.lane && r.workflow === rec.workflow);
  const fromEvidence = typeof rec.evidence?.samples === 'number' ? rec.evidence.samples : undefined;
  const samples = fromEvidence ?? (run ? iterationCount(run).passed : undefined);
  const view: RecommendationView = {
    rec,
    improvement: isNum(pct) && pct > 0 ? `${fixed(pct, 0)} %` : 'not estimated',
  };
  if (samples !== undefined) view.samples = samples;
  if (samples !== undefined && samples < MIN_ADVICE_SAMPLES)
    view.sampleNote = `based on fewer than ${MIN_ADVICE_SAMPLES} samples (${samples})`;
  return view;
}

export function buildReportView(input: ReportInput): ReportView {
  const runs = input.runs.map((r) => summarizeRun(input, r));
  const lanes: LaneSummary[] = [...groupByLane(input.runs)].map(([name, lr]) => {
    const mine = runs.filter((s) => s.run.lane === name);
    const compliant = laneCompliant(lr);
    return {
      name,
      runs: mine,
      compliant,
      verdictLabel: laneVerdictLabel(compliant),
      workflows: unique(lr.map((r) => r.workflow)).length,
      failed: lr.filter(isIncomplete).length,
      errors: mine.reduce((s, r) => s + r.errors, 0),
      warnings: mine.reduce((s, r) => s + r.warnings, 0),
      worst: {
        execMean: maxOf(lr, 'execution_time', 'mean'),
        execP95: maxOf(lr, 'execution_time', 'p95'),
        memoryMax: maxOf(lr, 'memory_usage', 'max'),
        cpuMean: maxOf(lr, 'cpu_usage', 'mean'),
      },
    };
  });
  const regs = input.regressions;
  const laneOrder = unique([...input.runs.map((r) => r.lane), ...(input.recommendations ?? []).map((r) => r.lane)]);
  const fps = unique(input.runs.map((r) => r.env?.fingerprint));
  return {
    generatedAt: input.generated_at,
    runs,
    lanes,
    overall: {
      compliant: lanes.every((l) => l.compliant),
      laneCount: lanes.length,
      nonCompliantLanes: lanes.filter((l) => !l.compliant).map((l) => l.name),
      runs: runs.length,
      incomplete: input.runs.filter(isIncomplete).length,
      strictFailed: input.runs.filter(failedOnStrictWarnings).length,
      partial: runs.filter((s) => isPartial(s.run)),
      violations: runs.reduce((s, r) => s + r.errors + r.warnings, 0),
      regressions: (regs ?? []).filter(isRegression).length,
    },
    environments: environmentsOf(input.runs),
    otherHistoryEnvironments: unique(input.history.map((r) => r.env?.fingerprint)).filter((f) => !fps.includes(f))
      .length,
    recommendations: laneOrder.flatMap((lane) =>
      recommendationsFor(input.recommendations, lane).map((rec) => recommendationView(input, rec)),
    ),
    comparisons: regs && {
      made: regs.filter((g) => !isNoComparison(g.status)),
      notMade: regs.filter((g) => isNoComparison(g.status)),
      detected: regs.filter(isRegression).length,
    },
    hasUnresolved: input.runs.some(hasUnresolved),
    commits: unique(input.runs.map((r) => (r.git ? JSON.stringify([r.git.sha, r.git.branch, r.git.dirty]) : null))).map(
      (g) => {
        const [sha, branch, dirty] = JSON.parse(g) as [string | null, string | null, boolean | null];
        return { sha, branch, dirty };
      },
    ),
  };
}
