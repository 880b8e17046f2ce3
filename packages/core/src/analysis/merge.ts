/**
 * Merging histories from several machines or shards: every run once (by id), oldest first.
 * A run id seen twice with different content is a conflict: the first copy wins and the id is
 * reported, so nothing is silently overwritten.
 */
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { chronological } from './select.js';
import type { MergeSummary } from './types.js';
import { validateUnit } from '../base/unit-text.js';

export function mergeHistoriesDetailed(files: readonly HistoryFile[]): { history: HistoryFile; summary: MergeSummary } {
  const byId = new Map<string, { run: Run; json: string }>();
  let duplicates = 0;
  const conflicts = new Set<string>();
  for (const file of files) {
    for (const run of file.runs ?? []) {
      // units from another machine's file reach every report: refuse hostile ones here, naming the run
      for (const [metric, unit] of Object.entries(run.custom_units ?? {}))
        validateUnit(unit, `run ${run.id}: custom_units.${metric}`, (m) => new Error(m));
      const json = JSON.stringify(run);
      const seen = byId.get(run.id);
      if (!seen) {
        byId.set(run.id, { run, json });
        continue;
      }
      duplicates++;
      if (seen.json !== json) conflicts.add(run.id);
    }
  }
  const runs = chronological([...byId.values()].map((x) => x.run));
  return {
    history: { schema_version: HISTORY_SCHEMA_VERSION, runs },
    summary: { runs: runs.length, duplicates, conflicts: [...conflicts] },
  };
}

export function mergeHistories(files: readonly HistoryFile[]): HistoryFile {
  return mergeHistoriesDetailed(files).history;
}
