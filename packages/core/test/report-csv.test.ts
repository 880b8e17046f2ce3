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
      'Exec Time Median',
      'Exec Time P99',
      'Exec Time Stdev',
      'CPU Seconds Mean',
      'Disk IO Mean',
      'Network IO Mean',
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
        expect(Number(row['Exec Time Median'])).toBeCloseTo(et.median, 5);
        expect(Number(row['Exec Time P99'])).toBeCloseTo(et.p99, 5);
        expect(Number(row['Exec Time Stdev'])).toBeCloseTo(et.stdev, 5);
        expect(Number(row['Memory Max'])).toBeCloseTo(run.metrics_analysis.memory_usage!.max, 5);
        expect(Number(row['CPU Mean'])).toBeCloseTo(run.metrics_analysis.cpu_usage!.mean, 5);
        expect(Number(row['CPU Seconds Mean'])).toBeCloseTo(run.metrics_analysis.cpu_seconds!.mean, 5);
        expect(Number(row['Disk IO Mean'])).toBeCloseTo(run.metrics_analysis.disk_io!.mean, 5);
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
});
