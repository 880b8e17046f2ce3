/**
 * Types of `toMeetSla` on Vitest's `expect`, one declaration for both majors.
 *
 * Vitest 4 declares `interface Matchers<T = any>`, Vitest 5 `interface Matchers<R = …, T = unknown>`: an augmentation
 * with type parameters merges with one of them only (TS2428 under `skipLibCheck: false`). Both have defaults for every
 * parameter, so a declaration without type parameters merges with either. `Assertion` extends `Matchers` on both, and
 * the assertion's own return type (void, or Promise<void> after `.resolves` on Vitest 5) is read from `this`.
 */
import type { SlaExpectation } from '@lanebench/core';
import type { ToMeetSlaOptions } from './matcher.js';

/** What the assertion's built-in matchers return: Vitest 5's R; void on Vitest 4 and on `expect` itself. */
type AssertionResult<A> = A extends { toBeTypeOf(...args: never[]): infer R } ? R : void;

declare module 'vitest' {
  interface Matchers {
    /**
     * Asserts that a measured run meets an SLA: a lane name ('docs'), a k6-style threshold spec
     * ({ execution_time: ['p(95) < 20m'] }) or a lane config ({ sla: { p95: '20m' } }).
     * Accepts the result of `measure()` and, on Vitest 5, of `bench(name, fn).run()`.
     */
    toMeetSla(expected: SlaExpectation, options?: ToMeetSlaOptions): AssertionResult<this>;
  }
}

export {};
