/** LANEBENCH_LANE for benchmarks whose lane is known only when they run (Vitest's native bench API). */
import { selectedLanes } from '@lanebench/core';

interface SkippableContext {
  skip?: (note?: string) => never;
}

/** Skips the current test (reported as skipped) when LANEBENCH_LANE selects other lanes. */
export function skipUnselectedLane(lane: string, context: unknown): void {
  const selected = selectedLanes(process.env);
  if (!selected || selected.includes(lane)) return;
  (context as SkippableContext | undefined)?.skip?.(
    `lane '${lane}' not selected (LANEBENCH_LANE=${selected.join(',')})`,
  );
}
