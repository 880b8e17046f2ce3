/**
 * LANEBENCH_LOCK_STALE_MS: an integer number of milliseconds ≥ 100, unset or empty for the default; anything else is
 * a configuration error naming the variable, the value and the range, also from the file store's check before a run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/base/errors.js';
import { FileHistoryStore, defaultStaleMs } from '../src/history/index.js';

const of = (v: string | undefined) => defaultStaleMs({ LANEBENCH_LOCK_STALE_MS: v });

describe('LANEBENCH_LOCK_STALE_MS', () => {
  const saved = process.env.LANEBENCH_LOCK_STALE_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LANEBENCH_LOCK_STALE_MS;
    else process.env.LANEBENCH_LOCK_STALE_MS = saved;
  });

  it('takes an integer ≥ 100; unset or blank is the default 10000', () => {
    expect(of(undefined)).toBe(10_000);
    expect(of('')).toBe(10_000);
    expect(of(' ')).toBe(10_000);
    expect(of('100')).toBe(100);
    expect(of('2500')).toBe(2500);
  });

  it('anything else is a ConfigError naming the variable, the value and the range', () => {
    for (const bad of ['abc', '-5', '0', '99', '1.5', '1e3', '10s']) {
      expect(() => of(bad), bad).toThrow(ConfigError);
      expect(() => of(bad), bad).toThrow(
        `LANEBENCH_LOCK_STALE_MS='${bad}' is not valid; expected an integer number of milliseconds ≥ 100 (default 10000)`,
      );
    }
  });

  it("the file store's check fails on it before anything is written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lanebench-lock-stale-'));
    try {
      process.env.LANEBENCH_LOCK_STALE_MS = 'abc';
      const store = new FileHistoryStore(path.join(dir, 'metrics.json'));
      await expect(store.check()).rejects.toThrow(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
