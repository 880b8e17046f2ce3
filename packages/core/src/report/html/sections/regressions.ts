/**
 * Regressions: verdicts of the comparisons that were made, and a short list of the ones that could not
 * be (first run, too few samples, another machine). "No regression detected." is only said when at
 * least one comparison was made.
 */
import { fmtMetric, fmtSigned } from '../../format.js';
import { pValueLabel, verdictLabel, verdictTone } from '../../labels.js';
import type { ReportView } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';
import { badge, plural } from './common.js';

const ORDER: Record<string, number> = { regression: 0, improvement: 1, inconclusive: 2, 'no-change': 3 };

export function regressionSection(view: ReportView): SafeHtml {
  const c = view.comparisons;
  const head = markup`<h2>Regressions</h2>`;
  if (!c)
    return markup`<section id="regressions">
      ${head}
      <p class="muted">Regression detection was not run.</p>
    </section>`;
  if (c.made.length === 0 && c.notMade.length === 0)
    return markup`<section id="regressions">
      ${head}
      <p class="muted">No comparisons: no earlier runs to compare with.</p>
    </section>`;
  const summary =
    c.made.length === 0
      ? markup`<p class="muted">
          No comparison could be made yet (${plural(c.notMade.length, 'metric')} without enough comparable data), so
          nothing is known about regressions.
        </p>`
      : c.detected > 0
        ? markup`<p>
            <span class="t-bad"><b>${c.detected}</b> regression${c.detected > 1 ? 's' : ''} detected.</span>
          </p>`
        : undecided(c.made) > 0
          ? // an inconclusive comparison (noise, a busier machine) may hide a regression: not an all-clear
            markup`<p>
              <span class="t-warn">No regression shown</span>, but ${undecided(c.made)} of
              ${plural(c.made.length, 'comparison')} inconclusive (see below).
            </p>`
          : markup`<p><span class="t-ok">No regression detected</span> in ${plural(c.made.length, 'comparison')}.</p>`;
  const rows = [...c.made]
    .sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9))
    .map(
      (g) =>
        markup`<tr>
          <td>${g.lane}</td>
          <td class="name">${g.workflow}</td>
          <td><code>${g.metric}</code></td>
          <td>${badge(verdictTone(g.status), verdictLabel(g.status))}</td>
          <td class="num">${fmtMetric(g.metric, g.baseline_mean)}</td>
          <td class="num">${fmtMetric(g.metric, g.candidate_mean)}</td>
          <td class="num">${fmtSigned(g.change_pct)}</td>
          <td class="num">${pValueLabel(g.p_value)}</td>
          <td class="num">${g.baseline_runs}</td>
        </tr>`,
    );
  const table =
    rows.length > 0 &&
    markup`<div class="scroll">
      <table>
        <thead>
          <tr>
            <th>Lane</th>
            <th>Workflow</th>
            <th>Metric</th>
            <th>Result</th>
            <th class="num">Baseline mean</th>
            <th class="num">Candidate mean</th>
            <th class="num">Change</th>
            <th class="num">p-value</th>
            <th class="num">Baseline runs</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
  const notMade =
    c.notMade.length > 0 &&
    markup`<details>
      <summary>${plural(c.notMade.length, 'comparison')} not made</summary>
      <ul class="notes">
        ${c.notMade.map((g) => markup`<li>${badge(verdictTone(g.status), verdictLabel(g.status))} ${g.message}</li>`)}
      </ul>
    </details>`;
  return markup`<section id="regressions">${head}${summary}${table}${notMade}</section>`;
}

const undecided = (made: ReadonlyArray<{ status: string }>): number =>
  made.filter((g) => g.status === 'inconclusive').length;
