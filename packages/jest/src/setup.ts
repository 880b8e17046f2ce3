/**
 * `setupFilesAfterEnv: ['@lanebench/jest/setup']`: adds `expect(run).toMeetSla(laneOrThresholds)`.
 * The body is core's slaMatcher; lane names resolve against the project's lanebench config (the
 * one the reporter resolved), so custom lanes and SLA overrides apply.
 */
// Type-only: puts the `expect` package in the program so the augmentation at the end resolves.
import type {} from 'expect';
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

/** Options of toMeetSla: `strict` overrides the lane's strict setting. */
export type ToMeetSlaOptions = Pick<EvaluateRunOptions, 'strict'>;

declare global {
  namespace jest {
    // Same type parameters as @types/jest's Matchers, so the declarations merge.
    interface Matchers<R, T = {}> {
      /** The Run from measure() meets a lane's SLA, a k6-style threshold spec or a lane config. */
      toMeetSla(expected: SlaExpectation, options?: ToMeetSlaOptions): R;
    }
  }
}

// `expect` from @jest/globals (@jest/expect) takes its matcher types from the `expect` package.
declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** The Run from measure() meets a lane's SLA, a k6-style threshold spec or a lane config. */
    toMeetSla(expected: SlaExpectation, options?: ToMeetSlaOptions): R;
  }
}
