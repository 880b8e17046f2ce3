/**
 * History failures that must cost no measuring time and lose no measured run (issue 11 items 5–7):
 * a bad history refused before the first iteration, paths that can never be a history or a lock
 * refused at once, and runs that cannot be saved written to a rescue file (exit 2) that
 * `lanebench merge` brings back. Real files, a real FIFO, real read-only and full filesystems.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lanebench, CLI } from './cli-helpers.js';
import { makeRun } from './helpers/runs.mjs';
import { mountTmpfs, requireBuilt, unmount } from './helpers/tools.js';

requireBuilt(CLI);
const dirs: string[] = [];
const mounts: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-fault-failfast-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const m of mounts) unmount(m);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `lanebench run` of a command that leaves a marker: the marker proves an iteration ran. */
function runLane(cwd: string, out: string, script = '') {
  const marker = join(cwd, 'measured.marker');
  const started = Date.now();
  const r = lanebench(cwd, [
    'run',
    '--lane',
    'docs',
    '--iterations',
    '1',
    '--output-dir',
    out,
    '--',
    'sh',
    '-c',
    `touch ${marker}; ${script}`,
  ]);
  return { ...r, ms: Date.now() - started, measured: existsSync(marker) };
}

const history = (runs: unknown[]) => JSON.stringify({ schema_version: 1, runs });

describe('validate before measuring', () => {
  it.each([
    ['iterations: {}', { iterations: {} }, /iterations: Invalid input: expected array/],
    ['iterations: [null]', { iterations: [null] }, /iterations\[0\]: Invalid input: expected object/],
    ['a string execution_time', 'exec', /execution_time: Invalid input: expected number/],
  ])('a history whose run has %s stops run before the first iteration, naming file and run', (_w, patch, msg) => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    const good = makeRun({ id: 'good-run' });
    const bad = makeRun({ id: 'bad-run' });
    if (patch === 'exec') (bad.iterations[0] as unknown as Record<string, unknown>).execution_time = '3';
    else Object.assign(bad, patch);
    const file = join(out, 'metrics.json');
    writeFileSync(file, history([good, bad]));
    const before = readFileSync(file);
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.measured).toBe(false);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/runs\[1\] \(id "bad-run"\)/);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
    expect(readFileSync(file).equals(before)).toBe(true);

    // report, trends, analyze and merge refuse it the same way, without a TypeError
    for (const args of [
      ['report'],
      ['trends', '--lane', 'docs', '--metric', 'execution_time'],
      ['analyze', '--lane', 'docs'],
      ['merge', file],
    ]) {
      const target = args[0] === 'merge' ? join(cwd, 'merged') : out;
      const c = lanebench(cwd, [...args, '--output-dir', target]);
      expect(c.code, `${args.join(' ')}: ${c.stdout}${c.stderr}`).toBe(2);
      expect(c.stderr, args.join(' ')).toMatch(/runs\[1\] \(id "bad-run"\) is not a valid lanebench run/);
      expect(c.stderr).not.toMatch(/TypeError/);
    }
  });
});

describe('fail fast, naming the path', () => {
  it('a FIFO named metrics.json', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    execFileSync('mkfifo', [join(out, 'metrics.json')]);
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'metrics.json')} is a FIFO`);
    expect(r.measured).toBe(false);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a character device (/dev/zero) named metrics.json', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    symlinkSync('/dev/zero', join(out, 'metrics.json'));
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'metrics.json')} is a character device`);
    expect(r.measured).toBe(false);
  });

  it('a lock path that is a regular file', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'metrics.json.lock'), 'not a lock');
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`lock path ${join(out, 'metrics.json.lock')} is a regular file`);
    expect(r.measured).toBe(false);
  });

  it('a lock with a modification time in the future', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(join(out, 'metrics.json.lock'), { recursive: true });
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(join(out, 'metrics.json.lock'), future, future);
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`lock ${join(out, 'metrics.json.lock')} has a modification time in the future`);
    expect(r.measured).toBe(false);
  });

  it('a read-only output directory fails at once, before measuring', (ctx) => {
    const cwd = tempDir();
    const out = join(cwd, 'ro');
    mkdirSync(out);
    if (!mountTmpfs(out, '1m', 'a read-only output directory', { readOnly: true })) return ctx.skip();
    mounts.push(out);
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`directory ${out} is read-only \\(EROFS\\)`));
    expect(r.measured).toBe(false);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('temp files of a writer killed mid-write are removed by the next writer', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    const dead = join(out, '.metrics.json.999999.0a1b2c3d.tmp');
    const alive = join(out, `.metrics.json.${process.pid}.0a1b2c3d.tmp`);
    writeFileSync(dead, 'x'.repeat(1000));
    writeFileSync(alive, 'x');
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true); // its writer (this process) is still alive
  });
});

function rescueIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^metrics\.rescue-.+\.json$/.test(n))
    .map((n) => join(dir, n));
}

describe('a measured run is never thrown away', () => {
  it('a history that became corrupt during the run: rescue file, exit 2, merge brings it back', () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    expect(runLane(cwd, out).code).toBe(0);
    const file = join(out, 'metrics.json');
    const good = readFileSync(file);
    const r = runLane(cwd, out, `printf '{"schema_version":1,"runs":[{' > ${file}`);
    expect(r.code, r.stderr).toBe(2);
    const [rescue, ...more] = rescueIn(out);
    expect(more).toEqual([]);
    expect(rescue).toMatch(/metrics\.rescue-\d{8}T\d{6}Z-docs-.+\.json$/);
    expect(r.stderr).toContain(`could not save the run to ${file}`);
    expect(r.stderr).toContain(`saved to ${rescue}`);
    expect(r.stderr).toContain(`lanebench merge ${rescue} --output-dir ${out}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const rescued = JSON.parse(readFileSync(rescue!, 'utf8')) as {
      schema_version: number;
      runs: Array<{ id: string }>;
    };
    expect(rescued.schema_version).toBe(1);
    expect(rescued.runs).toHaveLength(1);

    writeFileSync(file, good); // repaired
    const m = lanebench(cwd, ['merge', rescue!, '--output-dir', out]);
    expect(m.code, m.stderr).toBe(0);
    const ids = (JSON.parse(readFileSync(file, 'utf8')) as { runs: Array<{ id: string }> }).runs.map((x) => x.id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(rescued.runs[0]!.id);
  });

  it('a directory that became read-only during the run: rescue file in the temp directory, exit 2', (ctx) => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    mkdirSync(out);
    if (!mountTmpfs(out, '2m', 'a directory that turns read-only mid-run')) return ctx.skip();
    mounts.push(out);
    const r = runLane(cwd, out, `mount -o remount,ro ${out}`);
    expect(r.measured).toBe(true);
    expect(r.code, r.stderr).toBe(2);
    const m = /saved to (\S+metrics\.rescue-\S+\.json)\./.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const rescue = m![1]!;
    dirs.push(rescue);
    expect(rescue.startsWith(tmpdir())).toBe(true);
    expect(r.stderr).toContain('read-only');
    expect(r.stderr).toContain(`lanebench merge ${rescue} --output-dir ${out}`);
    expect((JSON.parse(readFileSync(rescue, 'utf8')) as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it('a full disk: "disk full writing <file>", rescue file elsewhere, exit 2, history untouched', (ctx) => {
    const cwd = tempDir();
    const out = join(cwd, 'full');
    mkdirSync(out);
    if (!mountTmpfs(out, '1m', 'a full disk')) return ctx.skip();
    mounts.push(out);
    const file = join(out, 'metrics.json');
    // a history of ~600 KB, and the rest of the 1 MB filled but for a few hundred bytes: an append
    // writes only the new run's line in place, and not even that fits
    const runs = Array.from({ length: 100 }, (_, i) =>
      makeRun({ seed: i + 1, id: `old-${i}`, iterations: 9, timeline: 0 }),
    );
    writeFileSync(file, `{"schema_version":1,"runs":[\n${runs.map((x) => JSON.stringify(x)).join(',\n')}\n]}\n`);
    expect(statSync(file).size).toBeGreaterThan(520_000);
    const fs = statfsSync(out);
    writeFileSync(join(out, 'filler'), Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 512)));
    const before = readFileSync(file);
    const r = runLane(cwd, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`disk full writing ${file}`);
    expect(r.stderr).not.toMatch(/\n\s+at |ENOSPC: no space/);
    const m = /saved to (\S+metrics\.rescue-\S+\.json)\./.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    dirs.push(m![1]!);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('the history fits but the reports do not: older reports are removed, none describes an older run', (ctx) => {
    const cwd = tempDir();
    const out = join(cwd, 'tight');
    mkdirSync(out);
    if (!mountTmpfs(out, '1m', 'a disk that fills between history and reports')) return ctx.skip();
    mounts.push(out);
    expect(runLane(cwd, out).code).toBe(0);
    expect(existsSync(join(out, 'performance_dashboard.html'))).toBe(true);
    // leave ~100 KB: enough for the history (a few KB), not for the dashboard (~230 KB)
    const r = runLane(
      cwd,
      out,
      `avail=$(df -k --output=avail ${out} | tail -1); head -c $(( (avail - 100) * 1024 )) /dev/zero > ${out}/filler`,
    );
    expect(r.code, r.stderr).toBe(2);
    const h = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { runs: unknown[] };
    expect(h.runs).toHaveLength(2);
    expect(r.stderr).toMatch(
      /the run was saved to .*metrics\.json, but the reports could not be written: disk full writing/,
    );
    expect(r.stderr).toMatch(/removed the older reports/);
    expect(existsSync(join(out, 'performance_dashboard.html'))).toBe(false);
    for (const n of ['junit.xml', 'summary.md', 'performance_metrics.csv']) {
      // any report still there was written by this run, after the history
      const p = join(out, n);
      if (existsSync(p))
        expect(statSync(p).mtimeMs).toBeGreaterThanOrEqual(statSync(join(out, 'metrics.json')).mtimeMs);
    }
  });
});
