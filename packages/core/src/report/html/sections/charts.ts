/** Resource timelines (latest run of each workflow) and historical trends. */
import type { TimelineInfo, TrendInfo } from '../charts.js';
import { markup, type SafeHtml } from '../template.js';
import { chartBox, plural } from './common.js';

export function timelineSection(timelines: TimelineInfo[]): SafeHtml {
  const blocks = timelines.map((t) => {
    const total = t.run.iterations.length;
    const shown = t.iterationsShown < total ? ` — ${t.iterationsShown} of ${total} iterations shown` : '';
    return markup`<h3>${t.run.lane} / ${t.run.workflow}<span class="muted small">${shown}</span></h3>
      <div class="grid">${chartBox(t.cpu, 'CPU per iteration')}${chartBox(t.mem, 'Memory per iteration')}</div>`;
  });
  return markup`<section id="timelines">
    <h2>Resource timelines</h2>
    <p class="muted">Latest run of each workflow; one line per iteration, sampled during the run.</p>
    ${blocks.length ? blocks : markup`<p class="muted">No runs in this session.</p>`}
  </section>`;
}

export function trendSection(trends: TrendInfo[]): SafeHtml {
  const blocks = trends.map((t) => {
    const notes: string[] = [`${plural(t.total, 'run')} in history`];
    if (t.shown < t.total) notes.push(`downsampled to ${t.shown} points`);
    if (t.changePoints.length) notes.push(plural(t.changePoints.length, 'change point'));
    if (t.abSessions.length) notes.push(plural(t.abSessions.length, 'A/B session'));
    if (t.envs > 1) notes.push(`⚠ runs from ${t.envs} different environments — compare with care`);
    return markup`<h3>${t.lane} / ${t.workflow} <span class="muted small">${notes.join(' · ')}</span></h3>
      <div class="grid three">${t.charts.map((c) => chartBox(c.spec, c.title))}</div>`;
  });
  return markup`<section id="trends">
    <h2>Historical trends</h2>
    <p class="muted">
      Per run, oldest to newest; the axis spans the data. Dashed lines are SLA thresholds (red: error, amber: warning);
      a threshold far outside the data is an arrow at the top or bottom edge with its value. Vertical lines mark change
      points; the runs of an A/B session are shaded, base and head in different tints. Each chart's legend is under it.
    </p>
    ${blocks.length ? blocks : markup`<p class="muted">No history yet.</p>`}
  </section>`;
}
