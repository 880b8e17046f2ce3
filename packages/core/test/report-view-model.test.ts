/**
 * One view model for every report: the dashboard, the Markdown summary, the console summary and JUnit
 * read counts, verdict labels, the environment list and the recommendation list from the same source,
 * so they cannot disagree.
 */
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../src/report/console.js';
import { renderHtml } from '../src/report/html/index.js';
import { renderJunit } from '../src/report/junit.js';
import { iterationCount, runVerdict, verdictLabel } from '../src/report/labels.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { ReportInput, ReportRegression } from '../src/report/types.js';
import { buildReportView } from '../src/report/view-model.js';
import { makeRun, sessionRuns } from './fixtures/runs.js';

/** Visible text of the dashboard, roughly: tags dropped, entities decoded. */
function text(page: string): string {
  return page
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function mixedRunners(): ReportInput {
  const runs = sessionRuns();
  // the same machine ran Vitest and Jest lanes
  runs[2]!.runner = { name: 'jest', version: '30.2.0' };
  runs[2]!.env = { ...runs[2]!.env, runner: 'jest', runner_version: '30.2.0' };
  // a partial run: 2 of 5 iterations passed
  const partial = makeRun({
    lane: 'docs',
    workflow: 'flaky',
    exec: 20,
    memory: 100,
    cpu: 10,
    seed: 9,
    override: {
      2: { status: 'failed', error: 'boom' },
      3: { status: 'failed', error: 'boom' },
      4: { status: 'failed', error: 'boom' },
    },
  });
  return {
    runs: [...runs, partial],
    history: [],
    generated_at: '2026-02-01T10:00:00.000Z',
    recommendations: [
      {
        id: 'more-iterations',
        title: 'Record more iterations',
        priority: 5,
        description: 'p95 needs more samples: `lanebench run --lane docs --iterations 20`.',
        estimated_improvement_pct: 0,
        effort: 'low',
        steps: ['Run `lanebench run --lane docs --iterations 20`'],
        evidence: { samples: 3 },
        lane: 'docs',
        workflow: 'build site',
      },
    ],
  };
}

describe('report view model', () => {
  const input = mixedRunners();
  const view = buildReportView(input);
  const page = text(renderHtml(input));
  const md = renderMarkdown(input);
  const con = renderConsoleSummary(input.runs, { color: false });

  it('counts per lane once, and every report shows those counts', () => {
    const std = view.lanes.find((l) => l.name === 'standard')!;
    expect({ errors: std.errors, warnings: std.warnings, failed: std.failed }).toEqual({
      errors: 1,
      warnings: 2,
      failed: 0,
    });
    expect(view.lanes.find((l) => l.name === 'heavy')!.failed).toBe(2);
    expect(view.overall.nonCompliantLanes).toEqual(
      ['docs', 'standard', 'heavy'].filter((l) => !view.lanes.find((x) => x.name === l)!.compliant),
    );
    expect(page).toMatch(/1 error\s*, 2 warnings/);
    expect(md).toContain('1 error, 2 warnings');
    const n = view.overall.nonCompliantLanes.length;
    expect(page).toContain(`✗ ${n} of 3 lanes not compliant`);
    expect(md).toContain(`**❌ ${n} of 3 lanes not compliant**`);
    expect(con).toContain(`${n} lanes not compliant`);
  });

  it('lists every runner of an environment, not the first one', () => {
    expect(view.environments).toHaveLength(1);
    expect(view.environments[0]!.runners).toEqual(['vitest 4.1.12', 'jest 30.2.0']);
    expect(page).toMatch(/vitest 4\.1\.12, jest 30\.2\.0/);
    expect(md).toContain('vitest 4.1.12, jest 30.2.0');
  });

  it('uses one verdict label per run in HTML, Markdown, the console and JUnit', () => {
    const junit = renderJunit(input);
    for (const s of view.runs) {
      const label = runVerdict(s.run).label;
      expect(s.verdict.label).toBe(label);
      if (s.verdict.kind === 'not-compliant') {
        expect(page).toContain('NOT COMPLIANT');
        expect(con).toContain('NOT compliant');
        expect(junit).toContain('SLA: not compliant');
      }
    }
    expect(verdictLabel('no-change')).toBe('no change');
    expect(verdictLabel('insufficient-data')).toBe('insufficient data');
    expect(verdictLabel('inconclusive')).toBe('inconclusive');
  });

  it('marks a partial run "⚠ 2 of 5 iterations" in every report', () => {
    const partial = input.runs.find((r) => r.workflow === 'flaky')!;
    expect(partial.status).toBe('partial');
    const c = iterationCount(partial);
    expect(c.marked).toBe('⚠ 2 of 5 iterations');
    expect(page).toContain('⚠ 2 of 5 iterations');
    // the Markdown and console summaries word it as every report does since the verdicts merge (partialText)
    expect(md).toContain('⚠️ partial: 2 of 5 iterations');
    expect(con).toContain('partial: 2 of 5 iterations');
    // complete runs carry no mark
    expect(iterationCount(input.runs[0]!).marked).toBe('5 of 5 iterations');
  });

  it('says "not estimated" and notes thin evidence instead of "0 %"', () => {
    expect(view.recommendations[0]!.improvement).toBe('not estimated');
    expect(view.recommendations[0]!.sampleNote).toBe('based on fewer than 5 samples (3)');
    for (const out of [page, md]) {
      expect(out).toContain('est. improvement not estimated');
      expect(out).toContain('based on fewer than 5 samples (3)');
      expect(out).not.toContain('est. improvement 0 %');
    }
    // the command is shown as code, not with literal backticks
    expect(page).toContain('Run lanebench run --lane docs --iterations 20');
    expect(renderHtml(input)).toContain('<code>lanebench run --lane docs --iterations 20</code>');
    expect(md).toContain('p95 needs more samples: `lanebench run --lane docs --iterations 20`.');
  });
});

describe('regressions on a first run', () => {
  it('does not say "No regression detected." when no comparison could be made', () => {
    const runs = sessionRuns();
    const regs: ReportRegression[] = runs.map((r) => ({
      lane: r.lane,
      workflow: r.workflow,
      metric: 'execution_time',
      status: 'insufficient-data',
      baseline_mean: null,
      candidate_mean: r.metrics_analysis.execution_time?.mean ?? null,
      change_pct: null,
      p_value: null,
      threshold_pct: 10,
      baseline_runs: 0,
      message: `${r.lane} › ${r.workflow} › execution_time: no earlier run`,
    }));
    const page = text(renderHtml({ runs, history: runs, generated_at: 'now', regressions: regs }));
    expect(page).not.toContain('No regression detected');
    expect(page).toContain('No comparison could be made yet (6 metrics without enough comparable data)');
    expect(page).toContain('6 comparisons not made');
    // with one real comparison the sentence appears, scoped to what was compared
    regs[0] = { ...regs[0]!, status: 'no-change', baseline_mean: 200, change_pct: 1, p_value: 0.4, baseline_runs: 5 };
    const page2 = text(renderHtml({ runs, history: runs, generated_at: 'now', regressions: regs }));
    expect(page2).toContain('No regression detected in 1 comparison');
    expect(page2).toContain('NO CHANGE');
    // an inconclusive comparison is not an all-clear: the headline says so instead of the green sentence
    regs[1] = { ...regs[0], workflow: regs[1]!.workflow, status: 'inconclusive', change_pct: 48 };
    const page3 = text(renderHtml({ runs, history: runs, generated_at: 'now', regressions: regs }));
    expect(page3).not.toContain('No regression detected');
    expect(page3).toMatch(/No regression shown ?, but 1 of 2 comparisons inconclusive \(see below\)/);
    const md3 = renderMarkdown({ runs, history: runs, generated_at: 'now', regressions: regs });
    expect(md3).toContain('<summary>5 comparisons without a verdict (1 inconclusive)</summary>');
    expect(md3).not.toContain('comparisons not made');
  });
});
