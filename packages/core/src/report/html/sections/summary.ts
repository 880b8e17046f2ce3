/** Executive summary: the headline verdict, the session's counts and one card per lane. */
import { fmtMB, fmtPct, fmtSeconds } from '../../format.js';
import { PARTIAL_MARK } from '../../labels.js';
import type { LaneSummary, ReportView } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';
import { laneBadge, plural } from './common.js';

/** The headline every report shows first; the same words as the Markdown and console summaries. */
export function headline(view: ReportView): string {
  const o = view.overall;
  // a partial run is never a plain pass: the headline says so, with the iterations kept
  const partial = o.partial.length ? ` on partial data (${o.partial.map((s) => s.iterations.text).join(', ')})` : '';
  return o.compliant
    ? `${partial ? PARTIAL_MARK : '✓'} All ${plural(o.laneCount, 'lane')} compliant${partial}`
    : `✗ ${o.nonCompliantLanes.length} of ${plural(o.laneCount, 'lane')} not compliant`;
}

function laneCard(lane: LaneSummary): SafeHtml {
  const w = lane.worst;
  const head =
    w.execMean === undefined
      ? markup`<div class="headline t-bad">${lane.failed} failed<small>no iteration passed, no statistics</small></div>`
      : markup`<div class="headline">
          ${fmtSeconds(w.execMean)}<small>${lane.workflows > 1 ? 'slowest mean' : 'mean'} execution time</small>
        </div>`;
  return markup`<div class="card lane-card">
    <div class="card-head"><span class="lane-name">${lane.name}</span>${laneBadge(lane.compliant)}</div>
    ${head}
    <dl class="mini">
      <dt>p95</dt>
      <dd>${fmtSeconds(w.execP95)}</dd>
      <dt>memory max</dt>
      <dd>${fmtMB(w.memoryMax)}</dd>
      <dt>cpu avg</dt>
      <dd>${fmtPct(w.cpuMean)}</dd>
      <dt>workflows</dt>
      <dd>${lane.workflows} (${plural(lane.runs.length, 'run')})</dd>
      <dt>violations</dt>
      <dd>
        ${lane.errors ? markup`<span class="t-bad">${plural(lane.errors, 'error')}</span>` : '0 errors'}${lane.warnings > 0 && markup`, <span class="t-warn">${plural(lane.warnings, 'warning')}</span>`}
      </dd>
      ${
        lane.failed > 0 &&
        markup`<dt>failed runs</dt>
          <dd class="t-bad">${lane.failed}</dd>`
      }
    </dl>
  </div>`;
}

export function summarySection(view: ReportView): SafeHtml {
  const o = view.overall;
  return markup`<section id="summary">
    <h2>Executive summary</h2>
    <div class="card overall ${o.compliant ? 'ok' : 'bad'}">
      <div class="big">${headline(view)}</div>
      <div class="kpis">
        <span><b>${o.runs}</b> runs</span><span><b>${o.incomplete}</b> failed / timed out</span
        ><span><b>${o.violations}</b> SLA violations</span><span><b>${o.regressions}</b> regressions</span>
      </div>
    </div>
    <div class="cards">${view.lanes.map(laneCard)}</div>
  </section>`;
}
