/** Exit codes (docs/getting-started.md) and the error type for bad command-line values. */
export const EXIT_OK = 0;
/** SLA error violations, failed/timed-out runs, regressions when asked to fail */
export const EXIT_FAILURE = 1;
/** usage or configuration error */
export const EXIT_USAGE = 2;

/** A bad value given on the command line; the message names the value and what is accepted. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Errors from core that mean "the user's input or files are wrong": exit 2, message only. */
const USAGE_ERROR_NAMES = new Set(['UsageError', 'ConfigError', 'HistoryError', 'ThresholdError']);

export function isUsageError(err: unknown): err is Error {
  return err instanceof Error && USAGE_ERROR_NAMES.has(err.name);
}
