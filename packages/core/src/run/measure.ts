/**
 * measure(): the entry point for SLA assertions in ordinary test suites —
 * `expect(await measure(fn, { iterations: 3 })).toMeetSla('docs')`.
 *
 * Without `lane`, the run belongs to the ad-hoc lane 'adhoc', which has no thresholds of its own (the expectation
 * passed to toMeetSla supplies them); `thresholds`/`sla` options add some. With `lane`, the project's configuration
 * (lanebench.config.*) is loaded so that user-defined lanes resolve.
 */
import { loadConfig, resolveConfig, resolveLane, type ResolvedConfig } from '../config/index.js';
import type { Run, RunnerInfo } from '../types.js';
import { ADHOC_LANE, withAdhocLane } from './adhoc-lane.js';
import { runWorkflow } from './run-workflow.js';
import type { Workflow } from '../measure/index.js';
import type { ProgressEvent, WorkflowOptions } from './types.js';

export interface MeasureOptions extends WorkflowOptions {
  lane?: string;
  /** workflow name in the record (default: the command, or the function's name, or 'anonymous') */
  name?: string;
  // Additions to the ARCHITECTURE.md contract:
  config?: ResolvedConfig;
  runner?: RunnerInfo;
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}

export async function measure(target: Workflow, options: MeasureOptions = {}): Promise<Run> {
  const { lane, name, config: givenConfig, runner, onProgress, signal, ...workflowOptions } = options;
  const laneName = lane ?? ADHOC_LANE;
  let config = givenConfig;
  if (!config) {
    if (lane === undefined) config = resolveConfig(undefined, { root: workflowOptions.cwd });
    else config = await loadConfig({ root: workflowOptions.cwd });
  }
  // A lane without SLA: no thresholds, default iterations/timeout, overridden by the options below.
  if (laneName === ADHOC_LANE) config = withAdhocLane(config);
  const resolvedLane = resolveLane(config, laneName, workflowOptions);
  return runWorkflow({
    lane: laneName,
    workflow: name ?? workflowName(target),
    target,
    options: workflowOptions,
    config,
    resolvedLane,
    runner: runner ?? { name: 'api', version: null },
    onProgress,
    signal,
  });
}

function workflowName(target: Workflow): string {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.join(' ');
  return target.name || 'anonymous';
}
