/**
 * performance_dashboard.html — one self-contained page that works offline: CSS and Chart.js (its UMD
 * build, read from the installed `chart.js` package at render time) are inlined, the chart data is
 * embedded as JSON, and a Content-Security-Policy forbids every network load and every script except
 * the two inline ones (by hash), so even a missed escape could not run injected code.
 *
 * Escaping: every text goes through `escapeHtml`; the JSON data block escapes < > & U+2028 U+2029 so
 * `</script>` or `<!--` in a workflow name cannot end or alter the script element.
 *
 * Size: trends are downsampled to at most TREND_MAX_POINTS per series (LTTB), timelines are drawn only
 * for the latest run of each workflow of this session (at most TIMELINE_MAX_ITERATIONS iterations each).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { latestPerWorkflow } from '../analysis/select.js';
import type { Run, Threshold } from '../types.js';
import { lttb, lttbIndices } from './downsample.js';
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
  isNum,
  laneCompliant,
  metricUnit,
  passedIterations,
  recommendationsFor,
  regressionsFor,
  plainNumber,
  reportedViolations,
  runErrorMessage,
  runOutcome,
  partialText,
  iterationsKept,
  SMALL_SAMPLE_NOTE,
  STRICT_WARNINGS_FAILURE,
  stat,
  stripAnsi,
  unique,
} from './format.js';
import { orderedMetrics, violationFigures } from './stats-text.js';
import type { ReportInput, ReportRecommendation, ReportRegression, ReportWriter } from './types.js';
import { sanitizeXmlChars } from './xml.js';

export const TREND_MAX_POINTS = 500;
export const TIMELINE_MAX_POINTS = 200;
export const TIMELINE_MAX_ITERATIONS = 10;
export const TIMELINE_MAX_RUNS = 24;

// ---------------------------------------------------------------------------------------------------
// Escaping

/** Escapes text for HTML element content and (quoted) attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return sanitizeXmlChars(stripAnsi(String(value ?? '')))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const h = escapeHtml;

/** JSON that is safe inside a <script> element: no `</script>`, `<!--`, `]]>` or JS line terminators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// ---------------------------------------------------------------------------------------------------
// Chart.js source

let chartJsCache: string | undefined;

/** chart.js is a dependency of this package, so it resolves from here (dist/ or src/). */
function chartJsCandidates(): string[] {
  try {
    const req = createRequire(import.meta.url);
    return [join(dirname(req.resolve('chart.js')), 'chart.umd.min.js')];
  } catch {
    return [];
  }
}

/**
 * The Chart.js UMD bundle, prepared for inlining: the source-map comment is dropped (it would make dev
 * tools request a file) and the scheme is taken off the URLs in its license banner lines, so the page
 * contains no external URL at all. Throws a clear error when chart.js cannot be found.
 */
export function loadChartJs(): string {
  if (chartJsCache !== undefined) return chartJsCache;
  const candidates = chartJsCandidates();
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    throw new Error(
      `lanebench: cannot build the HTML dashboard: chart.js (a dependency of @lanebench/core) was not found; looked for ${candidates.join(', ') || 'chart.js/dist/chart.umd.min.js'}. Reinstall @lanebench/core.`,
    );
  }
  // line ends normalized as the HTML parser will, so the CSP hash matches what the browser sees
  let src = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  src = src.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
  src = src.replace(/^(\s*\*\s+)https?:\/\/(\S+)\s*$/gm, '$1$2');
  if (/<\/script|<!--/i.test(src)) {
    throw new Error(`lanebench: ${file} contains "</script" or "<!--" and cannot be inlined safely`);
  }
  chartJsCache = src;
  return src;
}

// ---------------------------------------------------------------------------------------------------
// Chart data

interface DatasetSpec {
  label: string;
  data: Array<number | null> | Array<{ x: number; y: number }>;
  color: string;
  /** dashed threshold line */
  dash?: boolean;
  points?: boolean;
}

interface ChartSpec {
  id: string;
  xType: 'category' | 'linear';
  labels?: string[];
  datasets: DatasetSpec[];
  xTitle: string;
  yTitle: string;
}

const PALETTE = [
  '#2563eb',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ea580c',
  '#0d9488',
  '#9333ea',
  '#ca8a04',
  '#475569',
];
const SLA_COLORS = { error: '#dc2626', warning: '#d97706' } as const;

function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso).slice(0, 16);
  return d.toISOString().slice(5, 16).replace('T', ' ');
}

function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Thresholds to draw for a lane/workflow and metric: configured ones, else those carried by violations. */
function thresholdsFor(
  input: ReportInput,
  lane: string,
  runs: Run[],
  metric: string,
): Array<Pick<Threshold, 'name' | 'operator' | 'value' | 'severity' | 'aggregation'>> {
  const configured = input.thresholds?.[lane]?.filter((t) => t.metric === metric);
  if (configured && configured.length > 0) return configured;
  const seen = new Map<string, Pick<Threshold, 'name' | 'operator' | 'value' | 'severity' | 'aggregation'>>();
  for (const r of runs) {
    for (const v of reportedViolations(r)) {
      if (v.metric === metric && r.metrics_analysis?.[metric] !== undefined)
        seen.set(v.name, {
          name: v.name,
          operator: v.operator,
          value: v.threshold,
          severity: v.severity,
          aggregation: v.aggregation,
        });
    }
  }
  return [...seen.values()];
}

interface TrendInfo {
  lane: string;
  workflow: string;
  total: number;
  shown: number;
  envs: number;
  charts: Array<{ spec: ChartSpec; title: string }>;
}

const TREND_METRICS: Array<{
  metric: string;
  title: string;
  series: Array<{ key: 'mean' | 'p95' | 'max' | 'median'; label: string }>;
}> = [
  {
    metric: 'execution_time',
    title: 'Execution time',
    series: [
      { key: 'mean', label: 'mean' },
      { key: 'p95', label: 'p95' },
    ],
  },
  {
    metric: 'memory_usage',
    title: 'Peak memory',
    series: [
      { key: 'max', label: 'max' },
      { key: 'mean', label: 'mean' },
    ],
  },
  {
    metric: 'cpu_usage',
    title: 'CPU usage',
    series: [
      { key: 'mean', label: 'mean' },
      { key: 'max', label: 'max' },
    ],
  },
];

function buildTrends(input: ReportInput, idPrefix: string): TrendInfo[] {
  const history = input.history.length > 0 ? input.history : input.runs;
  const keys = unique(input.runs.map((r) => JSON.stringify([r.lane, r.workflow])));
  const out: TrendInfo[] = [];
  keys.forEach((key, k) => {
    const [lane, workflow] = JSON.parse(key) as [string, string];
    const runs = history
      .filter((r) => r.lane === lane && r.workflow === workflow && stat(r, 'execution_time'))
      .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0));
    if (runs.length === 0) return;
    // one set of kept indices per workflow, chosen on mean execution time, so every series shares the x axis
    const keep = lttbIndices(
      runs.map((r, i) => ({ x: i, y: stat(r, 'execution_time')!.mean })),
      TREND_MAX_POINTS,
    );
    const kept = keep.map((i) => runs[i]!);
    const labels = kept.map((r) => `${shortDate(r.started_at)}${r.git?.sha ? ` ${r.git.sha.slice(0, 7)}` : ''}`);
    const charts: TrendInfo['charts'] = [];
    TREND_METRICS.forEach((tm, m) => {
      if (!kept.some((r) => stat(r, tm.metric))) return;
      const unit = metricUnit(tm.metric);
      const datasets: DatasetSpec[] = tm.series.map((s, i) => ({
        label: s.label,
        data: kept.map((r) => {
          const v = stat(r, tm.metric)?.[s.key];
          return isNum(v) ? round(v) : null;
        }),
        color: PALETTE[i % PALETTE.length]!,
        points: kept.length <= 60,
      }));
      for (const t of thresholdsFor(input, lane, runs, tm.metric)) {
        datasets.push({
          label: `SLA ${t.aggregation} ${t.operator} ${fixed(t.value, t.value % 1 === 0 ? 0 : 2)} ${unit} (${t.severity})`,
          data: kept.map(() => t.value),
          color: SLA_COLORS[t.severity],
          dash: true,
        });
      }
      charts.push({
        title: tm.title,
        spec: {
          id: `${idPrefix}-trend-${k}-${m}`,
          xType: 'category',
          labels,
          datasets,
          xTitle: 'run',
          yTitle: `${tm.title} (${unit})`,
        },
      });
    });
    out.push({
      lane,
      workflow,
      total: runs.length,
      shown: kept.length,
      envs: unique(runs.map((r) => r.env?.fingerprint)).length,
      charts,
    });
  });
  return out;
}

interface TimelineInfo {
  run: Run;
  iterationsShown: number;
  cpu?: ChartSpec;
  mem?: ChartSpec;
}

function evenlyPick<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

function buildTimelines(input: ReportInput, idPrefix: string): TimelineInfo[] {
  return latestPerWorkflow(input.runs)
    .slice(0, TIMELINE_MAX_RUNS)
    .map((run, k) => {
      const iters = evenlyPick(
        run.iterations.filter((i) => (i.timeline?.length ?? 0) > 0),
        TIMELINE_MAX_ITERATIONS,
      );
      const info: TimelineInfo = { run, iterationsShown: iters.length };
      if (iters.length === 0) return info;
      const series = (field: 'cpu' | 'mem'): DatasetSpec[] =>
        iters.map((it, i) => ({
          label: `#${it.index}${it.status !== 'passed' ? ` (${it.status})` : ''}`,
          data: lttb(
            it.timeline
              .filter((p) => isNum(p.t) && isNum(p[field]))
              .map((p) => ({ x: round(p.t, 3), y: round(p[field], 2) })),
            TIMELINE_MAX_POINTS,
          ),
          color: PALETTE[i % PALETTE.length]!,
        }));
      info.cpu = {
        id: `${idPrefix}-tl-${k}-cpu`,
        xType: 'linear',
        datasets: series('cpu'),
        xTitle: 'seconds since iteration start',
        yTitle: 'CPU (% of machine)',
      };
      info.mem = {
        id: `${idPrefix}-tl-${k}-mem`,
        xType: 'linear',
        datasets: series('mem'),
        xTitle: 'seconds since iteration start',
        yTitle: 'memory (MB)',
      };
      return info;
    });
}

// ---------------------------------------------------------------------------------------------------
// HTML fragments

function badge(ok: boolean, okText = 'COMPLIANT', badText = 'NOT COMPLIANT'): string {
  return `<span class="badge ${ok ? 'ok' : 'bad'}">${h(ok ? okText : badText)}</span>`;
}

function runBadge(run: Run): string {
  const o = runOutcome(run);
  if (o === 'error') return `<span class="badge bad">${h(run.status.toUpperCase())}</span>`;
  if (o === 'sla-failed')
    return badge(false, undefined, failedOnStrictWarnings(run) ? STRICT_WARNINGS_FAILURE.toUpperCase() : undefined);
  if (o === 'partial') return `<span class="badge warn">⚠ ${h(partialText(run).toUpperCase())}</span>`;
  const n = reportedViolations(run).length;
  return n ? `<span class="badge warn">COMPLIANT · ${n} WARN</span>` : badge(true);
}

function dag(run: Run, metric: string, key: 'p95' | 'p99'): string {
  return stat(run, metric)?.unresolved?.includes(key)
    ? '<sup class="dag" title="fewer samples than this percentile needs">†</sup>'
    : '';
}

function chartBox(spec: ChartSpec | undefined, title: string): string {
  if (!spec)
    return `<figure class="chart-box"><figcaption>${h(title)}</figcaption><p class="muted">No data recorded.</p></figure>`;
  return `<figure class="chart-box"><figcaption>${h(title)}</figcaption><div class="chart"><canvas id="${h(spec.id)}" role="img" aria-label="${h(title)}"></canvas></div></figure>`;
}

/** A partial run is never a plain pass: the headline says so, with the iterations kept. */
function partialHeadline(runs: Run[]): string {
  const partial = runs.filter((r) => runOutcome(r) === 'partial');
  return partial.length ? h(` on partial data (${partial.map(iterationsKept).join(', ')})`) : '';
}

function summarySection(input: ReportInput): string {
  const runs = input.runs;
  const lanes = groupByLane(runs);
  const bad = [...lanes.values()].filter((r) => !laneCompliant(r)).length;
  const incomplete = runs.filter(isIncomplete).length;
  const regs = (input.regressions ?? []).filter((r) => r.status === 'regression').length;
  const viol = runs.reduce((s, r) => s + reportedViolations(r).length, 0);
  const overallOk = bad === 0;
  const overall = `<div class="card overall ${overallOk ? 'ok' : 'bad'}">
  <div class="big">${overallOk ? `${partialHeadline(runs) ? '⚠' : '✓'} All ${lanes.size} lane${lanes.size === 1 ? '' : 's'} compliant${partialHeadline(runs)}` : `✗ ${bad} of ${lanes.size} lane${lanes.size === 1 ? '' : 's'} not compliant`}</div>
  <div class="kpis"><span><b>${runs.length}</b> runs</span><span><b>${incomplete}</b> failed / timed out</span><span><b>${viol}</b> SLA violations</span><span><b>${regs}</b> regressions</span></div>
</div>`;
  const cards = [...lanes].map(([lane, lr]) => {
    const worst = (metric: string, key: 'mean' | 'p95' | 'max') => {
      const vals = lr.map((r) => stat(r, metric)?.[key]).filter(isNum);
      return vals.length ? Math.max(...vals) : undefined;
    };
    const errs = lr.reduce(
      (s, r) => s + reportedViolations(r).filter((v) => failingViolations(r).includes(v)).length,
      0,
    );
    const warns = lr.reduce((s, r) => s + reportedViolations(r).length, 0) - errs;
    const failed = lr.filter(isIncomplete).length;
    const wfs = unique(lr.map((r) => r.workflow)).length;
    return `<div class="card lane-card">
  <div class="card-head"><span class="lane-name">${h(lane)}</span>${badge(laneCompliant(lr))}</div>
  ${
    worst('execution_time', 'mean') === undefined
      ? `<div class="headline t-bad">${failed} failed<small>no iteration passed, no statistics</small></div>`
      : `<div class="headline">${fmtSeconds(worst('execution_time', 'mean'))}<small>${wfs > 1 ? 'slowest mean' : 'mean'} execution time</small></div>`
  }
  <dl class="mini">
    <dt>p95</dt><dd>${fmtSeconds(worst('execution_time', 'p95'))}</dd>
    <dt>memory max</dt><dd>${fmtMB(worst('memory_usage', 'max'))}</dd>
    <dt>cpu avg</dt><dd>${fmtPct(worst('cpu_usage', 'mean'))}</dd>
    <dt>workflows</dt><dd>${wfs} (${lr.length} run${lr.length === 1 ? '' : 's'})</dd>
    <dt>violations</dt><dd>${errs ? `<span class="t-bad">${errs} error${errs > 1 ? 's' : ''}</span>` : '0 errors'}${warns ? `, <span class="t-warn">${warns} warning${warns > 1 ? 's' : ''}</span>` : ''}</dd>
    ${failed ? `<dt>failed runs</dt><dd class="t-bad">${failed}</dd>` : ''}
  </dl>
</div>`;
  });
  return `<section id="summary"><h2>Executive summary</h2>${overall}<div class="cards">${cards.join('')}</div></section>`;
}

function laneSection(input: ReportInput): string {
  const parts: string[] = [];
  for (const [lane, lr] of groupByLane(input.runs)) {
    const rows = lr.map((r) => {
      const et = stat(r, 'execution_time');
      const regs = regressionsFor(input.regressions, lane, r.workflow).filter((g) => g.status === 'regression').length;
      return `<tr><td class="name">${h(r.workflow)}${isIncomplete(r) ? `<div class="err">${h(runErrorMessage(r))}</div>` : ''}</td><td>${h(r.status)}</td><td class="num">${passedIterations(r)}/${r.iterations.length}</td><td class="num">${fmtSeconds(et?.mean)}</td><td class="num">${fmtSeconds(et?.median)}</td><td class="num">${fmtSeconds(et?.p95)}${dag(r, 'execution_time', 'p95')}</td><td class="num">${fmtSeconds(et?.p99)}${dag(r, 'execution_time', 'p99')}</td><td class="num">${fmtMB(stat(r, 'memory_usage')?.max)}</td><td class="num">${fmtPct(stat(r, 'cpu_usage')?.mean)}</td><td>${runBadge(r)}</td><td class="num">${reportedViolations(r).length}</td><td class="num">${regs ? `<span class="t-bad">${regs}</span>` : '0'}</td></tr>`;
    });
    parts.push(`<article class="lane"><h3>${h(lane)} ${badge(laneCompliant(lr))}</h3>
<div class="scroll"><table class="runs"><thead><tr><th>Workflow</th><th>Status</th><th class="num">Iterations</th><th class="num">Mean</th><th class="num">Median</th><th class="num">P95</th><th class="num">P99</th><th class="num">Memory max</th><th class="num">CPU avg</th><th class="sla">SLA</th><th class="num">Violations</th><th class="num" title="Regressions">Regr.</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div></article>`);
  }
  return `<section id="lanes"><h2>Lane-by-lane breakdown</h2>${parts.join('') || '<p class="muted">No runs in this session.</p>'}</section>`;
}

function statisticsSection(input: ReportInput): string {
  const blocks = input.runs.map((r) => {
    const metrics = orderedMetrics(r);
    if (metrics.length === 0)
      return `<h3>${h(r.lane)} / ${h(r.workflow)}</h3><p class="muted">No statistics: no iteration passed.</p>`;
    const rows = metrics.map((m) => {
      const s = r.metrics_analysis[m]!;
      const f = (v: number) => fmtMetric(m, v, r);
      const unit = metricUnit(m, r);
      return `<tr><td class="name">${h(m)}${unit ? ` <span class="muted">(${h(unit)})</span>` : ''}</td><td class="num">${f(s.mean)}</td><td class="num">${f(s.median)}</td><td class="num">${f(s.stdev)}</td><td class="num">${f(s.min)}</td><td class="num">${f(s.max)}</td><td class="num">${f(s.p95)}${dag(r, m, 'p95')}</td><td class="num">${f(s.p99)}${dag(r, m, 'p99')}</td><td class="num">${s.samples}</td></tr>`;
    });
    return `<h3>${h(r.lane)} / ${h(r.workflow)} <span class="muted small">${h(r.id)}</span></h3>
<div class="scroll"><table class="stats"><thead><tr><th>Metric</th><th class="num">Mean</th><th class="num">Median</th><th class="num">Stdev</th><th class="num">Min</th><th class="num">Max</th><th class="num">P95</th><th class="num">P99</th><th class="num">Samples</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
${r.notes?.length ? `<ul class="notes">${r.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}`;
  });
  const note = input.runs.some(hasUnresolved) ? `<p class="note">† ${h(SMALL_SAMPLE_NOTE)}</p>` : '';
  return `<section id="statistics"><h2>Statistics</h2><p class="muted">Over passed iterations; standard deviation is the sample standard deviation (n − 1); percentiles interpolate linearly between order statistics.</p>${note}${blocks.join('')}</section>`;
}

function timelineSection(timelines: TimelineInfo[]): string {
  const blocks = timelines.map((t) => {
    const total = t.run.iterations.length;
    const shown = t.iterationsShown < total ? ` — ${t.iterationsShown} of ${total} iterations shown` : '';
    return `<h3>${h(t.run.lane)} / ${h(t.run.workflow)}<span class="muted small">${h(shown)}</span></h3>
<div class="grid">${chartBox(t.cpu, 'CPU per iteration')}${chartBox(t.mem, 'Memory per iteration')}</div>`;
  });
  return `<section id="timelines"><h2>Resource timelines</h2><p class="muted">Latest run of each workflow; one line per iteration, sampled during the run.</p>${blocks.join('') || '<p class="muted">No runs in this session.</p>'}</section>`;
}

function trendSection(trends: TrendInfo[]): string {
  const blocks = trends.map((t) => {
    const notes: string[] = [`${t.total} run${t.total === 1 ? '' : 's'} in history`];
    if (t.shown < t.total) notes.push(`downsampled to ${t.shown} points`);
    if (t.envs > 1) notes.push(`⚠ runs from ${t.envs} different environments — compare with care`);
    return `<h3>${h(t.lane)} / ${h(t.workflow)} <span class="muted small">${h(notes.join(' · '))}</span></h3>
<div class="grid three">${t.charts.map((c) => chartBox(c.spec, c.title)).join('')}</div>`;
  });
  return `<section id="trends"><h2>Historical trends</h2><p class="muted">Per run, oldest to newest; dashed lines are SLA thresholds (red: error, amber: warning).</p>${blocks.join('') || '<p class="muted">No history yet.</p>'}</section>`;
}

function slaSection(input: ReportInput): string {
  const rows: string[] = [];
  for (const r of input.runs) {
    if (isIncomplete(r)) {
      rows.push(
        `<tr class="row-bad"><td>${h(r.lane)}</td><td class="name">${h(r.workflow)}</td><td>run ${h(r.status)}</td><td colspan="3">${h(runErrorMessage(r))}</td><td><span class="badge bad">ERROR</span></td></tr>`,
      );
    }
    const failing = failingViolations(r);
    for (const v of reportedViolations(r)) {
      const measured = r.metrics_analysis?.[v.metric] !== undefined;
      const isErr = failing.includes(v);
      rows.push(
        `<tr class="${isErr ? 'row-bad' : 'row-warn'}"><td>${h(r.lane)}</td><td class="name">${h(r.workflow)}</td><td><code>${h(v.name)}</code></td><td class="num">${measured ? `${h(fixed(v.value, 3))} ${h(v.unit)}` : '—'}</td><td class="num">${h(v.operator)} ${h(plainNumber(v.threshold))} ${h(v.unit)}</td><td>${h(v.message || violationFigures(v, r))}</td><td><span class="badge ${isErr ? 'bad' : 'warn'}">${h(v.severity.toUpperCase())}</span></td></tr>`,
      );
    }
  }
  const compliance = [...groupByLane(input.runs)]
    .map(
      ([lane, lr]) =>
        `<li>${badge(laneCompliant(lr))} <b>${h(lane)}</b> — ${lr.filter((r) => !isIncomplete(r) && r.sla?.compliant !== false).length}/${lr.length} runs compliant, ${lr.reduce((s, r) => s + (r.sla?.checked ?? 0), 0)} threshold checks</li>`,
    )
    .join('');
  return `<section id="sla"><h2>SLA compliance and violations</h2><ul class="compliance">${compliance}</ul>${
    rows.length
      ? `<div class="scroll"><table><thead><tr><th>Lane</th><th>Workflow</th><th>Threshold</th><th class="num">Measured</th><th class="num">Limit</th><th>Message</th><th>Severity</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : '<p class="t-ok">No violations.</p>'
  }</section>`;
}

function regressionSection(regs: ReportRegression[] | undefined): string {
  if (!regs)
    return `<section id="regressions"><h2>Regressions</h2><p class="muted">Regression detection was not run.</p></section>`;
  if (regs.length === 0)
    return `<section id="regressions"><h2>Regressions</h2><p class="muted">No comparisons: no earlier runs to compare with.</p></section>`;
  const cls: Record<string, string> = {
    regression: 'bad',
    improvement: 'ok',
    'no-change': 'neutral',
    inconclusive: 'warn',
    'insufficient-data': 'neutral',
    'environment-mismatch': 'warn',
  };
  const order: Record<string, number> = {
    regression: 0,
    improvement: 1,
    'environment-mismatch': 2,
    inconclusive: 2,
    'no-change': 3,
    'insufficient-data': 4,
  };
  const rows = [...regs]
    .sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9))
    .map(
      (g) =>
        `<tr><td>${h(g.lane)}</td><td class="name">${h(g.workflow)}</td><td><code>${h(g.metric)}</code></td><td><span class="badge ${cls[g.status] ?? 'neutral'}">${h(g.status)}</span></td><td class="num">${h(fmtMetric(g.metric, g.baseline_mean))}</td><td class="num">${h(fmtMetric(g.metric, g.candidate_mean))}</td><td class="num">${h(fmtSigned(g.change_pct))}</td><td class="num">${g.p_value === null ? '—' : h(g.p_value < 0.001 ? '< 0.001' : fixed(g.p_value, 3))}</td><td class="num">${g.baseline_runs}</td><td>${h(g.message)}</td></tr>`,
    );
  const n = regs.filter((g) => g.status === 'regression').length;
  return `<section id="regressions"><h2>Regressions</h2><p>${n ? `<span class="t-bad"><b>${n}</b> regression${n > 1 ? 's' : ''} detected.</span>` : '<span class="t-ok">No regression detected.</span>'}</p>
<div class="scroll"><table><thead><tr><th>Lane</th><th>Workflow</th><th>Metric</th><th>Result</th><th class="num">Baseline mean</th><th class="num">Candidate mean</th><th class="num">Change</th><th class="num">p-value</th><th class="num">Baseline runs</th><th>Details</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function recommendationSection(input: ReportInput): string {
  const recs = input.recommendations;
  if (!recs) return '';
  if (recs.length === 0)
    return `<section id="recommendations"><h2>Optimization opportunities</h2><p class="muted">No recommendation: nothing in the measured profile calls for one.</p></section>`;
  const cards: string[] = [];
  for (const lane of unique([...input.runs.map((r) => r.lane), ...recs.map((r) => r.lane)])) {
    for (const r of recommendationsFor(recs, lane)) cards.push(recCard(r));
  }
  return `<section id="recommendations"><h2>Optimization opportunities</h2><div class="recs">${cards.join('')}</div></section>`;
}

function recCard(r: ReportRecommendation): string {
  const evidence = Object.entries(r.evidence ?? {})
    .map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(typeof v === 'number' ? fixed(v, Number.isInteger(v) ? 0 : 2) : v)}</dd>`)
    .join('');
  return `<div class="card rec p${Math.min(5, Math.max(1, Math.round(r.priority)))}">
  <div class="card-head"><span class="prio">P${h(r.priority)}</span><b>${h(r.title)}</b></div>
  <div class="muted small">${h(r.lane)}${r.workflow ? ` / ${h(r.workflow)}` : ''} · est. improvement ${h(fixed(r.estimated_improvement_pct, 0))} % · effort ${h(r.effort)}</div>
  <p>${h(r.description)}</p>
  ${r.steps?.length ? `<ol>${r.steps.map((s) => `<li>${h(s)}</li>`).join('')}</ol>` : ''}
  ${evidence ? `<details><summary>Evidence</summary><dl class="mini">${evidence}</dl></details>` : ''}
</div>`;
}

function environmentSection(input: ReportInput): string {
  const runs = input.runs;
  const fps = unique(runs.map((r) => r.env?.fingerprint));
  const rows = fps.map((fp) => {
    const r = runs.find((x) => x.env?.fingerprint === fp)!;
    const e = r.env;
    return `<tr><td><code>${h(e.fingerprint)}</code></td><td>${h(e.os)} ${h(e.arch)}<div class="muted small">${h(e.kernel)}</div></td><td>${h(e.cpu_model)} × ${h(e.logical_cores)}</td><td class="num">${h(fixed(e.memory_total_mb / 1024, 1))} GB</td><td>${h(e.node_version)}</td><td>${h(e.runner ?? r.runner?.name ?? '')} ${h(e.runner_version ?? r.runner?.version ?? '')}</td><td>${h(e.ci_provider ?? 'local')}</td><td>${h(e.hostname)}</td></tr>`;
  });
  const gits = unique(runs.map((r) => (r.git ? JSON.stringify([r.git.sha, r.git.branch, r.git.dirty]) : null))).map(
    (g) => JSON.parse(g) as [string | null, string | null, boolean | null],
  );
  const historyFps = unique(input.history.map((r) => r.env?.fingerprint)).filter((f) => !fps.includes(f));
  return `<section id="environment"><h2>Environment</h2>
<div class="scroll"><table><thead><tr><th>Fingerprint</th><th>OS</th><th>CPU</th><th class="num">Memory</th><th>Node</th><th>Runner</th><th>CI</th><th>Host</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
${gits.length ? `<p>Git: ${gits.map(([sha, branch, dirty]) => `<code>${h(sha ?? 'unknown')}</code>${branch ? ` on <b>${h(branch)}</b>` : ''}${dirty ? ' <span class="t-warn">(uncommitted changes)</span>' : ''}`).join('; ')}</p>` : ''}
${historyFps.length ? `<p class="t-warn">The history also holds runs from ${historyFps.length} other environment${historyFps.length > 1 ? 's' : ''}; regression analysis does not mix them.</p>` : ''}</section>`;
}

const CSS = `
:root{--ok:#15803d;--ok-bg:#dcfce7;--bad:#b91c1c;--bad-bg:#fee2e2;--warn:#b45309;--warn-bg:#fef3c7;--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#0f172a;color:#f8fafc;padding:18px 32px}
header.top h1{margin:0;font-size:22px;font-weight:650}
header.top .meta{margin:4px 0 0;color:#cbd5e1;font-size:13px}
nav{position:sticky;top:0;z-index:5;background:#1e293b;padding:6px 32px;display:flex;flex-wrap:wrap;gap:4px 16px}
nav a{color:#e2e8f0;text-decoration:none;font-size:13px}
nav a:hover{text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:8px 32px 48px}
section{margin-top:28px}
h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:6px;margin:0 0 12px}
h3{font-size:15px;margin:18px 0 8px;display:flex;align-items:center;gap:8px;flex-wrap:wrap;overflow-wrap:anywhere}
.muted{color:var(--muted)}.small{font-size:12px;font-weight:400}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:14px;margin-top:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.card.overall{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:12px;border-left:6px solid}
.card.overall.ok{border-left-color:var(--ok)}.card.overall.bad{border-left-color:var(--bad)}
.card.overall .big{font-size:20px;font-weight:650}
.card.overall.ok .big{color:var(--ok)}.card.overall.bad .big{color:var(--bad)}
.kpis{display:flex;gap:18px;flex-wrap:wrap;color:var(--muted)}.kpis b{color:var(--fg);font-size:16px}
.card-head{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-bottom:6px}
.lane-name{font-weight:650;font-size:16px;overflow-wrap:anywhere}
.headline{font-size:24px;font-weight:650;margin:4px 0 8px}
.headline small{display:block;font-size:12px;font-weight:400;color:var(--muted)}
dl.mini{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0;font-size:13px}
dl.mini dt{color:var(--muted)}dl.mini dd{margin:0;text-align:right;overflow-wrap:anywhere}
.badge{display:inline-block;padding:2px 8px;border-radius:999px;font-size:11px;font-weight:700;letter-spacing:.03em;white-space:nowrap}
.badge.ok{background:var(--ok-bg);color:var(--ok)}.badge.bad{background:var(--bad-bg);color:var(--bad)}
.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.neutral{background:#e2e8f0;color:#334155}
.t-ok{color:var(--ok)}.t-bad{color:var(--bad)}.t-warn{color:var(--warn)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;font-size:13px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{overflow-wrap:anywhere;max-width:360px;font-weight:500}
tr.row-bad td{background:#fff5f5}tr.row-warn td{background:#fffbeb}
.err{color:var(--bad);font-weight:400;font-size:12px;white-space:pre-line}
.dag{color:var(--warn);font-weight:700}
.note{background:var(--warn-bg);border-left:4px solid var(--warn);padding:6px 10px;border-radius:4px}
ul.notes{color:var(--muted);font-size:12px;margin:6px 0}
ul.compliance{list-style:none;padding:0;margin:0 0 10px}ul.compliance li{margin:4px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px}
.grid.three{grid-template-columns:repeat(auto-fit,minmax(340px,1fr))}
.chart-box{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.chart-box figcaption{font-weight:600;font-size:13px;margin-bottom:6px}
.chart{position:relative;height:240px}
.recs{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px}
.rec{border-left:5px solid #94a3b8}.rec.p1{border-left-color:var(--bad)}.rec.p2{border-left-color:#ea580c}.rec.p3{border-left-color:var(--warn)}
.rec p{margin:8px 0}.rec ol{margin:6px 0;padding-left:20px}
.rec .card-head{justify-content:flex-start}
td code{white-space:nowrap;overflow-wrap:normal}
table.runs{table-layout:fixed}table.runs th:first-child{width:24%}table.runs th.sla{width:150px}table.runs th{white-space:normal}table.runs th,table.runs td{padding:6px 8px}
.prio{background:#0f172a;color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;font-weight:700;margin-right:6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:#f1f5f9;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
footer{max-width:1280px;margin:0 auto;padding:16px 32px 32px;color:var(--muted);font-size:12px}
@media print{nav{display:none}.chart{height:200px}}
`;

/** The page's own (small) script: builds every chart from the embedded JSON. Written with no user data in it. */
const BOOT_JS = `(function(){
  var el = document.getElementById('lanebench-data');
  if (!el || typeof Chart === 'undefined') return;
  var data = JSON.parse(el.textContent || '{}');
  Chart.defaults.font.family = 'system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
  Chart.defaults.color = '#334155';
  (data.charts || []).forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label, data: d.data, borderColor: d.color, backgroundColor: d.color,
            borderDash: d.dash ? [6, 4] : [], borderWidth: d.dash ? 1.5 : 2,
            pointRadius: d.dash ? 0 : (d.points ? 2.5 : 0), pointHoverRadius: d.dash ? 0 : 4,
            tension: 0, spanGaps: true, fill: false
          };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: spec.xType, title: { display: true, text: spec.xTitle },
               ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, title: { display: true, text: spec.yTitle } }
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } } }
      }
    });
  });
})();`;

function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

export function renderHtml(input: ReportInput): string {
  const idPrefix = 'c';
  const trends = buildTrends(input, idPrefix);
  const timelines = buildTimelines(input, idPrefix);
  const charts: ChartSpec[] = [
    ...timelines.flatMap((t) => [t.cpu, t.mem].filter((s): s is ChartSpec => s !== undefined)),
    ...trends.flatMap((t) => t.charts.map((c) => c.spec)),
  ];
  const chartJs = loadChartJs();
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(chartJs)} ${cspHash(BOOT_JS)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  const runs = input.runs;
  const shas = unique(runs.map((r) => r.git?.sha?.slice(0, 12)));
  const branches = unique(runs.map((r) => r.git?.branch));
  const meta = [
    `Generated ${input.generated_at}`,
    `${runs.length} run${runs.length === 1 ? '' : 's'} this session`,
    `${input.history.length} in history`,
    ...(shas.length ? [`commit ${shas.join(', ')}${branches.length ? ` on ${branches.join(', ')}` : ''}`] : []),
  ];
  const sections: Array<[string, string]> = [
    ['summary', 'Summary'],
    ['lanes', 'Lanes'],
    ['statistics', 'Statistics'],
    ['timelines', 'Timelines'],
    ['trends', 'Trends'],
    ['sla', 'SLA'],
    ['regressions', 'Regressions'],
    ...(input.recommendations ? ([['recommendations', 'Opportunities']] as Array<[string, string]>) : []),
    ['environment', 'Environment'],
  ];

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>lanebench performance dashboard</title>
<style>${CSS}</style>
</head>
<body>
<header class="top"><h1>lanebench performance dashboard</h1><p class="meta">${h(meta.join(' · '))}</p></header>
<nav>${sections.map(([id, label]) => `<a href="#${id}">${h(label)}</a>`).join('')}</nav>
<main>
${summarySection(input)}
${laneSection(input)}
${statisticsSection(input)}
${timelineSection(timelines)}
${trendSection(trends)}
${slaSection(input)}
${regressionSection(input.regressions)}
${recommendationSection(input)}
${environmentSection(input)}
</main>
<footer>Generated by lanebench. Charts by Chart.js (MIT License), embedded so this file works offline.</footer>
<script type="application/json" id="lanebench-data">${jsonForScript({ charts })}</script>
<script>${chartJs}</script>
<script>${BOOT_JS}</script>
</body>
</html>
`;
}

export const htmlWriter: ReportWriter = {
  format: 'html',
  fileName: 'performance_dashboard.html',
  render: renderHtml,
};
