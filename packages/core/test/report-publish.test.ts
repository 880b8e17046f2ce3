import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { publishRuns } from '../src/publish/index.js';
import { renderConsoleSummary, shouldColor } from '../src/report/console.js';
import { writeReports } from '../src/report/index.js';
import { historyRuns, makeRun, sessionRuns } from './fixtures/runs.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lb-pub-'));
const ESC = '\u001b[';

describe('console summary', () => {
  const runs = sessionRuns();

  it('prints one line per run with the headline figures and compliance', () => {
    const text = renderConsoleSummary(runs, { color: false });
    expect(text).not.toContain(ESC);
    const build = runs[0]!;
    const line = text.split('\n').find((l) => l.includes('docs / build site'))!;
    const et = build.metrics_analysis.execution_time!;
    expect(line).toContain(`mean ${et.mean.toFixed(2)} s`);
    expect(line).toContain(`median ${et.median.toFixed(2)} s`);
    expect(line).toContain(`p95 ${et.p95.toFixed(2)} s†`);
    expect(line).toContain(`p99 ${et.p99.toFixed(2)} s†`);
    expect(line).toContain(`mem max ${build.metrics_analysis.memory_usage!.max.toFixed(1)} MB`);
    expect(line).toContain(`cpu avg ${build.metrics_analysis.cpu_usage!.mean.toFixed(1)} %`);
    expect(line).toContain('compliant');
    expect(text).toMatch(/✗ standard \/ unit tests .* NOT compliant · 1 error, 2 warnings/);
    expect(text).toContain('✗ execution_time_p95: measured');
    expect(text).toContain('heavy / migrations  TIMEOUT');
    expect(text).toContain('2 lanes not compliant');
    // control characters of error output never reach the terminal
    expect(text).not.toMatch(/[\u0000\u001b]/);
  });

  it('follows FORCE_COLOR / NO_COLOR / TTY', () => {
    expect(renderConsoleSummary(runs, { color: true })).toContain(ESC);
    expect(shouldColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(shouldColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(shouldColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(shouldColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(shouldColor({ FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(shouldColor({}, false)).toBe(false);
    expect(shouldColor({ TERM: 'dumb' }, true)).toBe(false);
    expect(renderConsoleSummary(runs, { env: { NO_COLOR: '1' }, isTTY: true })).not.toContain(ESC);
    expect(renderConsoleSummary(runs, { env: { FORCE_COLOR: '1' }, isTTY: false })).toContain(ESC);
  });
});

describe('writeReports', () => {
  it('writes each requested format and rejects unknown ones', async () => {
    const dir = join(tmp(), 'out');
    const runs = sessionRuns();
    const paths = await writeReports(
      { runs, history: runs, generated_at: 'now' },
      { outputDir: dir, formats: ['junit', 'csv', 'markdown', 'html', 'json'] },
    );
    expect(Object.keys(paths).sort()).toEqual(['csv', 'html', 'junit', 'markdown']);
    expect(paths.junit).toBe(join(dir, 'junit.xml'));
    expect(paths.csv).toBe(join(dir, 'performance_metrics.csv'));
    expect(paths.markdown).toBe(join(dir, 'summary.md'));
    expect(paths.html).toBe(join(dir, 'performance_dashboard.html'));
    for (const p of Object.values(paths)) expect(readFileSync(p, 'utf8').length).toBeGreaterThan(100);
    await expect(
      writeReports({ runs, history: [], generated_at: 'now' }, { outputDir: dir, formats: ['pdf'] }),
    ).rejects.toThrow(/unknown report format "pdf"; valid formats: junit, html, csv, markdown, json/);
  });
});

describe('publishRuns', () => {
  it('appends to history, compares with earlier runs, writes reports, summary and annotations', async () => {
    const root = tmp();
    const config = resolveConfig(
      { outputDir: 'results', reports: ['json', 'html', 'csv', 'junit', 'markdown'] },
      { root },
    );
    const session = sessionRuns();
    const earlier = historyRuns(session.slice(0, 3), 6);
    const first = await publishRuns(earlier, { config, env: {}, log: () => {} });
    expect(first.exitCode).toBe(0);

    const summaryFile = join(root, 'step-summary.md');
    const logged: string[] = [];
    const env = { GITHUB_STEP_SUMMARY: summaryFile };
    // on GitHub Actions by ci-info's answer for this process (fault-output.test.ts runs a real process under it)
    const result = await publishRuns(session, {
      config,
      env,
      annotations: true,
      log: (l) => logged.push(l),
      color: false,
    });

    expect(result.historyFile).toBe(join(root, 'results', 'metrics.json'));
    const history = JSON.parse(readFileSync(result.historyFile, 'utf8'));
    expect(history.schema_version).toBe(1);
    expect(history.runs).toHaveLength(earlier.length + session.length);
    expect(Object.keys(result.reports).sort()).toEqual(['csv', 'html', 'json', 'junit', 'markdown']);
    for (const p of Object.values(result.reports)) expect(existsSync(p)).toBe(true);

    // the standard lane's unit tests got slower than their 6 earlier runs
    const reg = result.regressions.find((r) => r.workflow === 'unit tests' && r.metric === 'execution_time');
    expect(reg).toBeDefined();
    expect(reg!.baseline_runs).toBe(6);
    expect(Array.isArray(result.recommendations)).toBe(true);

    expect(result.exitCode).toBe(1);
    expect(result.summary).toContain('standard / unit tests');
    expect(readFileSync(summaryFile, 'utf8')).toBe(readFileSync(result.reports.markdown!, 'utf8'));
    expect(result.stepSummary?.truncated).toBe(false);
    expect(logged).toEqual(result.annotations);
    expect(logged.filter((l) => l.startsWith('::error ')).length).toBe(3);
    const html = readFileSync(result.reports.html!, 'utf8');
    const data = JSON.parse(
      html.match(/<script type="application\/json" id="lanebench-data">([^<]*)<\/script>/)![1]!,
    ) as {
      charts: Array<{ id: string; thresholds?: Array<{ label: string }> }>;
    };
    // configured SLA thresholds (not only violated ones) are marked on the trends
    const labels = data.charts.flatMap((c) => (c.thresholds ?? []).map((d) => d.label));
    expect(labels).toContain('SLA p95 <= 400 s (error)');
    expect(labels).toContain('SLA max <= 512 MB (warning)');
  });

  it('stops with the history error and leaves a corrupt or newer history untouched', async () => {
    const root = tmp();
    const config = resolveConfig({ outputDir: 'results', reports: ['html', 'csv'] }, { root });
    const file = join(root, 'results', 'metrics.json');
    const run = makeRun({ lane: 'docs', workflow: 'w', exec: 1, memory: 1, cpu: 1 });
    await publishRuns([run], { config, env: {} });

    writeFileSync(file, '{"schema_version": 1, "runs": [');
    await expect(publishRuns([run], { config, env: {} })).rejects.toThrow(/metrics\.json/);
    expect(readFileSync(file, 'utf8')).toBe('{"schema_version": 1, "runs": [');

    const newer = JSON.stringify({ schema_version: 99, runs: [] });
    writeFileSync(file, newer);
    await expect(publishRuns([run], { config, env: {} })).rejects.toThrow(/metrics\.json/);
    expect(readFileSync(file, 'utf8')).toBe(newer);
  });
});

describe("the gate's largest-jump guard in every report", () => {
  /** A docs/build site run at `exec` s (three iterations ±1 %), `i` hours into the series. */
  const at = (i: number, exec: number) =>
    makeRun({
      lane: 'docs',
      workflow: 'build site',
      exec,
      memory: 100,
      cpu: 10,
      iterations: 3,
      // exact iterations (the drawn ones vary by 5–10 %): execution_time ±1 %, memory and CPU constant
      override: Object.fromEntries(
        [0.99, 1, 1.01].map((f, k) => [k, { execution_time: exec * f, memory_usage: 100, cpu_usage: 10 }]),
      ),
      startedAt: new Date(Date.UTC(2026, 2, 1) + i * 3_600_000),
      seed: i + 1,
    });
  // 60 runs at 9.9 / 10.1 s, one of them (30 runs back) a +30 % jump the series made by itself
  const earlier = Array.from({ length: 60 }, (_, i) => at(i, i === 30 ? 13 : i % 2 ? 10.1 : 9.9));

  it.each([
    ['inconclusive', 12.5, 0],
    ['regression', 14, 1],
  ] as const)(
    '%s: the same verdict in the record, console, Markdown, HTML and exit code',
    async (status, exec, code) => {
      const root = tmp();
      const config = resolveConfig(
        { outputDir: 'results', reports: ['html', 'junit', 'markdown'], failOnRegression: true },
        { root },
      );
      await publishRuns(earlier, { config, env: {}, log: () => {} });
      const result = await publishRuns([at(100, exec)], { config, env: {}, log: () => {}, color: false });

      // the measured run is stored whatever the verdict
      const stored = JSON.parse(readFileSync(result.historyFile, 'utf8')) as { runs: Array<{ id: string }> };
      expect(stored.runs).toHaveLength(61);
      const verdict = result.regressions.find((r) => r.metric === 'execution_time')!;
      expect(verdict.status).toBe(status);
      expect(verdict.replay_runs).toBe(50);
      expect(result.exitCode).toBe(code);
      const md = readFileSync(result.reports.markdown!, 'utf8');
      const html = readFileSync(result.reports.html!, 'utf8');
      if (status === 'inconclusive') {
        expect(verdict.jump?.run_id).toBe(earlier[30]!.id);
        expect(result.summary).toContain('no regression; 2 changes not judged (the series jumped as much by itself)');
        expect(result.summary).toContain(`run ${earlier[30]!.id}`);
        // never an all-clear: the Markdown lists it without a verdict, the dashboard says it is inconclusive
        expect(md).toMatch(/without a verdict \(\d+ inconclusive\)/);
        expect(md).not.toMatch(/[1-9]\d* regressions?\b/);
        expect(html).toContain('No regression shown');
        expect(html).not.toContain('No regression detected');
      } else {
        expect(verdict.jump).toBeUndefined();
        expect(result.summary).toContain('2 regressions (failOnRegression: the run fails)');
        expect(md).toContain('2 regressions');
        expect(html).toMatch(/<b>2<\/b> regressions detected/);
      }
    },
  );
});
