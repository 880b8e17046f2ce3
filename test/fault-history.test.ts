/**
 * Fault injection on the history store (SPEC §12): writers killed with SIGKILL in the middle of
 * writes, corrupt and newer-version files, and concurrent writers from separate processes.
 * The child writers use the built package (packages/core/dist), as `pnpm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appendRuns, HistoryError, readHistory } from '../packages/core/src/index.js';
import { makeRun } from './helpers/runs.mjs';
import { requireBuilt } from './helpers/tools.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const APPEND_LOOP = join(HERE, 'fixtures', 'fault', 'append-loop.mjs');
// the fixture imports core's dist/
requireBuilt(resolve(HERE, '..', 'packages', 'core', 'dist', 'index.js'));
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-fault-history-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function startWriter(
  file: string,
  tag: string,
  count: number,
): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [APPEND_LOOP, file, tag, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((res) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) lines.push(`stderr: ${stderr}`);
      res(code);
    }),
  );
  return { child, lines, exited };
}

const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('history under faults', () => {
  it('a writer killed with SIGKILL during writes leaves a parseable file holding a prefix of its runs', async () => {
    const file = join(tempDir(), 'metrics.json');
    // Kill moments after the writer's first completed append; varied so kills land in different
    // phases (reading, serializing, writing the temp file, renaming, releasing the lock).
    const delays = [0, 37, 111, 263];
    const expectedOrder: string[] = [];
    for (const [round, delay] of delays.entries()) {
      const tag = `round${round}`;
      const w = startWriter(file, tag, 10_000);
      await waitFor(() => w.lines.some((l) => l.startsWith('appended')), 60_000, `${tag} first append`);
      await new Promise((r) => setTimeout(r, delay));
      w.child.kill('SIGKILL');
      await w.exited;

      // The file always parses, with the schema, and holds complete runs only.
      const text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as { schema_version: number; runs: Array<{ id: string; iterations: unknown[] }> };
      expect(parsed.schema_version).toBe(1);
      const history = await readHistory(file);
      const ids = history.runs.map((r) => r.id);
      for (const r of history.runs) expect(r.iterations).toHaveLength(5);

      // Earlier rounds are untouched, and this round contributed a prefix 0..k-1 (k ≥ 1: one append
      // had completed before the kill).
      expect(ids.slice(0, expectedOrder.length)).toEqual(expectedOrder);
      const mine = ids.slice(expectedOrder.length);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine).toEqual(mine.map((_, n) => `${tag}-${String(n).padStart(5, '0')}`));
      // Every append the writer reported as done is in the file (durability of completed writes).
      const reported = w.lines.filter((l) => l.startsWith('appended')).length;
      expect(mine.length).toBeGreaterThanOrEqual(reported);
      expectedOrder.push(...mine);
    }

    // After the crashes (possibly a stale lock left behind) a normal writer still succeeds.
    const after = await appendRuns(file, [makeRun({ id: 'after-crashes' })]);
    expect(after.runs.map((r) => r.id)).toEqual([...expectedOrder, 'after-crashes']);
  }, 180_000);

  it('eight concurrent writer processes lose no run and keep each writer’s order', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.json');
    const perWriter = 8;
    const writers = Array.from({ length: 8 }, (_, i) => startWriter(file, `w${i}`, perWriter));
    const codes = await Promise.all(writers.map((w) => w.exited));
    expect(codes, writers.map((w) => w.lines.join('\n')).join('\n')).toEqual(Array(8).fill(0));

    const history = await readHistory(file);
    expect(history.runs).toHaveLength(8 * perWriter);
    const ids = history.runs.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 0; i < 8; i++) {
      const own = ids.filter((id) => id.startsWith(`w${i}-`));
      expect(own).toEqual(Array.from({ length: perWriter }, (_, n) => `w${i}-${String(n).padStart(5, '0')}`));
    }
    // No lock or temp file left behind by writers that finished normally.
    expect(readdirSync(dir).sort()).toEqual(['metrics.json']);
  }, 180_000);

  it('a corrupt history file is refused with a message naming it, and never rewritten', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.json');
    const corrupt = '{ "schema_version": 1, "runs": [ { "id": "a", "lane": "docs", "iter';
    writeFileSync(file, corrupt);
    const before = readFileSync(file);

    await expect(readHistory(file)).rejects.toThrow(HistoryError);
    const err = await appendRuns(file, [makeRun()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toContain(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a history written by a newer schema version is refused and left byte-identical', async () => {
    const file = join(tempDir(), 'metrics.json');
    writeFileSync(file, JSON.stringify({ schema_version: 2, runs: [] }));
    const before = readFileSync(file);
    const err = await appendRuns(file, [makeRun()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/schema_version 2/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a file that is JSON but not a history (an array, runs without ids) is refused too', async () => {
    for (const content of ['[]', '{"schema_version":1,"runs":[{"lane":"docs"}]}', '{"schema_version":1}']) {
      const file = join(tempDir(), 'metrics.json');
      writeFileSync(file, content);
      const err = await appendRuns(file, [makeRun()]).catch((e: unknown) => e);
      expect(err, content).toBeInstanceOf(HistoryError);
      expect((err as Error).message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });
});
