/**
 * GitHub Actions integration: workflow-command annotations for SLA violations, failed runs and
 * regressions, and the job summary appended to `$GITHUB_STEP_SUMMARY`.
 *
 * GitHub shows at most 10 error and 10 warning annotations per step, so each kind is capped at 10 and
 * the rest is counted in one `::notice` line pointing to the job summary.
 */
import { appendFile, stat } from 'node:fs/promises';
import { visible } from '../output/sanitize.js';
import type { Run } from '../types.js';
import { failingViolations, isIncomplete, isPartial, partialText, runErrorMessage, stripAnsi } from './format.js';
import { violationFigures } from './stats-text.js';
import type { ReportInput } from './types.js';

export const MAX_ANNOTATIONS_PER_KIND = 10;
/** GitHub rejects a step summary larger than 1 MiB. */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

/**
 * Escapes the message part of a workflow command (after `::`): color codes dropped, every other control, escape
 * and bidi character shown as an escape (output/sanitize.ts), line breaks and `%` percent-encoded as GitHub decodes.
 */
export function escapeGithubData(s: string): string {
  return stripAnsi(s)
    .split(/(\r|\n)/)
    .map((part) => (part === '\r' ? '%0D' : part === '\n' ? '%0A' : visible(part.replace(/%/g, '%25'))))
    .join('');
}

/** Escapes a property value of a workflow command (`title=`, `file=`). */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotation {
  kind: 'error' | 'warning';
  title: string;
  message: string;
  file?: string;
}

export function formatAnnotation(a: Annotation): string {
  const props = [a.file ? `file=${escapeGithubProperty(a.file)}` : '', `title=${escapeGithubProperty(a.title)}`]
    .filter(Boolean)
    .join(',');
  return `::${a.kind} ${props}::${escapeGithubData(a.message)}`;
}

function where(run: Run): string {
  return `${run.lane} / ${run.workflow}`;
}

/** All annotations the input warrants, errors first, uncapped. */
export function collectAnnotations(input: ReportInput): Annotation[] {
  const errors: Annotation[] = [];
  const warnings: Annotation[] = [];
  for (const run of input.runs) {
    const file = run.file;
    if (isIncomplete(run)) {
      errors.push({
        kind: 'error',
        title: `lanebench: ${where(run)} ${run.status}`,
        message: runErrorMessage(run),
        ...(file ? { file } : {}),
      });
      continue;
    }
    if (isPartial(run)) {
      // fewer iterations than requested fails the run (exitCodeFor): say so where the job shows errors
      errors.push({
        kind: 'error',
        title: `lanebench: ${where(run)} partial`,
        message: `${partialText(run)} (${runErrorMessage(run)})`,
        ...(file ? { file } : {}),
      });
    }
    const failing = failingViolations(run);
    for (const v of run.sla?.violations ?? []) {
      const isError = failing.includes(v);
      (isError ? errors : warnings).push({
        kind: isError ? 'error' : 'warning',
        title: `lanebench SLA ${v.severity}: ${where(run)}`,
        message: violationFigures(v, run),
        ...(file ? { file } : {}),
      });
    }
  }
  for (const g of input.regressions ?? []) {
    if (g.status !== 'regression') continue;
    warnings.push({
      kind: 'warning',
      title: `lanebench regression: ${g.lane} / ${g.workflow} ${g.metric}`,
      message: g.message,
    });
  }
  return [...errors, ...warnings];
}

/**
 * The annotation lines to print: at most `max` errors and `max` warnings, plus one `::notice` per kind
 * that had more, saying how many were left out.
 */
export function githubAnnotations(input: ReportInput, opts: { max?: number } = {}): string[] {
  const max = opts.max ?? MAX_ANNOTATIONS_PER_KIND;
  const all = collectAnnotations(input);
  const lines: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const ofKind = all.filter((a) => a.kind === kind);
    lines.push(...ofKind.slice(0, max).map(formatAnnotation));
    if (ofKind.length > max) {
      const more = ofKind.length - max;
      lines.push(
        `::notice title=${escapeGithubProperty('lanebench')}::${escapeGithubData(
          `${more} more ${kind}${more > 1 ? 's' : ''} not annotated (GitHub shows ${max} ${kind} annotations per step); all ${ofKind.length} are listed in the job summary and summary.md.`,
        )}`,
      );
    }
  }
  return lines;
}

/**
 * Cuts Markdown so that `existingBytes + result` stays within the step-summary cap, at a line boundary,
 * with a note saying so. Returns the text unchanged when it fits.
 */
export function fitStepSummary(markdown: string, existingBytes = 0, cap = STEP_SUMMARY_MAX_BYTES): string {
  const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  const budget = cap - existingBytes;
  if (Buffer.byteLength(text, 'utf8') <= budget) return text;
  const note =
    '\n> **Note:** this summary was truncated to fit GitHub’s 1 MiB job-summary limit; the full report is in summary.md and performance_dashboard.html.\n';
  const room = budget - Buffer.byteLength(note, 'utf8');
  if (room <= 0) return '';
  const buf = Buffer.from(text, 'utf8');
  let cut = buf.subarray(0, room).toString('utf8');
  // drop a possibly split last character and the partial last line
  cut = cut.replace(/\uFFFD$/, '');
  const nl = cut.lastIndexOf('\n');
  cut = nl >= 0 ? cut.slice(0, nl + 1) : '';
  return cut + note;
}

/** Appends the Markdown to the step summary file, respecting the 1 MiB cap. Returns what was written. */
export async function appendStepSummary(
  markdown: string,
  file: string,
): Promise<{ bytes: number; truncated: boolean }> {
  let existing = 0;
  try {
    existing = (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const text = fitStepSummary(markdown, existing);
  const truncated = text !== (markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  if (text) await appendFile(file, text, 'utf8');
  return { bytes: Buffer.byteLength(text, 'utf8'), truncated };
}
