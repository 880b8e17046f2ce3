/** Environment: every machine/runtime of the session, with every runner that ran on it. */
import type { ReportView } from '../../view-model.js';
import { markup, join, type SafeHtml } from '../template.js';

export function environmentSection(view: ReportView): SafeHtml {
  const rows = view.environments.map(
    (e) =>
      markup`<tr>
        <td><code>${e.fingerprint}</code></td>
        <td>
          ${e.os} ${e.arch}
          <div class="muted small">${e.kernel}</div>
        </td>
        <td>${e.cpu} × ${e.cores}</td>
        <td class="num">${e.memoryGb} GB</td>
        <td>${e.node}</td>
        <td>${join(e.runners, ', ')}</td>
        <td>${e.ci}</td>
        <td>${join(e.hosts, ', ')}</td>
      </tr>`,
  );
  const commits = view.commits.map(
    (g) =>
      markup`<code>${g.sha ?? 'unknown'}</code
        >${g.branch && markup` on <b>${g.branch}</b>`}${g.dirty === true && markup` <span class="t-warn">(uncommitted changes)</span>`}`,
  );
  const n = view.otherHistoryEnvironments;
  return markup`<section id="environment">
    <h2>Environment</h2>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>Fingerprint</th>
            <th>OS</th>
            <th>CPU</th>
            <th class="num">Memory</th>
            <th>Node</th>
            <th>Runners</th>
            <th>CI</th>
            <th>Host</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    ${commits.length > 0 && markup`<p>Git: ${join(commits, '; ')}</p>`}
    ${n > 0 && markup`<p class="t-warn">The history also holds runs from ${n} other environment${n > 1 ? 's' : ''}; regression analysis does not mix them.</p>`}
  </section>`;
}
