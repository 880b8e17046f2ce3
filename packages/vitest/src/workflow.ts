/**
 * `workflow(lane, name, fnOrCommand, options?)` for `*.bench.ts` files, unchanged on both majors:
 * Vitest 4 → a `bench()` registration that the lanebench runner executes; Vitest 5 → a test whose
 * body runs `bench(name).run()` through the lanebench provider. Either way each workflow is its
 * own test, measured N times by core's runWorkflow, failing on its own SLA errors.
 */
import * as vitest from 'vitest';
import {
  callerFrame,
  selectedLanes,
  visible,
  workflowSelected,
  workflowTestTimeoutMs,
  type Workflow,
} from '@lanebench/core';
import { attachSpec, type LanebenchWorkflowOptions, type WorkflowSpec } from './spec.js';
import { workerPayload } from './worker-context.js';

type Registrar = ((name: string, ...rest: unknown[]) => void) & { skip: (name: string, ...rest: unknown[]) => void };

const notWired = (): never => {
  throw new Error(
    "lanebench: this workflow ran without the lanebench plugin. Add `plugins: [lanebench()]` (import { lanebench } from '@lanebench/vitest') to the Vitest config and run `vitest bench`.",
  );
};

export function workflow(lane: string, name: string, target: Workflow, options: LanebenchWorkflowOptions = {}): void {
  const { outputDir, ...workflowOptions } = options;
  const spec: WorkflowSpec = {
    lane,
    name,
    target,
    options: workflowOptions,
    ...(outputDir !== undefined ? { outputDir } : {}),
    callSite: callerFrame(workflow),
  };
  // the runner prints test titles raw: escape what could act on the terminal (the Run keeps the real name)
  const title = `[${visible(lane)}] ${visible(name)}`;
  const selected = selectedLanes(process.env);
  // other lanes selected, or (re-runs of `--confirm`) other workflows
  const skip = (selected !== null && !selected.includes(lane)) || !workflowSelected(name);

  // Vitest 4 exports `bench`; Vitest 5 has it only as a test-context fixture.
  const legacyBench = (vitest as unknown as { bench?: Registrar }).bench;
  if (typeof legacyBench === 'function') {
    if (skip) legacyBench.skip(title, () => undefined);
    else
      legacyBench(
        title,
        attachSpec(() => notWired(), spec),
      );
    return;
  }

  const test = vitest.test as unknown as Registrar;
  if (skip) {
    test.skip(title, () => undefined);
    return;
  }
  test(title, { timeout: testTimeoutMs(lane, workflowOptions) }, async (context: { bench?: unknown }) => {
    const bench = context.bench as
      ((name: string, options: object, fn: () => unknown) => { run(): Promise<unknown> }) | undefined;
    if (typeof bench !== 'function') {
      throw new Error(
        'lanebench: workflow() belongs in a benchmark file (matched by benchmark.include, e.g. *.bench.ts) run by `vitest bench`.',
      );
    }
    await bench(name, attachSpec({}, spec), notWired).run();
  });
}

/** Long enough for every iteration (core's estimate), with `lanebench run` overrides applied. */
function testTimeoutMs(lane: string, options: LanebenchWorkflowOptions): number {
  const payload = workerPayload();
  // Without the plugin's config core's defaults give the estimate; the test then reports the missing plugin.
  return workflowTestTimeoutMs(lane, { ...options, ...payload?.workflowOverrides }, payload?.config);
}
