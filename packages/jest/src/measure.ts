/**
 * core's `measure()` for ordinary Jest tests (`expect(await measure(fn)).toMeetSla('docs')`),
 * with one addition: the Run also reaches the reporter, so it lands in the history and reports.
 */
import { measure as coreMeasure, type Run } from '@lanebench/core';
import { recordRun } from './record.js';

export async function measure(...args: Parameters<typeof coreMeasure>): Promise<Run> {
  const run = await coreMeasure(...args);
  try {
    recordRun(run);
  } catch {
    // Outside a Jest test (no expect state): nothing to hand over.
  }
  return run;
}
