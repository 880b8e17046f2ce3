/**
 * Serializes measurements within one process.
 *
 * CPU and I/O of a command come from deltas of our own /proc/self/stat cutime/cstime and /proc/self/io, to which the
 * kernel adds every child we reap. Two iterations measured at the same time in one process would each see the
 * other's children, so iterations queue here. The queue lives on globalThis under a registered symbol so that the
 * ESM and CJS builds of core, if both end up loaded in one process, still share it. (Worker threads have their own
 * globals: measuring from several worker threads of one process at once is not supported.)
 */
const KEY = Symbol.for('lanebench.measure.lock');

interface LockState {
  tail: Promise<void>;
}

function state(): LockState {
  const g = globalThis as unknown as Record<symbol, LockState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { tail: Promise.resolve() };
    g[KEY] = s;
  }
  return s;
}

/** Runs fn once every earlier holder has finished; the lock is released however fn ends. */
export function withMeasureLock<T>(fn: () => Promise<T>): Promise<T> {
  const s = state();
  const result = s.tail.then(fn);
  s.tail = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}
