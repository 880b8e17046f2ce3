import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendStepSummary,
  escapeGithubData,
  escapeGithubProperty,
  fitStepSummary,
  githubAnnotations,
  STEP_SUMMARY_MAX_BYTES,
} from '../src/report/github.js';
import { escapeMarkdown, mdCode, renderMarkdown } from '../src/report/markdown.js';
import type { ReportInput, ReportRegression } from '../src/report/types.js';
import { makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';

const regression: ReportRegression = {
  lane: 'standard',
  workflow: 'unit tests',
  metric: 'execution_time',
  status: 'regression',
  baseline_mean: 980,
  candidate_mean: 1136.3,
  change_pct: 15.9,
  p_value: 0.004,
  threshold_pct: 10,
  baseline_runs: 10,
  message: 'execution_time mean rose 15.9% (p=0.004), 100% sure: no',
};

function input(): ReportInput {
  return {
    runs: sessionRuns(),
    history: [],
    generated_at: '2026-02-01T10:00:00.000Z',
    regressions: [regression],
    recommendations: [
      {
        id: 'a',
        title: 'Second',
        priority: 2,
        description: 'b',
        estimated_improvement_pct: 10,
        effort: 'medium',
        steps: [],
        evidence: {},
        lane: 'standard',
        workflow: 'unit tests',
      },
      {
        id: 'b',
        title: 'First | pipes',
        priority: 1,
        description: 'a',
        estimated_improvement_pct: 30,
        effort: 'low',
        steps: [],
        evidence: {},
        lane: 'standard',
        workflow: 'unit tests',
      },
      {
        id: 'c',
        title: 'Third',
        priority: 3,
        description: 'c',
        estimated_improvement_pct: 5,
        effort: 'high',
        steps: [],
        evidence: {},
        lane: 'standard',
        workflow: 'unit tests',
      },
      {
        id: 'd',
        title: 'Fourth',
        priority: 4,
        description: 'd',
        estimated_improvement_pct: 5,
        effort: 'high',
        steps: [],
        evidence: {},
        lane: 'standard',
        workflow: 'unit tests',
      },
    ],
  };
}

describe('markdown summary', () => {
  const inp = input();
  const md = renderMarkdown(inp);
  const tableRows = md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Lane |') && !l.includes('Baseline'));
  const runRows = tableRows.slice(0, inp.runs.length);
  const rowOf = (workflow: string) => runRows.find((r) => r.split(/(?<!\\)\|/)[2]!.trim() === mdCode(workflow))!;

  it('has one table row per run with the figures, compliance and counts', () => {
    expect(runRows).toHaveLength(inp.runs.length);
    inp.runs.forEach((run) => {
      const cells = rowOf(run.workflow)
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());
      expect(cells).toHaveLength(12);
      const et = run.metrics_analysis.execution_time;
      if (et) {
        expect(cells[3]).toBe(`${et.mean.toFixed(2)} s`);
        expect(cells[4]).toBe(`${et.median.toFixed(2)} s`);
        expect(cells[5]).toBe(`${et.p95.toFixed(2)} s†`);
        expect(cells[7]).toBe(`${run.metrics_analysis.memory_usage!.max.toFixed(1)} MB`);
        expect(cells[8]).toBe(`${run.metrics_analysis.cpu_usage!.mean.toFixed(1)} %`);
      } else {
        expect(cells[3]).toBe('—');
      }
      const ok = run.status !== 'failed' && run.status !== 'timeout' && run.sla.passed;
      expect(cells[9]!.startsWith(ok ? '✅' : '❌')).toBe(true);
      expect(cells[11]).toBe(run.workflow === 'unit tests' ? '1' : '0');
    });
    const std = runRows.find((r) => r.includes('unit tests'))!;
    expect(std).toContain('1 error, 2 warnings');
    expect(md).toContain('**❌ 2 of 3 lanes not compliant**');
    expect(md).toContain('2 runs failed or timed out');
    expect(md).toContain('p95 needs at least 20 samples');
  });

  it('escapes names and lists violations, regressions and the top 3 recommendations by priority', () => {
    // names are code spans (literal text on GitHub); outside them no markup is left
    const outsideCode = md.replace(/`[^`]*`/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('<script');
    expect(md).toContain(mdCode(XSS_NAME));
    expect(mdCode('a`b|c')).toBe('``a`b\\|c``');
    expect(escapeMarkdown('a|b*c_[x](y)<z>\n`')).toBe('a\\|b\\*c\\_\\[x\\]\\(y\\)&lt;z&gt; \\`');
    expect(md).toContain('### SLA violations and failed runs');
    expect(md).toContain('execution\\_time\\_p95: measured');
    expect(md).toContain('ECONNREFUSED');
    expect(md).toContain('🔺 regression');
    expect(md).toContain('+15.9 %');
    const recs = md.split('\n').filter((l) => l.startsWith('- `standard` / `unit tests` — '));
    expect(recs.map((l) => l.match(/P(\d)/)![1])).toEqual(['1', '2', '3']);
    expect(recs[0]).toContain('First \\| pipes');
  });
});

describe('github annotations', () => {
  it('annotates SLA errors, failed runs, warnings and regressions with escaping', () => {
    const lines = githubAnnotations(input());
    const errors = lines.filter((l) => l.startsWith('::error '));
    const warnings = lines.filter((l) => l.startsWith('::warning '));
    // 1 SLA error (standard p95) + failed + timeout run
    expect(errors).toHaveLength(3);
    // 2 SLA warnings (standard mean, memory) + 1 regression
    expect(warnings).toHaveLength(3);
    expect(errors[0]).toMatch(
      /^::error file=bench\/standard\.bench\.ts,title=lanebench SLA error%3A standard \/ unit tests::execution_time_p95: measured \d+\.\d s, required <= 1200 s \(error\)$/,
    );
  });

  it('escapes % CR LF in data and also : , in properties', () => {
    expect(escapeGithubData('100% a\r\nb')).toBe('100%25 a%0D%0Ab');
    expect(escapeGithubProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const lines = githubAnnotations(input());
    const failed = lines.find((l) => l.includes('integration'))!;
    expect(failed).toContain('title=lanebench%3A heavy / integration "e2e"%2C all failed::');
    expect(failed).toContain('npm run e2e%0AError: ECONNREFUSED');
    expect(failed).not.toMatch(/[\u0000-\u001f]/);
    const reg = lines.find((l) => l.includes('regression'))!;
    expect(reg).toContain('15.9%25 (p=0.004), 100%25 sure: no');
    for (const l of lines) {
      const [, props] = l.match(/^::\w+ ([^:]*)::/) ?? [];
      expect(props, l).toBeDefined();
      expect(props).not.toMatch(/[\r\n]/);
    }
  });

  it('caps each kind at 10 and says how many were left out', () => {
    const runs = Array.from({ length: 14 }, (_, i) =>
      makeRun({
        lane: 'standard',
        workflow: `slow ${i}`,
        exec: 1400,
        memory: 1200,
        cpu: 10,
        spread: 0.01,
        seed: 50 + i,
      }),
    );
    const nErrors = runs.reduce((s, r) => s + r.sla.violations.filter((v) => v.severity === 'error').length, 0);
    const nWarnings = runs.reduce((s, r) => s + r.sla.violations.filter((v) => v.severity === 'warning').length, 0);
    expect(nErrors).toBeGreaterThan(10);
    expect(nWarnings).toBeGreaterThan(10);
    const lines = githubAnnotations({ runs, history: [], generated_at: 'now' });
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(10);
    const notices = lines.filter((l) => l.startsWith('::notice '));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain(`${nErrors - 10} more error${nErrors - 10 > 1 ? 's' : ''} not annotated`);
    expect(notices[0]).toContain(`all ${nErrors} are listed`);
    expect(notices[1]).toContain(`${nWarnings - 10} more warnings not annotated`);
  });
});

describe('step summary', () => {
  it('appends and respects the 1 MiB cap with a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-sum-'));
    const file = join(dir, 'summary');
    writeFileSync(file, 'previous step\n');
    const r1 = await appendStepSummary('## hello\n', file);
    expect(r1.truncated).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('previous step\n## hello\n');

    const big = Array.from({ length: 40_000 }, (_, i) => `| row ${i} | ✅ ${'x'.repeat(20)} |`).join('\n');
    const r2 = await appendStepSummary(big, file);
    expect(r2.truncated).toBe(true);
    const all = readFileSync(file);
    expect(all.length).toBeLessThanOrEqual(STEP_SUMMARY_MAX_BYTES);
    const text = all.toString('utf8');
    expect(text).toContain('truncated to fit');
    expect(text).not.toContain('\uFFFD');
    // cut at a line boundary
    expect(text.split('\n> **Note:**')[0]!.endsWith('|\n')).toBe(true);
    expect(fitStepSummary('x\n', STEP_SUMMARY_MAX_BYTES)).toBe('');
  });
});

describe('escapeMarkdown control characters', () => {
  it('replaces control characters (other than tab and line breaks) so they cannot garble the summary', async () => {
    const { escapeMarkdown } = await import('../src/report/markdown.js');
    const out = escapeMarkdown('a\u0001b\u0007c\u000bd\u007fe\tf\ng');
    expect(out).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\tf g');
    expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out)).toBe(false);
  });
});
