/**
 * `lanebench report --output-format html|csv|junit|markdown|both|all`: regenerates report files
 * from the history. The reports describe the latest run of every lane/workflow (the "session"),
 * with the whole history for trends, plus regressions and recommendations of those runs.
 */
import { analyzeSession, latestPerWorkflow, sessionReportInput, writeReports } from '@lanebench/core';
import { checkLane, loadContext, loadRuns, type CommonOptions } from '../lib/context.js';
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

export async function reportAction(opts: ReportOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const history = await loadRuns(ctx);
  if (opts.lane !== undefined) checkLane(ctx, history, opts.lane);
  const scoped = opts.lane === undefined ? history : history.filter((r) => r.lane === opts.lane);
  if (scoped.length === 0) {
    throw new UsageError(
      `no runs${opts.lane ? ` of lane '${opts.lane}'` : ''} in ${ctx.historyFile}; record some first: lanebench run --lane <lane>`,
    );
  }
  const runs = latestPerWorkflow(scoped);
  // the same analysis and report input as publishing (core analyzeSession / sessionReportInput)
  const analysis = analyzeSession({ runs, history, config: ctx.config });
  const written = await writeReports(sessionReportInput(analysis, history, ctx.config), {
    outputDir: ctx.config.outputDir,
    formats: FORMATS[opts.outputFormat],
  });
  out(`Reports from ${history.length} run(s) in ${ctx.historyFile}:`);
  for (const [format, path] of Object.entries(written)) out(`  ${format}: ${path}`);
  return EXIT_OK;
}
