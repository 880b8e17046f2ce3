/**
 * Report writers: one module per format behind `ReportWriter`, a registry, and `writeReports`.
 * `metrics.json` is written by history/ (appendRuns); the `json` format therefore writes nothing here.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFormat } from '../config/types.js';
import { writeFileAtomic } from '../history/atomic-write.js';
import { HISTORY_FILE_NAME } from '../history/history-store.js';
import { csvWriter } from './csv.js';
import { htmlWriter } from './html/index.js';
import { junitWriter } from './junit.js';
import { markdownWriter } from './markdown.js';
import type { ReportInput, ReportWriter } from './types.js';

export type { ReportInput, ReportWriter, ReportRegression, ReportRecommendation } from './types.js';
export { renderJunit, junitWriter, junitTime, junitClassname } from './junit.js';
export {
  renderHtml,
  htmlWriter,
  escapeHtml,
  jsonForScript,
  loadChartJs,
  TREND_MAX_POINTS,
  TIMELINE_MAX_POINTS,
} from './html/index.js';
export { renderCsv, csvWriter, csvCell, neutralizeCsvText, CSV_COLUMNS } from './csv.js';
export { renderMarkdown, markdownWriter, escapeMarkdown } from './markdown.js';
export {
  githubAnnotations,
  collectAnnotations,
  formatAnnotation,
  escapeGithubData,
  escapeGithubProperty,
  appendStepSummary,
  fitStepSummary,
  MAX_ANNOTATIONS_PER_KIND,
  STEP_SUMMARY_MAX_BYTES,
  type Annotation,
} from './github.js';
export {
  renderConsoleSummary,
  renderRegressionSummary,
  shouldColor,
  colorLevel,
  type ConsoleSummaryOptions,
} from './console.js';
export { metricUnit, runPassed, runOutcome, partialText, type RunOutcome } from './format.js';
export { escapeXmlText, escapeXmlAttr, sanitizeXmlChars } from './xml.js';
export { lttb, lttbIndices } from './downsample.js';

/** `json` is metrics.json, written by history/; listed so every ReportFormat has an entry. */
const jsonWriter: ReportWriter = { format: 'json', fileName: null, render: () => '' };

export const REPORT_WRITERS: Readonly<Record<ReportFormat, ReportWriter>> = {
  junit: junitWriter,
  html: htmlWriter,
  csv: csvWriter,
  markdown: markdownWriter,
  json: jsonWriter,
};

/**
 * Renders and writes each requested format into `outputDir` (created if needed; each file replaced
 * atomically). Returns format → absolute path; `json` maps to metrics.json when that file exists.
 * An unknown format is an error naming the valid ones; nothing is written in that case.
 */
export async function writeReports(
  input: ReportInput,
  opts: { outputDir: string; formats: readonly string[] },
): Promise<Record<string, string>> {
  const valid = Object.keys(REPORT_WRITERS);
  const bad = opts.formats.filter((f) => !valid.includes(f));
  if (bad.length > 0) {
    throw new Error(
      `unknown report format ${bad.map((b) => JSON.stringify(b)).join(', ')}; valid formats: ${valid.join(', ')}`,
    );
  }
  const formats = [...new Set(opts.formats)] as ReportFormat[];
  // render everything before touching the disk, so a rendering error leaves no half-written set
  const rendered = formats.map((f) => {
    const w = REPORT_WRITERS[f];
    return { w, text: w.fileName ? w.render(input) : '' };
  });
  await mkdir(opts.outputDir, { recursive: true });
  const out: Record<string, string> = {};
  for (const { w, text } of rendered) {
    if (w.fileName) {
      const file = join(opts.outputDir, w.fileName);
      await writeFileAtomic(file, text);
      out[w.format] = file;
    } else if (w.format === 'json') {
      const file = join(opts.outputDir, HISTORY_FILE_NAME);
      if (existsSync(file)) out.json = file;
    }
  }
  return out;
}
export {
  runVerdict,
  verdictLabel,
  verdictTone,
  pValueLabel,
  iterationCount,
  laneVerdictLabel,
  VERDICT_LABELS,
  PARTIAL_MARK,
  type RunVerdict,
  type RunVerdictKind,
  type IterationCount,
} from './labels.js';
export { buildReportView, environmentsOf, MIN_ADVICE_SAMPLES, type ReportView } from './view-model.js';
export { mdCode } from './markdown.js';

/** Removes the report files of `formats` from `outputDir` (never metrics.json); returns the paths removed. */
export async function removeReports(outputDir: string, formats: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const f of new Set(formats)) {
    const w = (REPORT_WRITERS as Record<string, ReportWriter | undefined>)[f];
    if (!w?.fileName) continue;
    const file = join(outputDir, w.fileName);
    if (!existsSync(file)) continue;
    try {
      await rm(file, { force: true });
      removed.push(file);
    } catch {
      /* leave it; the error message still says the reports are stale */
    }
  }
  return removed;
}
