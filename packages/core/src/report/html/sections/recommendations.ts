/** Optimization opportunities: one card per recommendation, most urgent first within each lane. */
import { fixed, textSegments } from '../../format.js';
import type { RecommendationView, ReportView } from '../../view-model.js';
import { markup, type SafeHtml } from '../template.js';

/** Advice text with its `code` spans as <code> elements (no Markdown syntax reaches the page). */
export function adviceText(s: string): SafeHtml {
  return markup`${textSegments(s).map((p) => (p.code ? markup`<code>${p.text}</code>` : p.text))}`;
}

function recCard(v: RecommendationView): SafeHtml {
  const r = v.rec;
  const evidence = Object.entries(r.evidence ?? {}).map(
    ([k, val]) =>
      markup`<dt>${k}</dt>
        <dd>${typeof val === 'number' ? fixed(val, Number.isInteger(val) ? 0 : 2) : val}</dd>`,
  );
  const prio = Math.min(5, Math.max(1, Math.round(r.priority)));
  return markup`<div class="card rec p${prio}">
    <div class="card-head"><span class="prio">P${prio}</span><b>${r.title}</b></div>
    <div class="muted small">
      ${r.lane}${r.workflow && ` / ${r.workflow}`} · est. improvement ${v.improvement} · effort
      ${r.effort}${v.sampleNote && markup` · <span class="t-warn">${v.sampleNote}</span>`}
    </div>
    <p>${adviceText(r.description)}</p>
    ${
      (r.steps?.length ?? 0) > 0 &&
      markup`<ol>
        ${r.steps.map((s) => markup`<li>${adviceText(s)}</li>`)}
      </ol>`
    }
    ${
      evidence.length > 0 &&
      markup`<details>
        <summary>Evidence</summary>
        <dl class="mini">${evidence}</dl>
      </details>`
    }
  </div>`;
}

export function recommendationSection(view: ReportView, requested: boolean): SafeHtml | false {
  if (!requested) return false;
  if (view.recommendations.length === 0)
    return markup`<section id="recommendations">
      <h2>Optimization opportunities</h2>
      <p class="muted">No recommendation: nothing in the measured profile calls for one.</p>
    </section>`;
  return markup`<section id="recommendations">
    <h2>Optimization opportunities</h2>
    <div class="recs">${view.recommendations.map(recCard)}</div>
  </section>`;
}
