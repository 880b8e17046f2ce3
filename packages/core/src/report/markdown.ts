/**
 * summary.md — the Markdown job summary (GitHub `$GITHUB_STEP_SUMMARY`, GitLab/PR comments):
 * per-lane table of this session's runs, SLA violations, regressions, top recommendations, environment.
 */
import type { Run } from '../types.js';
import {
  failedOnStrictWarnings,
  failingViolations,
  fixed,
  fmtMB,
  fmtMetric,
  fmtPct,
  fmtSeconds,
  fmtSigned,
  groupByLane,
  hasUnresolved,
  isIncomplete,
  isPartial,
  iterationsKept,
  partialText,
  isRegression,
  laneCompliant,
  passedIterations,
  recommendationsFor,
  regressionsFor,
  oneLine,
  reportedViolations,
  runErrorMessage,
  runOutcome,
  SMALL_SAMPLE_NOTE,
  stat,
  stripAnsi,
  unique,
  STRICT_WARNINGS_FAILURE,
} from './format.js';
import { violationFigures } from './stats-text.js';
import type { ReportInput, ReportWriter } from './types.js';

/**
 * Escapes text for Markdown (GitHub-flavoured) inline content and table cells: HTML-significant
 * characters become entities, Markdown punctuation is backslash-escaped, line breaks become spaces.
 */
export function escapeMarkdown(value: string | number | boolean | null | undefined): string {
  return (
    stripAnsi(String(value ?? ''))
      .replace(/[\r\n]+/g, ' ')
      // other control characters have no business in a job summary (they garble tables and terminals)
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
  );
}

const md = escapeMarkdown;

function dagger(run: Run, metric: string, key: 'p95' | 'p99'): string {
  return stat(run, metric)?.unresolved?.includes(key) ? '†' : '';
}

function slaCell(run: Run): string {
  const outcome = runOutcome(run);
  if (outcome === 'error') return `❌ ${run.status}`;
  if (failedOnStrictWarnings(run)) return `❌ ${STRICT_WARNINGS_FAILURE}`;
  if (run.sla?.compliant === false || outcome === 'sla-failed') return '❌';
  return outcome === 'partial' ? `⚠️ ${partialText(run)}` : '✅';
}

function violationsCell(run: Run): string {
  const all = reportedViolations(run);
  if (all.length === 0) return '0';
  const errors = all.filter((v) => v.severity === 'error').length;
  const warnings = all.length - errors;
  return [
    errors ? `${errors} error${errors > 1 ? 's' : ''}` : '',
    warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function renderMarkdown(input: ReportInput, opts: { maxRecommendationsPerLane?: number } = {}): string {
  const maxRecs = opts.maxRecommendationsPerLane ?? 3;
  const runs = input.runs;
  const lanes = groupByLane(runs);
  const out: string[] = ['## lanebench performance summary', ''];

  const shas = unique(runs.map((r) => r.git?.sha?.slice(0, 12)));
  const branches = unique(runs.map((r) => r.git?.branch));
  const meta = [
    `Generated ${md(input.generated_at)}`,
    `${runs.length} run${runs.length === 1 ? '' : 's'} in ${lanes.size} lane${lanes.size === 1 ? '' : 's'}`,
  ];
  if (shas.length)
    meta.push(
      `commit ${shas.map((s) => `\`${s.replace(/`/g, '')}\``).join(', ')}${branches.length ? ` on ${branches.map(md).join(', ')}` : ''}`,
    );
  out.push(meta.join(' · '), '');

  if (runs.length === 0) {
    out.push('No benchmark runs were recorded in this session.', '');
    return out.join('\n');
  }

  const nonCompliant = [...lanes].filter(([, rs]) => !laneCompliant(rs)).map(([l]) => l);
  const incomplete = runs.filter(isIncomplete).length;
  const regressions = (input.regressions ?? []).filter(isRegression);
  const headline = [
    nonCompliant.length === 0
      ? `**${runs.some(isPartial) ? '⚠️' : '✅'} All ${lanes.size} lane${lanes.size === 1 ? '' : 's'} compliant${runs.some(isPartial) ? ' on partial data' : ''}**`
      : `**❌ ${nonCompliant.length} of ${lanes.size} lane${lanes.size === 1 ? '' : 's'} not compliant** (${nonCompliant.map(md).join(', ')})`,
  ];
  if (incomplete) headline.push(`${incomplete} run${incomplete > 1 ? 's' : ''} failed or timed out`);
  const partial = runs.filter(isPartial);
  if (partial.length)
    headline.push(
      `⚠️ ${partial.length} run${partial.length > 1 ? 's' : ''} partial (${partial.map((r) => md(iterationsKept(r))).join(', ')})`,
    );
  // compliance counts errors only; runs failed on warnings by strict mode are named separately
  const strictFailed = runs.filter(failedOnStrictWarnings).length;
  if (strictFailed) headline.push(`${strictFailed} run${strictFailed > 1 ? 's' : ''} failed in strict mode (warnings)`);
  headline.push(`${regressions.length} regression${regressions.length === 1 ? '' : 's'}`);
  out.push(headline.join(' · '), '');

  out.push(
    '| Lane | Workflow | Status | Mean | Median | P95 | P99 | Memory max | CPU avg | SLA | Violations | Regressions |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|:---:|---|---:|',
  );
  for (const [lane, laneRuns] of lanes) {
    for (const r of laneRuns) {
      const et = stat(r, 'execution_time');
      const regs = regressionsFor(input.regressions, lane, r.workflow).filter(isRegression).length;
      out.push(
        `| ${md(lane)} | ${md(r.workflow)} | ${isPartial(r) ? `⚠️ ${md(partialText(r))}` : `${md(r.status)} ${passedIterations(r)}/${r.iterations.length}`} | ${fmtSeconds(et?.mean)} | ${fmtSeconds(et?.median)} | ${fmtSeconds(et?.p95)}${dagger(r, 'execution_time', 'p95')} | ${fmtSeconds(et?.p99)}${dagger(r, 'execution_time', 'p99')} | ${fmtMB(stat(r, 'memory_usage')?.max)} | ${fmtPct(stat(r, 'cpu_usage')?.mean)} | ${slaCell(r)} | ${violationsCell(r)} | ${regs} |`,
      );
    }
  }
  out.push('');
  if (runs.some(hasUnresolved)) out.push(`† ${SMALL_SAMPLE_NOTE}`, '');
  // Figures below resolution and escaped processes (run/notes.ts): say so next to the table.
  const qualified = runs.flatMap((r) =>
    (r.notes ?? [])
      .filter((n) => n.startsWith('measurement: '))
      .map((n) => `‡ ${md(r.lane)} / ${md(r.workflow)}: ${md(n.slice('measurement: '.length))}`),
  );
  if (qualified.length) out.push(...qualified, '');

  const failedRuns = runs.filter(isIncomplete);
  const partialRuns = runs.filter(isPartial);
  const violations = runs.flatMap((r) => reportedViolations(r).map((v) => ({ r, v })));
  if (failedRuns.length || partialRuns.length || violations.length) {
    out.push('### SLA violations and failed runs', '');
    for (const r of failedRuns)
      out.push(`- ❌ **${md(r.lane)} / ${md(r.workflow)}** ${md(r.status)}: ${md(oneLine(runErrorMessage(r)))}`);
    for (const r of partialRuns)
      out.push(`- ⚠️ **${md(r.lane)} / ${md(r.workflow)}** ${md(partialText(r))}: ${md(oneLine(runErrorMessage(r)))}`);
    for (const { r, v } of violations) {
      const failing = failingViolations(r).includes(v);
      out.push(`- ${failing ? '❌' : '⚠️'} **${md(r.lane)} / ${md(r.workflow)}** ${md(violationFigures(v, r))}`);
    }
    out.push('');
  }

  const shownRegs = (input.regressions ?? []).filter((r) => r.status === 'regression' || r.status === 'improvement');
  if (shownRegs.length) {
    out.push('### Regressions and improvements', '');
    out.push(
      '| Lane | Workflow | Metric | Baseline mean | Candidate mean | Change | p-value | Result |',
      '|---|---|---|---:|---:|---:|---:|---|',
    );
    for (const g of shownRegs) {
      out.push(
        `| ${md(g.lane)} | ${md(g.workflow)} | ${md(g.metric)} | ${fmtMetric(g.metric, g.baseline_mean)} | ${fmtMetric(g.metric, g.candidate_mean)} | ${fmtSigned(g.change_pct)} | ${g.p_value === null ? '—' : g.p_value < 0.001 ? '< 0.001' : fixed(g.p_value, 3)} | ${g.status === 'regression' ? '🔺 regression' : '🔻 improvement'} |`,
      );
    }
    out.push('');
  }
  const other = (input.regressions ?? []).filter(
    (r) => r.status === 'insufficient-data' || r.status === 'environment-mismatch' || r.status === 'inconclusive',
  );
  if (other.length) {
    out.push(`<details><summary>${other.length} comparison${other.length > 1 ? 's' : ''} not made</summary>`, '');
    // the message names lane › workflow › metric itself
    for (const g of other) out.push(`- ${md(g.message)}`);
    out.push('', '</details>', '');
  }

  const recLines: string[] = [];
  for (const lane of lanes.keys()) {
    for (const rec of recommendationsFor(input.recommendations, lane).slice(0, maxRecs)) {
      recLines.push(
        `- **${md(lane)}${rec.workflow ? ` / ${md(rec.workflow)}` : ''}** — P${rec.priority} ${md(rec.title)} (est. improvement ${fixed(rec.estimated_improvement_pct, 0)} %, effort ${md(rec.effort)}): ${md(rec.description)}`,
      );
    }
  }
  if (recLines.length) out.push('### Top recommendations', '', ...recLines, '');

  const envs = unique(runs.map((r) => r.env?.fingerprint)).map(
    (fp) => runs.find((r) => r.env?.fingerprint === fp)!.env,
  );
  if (envs.length) {
    out.push('### Environment', '');
    for (const e of envs) {
      out.push(
        `- ${md(e.os)} ${md(e.arch)} · ${md(e.cpu_model)} × ${e.logical_cores} · ${fixed(e.memory_total_mb / 1024, 1)} GB · Node ${md(e.node_version)}${e.runner ? ` · ${md(e.runner)} ${md(e.runner_version ?? '')}` : ''}${e.ci_provider ? ` · ${md(e.ci_provider)}` : ''} · fingerprint \`${String(e.fingerprint).replace(/`/g, '')}\``,
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
