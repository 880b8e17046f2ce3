// Shared helpers of the measure*/run* tests.
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'measure');
export const fixture = (name: string): string => path.join(FIXTURES, name);
export const NODE = process.execPath;
export const MB = 1048576;

export const baseOpts = { timeout_s: 30, sampleIntervalMs: 50, iteration: 1, lane: 'test', workflow: 'w' };

const TMPFS_MAGIC = 0x01021994;
/** A scratch directory on a real disk (tmpfs writes never reach a block device, so they show no disk I/O). */
export function diskScratchDir(): string {
  const candidates = [os.tmpdir(), path.join(path.dirname(fileURLToPath(import.meta.url)), '..')];
  for (const base of candidates) {
    try {
      if (statfsSync(base).type !== TMPFS_MAGIC) return mkdtempSync(path.join(base, 'lanebench-measure-'));
    } catch {
      /* try the next */
    }
  }
  throw new Error('no directory on a real disk found for the disk I/O test');
}

export function scratch(): { dir: string; file: (n: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanebench-test-'));
  return { dir, file: (n) => path.join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Alive = /proc/<pid>/stat readable and not a zombie (a zombie has ended, its parent just has not reaped it). */
export function alive(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export const isLinux = process.platform === 'linux';
