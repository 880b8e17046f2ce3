/**
 * Types of `toMeetSla` (the matcher itself is registered by `@lanebench/jest/setup`). Imported by the package's main
 * entry, so `import { measure } from '@lanebench/jest'` in a test file is enough for `expect(run).toMeetSla('docs')`
 * to type-check, with `expect` from `@jest/globals` (typed by the `expect` package) or the `jest` namespace of
 * @types/jest.
 */
import type { EvaluateRunOptions, SlaExpectation } from '@lanebench/core';
// Type-only: puts the `expect` package in the program so the augmentation below resolves.
import type {} from 'expect';

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
