export { HistoryError } from './errors.js';
export {
  readHistory,
  appendRuns,
  writeHistory,
  parseHistory,
  serializeHistory,
  compactHistory,
  TIMELINE_RETENTION,
} from './store.js';
export { writeFileAtomic } from './atomic-write.js';
export { withFileLock, lockPathFor } from './lock.js';
export { collectEnv, detectCiProvider, environmentFingerprint } from './env.js';
export { collectGit } from './git.js';
export { newRunId } from './run-id.js';
