/** Lane-by-lane breakdown: one table per lane, one row per run of this session. */
import { fmtMB, fmtPct, fmtSeconds, isIncomplete, runErrorMessage, stat } from '../../format.js';
import type { ReportView, RunSummary } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';
import { dag, laneBadge, verdictBadge } from './common.js';

/** "5 of 5", or "⚠ 2 of 5" with a warning style on a partial run (the label every report uses). */
export function iterationsCell(s: RunSummary): SafeHtml {
  const it = s.iterations;
  return it.partial
    ? markup`<span class="partial" title="partial run: not every requested iteration passed">${it.marked}</span>`
    : markup`${it.text}`;
}

function row(s: RunSummary): SafeHtml {
  const r = s.run;
  const et = stat(r, 'execution_time');
  return markup`<tr>
    <td class="name">${r.workflow}${isIncomplete(r) && markup`<div class="err">${runErrorMessage(r)}</div>`}</td>
    <td>${r.status}</td>
    <td class="num">${iterationsCell(s)}</td>
    <td class="num">${fmtSeconds(et?.mean)}</td>
    <td class="num">${fmtSeconds(et?.median)}</td>
    <td class="num">${fmtSeconds(et?.p95)}${dag(r, 'execution_time', 'p95')}</td>
    <td class="num">${fmtSeconds(et?.p99)}${dag(r, 'execution_time', 'p99')}</td>
    <td class="num">${fmtMB(stat(r, 'memory_usage')?.max)}</td>
    <td class="num">${fmtPct(stat(r, 'cpu_usage')?.mean)}</td>
    <td>${verdictBadge(s.verdict)}</td>
    <td class="num">${s.errors + s.warnings}</td>
    <td class="num">${s.regressions ? markup`<span class="t-bad">${s.regressions}</span>` : '0'}</td>
  </tr>`;
}

export function laneSection(view: ReportView): SafeHtml {
  const parts = view.lanes.map(
    (lane) =>
      markup`<article class="lane">
        <h3>${lane.name} ${laneBadge(lane.compliant)}</h3>
        <div class="scroll">
          <table class="runs">
            <thead>
              <tr>
                <th>Workflow</th>
                <th>Status</th>
                <th class="num">Iterations</th>
                <th class="num">Mean</th>
                <th class="num">Median</th>
                <th class="num">P95</th>
                <th class="num">P99</th>
                <th class="num">Memory max</th>
                <th class="num">CPU avg</th>
                <th>SLA</th>
                <th class="num">Violations</th>
                <th class="num" title="Regressions">Regr.</th>
              </tr>
            </thead>
            <tbody>
              ${lane.runs.map(row)}
            </tbody>
          </table>
        </div>
      </article>`,
  );
  return markup`<section id="lanes">
    <h2>Lane-by-lane breakdown</h2>
    ${parts.length ? parts : markup`<p class="muted">No runs in this session.</p>`}
  </section>`;
}
