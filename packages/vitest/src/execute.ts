/**
 * The worker side shared by the Vitest 4 runner and the Vitest 5 provider: measure one workflow
 * with core's runWorkflow and leave the Run in the test's meta for the reporter.
 */
import { relative } from 'node:path';
import { progressLines, runWorkflow, type ResolvedConfig, type Run } from '@lanebench/core';
import { recordRun } from './meta.js';
import { runnerInfo } from './payload.js';
import { requirePayload } from './worker-context.js';
import type { WorkflowSpec } from './spec.js';

/** The parts of a Vitest task (both majors) used here. */
export interface TaskLike {
  meta: Record<string, unknown>;
  file?: { filepath?: string };
}

export async function measureSpec(
  task: TaskLike,
  spec: WorkflowSpec,
  opts: { signal?: AbortSignal; config?: ResolvedConfig } = {},
): Promise<Run> {
  const payload = requirePayload();
  const config = opts.config ?? payload.config;
  const filepath = task.file?.filepath;
  const run = await runWorkflow({
    lane: spec.lane,
    workflow: spec.name,
    target: spec.target,
    // `lanebench run --iterations …` beats what the test file says
    options: { ...spec.options, ...payload.workflowOverrides },
    config,
    runner: runnerInfo(payload),
    ...(filepath ? { file: relative(config.root, filepath) } : {}),
    // every event, 'running' included: Vitest forwards the worker's stderr live
    onProgress: progressLines(),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  recordRun(task, run, spec.outputDir);
  return run;
}
