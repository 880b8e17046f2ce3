/**
 * runWorkflow: N measured iterations (after optional warm-ups) of one workflow → a Run record (SPEC §8).
 *
 * Iterations run one after another (measurement is serialized per process anyway, see measure/mutex.ts).
 * A timed-out or failed iteration does not stop the run unless onFailure is 'abort'. The run's AbortSignal (Ctrl-C)
 * kills the current iteration's tree and returns what finished; the interrupted iteration is not recorded.
 */
import { resolveConfig, resolveLane, type ResolvedConfig, type ResolvedLane } from '../config/index.js';
import { collectEnv, collectGit, newRunId } from '../history/index.js';
import {
  measureIteration,
  reapStaleCarriers,
  reaperNote,
  type Executor,
  type SamplerFactory,
} from '../measure/index.js';
import { analyzeIterations, metricSamples } from '../stats/index.js';
import { evaluateThresholds } from '../thresholds/index.js';
import { evaluateRun } from './evaluate-run.js';
import type { Iteration, Run, RunnerInfo, SlaResult } from '../types.js';
import { runNotes } from './notes.js';
import { runStatus } from './status.js';
import { busyNote, machineState, mergeMachineStates } from './machine.js';
import type { Workflow } from '../measure/index.js';
import type { ProgressEvent, WorkflowOptions } from './types.js';
import { watchStopRequest } from './stop-request.js';

export interface RunWorkflowSpec {
  lane: string;
  workflow: string;
  target: Workflow;
  options?: WorkflowOptions | undefined;
  config?: ResolvedConfig | undefined;
  runner?: RunnerInfo | undefined;
  file?: string | undefined;
  onProgress?: ((e: ProgressEvent) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** already resolved lane settings (skips resolveLane; measure() uses it for its ad-hoc lane) */
  resolvedLane?: ResolvedLane | undefined;
  /** forward commands' output to ours */
  echo?: boolean | undefined;
  /** the measurement seam, replaced by fakes in tests of the logic (measure/fake.ts) */
  sampler?: SamplerFactory | undefined;
  executor?: Executor | undefined;
}

export async function runWorkflow(spec: RunWorkflowSpec): Promise<Run> {
  if (typeof spec.workflow !== 'string' || spec.workflow.trim() === '')
    throw new TypeError('runWorkflow: workflow name must be a non-empty string');
  // a runner-driven lane that the CLI was told to stop: throws before anything starts, else aborts it mid-run
  const stop = watchStopRequest(spec.workflow);
  try {
    const signal =
      stop.signal && spec.signal ? AbortSignal.any([stop.signal, spec.signal]) : (stop.signal ?? spec.signal);
    return await runWorkflowWith({ ...spec, signal });
  } finally {
    stop.dispose();
  }
}

async function runWorkflowWith(spec: RunWorkflowSpec): Promise<Run> {
  const config = spec.config ?? resolveConfig(undefined);
  const opts = spec.options ?? {};
  const lane = spec.resolvedLane ?? resolveLane(config, spec.lane, opts);
  const runner: RunnerInfo = spec.runner ?? { name: 'api', version: null };
  const sampleIntervalMs = opts.sampleIntervalMs ?? config.sampleIntervalMs;
  if (!(sampleIntervalMs > 0)) throw new RangeError(`sampleIntervalMs must be > 0, got ${sampleIntervalMs}`);

  const startedAt = new Date();
  const machineAtStart = machineState();
  // leftovers of iterations whose owner died (a killed worker never ran its sweep): see measure/reaper.ts
  const reaped = reaperNote(reapStaleCarriers());
  // Known before the first iteration: it is part of every iteration's environment cookie.
  const runId = newRunId(lane.name, spec.workflow, startedAt);
  const t0 = performance.now();
  const iterations: Iteration[] = [];
  const customUnits: Record<string, string> = {};
  const totalSteps = lane.warmup + lane.iterations;
  let stepsDone = 0;
  let interruptedAt: number | undefined;

  const emit = (e: Omit<ProgressEvent, 'lane' | 'workflow' | 'elapsed_s' | 'eta_s'>): void => {
    if (!spec.onProgress) return;
    const elapsed = (performance.now() - t0) / 1000;
    const eta = stepsDone > 0 ? (elapsed / stepsDone) * (totalSteps - stepsDone) : null;
    try {
      spec.onProgress({
        lane: lane.name,
        workflow: spec.workflow,
        elapsed_s: round(elapsed),
        eta_s: eta === null ? null : round(eta),
        ...e,
      });
    } catch {
      /* a progress printer must not break the measurement */
    }
  };

  const base = {
    timeout_s: lane.timeout_s,
    sampleIntervalMs,
    lane: lane.name,
    workflow: spec.workflow,
    cwd: opts.cwd,
    env: opts.env,
    echo: spec.echo,
    signal: spec.signal,
    runId,
    sampler: spec.sampler,
    executor: spec.executor,
  };

  // Warm-up: run, report progress, discard (but a Ctrl-C still stops everything).
  for (let w = 1; w <= lane.warmup && !spec.signal?.aborted; w++) {
    emit({ iteration: w, total: lane.warmup, warmup: true, status: 'running' });
    const it = await measureIteration(spec.target, { ...base, iteration: w, warmup: true });
    stepsDone++;
    if (spec.signal?.aborted) break;
    emit({ iteration: w, total: lane.warmup, warmup: true, status: it.status, execution_time: it.execution_time });
  }

  for (let i = 1; i <= lane.iterations; i++) {
    if (spec.signal?.aborted) {
      interruptedAt = i;
      break;
    }
    emit({ iteration: i, total: lane.iterations, warmup: false, status: 'running' });
    const it = await measureIteration(spec.target, {
      ...base,
      iteration: i,
      onMetric: (name, _value, unit) => {
        if (unit !== undefined) customUnits[name] = unit;
        else customUnits[name] ??= '';
      },
    });
    stepsDone++;
    if (spec.signal?.aborted) {
      // Interrupted mid-iteration: its figures are not a measurement of the workflow.
      interruptedAt = i;
      break;
    }
    iterations.push(it);
    emit({ iteration: i, total: lane.iterations, warmup: false, status: it.status, execution_time: it.execution_time });
    if (it.status !== 'passed' && lane.onFailure === 'abort') break;
  }

  const metrics_analysis = analyzeIterations(iterations);
  const machine = mergeMachineStates(machineAtStart, machineState());
  const busy = busyNote(machine);
  const run: Run = {
    id: runId,
    lane: lane.name,
    workflow: spec.workflow,
    started_at: startedAt.toISOString(),
    duration_s: round((performance.now() - t0) / 1000),
    iterations_requested: lane.iterations,
    warmup: lane.warmup,
    timeout_s: lane.timeout_s,
    status: runStatus(iterations, lane.iterations, interruptedAt !== undefined),
    iterations,
    metrics_analysis,
    sla: { compliant: true, strict: lane.strict, passed: true, violations: [], checked: 0 },
    custom_units: customUnits,
    env: collectEnv(runner),
    git: collectGit(opts.cwd ?? config.root),
    runner,
    notes: [
      ...runNotes(iterations, lane.iterations, interruptedAt),
      ...(busy ? [busy] : []),
      ...(reaped ? [reaped] : []),
    ],
    machine,
  };
  if (spec.file !== undefined) run.file = spec.file;
  run.sla = laneSla(run, lane, customUnits);
  return run;
}

/** The lane's thresholds over the run's stats, plus the iterations_failed error of evaluateRun. */
function laneSla(run: Run, lane: ResolvedLane, customUnits: Record<string, string>): SlaResult {
  const units = { ...lane.customMetrics, ...customUnits };
  const sla = evaluateThresholds(run.metrics_analysis, lane.thresholds, {
    strict: lane.strict,
    customUnits: units,
    values: metricSamples(run.iterations),
  });
  // evaluateRun with an empty spec checks nothing but failed/timed-out iterations.
  const failures = evaluateRun(run, {}, { strict: lane.strict });
  if (failures.violations.length > 0) {
    sla.violations.unshift(...failures.violations);
    sla.checked += failures.checked;
    sla.compliant = sla.compliant && failures.compliant;
    sla.passed = sla.passed && failures.passed;
  }
  return sla;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;
