export { HistoryError } from './errors.js';
export {
  readHistory,
  appendRuns,
  writeHistory,
  parseHistory,
  serializeHistory,
  serializeHistoryChunks,
  compactHistory,
  validateRuns,
  preflightHistory,
  appendRunsInPlace,
  retentionPrune,
  TIMELINE_RETENTION,
} from './store.js';
export type { AppendOptions } from './store.js';
export { HISTORY_WARN_BYTES, latestCopies } from './line-store.js';
export { hasLineLayout } from './line-file.js';
export { writeFileAtomic, writeFileAtomicSync, replaceUnderLock, describeWriteError } from './atomic-write.js';
export {
  withFileLock,
  acquireLock,
  checkLockPath,
  lockPathFor,
  takeoverMarkerFor,
  cleanStaleTemps,
  defaultStaleMs,
  LockLostError,
} from './lock.js';
export type { HeldLock, LockOptions } from './lock.js';
export { runSchema, validateRun, validateHistoryDocument } from './schema.js';
export {
  ciProviderOf,
  collectEnv,
  detectCiProvider,
  environmentFingerprint,
  isCI,
  onGitHubActions,
  type CiInfoAnswer,
} from './env.js';
export { collectGit } from './git.js';
export { newRunId } from './run-id.js';
export { HistoryRescueError, rescueRuns, rescueFileName } from './rescue.js';
export {
  HISTORY_FILE_NAME,
  historyLocation,
  isPostgresUrl,
  maskUrl,
  maskSecret,
  applyWindow,
  pruneRuns,
  lightRun,
  summarizeSeries,
  type SeriesSummary,
  type HistoryStore,
  type HistoryWindow,
  type LightIteration,
  type LightRun,
  type PruneOptions,
} from './history-store.js';
export { FileHistoryStore, shardFileOf, type FileStoreOptions } from './file-store.js';
export { PostgresHistoryStore, PG_SCHEMA_VERSION } from './postgres-store.js';
export { openHistoryStore } from './open-store.js';
