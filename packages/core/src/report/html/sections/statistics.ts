/** Statistics: one table per run; metrics that were 0 in every iteration collapse into one line. */
import { allZeroMetrics, fmtMetric, fmtStdev, metricUnit, SMALL_SAMPLE_NOTE } from '../../format.js';
import { orderedMetrics } from '../../stats-text.js';
import type { ReportView, RunSummary } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';
import { dag } from './common.js';
import { iterationsCell } from './lanes.js';

function block(s: RunSummary): SafeHtml {
  const r = s.run;
  const metrics = orderedMetrics(r);
  const title = markup`<h3>
    ${r.lane} / ${r.workflow}
    <span class="muted small">${r.id}</span>${s.iterations.partial && markup` ${iterationsCell(s)}`}
  </h3>`;
  if (metrics.length === 0)
    return markup`${title}
      <p class="muted">No statistics: no iteration passed.</p>`;
  const zero = allZeroMetrics(r, metrics);
  const shown = metrics.filter((m) => !zero.includes(m));
  const rows = shown.map((m) => {
    const st = r.metrics_analysis[m]!;
    const f = (v: number) => fmtMetric(m, v, r);
    const unit = metricUnit(m, r);
    return markup`<tr>
      <td class="name">${m}${unit && markup` <span class="muted">(${unit})</span>`}</td>
      <td class="num">${f(st.mean)}</td>
      <td class="num">${f(st.median)}</td>
      <td class="num">${fmtStdev(m, st, r)}</td>
      <td class="num">${f(st.min)}</td>
      <td class="num">${f(st.max)}</td>
      <td class="num">${f(st.p95)}${dag(r, m, 'p95')}</td>
      <td class="num">${f(st.p99)}${dag(r, m, 'p99')}</td>
      <td class="num">${st.samples}</td>
    </tr>`;
  });
  return markup`${title}
  ${
    rows.length > 0 &&
    markup`<div class="scroll">
      <table class="stats">
        <thead>
          <tr>
            <th>Metric</th>
            <th class="num">Mean</th>
            <th class="num">Median</th>
            <th class="num">Stdev</th>
            <th class="num">Min</th>
            <th class="num">Max</th>
            <th class="num">P95</th>
            <th class="num">P99</th>
            <th class="num">Samples</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`
  }
  ${zero.length > 0 && markup`<p class="muted small zero-metrics">${zeroLine(zero)}</p>`}
  ${
    (r.notes?.length ?? 0) > 0 &&
    markup`<ul class="notes">
      ${r.notes.map((n) => markup`<li>${n}</li>`)}
    </ul>`
  }`;
}

/** "disk and network: 0 in every iteration" when all of them are zero, else the names. */
export function zeroLine(zero: readonly string[]): string {
  const disk = ['disk_read_bytes', 'disk_write_bytes', 'disk_io'];
  const net = ['network_rx_bytes', 'network_tx_bytes', 'network_io'];
  const has = (group: string[]) => group.every((m) => zero.includes(m));
  const groups: string[] = [];
  let rest = [...zero];
  if (has(disk)) {
    groups.push('disk');
    rest = rest.filter((m) => !disk.includes(m));
  }
  if (has(net)) {
    groups.push('network');
    rest = rest.filter((m) => !net.includes(m));
  }
  return `${[groups.join(' and '), ...rest].filter(Boolean).join(', ')}: 0 in every iteration`;
}

export function statisticsSection(view: ReportView): SafeHtml {
  const note = view.hasUnresolved && markup`<p class="note">† ${SMALL_SAMPLE_NOTE}</p>`;
  return markup`<section id="statistics">
    <h2>Statistics</h2>
    <p class="muted">
      Over passed iterations; standard deviation is the sample standard deviation (n − 1, shown as — for a single
      sample); percentiles interpolate linearly between order statistics.
    </p>
    ${note}${view.runs.map(block)}
  </section>`;
}
