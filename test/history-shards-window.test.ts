/**
 * The file store through the real CLI: matrix jobs with LANEBENCH_SHARD write their own
 * metrics.<shard>.json into one directory and `lanebench merge DIR` folds them into metrics.json;
 * `analyze --lane L --window N` reads only the end of a big history (a bad run before the window is
 * never parsed, while a full read refuses the file).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryFile } from '../packages/core/src/types.js';
import { CLI, lanebench, tempDir } from './cli-helpers.js';
import { makeRun } from './helpers/runs.mjs';
import { requireBuilt } from './helpers/tools.js';

requireBuilt(CLI);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function dir(name: string): string {
  const d = tempDir(name);
  dirs.push(d);
  return d;
}
const START = Date.UTC(2025, 0, 1);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as HistoryFile;

describe('LANEBENCH_SHARD and lanebench merge DIR', () => {
  it('three shard jobs write beside the history without touching it; merge of the directory combines them', () => {
    const cwd = dir('shards');
    const out = join(cwd, '.benchmark_results');
    // the history restored from the cache, with one earlier run
    expect(lanebench(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true']).code).toBe(0);
    const restored = readFileSync(join(out, 'metrics.json'));
    for (const shard of ['linux-node22', 'linux-node24', 'macos']) {
      const r = lanebench(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true'], {
        LANEBENCH_SHARD: shard,
      });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readFileSync(join(out, 'metrics.json')).equals(restored)).toBe(true);
    const shards = readdirSync(out).filter((n) => /^metrics\..+\.json$/.test(n) && n !== 'metrics.json');
    expect(shards.sort()).toEqual(['metrics.linux-node22.json', 'metrics.linux-node24.json', 'metrics.macos.json']);
    for (const s of shards) expect(readJson(join(out, s)).runs).toHaveLength(1);

    const m = lanebench(cwd, ['merge', out]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/Merged 3 file\(s\) \(3 runs\) into .*metrics\.json: 4 runs \(3 new/);
    const merged = readJson(join(out, 'metrics.json'));
    expect(merged.runs).toHaveLength(4);
    expect(new Set(merged.runs.map((r) => r.id)).size).toBe(4);
    // merging again adds nothing (every run once by id)
    const again = lanebench(cwd, ['merge', out]);
    expect(again.stdout).toMatch(/4 runs \(0 new, 3 duplicate/);
  }, 120_000);

  it('a bad shard name stops the run before measuring, naming the variable', () => {
    const cwd = dir('badshard');
    const r = lanebench(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true'], {
      LANEBENCH_SHARD: '../escape',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LANEBENCH_SHARD: '\.\.\/escape' is not a valid shard name/);
    expect(r.stderr).not.toMatch(/iteration 1\/1/);
  });
});

describe('analyze --window reads only its window (file store)', () => {
  it('a bad run far before the window is never read; a full read refuses the file', () => {
    const cwd = dir('window');
    const out = join(cwd, '.benchmark_results');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'metrics.json');
    const count = 5000;
    writeFileSync(file, '{"schema_version":1,"runs":[\n');
    const batch: string[] = [];
    for (let i = 0; i < count; i++) {
      const run = makeRun({
        id: `w-${i}`,
        seed: i + 1,
        startedAt: new Date(START + i * 60_000),
        lane: 'docs',
        workflow: i % 2 ? 'odd' : 'even',
        iterations: 3,
        timeline: 0,
      });
      // the oldest run carries a wrong type: any reader that parses it refuses the file
      const text = i === 0 ? JSON.stringify({ ...run, duration_s: 'slow' }) : JSON.stringify(run);
      batch.push(i === count - 1 ? `${text}\n]}\n` : `${text},\n`);
      if (batch.length === 500) appendFileSync(file, batch.splice(0).join(''));
    }
    appendFileSync(file, batch.join(''));

    const full = lanebench(cwd, ['analyze', '--lane', 'docs']);
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/runs\[0\].*duration_s/);

    const w = lanebench(cwd, ['analyze', '--lane', 'docs', '--window', '5', '--workflow', 'odd']);
    expect(w.code, w.stderr).toBe(0);
    const a = JSON.parse(w.stdout) as { total_runs: number; workflows: string[]; last_run: string };
    expect(a.total_runs).toBe(5);
    expect(a.workflows).toEqual(['odd']);
    expect(a.last_run).toBe(new Date(START + (count - 1) * 60_000).toISOString());
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 120_000);
});
