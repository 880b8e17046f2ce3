/**
 * How many of the newest runs of each lane/workflow keep their per-iteration timelines. Timelines
 * are most of a run's size and only the latest runs are charted; trends use the statistics, which
 * every run keeps. Without this a 10,000-run history would be ~10× larger and slow to load.
 */
export const TIMELINE_RETENTION = 10;
