/**
 * core's `measure()` for ordinary Jest tests (`expect(await measure(fn)).toMeetSla('docs')`), with
 * Jest-specific touches: the default name is the test's full title (test-title.ts); progress lines go to
 * stderr, throttled; lanes resolve against the configuration the reporter resolved (the worker sandbox
 * cannot import .mjs config files); and the Run also reaches the reporter, so it lands in the history and
 * reports like a workflow.
 */
import { measure as coreMeasure, progressLines, type MeasureOptions, type Run, type Workflow } from '@lanebench/core';
import { recordRun } from './record.js';
import { readSession, sidecarDir } from './sidecar.js';
import { nextMeasureName } from './test-title.js';

export async function measure(target: Workflow, options: MeasureOptions = {}): Promise<Run> {
  const dir = sidecarDir();
  const session = dir ? readSession(dir) : undefined;
  const name = options.name ?? nextMeasureName();
  const run = await coreMeasure(target, {
    ...(session?.config ? { config: session.config } : {}),
    runner: session?.runner ?? { name: 'jest', version: null },
    // a workflow of its own per test, with throttled progress on stderr
    onProgress: progressLines({ throttle: true }),
    ...options,
    ...(name !== undefined ? { name } : {}),
  });
  try {
    recordRun(run);
  } catch {
    // Outside a Jest test (no expect state): nothing to hand over.
  }
  return run;
}
