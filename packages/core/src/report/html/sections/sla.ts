/** SLA compliance per lane and every violation or failed run of the session. */
import { formatMeasured } from '../../../thresholds/violation-text.js';
import { failingViolations, isIncomplete, plainNumber, reportedViolations, runErrorMessage } from '../../format.js';
import { violationFigures } from '../../stats-text.js';
import type { ReportView } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';
import { badge, laneBadge } from './common.js';

export function slaSection(view: ReportView): SafeHtml {
  const rows: SafeHtml[] = [];
  for (const { run: r } of view.runs) {
    if (isIncomplete(r)) {
      rows.push(
        markup`<tr class="row-bad">
          <td>${r.lane}</td>
          <td class="name">${r.workflow}</td>
          <td>run ${r.status}</td>
          <td colspan="3">${runErrorMessage(r)}</td>
          <td>${badge('bad', 'error')}</td>
        </tr>`,
      );
    }
    const failing = failingViolations(r);
    for (const v of reportedViolations(r)) {
      const measured = r.metrics_analysis?.[v.metric] !== undefined;
      const isErr = failing.includes(v);
      rows.push(
        markup`<tr class="${isErr ? 'row-bad' : 'row-warn'}">
          <td>${r.lane}</td>
          <td class="name">${r.workflow}</td>
          <td><code>${v.name}</code></td>
          <td class="num">${measured ? `${formatMeasured(v.value, v.operator, v.threshold)} ${v.unit}` : '—'}</td>
          <td class="num">${v.operator} ${plainNumber(v.threshold)} ${v.unit}</td>
          <td>${violationFigures(v, r)}</td>
          <td>${badge(isErr ? 'bad' : 'warn', v.severity)}</td>
        </tr>`,
      );
    }
  }
  const compliance = view.lanes.map((lane) => {
    const ok = lane.runs.filter((s) => !isIncomplete(s.run) && s.run.sla?.compliant !== false).length;
    const checks = lane.runs.reduce((n, s) => n + (s.run.sla?.checked ?? 0), 0);
    return markup`<li>
      ${laneBadge(lane.compliant)} <b>${lane.name}</b> — ${ok}/${lane.runs.length} runs compliant, ${checks} threshold
      checks
    </li>`;
  });
  return markup`<section id="sla">
    <h2>SLA compliance and violations</h2>
    <ul class="compliance">
      ${compliance}
    </ul>
    ${
      rows.length
        ? markup`<div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>Lane</th>
                  <th>Workflow</th>
                  <th>Threshold</th>
                  <th class="num">Measured</th>
                  <th class="num">Limit</th>
                  <th>Message</th>
                  <th>Severity</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>`
        : markup`<p class="t-ok">No violations.</p>`
    }
  </section>`;
}
