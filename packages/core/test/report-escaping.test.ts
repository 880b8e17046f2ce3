/**
 * Names and units are data, never markup (issue 11 item 8): the dashboard's template escapes every
 * interpolation by construction, and hostile units are refused where they enter lanebench.
 */
import { describe, expect, it } from 'vitest';
import { mergeHistories } from '../src/analysis/merge.js';
import { ConfigError, resolveConfig } from '../src/config/index.js';
import { markup, join, raw, renderHtml } from '../src/report/html/index.js';
import { cleanText, stripAnsi } from '../src/report/format.js';
import { escapeMarkdown, renderMarkdown } from '../src/report/markdown.js';
import { measure } from '../src/run/index.js';
import type { Run } from '../src/types.js';
import { unitProblem } from '../src/base/unit-text.js';
import { makeRun } from './fixtures/runs.js';

const META_UNIT = '<meta http-equiv="refresh" content="0;url=https://evil.example/">';
const H1_UNIT = '<h1 style="position:fixed;top:0">ALL SLAs COMPLIANT</h1>';

/** A run as an old metrics.json could hold it: units never went through validation. */
function hostileRun(): Run {
  const run = makeRun({ lane: 'docs', workflow: 'build site', exec: 2, memory: 100, cpu: 10, seed: 7 });
  for (const it of run.iterations) it.custom = { pages: 300, render: 1.5 };
  run.metrics_analysis.pages = { ...run.metrics_analysis.execution_time!, mean: 300, median: 300, min: 300, max: 300 };
  run.metrics_analysis.render = { ...run.metrics_analysis.execution_time!, mean: 1.5 };
  run.custom_units = { pages: META_UNIT, render: H1_UNIT };
  return run;
}

describe('markup tagged template', () => {
  it('escapes every interpolation, also inside arrays and attributes', () => {
    const name = `"><script>alert(1)</script>`;
    const out = markup`<td title="${name}">${name}${[name, markup`<b>${name}</b>`]}</td>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('"><');
    expect(out.match(/&lt;script&gt;/g)).toHaveLength(4);
    expect(out).toContain('<b>&quot;&gt;&lt;script&gt;');
  });

  it('inserts only markup`` fragments and raw() as markup; false/null/undefined are omitted', () => {
    expect(markup`${raw('<i>x</i>')}${false}${null}${undefined}${0}`.toString()).toBe('<i>x</i>0');
    expect(join(['<a>', markup`<b></b>`], ', ').toString()).toBe('&lt;a&gt;, <b></b>');
    // a plain object that looks like a fragment is text, not markup
    const fake = { toString: () => '<img src=x>' } as unknown as string;
    expect(markup`${fake}`.toString()).toBe('&lt;img src=x&gt;');
  });
});

describe('stripAnsi / cleanText (error texts from colored command output)', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', 'red'],
    ['\u001b[38;2;1;2;3mrgb\u001b[39m', 'rgb'],
    ['\u001b[2J\u001b[Hclear', 'clear'],
    ['\u001b[?25lhidden cursor', 'hidden cursor'],
    ['\u001bMreverse index', 'reverse index'],
    ['\u001b]0;my window title\u0007after', 'after'],
    ['\u001b]8;;https://evil.invalid/a b\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['\u009b31mC1 CSI', 'C1 CSI'],
  ])('removes the whole sequence from %j, payload included', (input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });

  it('cleanText also drops the remaining controls but keeps tabs and newlines', () => {
    expect(cleanText('a\u0007b\tc\r\nd\u001b')).toBe('ab\tc\nd');
  });
});

describe('hostile units in the dashboard', () => {
  it('render as text: no meta refresh, no heading from a unit', () => {
    const run = hostileRun();
    const page = renderHtml({ runs: [run], history: [run], generated_at: '2026-02-01T10:00:00Z' });
    expect(page).not.toContain('<meta http-equiv="refresh"');
    expect(page.match(/<h1\b/g)).toHaveLength(1);
    expect(page).toContain('&lt;meta http-equiv=&quot;refresh&quot;');
    expect(page).toContain('ALL SLAs COMPLIANT&lt;/h1&gt;');
    // counts print as integers
    expect(page).toContain('>300 &lt;meta');
  });

  it('render as code spans in Markdown', () => {
    const run = hostileRun();
    run.workflow = 'see https://evil.example/x and www.evil.example';
    const md = renderMarkdown({ runs: [run], history: [], generated_at: 'now' });
    const row = md.split('\n').find((l) => l.startsWith('| `docs`'))!;
    expect(row).toContain('| `see https://evil.example/x and www.evil.example` |');
    // outside code spans no bare URL is left for GitHub to autolink
    expect(md.replace(/`[^`]*`/g, '')).not.toMatch(/https:\/\/|www\./);
    // free text (messages) keeps the URL readable but breaks the autolink triggers
    expect(escapeMarkdown('see https://evil.example or www.evil.example or a@b.example')).toBe(
      'see https:\\/\\/evil.example or www\\.evil.example or a\\@b.example',
    );
  });
});

describe('units are validated where they enter', () => {
  it('accepts ordinary units and refuses markup, control characters and long text', () => {
    for (const ok of ['', 'ms', 'MB', 'files', 'req/s', 'µs', '°C', '%', 'pages (html)'])
      expect(unitProblem(ok)).toBeNull();
    for (const bad of [META_UNIT, 'a\u001b[2Jb', 'x\ny', 'ms\u202e', 'a'.repeat(17), '<b>'])
      expect(unitProblem(bad)).toMatch(/not valid/);
    expect(unitProblem(5)).toMatch(/not a string/);
  });

  it('ctx.metric refuses a hostile unit and the error names it', async () => {
    const run = await measure((ctx) => ctx.metric('pages', 3, META_UNIT), { iterations: 1, lane: 'docs' });
    expect(run.status).toBe('failed');
    expect(run.iterations[0]!.error).toContain(`ctx.metric('pages'): unit "<meta http-equiv=`);
    expect(run.custom_units.pages).toBeUndefined();
  });

  it('the customMetrics config refuses it with a ConfigError naming the key', () => {
    expect(() => resolveConfig({ lanes: { docs: { customMetrics: { pages: H1_UNIT } } } })).toThrow(ConfigError);
    expect(() => resolveConfig({ lanes: { docs: { customMetrics: { pages: H1_UNIT } } } })).toThrow(
      /lanes\.docs\.customMetrics\.pages: unit "<h1 style=/,
    );
    expect(() => resolveConfig({ lanes: { docs: { customMetrics: { pages: 'pages' } } } })).not.toThrow();
  });

  it('merge refuses a file whose run carries a hostile unit, naming the run', () => {
    const run = hostileRun();
    expect(() => mergeHistories([{ schema_version: 1, runs: [run] }])).toThrow(
      new RegExp(`run ${run.id}: custom_units\\.pages: unit "<meta`),
    );
    run.custom_units = { pages: 'pages', render: 's' };
    expect(mergeHistories([{ schema_version: 1, runs: [run] }]).runs).toHaveLength(1);
  });
});
