/**
 * `measure()` for ordinary `vitest run` suites: core's measure with the plugin's configuration
 * (so lanes defined in plugin options resolve), Vitest as the runner, the test's full title as the default
 * name, throttled progress on stderr, and the Run left in the test's meta for the reporter.
 */
import { measure as coreMeasure, progressLines, type MeasureOptions, type Run, type Workflow } from '@lanebench/core';
import { currentTest } from './current-test.js';
import { recordRun } from './meta.js';
import { runnerInfo } from './payload.js';
import { nextMeasureName } from './test-title.js';
import { workerPayload } from './worker-context.js';

export async function measure(target: Workflow, options: MeasureOptions = {}): Promise<Run> {
  const payload = workerPayload();
  const test = currentTest();
  const run = await coreMeasure(target, {
    ...(payload
      ? { config: payload.config, runner: runnerInfo(payload) }
      : { runner: { name: 'vitest', version: null } }),
    onProgress: progressLines({ throttle: true }),
    ...options,
    // a series of its own per test (the function's name is often generic, or 'anonymous')
    ...(options.name === undefined && test ? { name: nextMeasureName(test) } : {}),
  });
  // recorded by the reporter like any workflow run (toMeetSla may still name its lane)
  if (test) recordRun(test, run);
  return run;
}
