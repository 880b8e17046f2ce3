/**
 * The publish stage (publishRuns, after every `lanebench run` and runner session) reads only its windows of the
 * history (issue 14): per lane/workflow of the session the newest PUBLISH_HISTORY_RUNS runs (and those of the
 * session's environment when the newest mix environments), never the whole history. A spy around a real store
 * (the file store on disk, and the PostgreSQL store on a real server) counts what was read; the gate's verdicts
 * and change points are those of the whole history, and for a history that fits the window every report is
 * byte for byte what the whole-history path wrote.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileHistoryStore,
  PostgresHistoryStore,
  PUBLISH_HISTORY_RUNS,
  analyzeIterations,
  analyzeSession,
  publishRuns,
  resolveConfig,
  sessionReportInput,
  writeReports,
  type HistoryStore,
  type HistoryWindow,
  type Run,
} from '../packages/core/src/index.js';
import { makeRun } from './helpers/runs.mjs';
import { startPostgres, type PgServer } from './helpers/postgres.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lb-pubwin-'));
  dirs.push(d);
  return d;
};
let pg: PgServer | null = null;
beforeAll(async () => {
  pg = await startPostgres('publishRuns on the PostgreSQL store');
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 120_000);

function run(seq: number, spec: { lane?: string; workflow?: string; fingerprint?: string; exec?: number } = {}): Run {
  return makeRun({
    seq,
    lane: spec.lane ?? 'docs',
    workflow: spec.workflow ?? 'build',
    iterations: 3,
    timeline: 0,
    exec: spec.exec ?? 1,
    ...(spec.fingerprint ? { fingerprint: spec.fingerprint } : {}),
    analyze: (iterations: Run['iterations']) => ({ metrics_analysis: analyzeIterations(iterations) }),
  });
}

interface Spy {
  store: HistoryStore;
  readAll: number;
  runsRead: number;
  windows: HistoryWindow[];
}

/** The store as publishRuns sees it, counting every run handed back. */
function spy(inner: HistoryStore): Spy {
  const s: Spy = {
    readAll: 0,
    runsRead: 0,
    windows: [],
    store: {
      kind: inner.kind,
      display: inner.display,
      rescueFile: inner.rescueFile,
      check: () => inner.check(),
      append: (runs) => inner.append(runs),
      readWindow: async (w) => {
        const got = await inner.readWindow(w);
        s.windows.push(w);
        s.runsRead += got.length;
        return got;
      },
      readAll: async () => {
        const h = await inner.readAll();
        s.readAll++;
        s.runsRead += h.runs.length;
        return h;
      },
      forEachLight: async (fn) => {
        s.readAll++;
        await inner.forEachLight((r) => {
          s.runsRead++;
          fn(r);
        });
      },
      summarize: async () => {
        s.readAll++;
        return inner.summarize();
      },
      prune: (o) => inner.prune(o),
      close: () => inner.close(),
    },
  };
  return s;
}

type Kind = 'file' | 'postgres';

async function openStore(kind: Kind, dir: string): Promise<HistoryStore | null> {
  if (kind === 'file') return new FileHistoryStore(join(dir, 'results', 'metrics.json'), { warn: () => undefined });
  if (!pg) return null;
  return new PostgresHistoryStore(await pg.newDatabase(), join(dir, 'results', 'metrics.json'));
}

/** Runs `body` on a fresh store of this kind in a new directory, closed afterwards; skipped without PostgreSQL. */
async function onStore(
  kind: Kind,
  ctx: { skip: () => void },
  body: (inner: HistoryStore, dir: string) => Promise<void>,
): Promise<void> {
  const dir = tmp();
  const inner = await openStore(kind, dir);
  if (!inner) return ctx.skip();
  try {
    await body(inner, dir);
  } finally {
    await inner.close();
  }
}

/** publishRuns of `session` on the store (every report format) through the spy: its config, reads and result. */
async function publishSpied(inner: HistoryStore, dir: string, session: Run[]) {
  const config = resolveConfig({ outputDir: 'results', reports: [...FORMATS] }, { root: dir });
  const s = spy(inner);
  const result = await publishRuns(session, { config, store: s.store, generatedAt: GENERATED, env: {} });
  return { config, s, result };
}

/** The windows publishRuns reads: the workflow's newest runs, then those of `fingerprint`'s environment. */
const windowsOf = (fingerprint: string): HistoryWindow[] => [
  { lane: 'docs', workflow: 'build', last: PUBLISH_HISTORY_RUNS },
  { lane: 'docs', workflow: 'build', last: PUBLISH_HISTORY_RUNS, fingerprint },
];

async function fill(store: HistoryStore, runs: Run[]): Promise<void> {
  for (let i = 0; i < runs.length; i += 500) await store.append(runs.slice(i, i + 500));
}

const GENERATED = '2026-12-02T03:00:00.000Z';
const FORMATS = ['html', 'csv', 'junit', 'markdown'] as const;

describe.each<Kind>(['file', 'postgres'])('publishRuns on the %s store', (kind) => {
  it(`reads the newest ${PUBLISH_HISTORY_RUNS} runs of the session's workflow, not the whole history; same gate as the whole history`, async (ctx) => {
    await onStore(kind, ctx, async (inner, dir) => {
      const earlier: Run[] = [];
      // 20 old runs on another machine, then 1,300 of the session's lane and 300 of another lane, interleaved
      for (let i = 0; i < 20; i++) earlier.push(run(i, { fingerprint: 'fp-other', exec: 2 }));
      for (let i = 20; i < 1620; i++) earlier.push(i % 16 < 13 ? run(i) : run(i, { lane: 'api', workflow: 'serve' }));
      await fill(inner, earlier);
      // one run on the common machine, 25 % slower (a regression), one on the other machine
      const session = [run(5000, { exec: 1.25 }), run(5001, { fingerprint: 'fp-other', exec: 2 })];
      const { config, s, result } = await publishSpied(inner, dir, session);

      expect(s.readAll).toBe(0);
      // the newest 1,000 of the workflow (the session's common-machine run among them), and the 20 + 1 runs of
      // the other machine that the newest 1,000 do not hold
      expect(s.windows).toEqual(windowsOf('fp-other'));
      expect(s.runsRead).toBe(PUBLISH_HISTORY_RUNS + 21);
      expect(earlier.length + session.length).toBeGreaterThan(s.runsRead);

      // what the whole history says
      const all = (await inner.readAll()).runs;
      expect(all).toHaveLength(1622);
      const whole = analyzeSession({ runs: session, history: all, config });
      expect(result.regressions).toEqual(whole.regressions);
      expect(result.regressions.find((g) => g.metric === 'execution_time' && g.status === 'regression')).toBeDefined();
      expect(result.changePoints).toEqual(whole.changePoints);
      expect(result.exitCode).toBe(whole.exitCode);
    });
  }, 300_000);

  it("reads the environment's runs when the newest hold its window but not the runs the gate replays", async (ctx) => {
    await onStore(kind, ctx, async (inner, dir) => {
      const earlier: Run[] = [];
      // the laptop's 45 oldest runs jump in spells (1.0, 1.3, 1.0), then 1,200 runs of the common machine with
      // 15 of the laptop's (all 1.0) among the newest 1,000: its window is there, the runs it replays are not
      for (let i = 0; i < 45; i++)
        earlier.push(run(i, { fingerprint: 'fp-laptop', exec: i >= 15 && i < 30 ? 1.3 : 1 }));
      for (let i = 45; i < 1245; i++) {
        earlier.push(i > 300 && i % 60 === 0 ? run(i, { fingerprint: 'fp-laptop' }) : run(i));
      }
      expect(earlier.filter((r) => r.env?.fingerprint === 'fp-laptop' && Number(r.id.slice(-6)) >= 245)).toHaveLength(
        15,
      );
      await fill(inner, earlier);
      const session = [run(5000, { fingerprint: 'fp-laptop', exec: 1.25 })];
      const { config, s, result } = await publishSpied(inner, dir, session);
      expect(s.readAll).toBe(0);
      expect(s.windows).toEqual(windowsOf('fp-laptop'));
      const all = (await inner.readAll()).runs;
      const whole = analyzeSession({ runs: session, history: all, config });
      expect(result.regressions).toEqual(whole.regressions);
      const exec = result.regressions.find((g) => g.metric === 'execution_time')!;
      // the replay saw the laptop's spells: a +25 % run is within what they did, not a regression
      expect(exec.replay_runs).toBe(50);
      expect(exec.status).toBe('inconclusive');
      // and against the 15 runs of the newest 1,000 alone it would have been one
      const newest = all.filter((r) => r.env?.fingerprint === 'fp-laptop' && r.id !== session[0]!.id).slice(-15);
      expect(analyzeSession({ runs: session, history: [...newest, session[0]!], config }).regressions).toContainEqual(
        expect.objectContaining({ metric: 'execution_time', status: 'regression' }),
      );
    });
  }, 300_000);

  it('writes the same reports as the whole-history path when the history fits the window', async (ctx) => {
    await onStore(kind, ctx, async (inner, dir) => {
      const earlier: Run[] = [];
      for (let i = 0; i < 60; i++) {
        earlier.push(i % 3 ? run(i, { exec: i < 40 ? 1 : 1.3 }) : run(i, { lane: 'api', workflow: 'serve' }));
      }
      earlier.push(run(60, { fingerprint: 'fp-laptop' }));
      await fill(inner, earlier);
      const session = [run(100, { exec: 1.3 }), run(101, { lane: 'api', workflow: 'serve' })];
      const config = resolveConfig({ outputDir: 'results', reports: [...FORMATS] }, { root: dir });
      const s = spy(inner);
      const result = await publishRuns(session, { config, store: s.store, generatedAt: GENERATED, env: {} });
      expect(s.readAll).toBe(0);
      expect(s.runsRead).toBe(earlier.length + session.length);

      // before: the whole history, read after the append, into every writer
      const all = (await inner.readAll()).runs;
      const analysis = analyzeSession({ runs: session, history: all, config });
      const beforeDir = join(dir, 'before');
      const before = await writeReports(sessionReportInput(analysis, all, config, GENERATED), {
        outputDir: beforeDir,
        formats: [...FORMATS],
      });
      expect(analysis.changePoints.length).toBeGreaterThan(0); // the trend charts have something to draw
      for (const format of FORMATS) {
        const after = result.reports[format];
        expect(after, format).toBeDefined();
        expect(readFileSync(after!, 'utf8'), format).toBe(readFileSync(before[format]!, 'utf8'));
      }
    });
  }, 300_000);
});
