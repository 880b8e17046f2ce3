/** Small fragments several sections share. */
import type { Run } from '../../../types.js';
import { stat } from '../../format.js';
import { PARTIAL_MARK, type RunVerdict } from '../../labels.js';
import type { ChartSpec } from '../charts.js';
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
  </figure>`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
