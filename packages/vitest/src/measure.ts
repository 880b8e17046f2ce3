/**
 * `measure()` for ordinary `vitest run` suites: core's measure with the plugin's configuration
 * (so lanes defined in plugin options resolve), Vitest as the runner, and progress on stderr.
 */
import { measure as coreMeasure, type MeasureOptions, type Run, type Workflow } from '@lanebench/core';
import { runnerInfo } from './payload.js';
import { progressToStderr } from './progress.js';
import { workerPayload } from './worker-context.js';

export function measure(target: Workflow, options: MeasureOptions = {}): Promise<Run> {
  const payload = workerPayload();
  return coreMeasure(target, {
    ...(payload ? { config: payload.config, runner: runnerInfo(payload) } : { runner: { name: 'vitest', version: null } }),
    onProgress: progressToStderr,
    ...options,
  });
}
