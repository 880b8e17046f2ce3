import path from 'node:path';
import { FileHistoryStore } from './file-store.js';
import {
  HISTORY_FILE_NAME,
  historyLocation,
  isPostgresUrl,
  type HistoryRetention,
  type HistoryStore,
} from './history-store.js';
import { PostgresHistoryStore } from './postgres-store.js';

/**
 * Opens the configured history: LANEBENCH_HISTORY, else config `history`, else
 * `<outputDir>/metrics.json`. A postgres:// or postgresql:// URL is the PostgreSQL store; anything
 * else a file path. Rescue files go to the output directory either way. LANEBENCH_SHARD makes the
 * file store write a shard beside the history (PostgreSQL needs none: every job writes the database).
 */
export function openHistoryStore(
  config: { outputDir: string; root?: string; history?: string; historyRetention?: HistoryRetention },
  env: NodeJS.ProcessEnv = process.env,
): HistoryStore {
  const location = historyLocation(config, env);
  if (isPostgresUrl(location)) {
    return new PostgresHistoryStore(location, path.join(config.outputDir, HISTORY_FILE_NAME), config.historyRetention);
  }
  const shard = env.LANEBENCH_SHARD?.trim();
  return new FileHistoryStore(location, {
    ...(shard ? { shard } : {}),
    retention: config.historyRetention,
  });
}
