import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, neutralizeCsvText, renderCsv } from '../src/report/csv.js';
import { makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';

const FIRST = [
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
];

describe('csv report', () => {
  const runs = sessionRuns();
  const text = renderCsv({ runs, history: [], generated_at: 'now' });
  const rows = parse<Record<string, string>>(text, { columns: true, cast: false });

  it('starts with the SPEC columns, uses CRLF and one row per run', () => {
    expect(text.split('\r\n')[0]!.split(',').slice(0, 10)).toEqual(FIRST);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n'); // records end with CRLF, no bare LF
    expect(rows).toHaveLength(runs.length);
    for (const c of [
      'Workflow',
      'Exec Time Median (s)',
      'Exec Time P99 (s)',
      'Exec Time Stdev (s)',
      'CPU Seconds Mean (s)',
      'Disk IO Mean (B)',
      'Network IO Mean (B)',
      'Compliant',
      'Violations',
      'Git SHA',
      'Env Fingerprint',
    ]) {
      expect(Object.keys(rows[0]!)).toContain(c);
    }
  });

  it('round-trips the figures of every run', () => {
    runs.forEach((run, i) => {
      const row = rows[i]!;
      expect(row['Benchmark ID']).toBe(run.id);
      expect(row.Lane).toBe(run.lane);
      expect(row['Start Time']).toBe(run.started_at);
      expect(Number(row.Duration)).toBeCloseTo(run.duration_s, 6);
      expect(Number(row.Iterations)).toBe(run.iterations.length);
      expect(row.Status).toBe(run.status);
      const et = run.metrics_analysis.execution_time;
      if (et) {
        expect(Number(row['Exec Time Mean'])).toBeCloseTo(et.mean, 5);
        expect(Number(row['Exec Time P95'])).toBeCloseTo(et.p95, 5);
        expect(Number(row['Exec Time Median (s)'])).toBeCloseTo(et.median, 5);
        expect(Number(row['Exec Time P99 (s)'])).toBeCloseTo(et.p99, 5);
        expect(Number(row['Exec Time Stdev (s)'])).toBeCloseTo(et.stdev, 5);
        expect(Number(row['Memory Max'])).toBeCloseTo(run.metrics_analysis.memory_usage!.max, 5);
        expect(Number(row['CPU Mean'])).toBeCloseTo(run.metrics_analysis.cpu_usage!.mean, 5);
        expect(Number(row['CPU Seconds Mean (s)'])).toBeCloseTo(run.metrics_analysis.cpu_seconds!.mean, 5);
        expect(Number(row['Disk IO Mean (B)'])).toBeCloseTo(run.metrics_analysis.disk_io!.mean, 5);
      } else {
        expect(row['Exec Time Mean']).toBe('');
      }
      expect(row.Compliant).toBe(String(run.sla.compliant));
      expect(Number(row.Violations)).toBe(run.sla.violations.length);
      expect(row['Git SHA']).toBe(run.git.sha);
      expect(row['Env Fingerprint']).toBe(run.env.fingerprint);
    });
  });

  it('quotes per RFC 4180 and neutralizes formula-like text', () => {
    const byWorkflow = Object.fromEntries(rows.map((r) => [r.Workflow!, r]));
    expect(byWorkflow["'=1+1"]).toBeDefined();
    expect(byWorkflow['integration "e2e", all']).toBeDefined();
    expect(byWorkflow[XSS_NAME]).toBeDefined();
    expect(text).toContain('"integration ""e2e"", all"');
    for (const s of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '\nx']) expect(neutralizeCsvText(s)).toBe(`'${s}`);
    expect(neutralizeCsvText('plain')).toBe('plain');
    // numbers stay numbers, negative numbers included
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(1e-9)).toBe('0');
    expect(csvCell(3e21)).toBe('3000000000000000000000');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('-12.5')).toBe("'-12.5");
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('parses hostile names back intact (apart from the neutralizing quote)', () => {
    const run = makeRun({
      lane: '@lane',
      workflow: '-cmd|" /C calc"!A0, \r\nline2',
      exec: 5,
      memory: 5,
      cpu: 5,
      thresholds: [],
    });
    const back = parse<Record<string, string>>(renderCsv({ runs: [run], history: [], generated_at: 'now' }), {
      columns: true,
    });
    expect(back[0]!.Lane).toBe("'@lane");
    expect(back[0]!.Workflow).toBe(`'-cmd|" /C calc"!A0, \r\nline2`);
  });

  it('quotes cells with ; or , and neutralizes a formula start after either', () => {
    // `x;=1+1` split on `;` by a European-locale spreadsheet would start a cell with =1+1
    expect(csvCell('x;=1+1')).toBe(`"x;'=1+1"`);
    expect(csvCell('a, =SUM(A1)')).toBe(`"a, '=SUM(A1)"`);
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('@x;+y')).toBe(`"'@x;'+y"`);
    expect(csvCell('\uFF1D1+1')).toBe("'\uFF1D1+1");
    const run = makeRun({ lane: 'docs', workflow: 'x;=1+1', exec: 5, memory: 5, cpu: 5, thresholds: [] });
    const back = parse<Record<string, string>>(renderCsv({ runs: [run], history: [], generated_at: 'now' }), {
      columns: true,
    });
    expect(back[0]!.Workflow).toBe("x;'=1+1");
    // the same file split on ';' (ignoring quotes, the worst case) has no cell starting a formula
    const naive = renderCsv({ runs: [run], history: [], generated_at: 'now' }).split(/[;,\r\n]/);
    expect(naive.filter((c) => /^[=+@]/.test(c.replace(/^"/, '')))).toEqual([]);
  });

  it("names the unit of every extra column after the guide's ten", () => {
    const header = renderCsv({ runs: [], history: [], generated_at: 'now' }).split('\r\n')[0]!.split(',');
    expect(header.slice(0, 10)).toEqual(FIRST);
    const numeric = header.slice(10).filter((h) => /Mean|Median|P99|Stdev|Min|Max/.test(h));
    expect(numeric.length).toBeGreaterThan(8);
    for (const h of numeric) expect(h, h).toMatch(/ \((s|MB|%|B)\)$/);
  });
});
