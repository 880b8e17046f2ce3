/**
 * One compact card per workflow of the session, pictures first: the SLA checks as bars of the measured
 * value against the limit (green / amber within 20 % of it / red over it, with the margin in %), the
 * distribution of the iterations as a strip plot over a box (outliers and bimodal runs show), and a
 * sparkline of the recent history. Drawn as inline SVG/CSS, so they need no script and scale to a phone.
 */
import { metricValues } from '../../../analysis/select.js';
import type { MetricStats, Run, Threshold } from '../../../types.js';
import { fmtMetric, fmtSeconds, isNum, metricUnit, plainNumber, stat } from '../../format.js';
import type { ReportInput } from '../../types.js';
import type { ReportView, RunSummary } from '../../view-model.js';
import { seriesRuns, thresholdsFor } from '../charts.js';
import { markup, type SafeHtml } from '../template.js';
import { verdictBadge } from './common.js';
import { iterationsCell } from './lanes.js';

export const SPARKLINE_RUNS = 30;
/** Within this share of the limit a check is amber. */
export const NEAR_LIMIT = 0.8;

type Check = Pick<Threshold, 'name' | 'metric' | 'aggregation' | 'operator' | 'value' | 'severity'>;

function aggregate(s: MetricStats | undefined, agg: string): number | undefined {
  if (!s) return undefined;
  const v = (s as unknown as Record<string, unknown>)[agg];
  return isNum(v) ? v : undefined;
}

export interface SlaBar {
  label: string;
  measured: number;
  limit: number;
  tone: 'ok' | 'warn' | 'bad';
  /** positive: headroom before the limit, in % of the limit; negative: how far past it */
  marginPct: number;
  /** bar and limit positions, 0–100 % of the track */
  fillPct: number;
  limitPct: number;
  unit: string;
  metric: string;
}

function holds(op: Check['operator'], v: number, limit: number): boolean {
  switch (op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '==':
      return v === limit;
    case '!=':
      return v !== limit;
  }
}

export function slaBars(input: ReportInput, run: Run): SlaBar[] {
  const checks: Check[] = [];
  for (const metric of Object.keys(run.metrics_analysis ?? {}))
    checks.push(...thresholdsFor(input, run.lane, [run], metric).map((t) => ({ ...t, metric })));
  const out: SlaBar[] = [];
  for (const t of checks) {
    const measured = aggregate(stat(run, t.metric), t.aggregation);
    if (measured === undefined || !isNum(t.value) || t.value === 0) continue;
    const upper = t.operator === '<' || t.operator === '<=';
    const ok = holds(t.operator, measured, t.value);
    // margin on the side that keeps the check passing: under an upper limit, over a lower one
    const marginPct = ((upper ? t.value - measured : measured - t.value) / Math.abs(t.value)) * 100;
    const near = upper ? measured >= t.value * NEAR_LIMIT : marginPct < (1 / NEAR_LIMIT - 1) * 100;
    const scale = Math.max(measured, t.value) * 1.15 || 1;
    out.push({
      label: `${t.aggregation} ${t.operator} ${plainNumber(t.value)} ${metricUnit(t.metric, run)}`.trim(),
      measured,
      limit: t.value,
      tone: !ok ? 'bad' : near ? 'warn' : 'ok',
      marginPct,
      fillPct: Math.max(0.5, Math.min(100, (measured / scale) * 100)),
      limitPct: Math.min(100, (t.value / scale) * 100),
      unit: metricUnit(t.metric, run),
      metric: t.metric,
    });
  }
  return out;
}

function marginText(b: SlaBar): string {
  const m = Math.abs(b.marginPct);
  const pct = m >= 10 ? m.toFixed(0) : m.toFixed(1);
  return b.tone === 'bad' ? `${pct} % over` : `${pct} % margin`;
}

function barRow(b: SlaBar, run: Run): SafeHtml {
  return markup`<div class="sla-bar" title="${b.metric} ${b.label}: measured ${fmtMetric(b.metric, b.measured, run)}">
    <span class="label">${b.metric === 'execution_time' ? '' : `${b.metric} `}${b.label}</span
    ><span class="track"
      ><span class="fill ${b.tone}" style="width:${b.fillPct.toFixed(1)}%"></span
      ><span class="limit" style="left:${b.limitPct.toFixed(1)}%"></span></span
    ><span class="figure ${b.tone === 'bad' ? 't-bad' : b.tone === 'warn' ? 't-warn' : 't-ok'}"
      >${fmtMetric(b.metric, b.measured, run)} · ${marginText(b)}</span
    >
  </div>`;
}

const W = 300;

/** Strip plot of every iteration's execution time over a box (quartiles, median). */
export function distribution(run: Run): SafeHtml | false {
  const passed = metricValues(run, 'execution_time');
  const failed = run.iterations
    .filter((i) => i.status !== 'passed' && isNum(i.execution_time))
    .map((i) => i.execution_time);
  const all = [...passed, ...failed];
  if (all.length === 0) return false;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || Math.max(hi * 0.1, 1e-6);
  const x = (v: number) => 8 + ((v - lo + (hi === lo ? span / 2 : 0)) / span) * (W - 16);
  const sorted = [...passed].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const i = Math.floor(h);
    return sorted[i]! + (h - i) * ((sorted[i + 1] ?? sorted[i]!) - sorted[i]!);
  };
  const box =
    sorted.length >= 3 &&
    markup`<rect
        x="${x(q(0.25)).toFixed(1)}"
        y="6"
        width="${Math.max(1, x(q(0.75)) - x(q(0.25))).toFixed(1)}"
        height="16"
        fill="#dbeafe"
        stroke="#93c5fd"
      /><line
        x1="${x(q(0.5)).toFixed(1)}"
        x2="${x(q(0.5)).toFixed(1)}"
        y1="4"
        y2="24"
        stroke="#1d4ed8"
        stroke-width="2"
      />`;
  // identical values are spread vertically a little so each iteration stays visible
  const dots = passed.map(
    (v, i) =>
      markup`<circle
        cx="${x(v).toFixed(1)}"
        cy="${(14 + ((i % 3) - 1) * 3).toFixed(1)}"
        r="3"
        fill="#2563eb"
        fill-opacity="0.75"
        ><title>${fmtSeconds(v)}</title></circle
      >`,
  );
  const crosses = failed.map(
    (v) =>
      markup`<text x="${x(v).toFixed(1)}" y="18" text-anchor="middle" font-size="12" fill="#b91c1c"
        >×<title>failed/timed out after ${fmtSeconds(v)}</title></text
      >`,
  );
  return markup`<div class="pic">
    <div class="pic-title">
      Execution time of ${all.length} iteration${all.length === 1 ? '' : 's'}${failed.length > 0 && ` (× did not pass)`}
    </div>
    <svg viewBox="0 0 ${W} 40" role="img" aria-label="distribution of iteration execution times">
      <line x1="8" x2="${W - 8}" y1="14" y2="14" stroke="#e2e8f0" />
      ${box}${dots}${crosses}
      <text x="8" y="38" font-size="10" fill="#64748b">${fmtSeconds(lo)}</text>
      <text x="${W - 8}" y="38" font-size="10" fill="#64748b" text-anchor="end">${fmtSeconds(hi)}</text>
    </svg>
  </div>`;
}

/** Sparkline of the mean execution time over the recent history of the workflow. */
export function sparkline(input: ReportInput, run: Run): SafeHtml | false {
  const runs = seriesRuns(input, run.lane, run.workflow).slice(-SPARKLINE_RUNS);
  const ys = runs.map((r) => stat(r, 'execution_time')!.mean);
  if (ys.length < 2) return false;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || Math.max(hi * 0.1, 1e-6);
  const px = (i: number) => 4 + (i / (ys.length - 1)) * (W - 8);
  const py = (v: number) => 26 - ((v - lo) / span) * 22;
  const points = ys.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  const last = ys.length - 1;
  return markup`<div class="pic">
    <div class="pic-title">
      Mean execution time, last ${ys.length} runs: ${fmtSeconds(ys[0])} → ${fmtSeconds(ys[last])}
    </div>
    <svg viewBox="0 0 ${W} 30" role="img" aria-label="history sparkline">
      <polyline points="${points}" fill="none" stroke="#2563eb" stroke-width="1.5" />
      <circle cx="${px(last).toFixed(1)}" cy="${py(ys[last]!).toFixed(1)}" r="3" fill="#1d4ed8" />
    </svg>
  </div>`;
}

function card(input: ReportInput, s: RunSummary): SafeHtml {
  const r = s.run;
  const bars = slaBars(input, r);
  return markup`<div class="card wf-card">
    <div class="card-head">
      <h4>${r.lane} / ${r.workflow}</h4>
      ${verdictBadge(s.verdict)}
    </div>
    <div class="muted small">
      ${iterationsCell(s)}${isNum(stat(r, 'execution_time')?.mean) && ` · mean ${fmtSeconds(stat(r, 'execution_time')?.mean)}`}
    </div>
    ${
      bars.length > 0
        ? markup`<div class="pic">
            <div class="pic-title">SLA checks (bar: measured, line: limit)</div>
            ${bars.map((b) => barRow(b, r))}
          </div>`
        : markup`<p class="muted small">No SLA limits to draw: none configured for this report, none violated.</p>`
    }
    ${distribution(r)} ${sparkline(input, r)}
  </div>`;
}

export function workflowSection(input: ReportInput, view: ReportView): SafeHtml {
  return markup`<section id="workflows">
    <h2>Workflows at a glance</h2>
    ${view.runs.length ? markup`<div class="wf-cards">${view.runs.map((s) => card(input, s))}</div>` : markup`<p class="muted">No runs in this session.</p>`}
  </section>`;
}
