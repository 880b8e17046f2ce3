/**
 * The regression gate compares a run with at least 5 earlier runs (run-level medians). Recording five
 * real baseline runs per runner would dominate the suite's time, so tests record one real run and add
 * copies of it to metrics.json as earlier runs (same environment fingerprint), each with its iteration
 * times scaled by a small, different factor so the baseline has the spread real runs have.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { HistoryFile } from '../../packages/core/src/types.js';

export function seedBaseline(historyFile: string, copies = 5, opts: { every?: boolean } = {}): void {
  const history = JSON.parse(readFileSync(historyFile, 'utf8')) as HistoryFile;
  const last = history.runs.at(-1);
  if (!last) throw new Error(`${historyFile} has no run to copy as a baseline`);
  // every: each recorded run gets its copies (a lane launch records one run per workflow)
  const seeded = (opts.every ? history.runs : [last]).flatMap((run) => copiesOf(run, copies));
  history.runs = [...seeded, ...history.runs];
  writeFileSync(historyFile, JSON.stringify(history));
}

function copiesOf(last: HistoryFile['runs'][number], copies: number): HistoryFile['runs'] {
  const t0 = Date.parse(last.started_at);
  return Array.from({ length: copies }, (_, i) => {
    const run = structuredClone(last);
    run.id = `${last.id}-baseline-${i}`;
    run.started_at = new Date(t0 - (copies - i) * 60_000).toISOString();
    const factor = 1 + 0.02 * (i - (copies >> 1));
    for (const it of run.iterations) {
      it.execution_time *= factor;
      // Copies are not measured runs: they carry no machine contention, so the gate's contention guard (which
      // needs it on half of the baseline, and has its own tests) stays off and these verdicts do not depend on
      // what else the machine ran during the real run that was copied.
      if (it.measurement) delete it.measurement.machine_contention;
    }
    return run;
  });
}
