/** Small fragments several sections share. */
import type { Run } from '../../../types.js';
import { stat } from '../../format.js';
import { PARTIAL_MARK, type RunVerdict } from '../../labels.js';
import { legendItems, type ChartSpec, type LegendItem } from '../charts.js';
import { markup, type SafeHtml } from '../template.js';

export function badge(tone: 'ok' | 'warn' | 'bad' | 'neutral', text: string): SafeHtml {
  return markup`<span class="badge ${tone}">${text.toUpperCase()}</span>`;
}

export function laneBadge(compliant: boolean): SafeHtml {
  return badge(compliant ? 'ok' : 'bad', compliant ? 'compliant' : 'not compliant');
}

export function verdictBadge(v: RunVerdict): SafeHtml {
  // a partial run is never a plain pass: the badge carries the warning mark
  return badge(v.tone, v.kind === 'partial' ? `${PARTIAL_MARK} ${v.label}` : v.label);
}

/** † after a percentile that the sample count cannot resolve. */
export function dag(run: Run, metric: string, key: 'p95' | 'p99'): SafeHtml | false {
  return (
    (stat(run, metric)?.unresolved?.includes(key) ?? false) &&
    markup`<sup class="dag" title="fewer samples than this percentile needs">†</sup>`
  );
}

export function chartBox(spec: ChartSpec | undefined, title: string): SafeHtml {
  if (!spec)
    return markup`<figure class="chart-box">
      <figcaption>${title}</figcaption>
      <p class="muted">No data recorded.</p>
    </figure>`;
  return markup`<figure class="chart-box">
    <figcaption>${title}</figcaption>
    <div class="chart"><canvas id="${spec.id}" role="img" aria-label="${title}"></canvas></div>
    ${chartLegend(legendItems(spec), spec.id)}
  </figure>`;
}

/**
 * A chart's legend as HTML (not drawn on the canvas): it wraps on a narrow screen instead of being dropped, its
 * text is real text (readable, selectable, found by tests), and the canvas keeps its whole height for the data.
 */
export function chartLegend(items: LegendItem[], chartId: string): SafeHtml | false {
  return (
    items.length > 0 &&
    markup`<ul class="legend" data-chart="${chartId}">
      ${items.map(
        (i) =>
          markup`<li><span class="swatch ${i.swatch}" style="--swatch:${i.color}" aria-hidden="true"></span>${i.label}</li>`,
      )}
    </ul>`
  );
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
