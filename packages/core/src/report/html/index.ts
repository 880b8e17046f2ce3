/**
 * performance_dashboard.html — one self-contained page that works offline: CSS and Chart.js (its UMD
 * build, read from the installed `chart.js` package at render time) are inlined, the chart data is
 * embedded as JSON, and a Content-Security-Policy forbids every network load and every script except
 * the two inline ones (by hash), so even a missed escape could not run injected code.
 *
 * Layout of this module: template.ts (the auto-escaping `markup` tag), charts.ts (chart specs),
 * sections/ (one module per page section, all reading the shared view model of ../view-model.ts),
 * assets/ (the stylesheet and the boot script as real .css/.js files, inlined as text by the build).
 *
 * Size: trends are downsampled to at most TREND_MAX_POINTS per series (LTTB), timelines are drawn only
 * for the latest run of each workflow of this session (at most TIMELINE_MAX_ITERATIONS iterations each).
 */
import { createHash } from 'node:crypto';
import { unique } from '../format.js';
import type { ReportInput, ReportWriter } from '../types.js';
import { buildReportView } from '../view-model.js';
import BOOT_JS_FILE from './assets/boot.js?raw';
import CSS_FILE from './assets/dashboard.css?raw';
import { buildTimelines, buildTrends, type ChartSpec } from './charts.js';
import { loadChartJs } from './chartjs.js';
import { timelineSection, trendSection } from './sections/charts.js';
import { environmentSection } from './sections/environment.js';
import { laneSection } from './sections/lanes.js';
import { recommendationSection } from './sections/recommendations.js';
import { regressionSection } from './sections/regressions.js';
import { slaSection } from './sections/sla.js';
import { statisticsSection } from './sections/statistics.js';
import { summarySection } from './sections/summary.js';
import { workflowSection } from './sections/workflows.js';
import { markup, jsonForScript, raw } from './template.js';

export { escapeHtml, join, jsonForScript, markup, raw, SafeHtml } from './template.js';
export { loadChartJs } from './chartjs.js';
export {
  axisDate,
  scaleToData,
  TIMELINE_MAX_ITERATIONS,
  TIMELINE_MAX_POINTS,
  TIMELINE_MAX_RUNS,
  TREND_MAX_POINTS,
} from './charts.js';

// line ends normalized as the HTML parser will, so the CSP hashes match what the browser sees
const BOOT_JS = BOOT_JS_FILE.replace(/\r\n?/g, '\n');
const CSS = CSS_FILE.replace(/\r\n?/g, '\n');

function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

export function renderHtml(input: ReportInput): string {
  const idPrefix = 'c';
  const view = buildReportView(input);
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
    ['workflows', 'Workflows'],
    ['lanes', 'Lanes'],
    ['statistics', 'Statistics'],
    ['timelines', 'Timelines'],
    ['trends', 'Trends'],
    ['sla', 'SLA'],
    ['regressions', 'Regressions'],
    ...(input.recommendations ? ([['recommendations', 'Opportunities']] as Array<[string, string]>) : []),
    ['environment', 'Environment'],
  ];

  // raw(): only lanebench's own CSS and scripts, and JSON escaped for a script element
  return markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>lanebench performance dashboard</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header class="top"><h1>lanebench performance dashboard</h1><p class="meta">${meta.join(' · ')}</p></header>
<nav>${sections.map(([id, label]) => markup`<a href="#${id}">${label}</a>`)}</nav>
<main>
${summarySection(view)}
${workflowSection(input, view)}
${laneSection(view)}
${statisticsSection(view)}
${timelineSection(timelines)}
${trendSection(trends)}
${slaSection(view)}
${regressionSection(view)}
${recommendationSection(view, input.recommendations !== undefined)}
${environmentSection(view)}
</main>
<footer>Generated by lanebench. Charts by Chart.js (MIT License), embedded so this file works offline.</footer>
<script type="application/json" id="lanebench-data">${raw(jsonForScript({ charts }))}</script>
<script>${raw(chartJs)}</script>
<script>${raw(BOOT_JS)}</script>
</body>
</html>
`.toString();
}

export const htmlWriter: ReportWriter = {
  format: 'html',
  fileName: 'performance_dashboard.html',
  render: renderHtml,
};
