/**
 * summary.md — the Markdown job summary (GitHub `$GITHUB_STEP_SUMMARY`, GitLab/PR comments):
 * per-lane table of this session's runs, SLA violations, regressions, top recommendations, environment.
 * Counts, verdict labels, the environment list and the recommendation list come from the shared view
 * model (view-model.ts), the same one the dashboard renders.
 *
 * Names (lanes, workflows, metrics) are printed as code spans: nothing inside one becomes a link, an
 * emphasis or HTML. Free text (messages, advice) is escaped and its autolink triggers are broken.
 */
import {
  fmtMB,
  fmtMetric,
  fmtPct,
  fmtSeconds,
  fmtSigned,
  isPartial,
  oneLine,
  partialText,
  runErrorMessage,
  SMALL_SAMPLE_NOTE,
  stat,
  stripAnsi,
  textSegments,
  failingViolations,
  reportedViolations,
  isIncomplete,
} from './format.js';
import { pValueLabel, verdictLabel } from './labels.js';
import { violationFigures } from './stats-text.js';
import type { ReportInput, ReportWriter } from './types.js';
import { buildReportView, type RunSummary } from './view-model.js';

function clean(value: string | number | null | undefined): string {
  return (
    stripAnsi(String(value ?? ''))
      .replace(/[\r\n]+/g, ' ')
      // other control characters have no business in a job summary (they garble tables and terminals)
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
  );
}

/**
 * Escapes text for Markdown (GitHub-flavoured) inline content and table cells: HTML-significant
 * characters become entities, Markdown punctuation is backslash-escaped, line breaks become spaces,
 * and the triggers of GitHub's bare-URL autolinks (`://`, `www.`, `@`) are escaped so a URL in a name
 * or message stays text.
 */
export function escapeMarkdown(value: string | number | null | undefined): string {
  return clean(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@');
}

/**
 * A name as a code span: literal text, no links, emphasis or HTML. The fence is longer than any run of
 * backticks inside; `|` is escaped because GitHub splits table cells on it even inside code.
 */
export function mdCode(value: string | number | null | undefined): string {
  // a tag- or link-like name is escaped text instead: a code span would keep the raw `<tag>` / `](` in the file
  if (/[<>]|\]\(/.test(clean(value))) return escapeMarkdown(value);
  const text = clean(value).replace(/\|/g, '\\|');
  if (text.trim() === '') return text === '' ? '` `' : `\`${text}\``;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const md = escapeMarkdown;

/** Advice text: its `code` parts as code spans, the rest escaped. */
function mdAdvice(s: string): string {
  return textSegments(s)
    .map((p) => (p.code ? mdCode(p.text) : md(p.text)))
    .join('');
}

function dagger(s: RunSummary, metric: string, key: 'p95' | 'p99'): string {
  return stat(s.run, metric)?.unresolved?.includes(key) ? '†' : '';
}

function slaCell(s: RunSummary): string {
  // a partial run is never a plain pass: its cell says how many iterations it rests on
  if (s.verdict.kind === 'partial') return `⚠️ ${md(s.verdict.label)}`;
  const mark = s.verdict.tone === 'bad' ? '❌' : '✅';
  return s.verdict.kind === 'compliant' || s.verdict.kind === 'compliant-warnings' || s.verdict.kind === 'not-compliant'
    ? mark
    : `${mark} ${s.verdict.label}`;
}

function violationsCell(s: RunSummary): string {
  if (s.errors + s.warnings === 0) return '0';
  return [
    s.errors ? `${s.errors} error${s.errors > 1 ? 's' : ''}` : '',
    s.warnings ? `${s.warnings} warning${s.warnings > 1 ? 's' : ''}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function renderMarkdown(input: ReportInput, opts: { maxRecommendationsPerLane?: number } = {}): string {
  const maxRecs = opts.maxRecommendationsPerLane ?? 3;
  const view = buildReportView(input);
  const o = view.overall;
  const out: string[] = ['## lanebench performance summary', ''];

  const shas = [...new Set(view.commits.map((c) => c.sha?.slice(0, 12)).filter((s): s is string => !!s))];
  const branches = [...new Set(view.commits.map((c) => c.branch).filter((b): b is string => !!b))];
  const meta = [
    `Generated ${md(input.generated_at)}`,
    `${o.runs} run${o.runs === 1 ? '' : 's'} in ${o.laneCount} lane${o.laneCount === 1 ? '' : 's'}`,
  ];
  if (shas.length)
    meta.push(
      `commit ${shas.map(mdCode).join(', ')}${branches.length ? ` on ${branches.map(mdCode).join(', ')}` : ''}`,
    );
  out.push(meta.join(' · '), '');

  if (o.runs === 0) {
    out.push('No benchmark runs were recorded in this session.', '');
    return out.join('\n');
  }

  const headline = [
    o.compliant
      ? `**${o.partial.length ? '⚠️' : '✅'} All ${o.laneCount} lane${o.laneCount === 1 ? '' : 's'} compliant${o.partial.length ? ' on partial data' : ''}**`
      : `**❌ ${o.nonCompliantLanes.length} of ${o.laneCount} lane${o.laneCount === 1 ? '' : 's'} not compliant** (${o.nonCompliantLanes.map(mdCode).join(', ')})`,
  ];
  if (o.incomplete) headline.push(`${o.incomplete} run${o.incomplete > 1 ? 's' : ''} failed or timed out`);
  if (o.partial.length)
    headline.push(
      `⚠️ ${o.partial.length} run${o.partial.length > 1 ? 's' : ''} partial (${o.partial.map((p) => md(p.iterations.text)).join(', ')})`,
    );
  // compliance counts errors only; runs failed on warnings by strict mode are named separately
  if (o.strictFailed)
    headline.push(`${o.strictFailed} run${o.strictFailed > 1 ? 's' : ''} failed in strict mode (warnings)`);
  headline.push(`${o.regressions} regression${o.regressions === 1 ? '' : 's'}`);
  out.push(headline.join(' · '), '');

  out.push(
    '| Lane | Workflow | Status | Mean | Median | P95 | P99 | Memory max | CPU avg | SLA | Violations | Regressions |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|:---:|---|---:|',
  );
  for (const lane of view.lanes) {
    for (const s of lane.runs) {
      const r = s.run;
      const et = stat(r, 'execution_time');
      const status = isPartial(r)
        ? `⚠️ ${md(partialText(r))}`
        : `${md(r.status)} ${s.iterations.partial ? s.iterations.marked : `${s.iterations.passed}/${s.iterations.requested}`}`;
      out.push(
        `| ${mdCode(lane.name)} | ${mdCode(r.workflow)} | ${status} | ${fmtSeconds(et?.mean)} | ${fmtSeconds(et?.median)} | ${fmtSeconds(et?.p95)}${dagger(s, 'execution_time', 'p95')} | ${fmtSeconds(et?.p99)}${dagger(s, 'execution_time', 'p99')} | ${fmtMB(stat(r, 'memory_usage')?.max)} | ${fmtPct(stat(r, 'cpu_usage')?.mean)} | ${slaCell(s)} | ${violationsCell(s)} | ${s.regressions} |`,
      );
    }
  }
  out.push('');
  if (view.hasUnresolved) out.push(`† ${SMALL_SAMPLE_NOTE}`, '');
  // Figures below resolution and escaped processes (run/notes.ts): say so next to the table.
  const qualified = view.runs.flatMap(({ run: r }) =>
    (r.notes ?? [])
      .filter((n) => n.startsWith('measurement: '))
      .map((n) => `‡ ${mdCode(r.lane)} / ${mdCode(r.workflow)}: ${md(n.slice('measurement: '.length))}`),
  );
  if (qualified.length) out.push(...qualified, '');

  const failedRuns = view.runs.filter((s) => isIncomplete(s.run));
  const violations = view.runs.flatMap((s) => reportedViolations(s.run).map((v) => ({ r: s.run, v })));
  if (failedRuns.length || o.partial.length || violations.length) {
    out.push('### SLA violations and failed runs', '');
    for (const { run: r } of failedRuns)
      out.push(`- ❌ ${mdCode(r.lane)} / ${mdCode(r.workflow)} ${md(r.status)}: ${md(oneLine(runErrorMessage(r)))}`);
    for (const { run: r } of o.partial)
      out.push(
        `- ⚠️ ${mdCode(r.lane)} / ${mdCode(r.workflow)} ${md(partialText(r))}: ${md(oneLine(runErrorMessage(r)))}`,
      );
    for (const { r, v } of violations) {
      const failing = failingViolations(r).includes(v);
      out.push(`- ${failing ? '❌' : '⚠️'} ${mdCode(r.lane)} / ${mdCode(r.workflow)} ${md(violationFigures(v, r))}`);
    }
    out.push('');
  }

  const c = view.comparisons;
  const shownRegs = (c?.made ?? []).filter((r) => r.status === 'regression' || r.status === 'improvement');
  if (shownRegs.length) {
    out.push('### Regressions and improvements', '');
    out.push(
      '| Lane | Workflow | Metric | Baseline mean | Candidate mean | Change | p-value | Result |',
      '|---|---|---|---:|---:|---:|---:|---|',
    );
    for (const g of shownRegs) {
      out.push(
        `| ${mdCode(g.lane)} | ${mdCode(g.workflow)} | ${mdCode(g.metric)} | ${fmtMetric(g.metric, g.baseline_mean)} | ${fmtMetric(g.metric, g.candidate_mean)} | ${fmtSigned(g.change_pct)} | ${pValueLabel(g.p_value)} | ${g.status === 'regression' ? '🔺' : '🔻'} ${verdictLabel(g.status)} |`,
      );
    }
    out.push('');
  }
  // an inconclusive comparison was made but decides nothing: listed with the ones not made
  const notMade = [...(c?.made ?? []).filter((g) => g.status === 'inconclusive'), ...(c?.notMade ?? [])];
  if (notMade.length) {
    const inconclusive = notMade.filter((g) => g.status === 'inconclusive').length;
    const what = inconclusive ? `without a verdict (${inconclusive} inconclusive)` : 'not made';
    out.push(`<details><summary>${notMade.length} comparison${notMade.length > 1 ? 's' : ''} ${what}</summary>`, '');
    // the message names lane › workflow › metric itself
    for (const g of notMade) out.push(`- ${verdictLabel(g.status)}: ${md(g.message)}`);
    out.push('', '</details>', '');
  }

  const recLines: string[] = [];
  for (const lane of view.lanes) {
    for (const v of view.recommendations.filter((x) => x.rec.lane === lane.name).slice(0, maxRecs)) {
      const rec = v.rec;
      recLines.push(
        `- ${mdCode(lane.name)}${rec.workflow ? ` / ${mdCode(rec.workflow)}` : ''} — **P${rec.priority} ${md(rec.title)}** (est. improvement ${v.improvement}, effort ${md(rec.effort)}${v.sampleNote ? `, ${v.sampleNote}` : ''}): ${mdAdvice(rec.description)}`,
      );
    }
  }
  if (recLines.length) out.push('### Top recommendations', '', ...recLines, '');

  if (view.environments.length) {
    out.push('### Environment', '');
    for (const e of view.environments) {
      out.push(
        `- ${md(e.os)} ${md(e.arch)} · ${md(e.cpu)} × ${e.cores} · ${e.memoryGb} GB · Node ${md(e.node)}${e.runners.length ? ` · ${e.runners.map(md).join(', ')}` : ''}${e.ci !== 'local' ? ` · ${md(e.ci)}` : ''} · fingerprint ${mdCode(e.fingerprint)}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export const markdownWriter: ReportWriter = {
  format: 'markdown',
  fileName: 'summary.md',
  render: (input) => renderMarkdown(input),
};
