import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendRuns,
  ciProviderOf,
  collectEnv,
  collectGit,
  detectCiProvider,
  environmentFingerprint,
  HistoryError,
  newRunId,
  readHistory,
  writeHistory,
  type CiInfoAnswer,
} from '../src/history/index.js';
import type { Run } from '../src/types.js';
import { makeRun } from '../../../test/helpers/runs.mjs';
import { bundleHistoryModule } from './fixtures/history-bundle.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lanebench-history-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// a complete, schema-valid run (the store validates what it writes)
function fakeRun(id: string): Run {
  return makeRun({ id, lane: 'docs', workflow: 'w', iterations: 2, timeline: 0 });
}

describe('readHistory', () => {
  it('treats a missing file as an empty history', async () => {
    expect(await readHistory(path.join(dir, 'none', 'metrics.json'))).toEqual({ schema_version: 1, runs: [] });
  });

  it.each([
    ['truncated JSON', '{"schema_version":1,"runs":[{"id":"a"', /is not valid JSON/],
    ['an array', '[]', /not a lanebench history: expected an object/],
    ['no schema_version', '{"runs":[]}', /no valid schema_version \(found undefined\); expected 1/],
    ['runs not an array', '{"schema_version":1,"runs":{}}', /"runs" must be an array/],
    [
      'a run without id',
      '{"schema_version":1,"runs":[{"lane":"docs"}]}',
      /runs\[0\] is not a valid lanebench run: id: /,
    ],
    [
      'iterations of the wrong type',
      JSON.stringify({ schema_version: 1, runs: [{ ...fakeRun('r1'), iterations: {} }] }),
      /runs\[0\] \(id "r1"\) is not a valid lanebench run: iterations: Invalid input: expected array/,
    ],
    [
      'a null iteration',
      JSON.stringify({ schema_version: 1, runs: [fakeRun('r0'), { ...fakeRun('r1'), iterations: [null] }] }),
      /runs\[1\] \(id "r1"\) is not a valid lanebench run: iterations\[0\]: Invalid input: expected object/,
    ],
    [
      'a newer schema',
      '{"schema_version":2,"runs":[]}',
      /was written by a newer lanebench \(schema_version 2; this version reads 1\)/,
    ],
  ])('refuses %s naming the file', async (_what, text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(16).slice(2)}.json`);
    await writeFile(file, text);
    const err = await readHistory(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(file);
  });
});

describe('appendRuns', () => {
  it('creates the directory and file, appends, and replaces a run with the same id', async () => {
    const file = path.join(dir, 'new', 'deep', 'metrics.json');
    await appendRuns(file, [fakeRun('a')]);
    await appendRuns(file, [fakeRun('b'), fakeRun('c')]);
    const h = await appendRuns(file, [{ ...fakeRun('a'), workflow: 'again' }]);
    expect(h.runs.map((r) => r.id)).toEqual(['b', 'c', 'a']);
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.schema_version).toBe(1);
    expect(onDisk.runs.map((r: Run) => `${r.id}:${r.workflow}`)).toEqual(['b:w', 'c:w', 'a:again']);
    // no temp or lock files left behind
    expect((await readdir(path.dirname(file))).sort()).toEqual(['metrics.json']);
  });

  it('a file truncated mid-run keeps its complete runs; the torn rest is set aside with a warning', async () => {
    const file = path.join(dir, 'truncated', 'metrics.json');
    await appendRuns(file, [fakeRun('a'), fakeRun('b')]);
    const full = await readFile(file);
    const truncated = full.subarray(0, full.indexOf('"id":"b"') + 40);
    await writeFile(file, truncated);
    const warnings: string[] = [];
    const h = await appendRuns(file, [fakeRun('c')], { warn: (l) => warnings.push(l) });
    expect(h.runs.map((r) => r.id)).toEqual(['a', 'c']);
    expect(warnings.join('\n')).toContain(file);
    expect(warnings.join('\n')).toMatch(/incomplete run/);
    const names = (await readdir(path.dirname(file))).sort();
    expect(names[0]).toBe('metrics.json');
    expect(names[1]).toMatch(/^metrics\.json\.torn-/);
    expect(names).toHaveLength(2);
  });

  it('refuses to append to a newer schema and leaves it byte-identical', async () => {
    const file = path.join(dir, 'newer.json');
    const text = '{"schema_version": 2, "runs": [], "extra": "future"}';
    await writeFile(file, text);
    await expect(appendRuns(file, [fakeRun('x')])).rejects.toThrow(
      /newer lanebench \(schema_version 2; this version reads 1\)/,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('writeHistory replaces a valid file and refuses a corrupt one', async () => {
    const file = path.join(dir, 'merge', 'metrics.json');
    await writeHistory(file, { schema_version: 1, runs: [fakeRun('m1')] });
    await writeHistory(file, { schema_version: 1, runs: [fakeRun('m1'), fakeRun('m2')] });
    expect((await readHistory(file)).runs.map((r) => r.id)).toEqual(['m1', 'm2']);
    await writeFile(file, '{');
    await expect(writeHistory(file, { schema_version: 1, runs: [] })).rejects.toThrow(HistoryError);
    expect(await readFile(file, 'utf8')).toBe('{');
  });

  it('takes over a stale lock left by a crashed writer', async () => {
    const file = path.join(dir, 'stale', 'metrics.json');
    await appendRuns(file, [fakeRun('before')]);
    await mkdir(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const h = await appendRuns(file, [fakeRun('after')]);
    expect(h.runs.map((r) => r.id)).toEqual(['before', 'after']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('eight concurrent writer processes each add a run and none is lost', async () => {
    const bundle = await bundleHistoryModule(path.join(dir, 'history-bundle.cjs'));
    const file = path.join(dir, 'concurrent', 'metrics.json');
    const template = path.join(dir, 'run-template.json');
    await writeFile(template, JSON.stringify(fakeRun('template')));
    const startAt = Date.now() + 1500; // every child starts writing at the same instant
    const ids = Array.from({ length: 8 }, (_, i) => `writer-${i}`);
    const results = await Promise.all(
      ids.map(
        (id) =>
          new Promise<{ id: string; code: number; stderr: string }>((resolve) => {
            execFile(
              process.execPath,
              [path.join(here, 'fixtures/history-writer.cjs'), bundle, file, id, String(startAt), template],
              (err, _out, stderr) => {
                resolve({ id, code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
              },
            );
          }),
      ),
    );
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
    const history = await readHistory(file);
    expect(history.runs.map((r) => r.id).sort()).toEqual(ids);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 60_000);
});

describe('collectEnv', () => {
  it('describes this machine and the runner', () => {
    const env = collectEnv({ name: 'vitest', version: '4.1.12' });
    expect(env).toMatchObject({
      os: os.type(),
      platform: process.platform,
      arch: process.arch,
      kernel: os.release(),
      logical_cores: os.availableParallelism(),
      node_version: process.version,
      runner: 'vitest',
      runner_version: '4.1.12',
      ci_provider: detectCiProvider(),
      hostname: os.hostname(),
    });
    expect(env.memory_total_mb).toBe(Math.round(os.totalmem() / 1048576));
    expect(env.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(collectEnv().runner).toBeNull();
  });

  it('fingerprints what makes timings comparable, not the hostname', () => {
    const base = {
      cpu_model: 'X',
      logical_cores: 4,
      memory_total_mb: 16000,
      platform: 'linux',
      arch: 'x64',
      node_version: 'v20.1.0',
    };
    const fp = environmentFingerprint(base);
    expect(environmentFingerprint({ ...base, node_version: 'v20.9.9', memory_total_mb: 16100 })).toBe(fp);
    expect(environmentFingerprint({ ...base, node_version: 'v22.1.0' })).not.toBe(fp);
    expect(environmentFingerprint({ ...base, logical_cores: 8 })).not.toBe(fp);
    expect(environmentFingerprint({ ...base, memory_total_mb: 32000 })).not.toBe(fp);
  });
});

describe('CI detection (ci-info)', () => {
  const requireHere = createRequire(import.meta.url);

  /** ci-info as a process started with exactly `env` sees it (it reads the environment when loaded). */
  function ciInfoUnder(env: Record<string, string>): CiInfoAnswer {
    const id = requireHere.resolve('ci-info');
    const saved = process.env;
    process.env = { ...env };
    try {
      delete requireHere.cache[id];
      return requireHere('ci-info') as CiInfoAnswer;
    } finally {
      process.env = saved;
      delete requireHere.cache[id];
    }
  }

  it.each([
    // what GitHub Actions, GitLab CI and Jenkins set on their runners (among much else)
    [{ GITHUB_ACTIONS: 'true', CI: 'true' }, 'github-actions'],
    [{ GITLAB_CI: 'true', CI: 'true' }, 'gitlab'],
    [{ JENKINS_URL: 'http://j/', BUILD_ID: '17' }, 'jenkins'],
    [{ CIRCLECI: 'true', CI: 'true' }, 'circleci'],
    [{ BUILDKITE: 'true', CI: 'true' }, 'buildkite'],
    [{ TF_BUILD: 'True' }, 'azure-pipelines'],
    // a service without a name of ours keeps ci-info's
    [{ TRAVIS: 'true', CI: 'true' }, 'travis'],
    [{ CI: '1' }, 'generic'],
    [{ CI: 'true' }, 'generic'],
    // CI=false switches detection off, even on a known service
    [{ CI: 'false' }, null],
    [{ CI: 'false', GITHUB_ACTIONS: 'true' }, null],
    // ci-info's Jenkins rule wants both variables
    [{ JENKINS_URL: 'http://j/' }, null],
    [{}, null],
  ])('names the provider of %j', (env, provider) => {
    const answer = ciInfoUnder(env);
    expect(ciProviderOf(answer)).toBe(provider);
    expect(answer.isCI).toBe(provider !== null);
  });

  it("is this process's answer", () => {
    expect(detectCiProvider()).toBe(ciProviderOf(requireHere('ci-info') as CiInfoAnswer));
  });
});

describe('collectGit', () => {
  it('reads sha, branch and dirty state of a repository', async () => {
    const repo = path.join(dir, 'repo');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    await rm(repo, { recursive: true, force: true });
    execFileSync('git', ['init', '-q', '-b', 'feature/x', repo]);
    await writeFile(path.join(repo, 'a.txt'), 'a');
    git('add', '.');
    git('-c', 'user.email=t@e.st', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
    const info = collectGit(repo, {});
    expect(info).toEqual({ sha: git('rev-parse', 'HEAD'), branch: 'feature/x', dirty: false });
    await writeFile(path.join(repo, 'b.txt'), 'b');
    expect(collectGit(repo, {}).dirty).toBe(true);
    expect(collectGit(repo, { GITHUB_SHA: 'abc123', GITHUB_REF_NAME: 'main' })).toMatchObject({
      sha: 'abc123',
      branch: 'main',
    });
    expect(collectGit(repo, { CI_COMMIT_SHA: 'def', CI_COMMIT_REF_NAME: 'mr-1' })).toMatchObject({
      sha: 'def',
      branch: 'mr-1',
    });
  });

  it('is all null outside a repository and never throws', async () => {
    const plain = await mkdtemp(path.join(os.tmpdir(), 'lanebench-nogit-'));
    try {
      expect(collectGit(plain, { GIT_CEILING_DIRECTORIES: path.dirname(plain) })).toEqual({
        sha: null,
        branch: null,
        dirty: null,
      });
      expect(collectGit(path.join(plain, 'does-not-exist'), {})).toEqual({ sha: null, branch: null, dirty: null });
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });
});

describe('newRunId', () => {
  it('is a sortable timestamp, lane and workflow slugs and a random suffix', () => {
    const id = newRunId('docs', 'Build Site!', new Date('2026-11-28T11:02:03.456Z'));
    expect(id).toMatch(/^20261128T110203Z-docs-build-site-[0-9a-f]{6}$/);
    expect(
      newRunId('docs', 'x', new Date('2026-01-01T00:00:00Z')) < newRunId('docs', 'x', new Date('2026-01-01T00:00:01Z')),
    ).toBe(true);
    const many = new Set(Array.from({ length: 50 }, () => newRunId('a', 'b', new Date(0))));
    expect(many.size).toBe(50);
  });
});

describe('history compaction', () => {
  it('keeps timelines on the newest runs of each workflow only, and everything else of every run', async () => {
    const { makeRun } = await import('./fixtures/runs.js');
    const { compactHistory, serializeHistory, parseHistory, TIMELINE_RETENTION } =
      await import('../src/history/index.js');
    const runs = Array.from({ length: TIMELINE_RETENTION + 5 }, (_, i) =>
      makeRun({ lane: 'docs', workflow: 'build', exec: 10 + i, memory: 100, cpu: 20, seed: i + 1 }),
    );
    runs.push(makeRun({ lane: 'heavy', workflow: 'other', exec: 5, memory: 100, cpu: 20, seed: 99 }));
    expect(runs.every((r) => r.iterations.every((it) => it.timeline.length > 0))).toBe(true);
    const compacted = compactHistory(runs);
    const withTimeline = compacted.filter((r) => r.iterations.some((it) => it.timeline.length > 0));
    // the newest TIMELINE_RETENTION runs of 'build' plus the single run of 'other'
    expect(withTimeline.map((r) => r.id)).toEqual(
      [...runs.slice(5, TIMELINE_RETENTION + 5), runs.at(-1)!].map((r) => r.id),
    );
    // statistics and per-iteration figures survive
    expect(compacted.map((r) => r.metrics_analysis)).toEqual(runs.map((r) => r.metrics_analysis));
    expect(compacted[0]!.iterations[0]!.execution_time).toBe(runs[0]!.iterations[0]!.execution_time);
    // the input is not mutated
    expect(runs[0]!.iterations[0]!.timeline.length).toBeGreaterThan(0);
    // serialized: one run per line, and it parses back to the compacted runs
    const text = serializeHistory({ schema_version: 1, runs });
    expect(text.split('\n').length).toBe(runs.length + 3);
    expect(parseHistory('mem.json', text).runs).toEqual(compacted);
  });

  it('serializeHistoryChunks gives the same text in pieces of about a megabyte (export of 100,000 runs)', async () => {
    const { makeRun } = await import('./fixtures/runs.js');
    const { serializeHistory, serializeHistoryChunks } = await import('../src/history/index.js');
    const runs = Array.from({ length: 600 }, (_, i) =>
      makeRun({ lane: 'docs', workflow: `w${i % 3}`, exec: 10 + i, memory: 100, cpu: 20, seed: i + 1 }),
    );
    const history = { schema_version: 1 as const, runs };
    const pieces = [...serializeHistoryChunks(history)];
    const text = serializeHistory(history);
    expect(text.length).toBeGreaterThan(3 << 20); // so that there are several pieces
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    const longestRun = Math.max(...text.split('\n').map((l) => l.length));
    for (const p of pieces) expect(p.length).toBeLessThan((1 << 20) + longestRun + 2);
    expect([...serializeHistoryChunks({ schema_version: 1, runs: [] })].join('')).toBe(
      serializeHistory({ schema_version: 1, runs: [] }),
    );
  });
});
