/**
 * A lane workflow as `workflow()` registers it. It travels to the runner (Vitest 4, on the bench
 * function) or the provider (Vitest 5, on the bench options) under a global symbol, so it survives
 * even if this package is loaded twice in one worker.
 */
import type { Workflow, WorkflowOptions } from '@lanebench/core';

/** Per-workflow options: core's workflow options plus where this workflow's results go. */
export interface LanebenchWorkflowOptions extends WorkflowOptions {
  /** output directory for this workflow's history and reports (relative to the root); default: the config's */
  outputDir?: string;
}

export interface WorkflowSpec {
  lane: string;
  name: string;
  target: Workflow;
  options: WorkflowOptions;
  outputDir?: string;
  /** the `workflow(…)` call in the lane file: the first frame of a failed run's error */
  callSite?: string | undefined;
}

const SPEC = Symbol.for('lanebench.workflow-spec');

export function attachSpec<T extends object>(carrier: T, spec: WorkflowSpec): T {
  Object.defineProperty(carrier, SPEC, { value: spec, enumerable: false });
  return carrier;
}

export function readSpec(carrier: unknown): WorkflowSpec | undefined {
  if (carrier === null || (typeof carrier !== 'object' && typeof carrier !== 'function')) return undefined;
  return (carrier as { [SPEC]?: WorkflowSpec })[SPEC];
}
