/**
 * The Run behind a Vitest 5 benchmark result. `bench().run()` resolves to the very object the
 * provider returned, so the Run rides along as a hidden property that reporters (which copy only
 * known fields) never see and `expect(result).toMeetSla()` can read.
 */
import type { Run } from '@lanebench/core';

const RUN = Symbol.for('lanebench.run');

export function attachRun<T extends object>(result: T, run: Run): T {
  Object.defineProperty(result, RUN, { value: run, enumerable: false, configurable: true });
  return result;
}

export function runBehind(value: unknown): Run | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as { [RUN]?: Run })[RUN];
}
