/** Types of `toMeetSla` on Vitest's `expect` (both majors). */
import type { SlaExpectation } from '@lanebench/core';
import type { ToMeetSlaOptions } from './matcher.js';

interface LanebenchMatchers<R = unknown> {
  /**
   * Asserts that a measured run meets an SLA: a lane name ('docs'), a k6-style threshold spec
   * ({ execution_time: ['p(95) < 20m'] }) or a lane config ({ sla: { p95: '20m' } }).
   * Accepts the result of `measure()` and, on Vitest 5, of `bench(name, fn).run()`.
   */
  toMeetSla(expected: SlaExpectation, options?: ToMeetSlaOptions): R;
}

declare module 'vitest' {
  interface Assertion<T = any> extends LanebenchMatchers<void> {}
  interface AsymmetricMatchersContaining extends LanebenchMatchers<void> {}
}

export {};
