/**
 * Hostile names (docs/SECURITY.md): workflow names, lane names, error texts and custom metric names that
 * try to break out of HTML, CSV, XML and Markdown reach every report inert: HTML-escaped (and no
 * script runs in a real browser), CSV neutralized against formula injection, XML escaped with
 * control characters removed (valid against junit-10.xsd), Markdown escaped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import {
  renderConsoleSummary,
  renderMarkdown,
  writeReports,
  type ReportInput,
  type Run,
} from '../packages/core/src/index.js';
import { makeRun } from './helpers/runs.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, junitSchema, toolAvailable } from './helpers/tools.js';

/** Each name attacks at least one format. */
const HOSTILE = [
  '<script>alert("xss-1")</script>',
  '</script><script>alert("xss-2")</script>',
  '<img src=x onerror=alert("xss-3")>',
  '"><svg onload=alert("xss-4")>',
  "' onmouseover='alert(5)",
  '=1+1',
  '+SUM(1;2)',
  "-2+3+cmd|' /C calc'!A0",
  '@HYPERLINK("http://example.invalid","x")',
  '\tindented',
  'quotes "double" and \'single\', commas, and\r\nnew lines',
  'control \u0001\u0002\u0007\u0008\u000b\u000c\u001b[31mred\u001b[0m \u007f chars',
  'cdata ]]> end <![CDATA[ x ]]>',
  'entity &amp; &lt;b&gt; &#x3c;',
  '| pipe | table | `code` **bold** [link](javascript:alert(6))',
  'unicode \u2028 line \u2029 separators ✓ é',
];

function hostileRuns(): Run[] {
  return HOSTILE.map((name, i) => {
    const run = makeRun({ seed: i + 1, workflow: name, iterations: 3, timeline: 5 });
    run.file = `lanes/${name}.bench.ts`;
    if (i % 3 === 0) {
      // an SLA failure whose message repeats the name
      run.sla = {
        compliant: false,
        strict: false,
        passed: false,
        checked: 1,
        violations: [
          {
            name: 'execution_time_p95',
            metric: 'execution_time',
            aggregation: 'p95',
            operator: '<=',
            value: 999,
            threshold: 1,
            unit: 's',
            severity: 'error',
            message: `execution_time_p95 of ${name}: 999 > 1`,
          },
        ],
      };
    }
    if (i % 4 === 1) {
      // a crashed run whose error text carries the name
      run.status = 'failed';
      for (const it of run.iterations) {
        it.status = 'failed';
        it.error = `Command failed: ${name}`;
      }
    }
    return run;
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function render(): Promise<{ dir: string; files: Record<string, string>; runs: Run[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-fault-names-'));
  dirs.push(dir);
  const runs = hostileRuns();
  const input: ReportInput = {
    runs,
    history: runs,
    generated_at: '2025-01-02T03:04:05.000Z',
    regressions: [],
    recommendations: [],
  };
  const paths = await writeReports(input, { outputDir: dir, formats: ['html', 'csv', 'junit', 'markdown'] });
  const files: Record<string, string> = {};
  for (const [format, p] of Object.entries(paths)) files[format] = readFileSync(p, 'utf8');
  return { dir, files, runs };
}

describe('hostile names in every report', () => {
  it('HTML: no injected markup, names shown escaped, no control characters', async () => {
    const { files } = await render();
    const html = files.html!;
    for (const name of HOSTILE) {
      for (const bad of ['<script>alert', '<img src=x', '<svg onload', "onmouseover='alert"]) {
        if (name.includes(bad)) expect(html).not.toContain(bad);
      }
    }
    expect(html).not.toMatch(/alert\("xss-\d"\)<\/script>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;xss-1&quot;)&lt;/script&gt;');
    // only lanebench's own scripts: count <script openings against the dashboard's structure
    const scripts = html.match(/<script\b/gi) ?? [];
    const closing = html.match(/<\/script>/gi) ?? [];
    expect(scripts.length).toBe(closing.length);
    expect(scripts.length).toBeLessThanOrEqual(4);
    expect(html).not.toMatch(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it.skipIf(!toolAvailable(CHROMIUM_PATH, 'runs the dashboard with hostile names in a real browser'))(
    'HTML in headless Chromium: no script of a name runs, every name is visible as text',
    async () => {
      const { dir } = await render();
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS],
      });
      try {
        const page = await browser.newPage();
        const dialogs: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(pathToFileURL(join(dir, 'performance_dashboard.html')).href, { waitUntil: 'load' });
        await page.waitForTimeout(500);
        // hover everything, in case a handler was injected
        // (browser code as strings: the repo's tsconfig has no DOM types)
        await page.evaluate(
          "document.querySelectorAll('*').forEach((e) => e.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })))",
        );
        const found = await page.evaluate<{ injected: number; text: string }>(
          "({ injected: document.querySelectorAll('img[onerror], svg[onload], [onmouseover]').length, text: document.body.innerText })",
        );
        expect(dialogs).toEqual([]);
        expect(found.injected).toBe(0);
        expect(found.text).toContain('<script>alert("xss-1")</script>');
        expect(found.text).toContain('=1+1');
      } finally {
        await browser.close();
      }
    },
    120_000,
  );

  it('CSV: every text cell that a spreadsheet would run as a formula is neutralized; rows stay intact', async () => {
    const { files, runs } = await render();
    const rows: string[][] = parseCsv(files.csv!, { relax_quotes: false });
    expect(rows).toHaveLength(runs.length + 1);
    const header = rows[0]!;
    expect(header.slice(0, 10)).toEqual([
      'Benchmark ID',
      'Lane',
      'Start Time',
      'Duration',
      'Iterations',
      'Status',
      'Exec Time Mean',
      'Exec Time P95',
      'Memory Max',
      'CPU Mean',
    ]);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(header.length);
      for (const cell of row) {
        if (cell === '' || Number.isFinite(Number(cell))) continue;
        expect(cell, `cell ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r\n]/);
      }
    }
    const workflowCol = header.indexOf('Workflow');
    expect(workflowCol).toBeGreaterThanOrEqual(10);
    const shown = rows.slice(1).map((r) => r[workflowCol]);
    expect(shown).toContain("'=1+1");
    expect(shown).toContain('\'@HYPERLINK("http://example.invalid","x")');
    expect(shown).toContain('<script>alert("xss-1")</script>'); // harmless in CSV, kept as text
  });

  it('JUnit: well-formed XML without control characters, names intact after parsing, valid against junit-10.xsd', async () => {
    const { dir, files, runs } = await render();
    const xml = files.junit!;
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: {
        testsuite: Array<{ testcase: Array<{ name: string }> | { name: string } }> | { testcase: unknown };
      };
    };
    const suites = ([] as Array<{ testcase: unknown }>).concat(doc.testsuites.testsuite as never);
    const names = suites
      .flatMap((s) => ([] as Array<{ name: string }>).concat(s.testcase as never))
      .map((c) => String(c.name));
    expect(names).toHaveLength(runs.length);
    expect(names.some((n) => n.includes('<script>alert("xss-1")</script>'))).toBe(true);
    expect(names.some((n) => n.includes(']]>'))).toBe(true);
    const xsd = junitSchema();
    if (xsd) {
      const r = spawnSync('xmllint', ['--noout', '--schema', xsd, join(dir, 'junit.xml')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('Markdown summary: no raw HTML tags from names, table rows not broken by pipes or newlines', async () => {
    const { files, runs } = await render();
    const md = files.markdown!;
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img src=x');
    expect(md).not.toContain('<svg onload');
    expect(md).not.toMatch(/\]\(javascript:/);
    // terminal escape sequences are stripped (other C0 characters are not required to be, docs/SECURITY.md
    // names HTML, CSV and XML)
    expect(md).not.toContain('\u001b');
    // the same input rendered directly gives the same text (no hidden state)
    expect(
      renderMarkdown({
        runs,
        history: runs,
        generated_at: '2025-01-02T03:04:05.000Z',
        regressions: [],
        recommendations: [],
      }),
    ).toBe(md);
  });

  it('console summary: terminal escape sequences from names are not passed through', () => {
    const runs = hostileRuns();
    const text = renderConsoleSummary(runs, { color: false });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('=1+1');
  });
});
