/**
 * The history lock under paused writers (issue 11 item 4): a writer stopped with SIGSTOP past the
 * stale period has its lock taken over; when it resumes, the fencing token (and the temp file living
 * inside the lock directory) stops its stale rename, and it re-reads and merges. No run that a writer
 * reported saved is lost, whatever the interleaving of pauses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../packages/core/src/index.js';
import { requireBuilt } from './helpers/tools.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAUSED_WRITER = join(HERE, 'fixtures', 'fault', 'paused-writer.mjs');
const APPEND_LOOP = join(HERE, 'fixtures', 'fault', 'append-loop.mjs');
requireBuilt(resolve(HERE, '..', 'packages', 'core', 'dist', 'index.js'));
const STALE_MS = 800;

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-fault-lock-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const c of children) {
    // never leave a stopped child behind
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Child {
  child: ChildProcess;
  out: string[];
  err: () => string;
  exited: Promise<number | null>;
}
function start(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANEBENCH_LOCK_STALE_MS: String(STALE_MS) },
  });
  children.push(child);
  const out: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(...d.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, out, err: () => stderr, exited };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('history lock with paused writers', () => {
  it('a writer paused past the stale period does not overwrite the run of the writer that took over', async () => {
    const file = join(tempDir(), 'metrics.json');
    const a = start(PAUSED_WRITER, [file, 'run-A', '1500']);
    await waitFor(() => a.out.some((l) => l.startsWith('holding')), 30_000, 'writer A to hold the lock');
    a.child.kill('SIGSTOP');
    try {
      // B finds A's lock, waits, takes it over once it is stale, saves its run and exits 0
      const b = start(APPEND_LOOP, [file, 'B', '1']);
      expect(await b.exited, b.err()).toBe(0);
      expect(b.out).toContain('appended B 0');
      expect(b.err()).toMatch(
        new RegExp(`waiting for the lock .*metrics\\.json\\.lock held by pid ${a.child.pid} since `),
      );
      expect(b.err()).toMatch(
        new RegExp(`held by pid ${a.child.pid} since .*: not refreshed for \\d+ s .*taking it over`),
      );
      expect((await readHistory(file)).runs.map((r) => r.id)).toEqual(['B-00000']);
    } finally {
      a.child.kill('SIGCONT');
    }
    expect(await a.exited, a.err()).toBe(0);
    // A noticed before renaming, re-read the file and merged: both runs are there
    expect(a.err()).toMatch(/lost the lock .* re-reading .* and merging/);
    expect(a.out).toContain('saved run-A after 2 attempt(s)');
    expect((await readHistory(file)).runs.map((r) => r.id).sort()).toEqual(['B-00000', 'run-A']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 60_000);

  it('random SIGSTOP/SIGCONT pauses of one of two looping writers lose no reported run', async () => {
    const file = join(tempDir(), 'metrics.json');
    const perWriter = 25;
    // Appends in place take a few ms, so without gaps A would finish before the first pause. The gaps
    // make each writer's loop last seconds (A ≥ 1.5 s of its own time, B ≥ 6 s), so the pauses land
    // while both are still appending.
    const a = start(APPEND_LOOP, [file, 'A', String(perWriter), '60']);
    const b = start(APPEND_LOOP, [file, 'B', String(perWriter), '250']);
    let pauses = 0;
    let aDone = false;
    void a.exited.then(() => (aDone = true));
    // pauses of random length around the stale period, at random moments, until A has finished
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    while (!aDone) {
      await sleep(50 + rand() * 300);
      if (aDone) break;
      a.child.kill('SIGSTOP');
      await sleep(STALE_MS * (0.5 + rand()));
      a.child.kill('SIGCONT');
      pauses++;
    }
    const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
    expect(codeA, a.err()).toBe(0);
    expect(codeB, b.err()).toBe(0);
    expect(pauses).toBeGreaterThan(3);
    const ids = (await readHistory(file)).runs.map((r) => r.id);
    for (const tag of ['A', 'B']) {
      const reported = (tag === 'A' ? a : b).out.filter((l) => l.startsWith(`appended ${tag}`)).length;
      expect(reported).toBe(perWriter);
      const own = ids.filter((id) => id.startsWith(`${tag}-`));
      expect(own, `${tag}: ${a.err()}`).toEqual(
        Array.from({ length: perWriter }, (_, n) => `${tag}-${String(n).padStart(5, '0')}`),
      );
    }
  }, 180_000);
});
