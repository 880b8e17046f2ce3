/**
 * The file store on real files: appends in place (earlier bytes and the inode untouched), a torn
 * last line repaired with a warning and never at the cost of an earlier run, streaming reads,
 * window reads that touch only the end of the file, historyRetention, the 90 MB warning and shards.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileHistoryStore,
  HistoryError,
  appendRuns,
  appendRunsInPlace,
  applyWindow,
  openHistoryStore,
  readHistory,
  shardFileOf,
  takeoverMarkerFor,
} from '../src/history/index.js';
import type { Run } from '../src/types.js';
import { makeRun } from '../../../test/helpers/runs.mjs';
import { bundleHistoryModule } from './fixtures/history-bundle.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lanebench-filestore-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fresh(name = 'metrics.json'): string {
  return path.join(dir, `case-${++n}`, name);
}

function run(seq: number, over: Partial<Run> & { timeline?: number } = {}): Run {
  const { timeline, ...rest } = over;
  return {
    ...makeRun({
      seq,
      lane: 'docs',
      workflow: 'w',
      iterations: 2,
      timeline: timeline ?? 0,
    }),
    ...rest,
  };
}

function collect(): { lines: string[]; warn: (l: string) => void } {
  const lines: string[] = [];
  return { lines, warn: (l) => lines.push(l) };
}

/** Writes `count` runs in the line layout directly (fast), `lanes` lane/workflow pairs round robin. */
async function generate(file: string, count: number, lanes = 4): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.dirname(file), { recursive: true });
  const template = JSON.stringify(run(0, { id: 'TEMPLATE', lane: 'LANE', workflow: 'WF' }));
  const start = Date.UTC(2025, 0, 1);
  const parts: string[] = ['{"schema_version":1,"runs":[\n'];
  for (let i = 0; i < count; i++) {
    const line = template
      .replace('"TEMPLATE"', JSON.stringify(`g-${i}`))
      .replace('"lane":"LANE"', `"lane":"lane${i % lanes}"`)
      .replace('"workflow":"WF"', `"workflow":"wf${i % lanes}"`)
      .replace(/"started_at":"[^"]+"/, `"started_at":"${new Date(start + i * 60_000).toISOString()}"`);
    parts.push(i === count - 1 ? `${line}\n]}\n` : `${line},\n`);
    if (parts.length > 2000) {
      await appendFile(file, parts.join(''));
      parts.length = 0;
    }
  }
  await appendFile(file, parts.join(''));
}

describe('append in place', () => {
  it('writes only the new lines: same inode, earlier bytes identical, still plain JSON', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2)]);
    const before = readFileSync(file);
    const ino = statSync(file).ino;
    const r = await appendRunsInPlace(file, [run(3)], { random: () => 1 });
    expect(r).toMatchObject({ inPlace: true, compacted: false });
    const after = readFileSync(file);
    expect(statSync(file).ino).toBe(ino);
    // everything up to the closing `\n]}\n` is byte-identical
    expect(after.subarray(0, before.length - 4).equals(before.subarray(0, before.length - 4))).toBe(true);
    const parsed = JSON.parse(after.toString('utf8')) as { schema_version: number; runs: Run[] };
    expect(parsed.schema_version).toBe(1);
    expect(parsed.runs.map((x) => x.id)).toEqual([run(1).id, run(2).id, run(3).id]);
    expect(after.toString('utf8').split('\n')[0]).toBe('{"schema_version":1,"runs":[');
  });

  it('does not read the runs before: a bad line in the middle is not even seen by an append', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2)]);
    const text = readFileSync(file, 'utf8').replace('"lane":"docs"', '"lane":17');
    writeFileSync(file, text);
    await appendRunsInPlace(file, [run(3)], { random: () => 1 });
    // a full read still refuses it, naming the run
    await expect(readHistory(file)).rejects.toThrow(/runs\[0\].*lane/);
  });

  it('a run id appended again replaces the earlier copy for every reader', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2)]);
    const h = await appendRuns(file, [{ ...run(1), workflow: 'again' }], { random: () => 1 });
    expect(h.runs.map((r) => `${r.id}:${r.workflow}`)).toEqual([`${run(2).id}:w`, `${run(1).id}:again`]);
    // and a compaction drops the superseded copy from the file
    await appendRunsInPlace(file, [run(3)], { random: () => 0 });
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] };
    expect(onDisk.runs.map((r) => r.id)).toEqual([run(2).id, run(1).id, run(3).id]);
  });

  it('a file in another layout (pretty-printed, or the empty form) is rewritten once in the line layout', async () => {
    const file = fresh();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ schema_version: 1, runs: [run(1)] }, null, 2));
    const r = await appendRunsInPlace(file, [run(2)]);
    expect(r.inPlace).toBe(false);
    const ino = statSync(file).ino;
    expect((await appendRunsInPlace(file, [run(3)], { random: () => 1 })).inPlace).toBe(true);
    expect(statSync(file).ino).toBe(ino);
    expect((await readHistory(file)).runs).toHaveLength(3);
  });

  it('after a stale lock was taken over, the next write replaces the file (a paused writer cannot write into it)', async () => {
    const file = fresh();
    await appendRuns(file, [run(1)]);
    const { mkdir, utimes } = await import('node:fs/promises');
    await mkdir(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const ino = statSync(file).ino;
    const log: string[] = [];
    const r = await appendRunsInPlace(file, [run(2)], { random: () => 1, log: (l) => log.push(l) });
    expect(log.join('\n')).toMatch(/taking it over/);
    expect(r.inPlace).toBe(false);
    expect(statSync(file).ino).not.toBe(ino);
    expect(existsSync(takeoverMarkerFor(file))).toBe(false);
    expect(readdirSync(path.dirname(file))).toEqual(['metrics.json']);
  });
});

describe('a torn last line (an interrupted append)', () => {
  it('is ignored by readers with a warning, and repaired by the next append: earlier runs kept, torn bytes set aside', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2)]);
    const good = readFileSync(file);
    // as if a writer died while writing a third run: the separator and half the line landed
    const third = JSON.stringify(run(3));
    writeFileSync(file, Buffer.concat([good.subarray(0, good.length - 4), Buffer.from(`,\n${third.slice(0, 200)}`)]));
    const r1 = collect();
    expect((await readHistory(file, r1.warn)).runs.map((r) => r.id)).toEqual([run(1).id, run(2).id]);
    expect(r1.lines.join('\n')).toMatch(/ends with \d+ byte\(s\) of an incomplete run .*ignored; every complete run/);

    const w = collect();
    await appendRunsInPlace(file, [run(4)], { warn: w.warn, random: () => 1 });
    expect(w.lines.join('\n')).toMatch(/incomplete run .*moved to .*metrics\.json\.torn-.* and the file repaired/);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] };
    expect(parsed.runs.map((r) => r.id)).toEqual([run(1).id, run(2).id, run(4).id]);
    const torn = readdirSync(path.dirname(file)).filter((f) => f.includes('.torn-'));
    expect(torn).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(file), torn[0]!), 'utf8')).toBe(`,\n${third.slice(0, 200)}`);
  });

  it('a file cut in half keeps the runs before the cut', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2), run(3)]);
    const full = readFileSync(file);
    const cut = full.toString('utf8').indexOf(run(3).id) + 40; // inside the third run's line
    truncateSync(file, cut);
    const w = collect();
    const h = await appendRuns(file, [run(4)], { warn: w.warn, random: () => 1 });
    expect(h.runs.map((r) => r.id)).toEqual([run(1).id, run(2).id, run(4).id]);
    expect(JSON.parse(readFileSync(file, 'utf8')).runs).toHaveLength(3);
  });

  it('only the separator landed (`}` `,` then the old `]}`): the run before is complete and kept', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2)]);
    const good = readFileSync(file);
    writeFileSync(file, Buffer.concat([good.subarray(0, good.length - 4), Buffer.from(',]}\n')]));
    const h = await appendRuns(file, [run(3)], { warn: () => undefined, random: () => 1 });
    expect(h.runs.map((r) => r.id)).toEqual([run(1).id, run(2).id, run(3).id]);
  });

  it('zeros after a crash (an extended file never written): repaired the same way', async () => {
    const file = fresh();
    await appendRuns(file, [run(1)]);
    const good = readFileSync(file);
    writeFileSync(file, Buffer.concat([good.subarray(0, good.length - 4), Buffer.from(',\n'), Buffer.alloc(4096)]));
    const h = await appendRuns(file, [run(2)], { warn: () => undefined, random: () => 1 });
    expect(h.runs.map((r) => r.id)).toEqual([run(1).id, run(2).id]);
  });

  it('a bad line with lines after it is corruption, not a torn end: refused and left byte-identical', async () => {
    const file = fresh();
    await appendRuns(file, [run(1), run(2), run(3)]);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    lines[2] = lines[2]!.slice(0, 100);
    writeFileSync(file, lines.join('\n'));
    const before = readFileSync(file);
    const err = await readHistory(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toMatch(/not valid JSON \(runs\[1\]/);
    // a compaction (prune, retention) reads every line and refuses too
    await expect(new FileHistoryStore(file).prune({ keepRuns: 1 })).rejects.toThrow(HistoryError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('SIGKILL at random moments of a writer appending in a loop: every run it reported saved is there', async () => {
    const bundle = await bundleHistoryModule(path.join(dir, 'history-kill-bundle.cjs'));
    const file = fresh();
    const template = path.join(dir, 'kill-template.json');
    await writeFile(template, JSON.stringify(run(0, { timeline: 50 })));
    const script = `
      const h = require(${JSON.stringify(bundle)});
      const t = JSON.parse(require('fs').readFileSync(${JSON.stringify(template)}, 'utf8'));
      (async () => {
        for (let i = 0; ; i++) {
          const id = process.argv[1] + '-' + i;
          await h.appendRunsInPlace(${JSON.stringify(file)}, [{ ...t, id }], { warn: () => {} });
          process.stdout.write(id + '\\n');
        }
      })();`;
    const saved: string[] = [];
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, ['-e', script, `k${round}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      // wait for the first saved run, then kill it somewhere in a later append
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (out.includes('\n')) {
            clearInterval(t);
            resolve();
          }
        }, 5);
      });
      await new Promise((r) => setTimeout(r, 20 + ((round * 37) % 90)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      saved.push(...out.split('\n').filter(Boolean));
      const { rm: rmp } = await import('node:fs/promises');
      await rmp(`${file}.lock`, { recursive: true, force: true }); // the killed writer's lock (no wait for staleness)
      const ids = new Set((await readHistory(file, () => undefined)).runs.map((r) => r.id));
      for (const id of saved) expect(ids.has(id), `run ${id} reported saved`).toBe(true);
    }
    expect(saved.length).toBeGreaterThan(12);
    // and the next writer leaves a file every plain JSON reader accepts
    await appendRunsInPlace(file, [run(99)], { warn: () => undefined });
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] };
    for (const id of saved) expect(parsed.runs.some((r) => r.id === id)).toBe(true);
  }, 120_000);
});

describe('a large generated history', () => {
  const count = 30_000;
  let file: string;
  beforeAll(async () => {
    file = fresh();
    await generate(file, count);
  }, 120_000);

  it('appends in place in well under a second (no read of the 30,000 runs)', async () => {
    const t0 = performance.now();
    const r = await appendRunsInPlace(
      file,
      [run(1, { id: 'big-new', lane: 'lane1', workflow: 'wf1', started_at: '2026-01-01T00:00:00.000Z' })],
      {
        random: () => 1,
      },
    );
    const ms = performance.now() - t0;
    expect(r.inPlace).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it('a window read returns what a full read would, and parses only the end of the file', async () => {
    const store = new FileHistoryStore(file);
    const window = await store.readWindow({ lane: 'lane1', workflow: 'wf1', last: 10 });
    const all = (await store.readAll()).runs;
    expect(all.length).toBe(count + 1);
    expect(window.map((r) => r.id)).toEqual(
      applyWindow(all, { lane: 'lane1', workflow: 'wf1', last: 10 }).map((r) => r.id),
    );
    expect(window.at(-1)!.id).toBe('big-new');
    // poison the first run: a full read refuses the file, the window never reaches it
    const text = readFileSync(file, 'utf8');
    const i = text.indexOf('"lane":"lane0"');
    writeFileSync(file, text.slice(0, i) + '"lane":0,"x":"lane0"' + text.slice(i + '"lane":"lane0"'.length));
    await expect(store.readAll()).rejects.toThrow(/runs\[0\].*lane/);
    const again = await store.readWindow({ lane: 'lane1', workflow: 'wf1', last: 10 });
    expect(again.map((r) => r.id)).toEqual(window.map((r) => r.id));
  }, 120_000);
});

describe('summarize() of a history under the size warning, and the windows after it', () => {
  it('reads the file once: the windows after it come from that read, the same runs as a window pass; a file changed since is read again', async () => {
    const file = fresh();
    await generate(file, 400);
    const fresh_ = new FileHistoryStore(file);
    const expected = await fresh_.readWindow({ lane: 'lane2', workflow: 'wf2', last: 30 });
    const { utimesSync } = await import('node:fs');
    const stamp = 1_700_000_000; // whole seconds: set again below, exactly
    utimesSync(file, stamp, stamp);
    const store = new FileHistoryStore(file);
    const series = await store.summarize();
    expect(series.map((s) => [s.lane, s.runs])).toEqual([
      ['lane0', 100],
      ['lane1', 100],
      ['lane2', 100],
      ['lane3', 100],
    ]);
    // break the file behind the store's back without changing size or mtime: a window from the whole read does
    // not see it (the proof it is not read again); a window pass would refuse the line
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('"lane":"lane2"');
    writeFileSync(file, `${text.slice(0, at)}"lane":"lan!2"${text.slice(at + 14)}`);
    utimesSync(file, stamp, stamp);
    const fromWhole = await store.readWindow({ lane: 'lane2', workflow: 'wf2', last: 30 });
    expect(fromWhole.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(fromWhole.length).toBe(30);
    // another writer appends: size and mtime change, so the window is read from the file again and sees the run
    writeFileSync(file, text); // repaired
    await new FileHistoryStore(file).append([run(9000, { id: 'other-writer', lane: 'lane2', workflow: 'wf2' })]);
    const after = await store.readWindow({ lane: 'lane2', workflow: 'wf2', last: 30 });
    expect(after.at(-1)!.id).toBe('other-writer');
    expect(after.length).toBe(30);
  });
});

describe('historyRetention', () => {
  it('runs: N keeps the newest N of each lane/workflow once a compaction runs', async () => {
    const file = fresh();
    const store = new FileHistoryStore(file, { retention: { runs: 3 }, append: { random: () => 0 } });
    for (let i = 1; i <= 6; i++) await store.append([run(i), run(100 + i, { workflow: 'other' })]);
    const runs = (await store.readAll()).runs;
    expect(runs.filter((r) => r.workflow === 'w').map((r) => r.id)).toEqual([4, 5, 6].map((i) => run(i).id));
    expect(runs.filter((r) => r.workflow === 'other')).toHaveLength(3);
  });

  it('days: D drops runs older than D days on the next append, with no draw needed', async () => {
    const file = fresh();
    const now = Date.UTC(2025, 5, 1);
    const old = run(1, { started_at: new Date(now - 40 * 86_400_000).toISOString() });
    const recent = run(2, { started_at: new Date(now - 86_400_000).toISOString() });
    await appendRuns(file, [old, recent]);
    const store = new FileHistoryStore(file, {
      retention: { days: 30 },
      append: { random: () => 1, now: () => now },
    });
    await store.append([run(3, { started_at: new Date(now).toISOString() })]);
    expect((await store.readAll()).runs.map((r) => r.id)).toEqual([recent.id, run(3).id]);
  });

  it('without retention the compaction still drops old timelines and keeps every run', async () => {
    const file = fresh();
    for (let i = 1; i <= 14; i++) await appendRunsInPlace(file, [run(i, { timeline: 60 })], { random: () => 1 });
    const before = statSync(file).size;
    await appendRunsInPlace(file, [run(15, { timeline: 60 })], { random: () => 0 });
    const runs = (await readHistory(file)).runs;
    expect(runs).toHaveLength(15);
    expect(runs.filter((r) => r.iterations.some((it) => it.timeline.length > 0))).toHaveLength(10);
    expect(statSync(file).size).toBeLessThan(before);
  });
});

describe('the 90 MB warning', () => {
  it('is printed once the file passes 90 MB, with what to do', async () => {
    const file = fresh();
    await generate(file, 1);
    // grow it with real runs carrying long notes (about 1 MB each)
    const note = 'x'.repeat(1_000_000);
    const big = Array.from({ length: 91 }, (_, i) => run(1000 + i, { notes: [note] }));
    const quiet = collect();
    await appendRunsInPlace(file, big.slice(0, 80), { warn: quiet.warn, random: () => 1 });
    expect(quiet.lines).toEqual([]);
    const loud = collect();
    await appendRunsInPlace(file, big.slice(80), { warn: loud.warn, random: () => 1 });
    expect(statSync(file).size).toBeGreaterThan(90_000_000);
    expect(loud.lines.join('\n')).toMatch(
      /history .*metrics\.json is 9\d\.\d MB .*GitHub rejects files over 100 MB.*historyRetention/,
    );
  }, 120_000);
});

describe('LANEBENCH_SHARD', () => {
  it('writes metrics.<shard>.json beside the history and reads both; the history itself is untouched', async () => {
    const file = fresh();
    await appendRuns(file, [run(1)]);
    const before = readFileSync(file);
    const config = { outputDir: path.dirname(file) };
    const a = openHistoryStore(config, { LANEBENCH_SHARD: 'linux-1' });
    await a.append([run(2)]);
    const b = openHistoryStore(config, { LANEBENCH_SHARD: 'linux-2' });
    await b.append([run(3)]);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(a.display).toBe(path.join(path.dirname(file), 'metrics.linux-1.json'));
    expect((await a.readAll()).runs.map((r) => r.id)).toEqual([run(1).id, run(2).id]);
    expect((await b.readWindow({ lane: 'docs', last: 5 })).map((r) => r.id)).toEqual([run(1).id, run(3).id]);
    expect(readdirSync(path.dirname(file)).sort()).toEqual([
      'metrics.json',
      'metrics.linux-1.json',
      'metrics.linux-2.json',
    ]);
  });

  it('refuses a name that is not a plain file-name part', () => {
    expect(() => shardFileOf('/x/metrics.json', '../up')).toThrow(
      /LANEBENCH_SHARD: '..\/up' is not a valid shard name/,
    );
    expect(() => shardFileOf('/x/metrics.json', 'rescue-1')).toThrow(HistoryError);
    expect(shardFileOf('/x/metrics.json', 'node_22')).toBe('/x/metrics.node_22.json');
  });
});
