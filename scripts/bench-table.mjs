// Shared by scripts/bench.mjs and scripts/bench-reports.mjs: runs the selected sections and prints
// one table of { section, figure, value, target?, ok? } rows; exit code 1 when a target is missed.
import os from 'node:os';

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** @param {string} title @param {Array<{ name: string, run: () => Promise<object[]> }>} sections @param {string[]} only */
export async function runSections(title, sections, only) {
  console.log(
    `${title} — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, load ${load()}`,
  );
  const rows = [];
  for (const s of sections) {
    if (only.length > 0 && !only.some((o) => s.name === o || s.name.startsWith(`${o}.`))) continue;
    process.stdout.write(`running ${s.name} …\n`);
    try {
      rows.push(...(await s.run()));
    } catch (err) {
      rows.push({ section: s.name, figure: 'error', value: String(err?.message ?? err), target: 'runs', ok: false });
    }
  }
  const cols = ['section', 'figure', 'value', 'target', 'ok'];
  const cell = (r, c) => (c === 'ok' ? (r.target === undefined ? '' : r.ok ? 'yes' : 'NO') : String(r[c] ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (vals) => vals.map((v, i) => v.padEnd(widths[i])).join(' | ');
  console.log(`\n${line(cols)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
  console.log(`\nload at end: ${load()}`);
  process.exitCode = rows.some((r) => r.target !== undefined && !r.ok) ? 1 : 0;
}
