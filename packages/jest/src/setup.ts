/**
 * `setupFilesAfterEnv: ['@lanebench/jest/setup']`: adds `expect(run).toMeetSla(laneOrThresholds)`.
 * The body is core's slaMatcher; lane names resolve against the project's lanebench config (the
 * one the reporter resolved), so custom lanes and SLA overrides apply.
 */
// the toMeetSla types
import './matchers.js';
import { isRun, recordAssertedSla, slaMatcher, type EvaluateRunOptions, type SlaExpectation } from '@lanebench/core';
import { recordRun } from './record.js';
import { jestGlobals } from './jest-globals.js';
import { readSession, sidecarDir } from './sidecar.js';

function projectConfig(): EvaluateRunOptions['config'] {
  const dir = sidecarDir();
  return dir ? readSession(dir)?.config : undefined;
}

jestGlobals().expect.extend({
  toMeetSla(this: unknown, received: unknown, expected: SlaExpectation, options?: EvaluateRunOptions) {
    const config = options?.config ?? projectConfig();
    const opts = { ...options, ...(config ? { config } : {}) };
    const result = slaMatcher(received, expected, opts);
    // the record the reporter publishes must carry the SLA this assertion checked (measure() handed
    // the run over before it was asserted; the rewrite replaces that file)
    if (
      isRun(received) &&
      recordAssertedSla(received, expected, opts, (this as { isNot?: boolean } | undefined)?.isNot === true)
    ) {
      try {
        recordRun(received);
      } catch {
        // outside a Jest test (no expect state): nothing to hand over
      }
    }
    return result;
  },
});

export type { ToMeetSlaOptions } from './matchers.js';
