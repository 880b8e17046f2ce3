/**
 * `lanebench report --output-format html|csv|junit|markdown|both|all`: regenerates report files
 * from the history. The reports describe the latest run of every lane/workflow (the "session"),
 * with the windows of the history publishing reads for trends, regressions and recommendations.
 */
import {
  analyzeSession,
  latestPerWorkflow,
  readSessionHistory,
  sessionReportInput,
  writeReports,
  type Run,
} from '@lanebench/core';
import { checkLane, loadContext, type CommonOptions, type Context } from '../lib/context.js';
import { EXIT_OK, UsageError } from '../lib/errors.js';
import { out } from '../lib/output.js';

export const REPORT_CHOICES = ['html', 'csv', 'junit', 'markdown', 'both', 'all'] as const;
export type ReportChoice = (typeof REPORT_CHOICES)[number];

const FORMATS: Record<ReportChoice, string[]> = {
  html: ['html'],
  csv: ['csv'],
  junit: ['junit'],
  markdown: ['markdown'],
  both: ['html', 'csv'],
  all: ['html', 'csv', 'junit', 'markdown'],
};

export interface ReportOptions extends CommonOptions {
  outputFormat: ReportChoice;
  lane?: string;
}

/**
 * The session (the latest run of every lane/workflow, or of --lane's) and the history its reports need: the
 * store's summary says which runs are the latest, then the same windows publishing reads (readSessionHistory),
 * so a report of 100,000 runs reads a few thousand. A latest run outside its window (recorded long after its
 * start) falls back to the whole history.
 */
async function loadSession(
  ctx: Context,
  lane: string | undefined,
): Promise<{ runs: Run[]; history: Run[]; total: number }> {
  const store = ctx.openStore();
  try {
    const series = await store.summarize();
    if (lane !== undefined) checkLane(ctx, series, lane);
    const scoped = series.filter((s) => lane === undefined || s.lane === lane);
    if (scoped.length === 0) {
      throw new UsageError(
        `no runs${lane ? ` of lane '${lane}'` : ''} in ${ctx.historyFile}; record some first: lanebench run --lane <lane>`,
      );
    }
    const total = series.reduce((n, s) => n + s.runs, 0);
    const history = await readSessionHistory(
      store,
      scoped.map((s) => ({
        lane: s.lane,
        workflow: s.workflow,
        env: s.latest.fingerprint === null ? {} : { fingerprint: s.latest.fingerprint },
      })),
      ctx.config,
    );
    const byId = new Map(history.map((r) => [r.id, r]));
    const runs = scoped.map((s) => byId.get(s.latest.id));
    if (runs.every((r) => r !== undefined)) return { runs, history, total };
    const all = (await store.readAll()).runs;
    return { runs: latestPerWorkflow(all.filter((r) => lane === undefined || r.lane === lane)), history: all, total };
  } finally {
    await store.close();
  }
}

export async function reportAction(opts: ReportOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const { runs, history, total } = await loadSession(ctx, opts.lane);
  // the same analysis and report input as publishing (core analyzeSession / sessionReportInput)
  const analysis = analyzeSession({ runs, history, config: ctx.config });
  const written = await writeReports(sessionReportInput(analysis, history, ctx.config), {
    outputDir: ctx.config.outputDir,
    formats: FORMATS[opts.outputFormat],
  });
  out(`Reports from ${total} run(s) in ${ctx.historyFile}:`);
  for (const [format, path] of Object.entries(written)) out(`  ${format}: ${path}`);
  return EXIT_OK;
}
