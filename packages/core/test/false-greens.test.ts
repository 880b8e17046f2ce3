/**
 * One verdict per run on every surface: a partial run (2 of 5 iterations kept, nothing else wrong) is
 * never a pass; failOnRegression turns a detected regression into exit 1; LANEBENCH_LANE typos and
 * selections that ran nothing are named; config loading has a deadline.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkSelectedLanes, resolveConfig, unmatchedSelection } from '../src/config/index.js';
import { configTimeoutSeconds, readConfigFile } from '../src/config/read-file.js';
import { exitCodeFor } from '../src/session/index.js';
import { renderConsoleSummary, renderRegressionSummary } from '../src/report/console.js';
import { renderCsv } from '../src/report/csv.js';
import { githubAnnotations } from '../src/report/github.js';
import { renderHtml } from '../src/report/html/index.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { Run } from '../src/types.js';
import { makeRun } from './fixtures/runs.js';

/** Interrupted after two of five iterations: both kept iterations passed and meet the SLA. */
function interruptedRun(): Run {
  const run = makeRun({ lane: 'docs', workflow: 'build site', exec: 1, memory: 50, cpu: 5, iterations: 2 });
  run.iterations_requested = 5;
  run.status = 'partial';
  run.notes = ['run interrupted during iteration 3 of 5; kept the 2 finished'];
  expect(run.sla.passed).toBe(true);
  return run;
}

describe('a partial run is never shown as a pass', () => {
  const run = interruptedRun();
  const input = { runs: [run], history: [run], generated_at: '2026-12-01T00:00:00Z' };

  it('JUnit: an <error type="RunPartial"> naming the iterations kept, counted in errors', () => {
    const xml = renderJunit(input);
    expect(xml).toContain(
      '<error type="RunPartial" message="build site: partial: 2 of 5 iterations (run interrupted during iteration 3 of 5; kept the 2 finished)">',
    );
    expect(xml).toMatch(/<testsuite name="docs" tests="1" failures="0" errors="1"/);
  });

  it('Markdown: a warning mark with "2 of 5 iterations" in the headline, the table and the list', () => {
    const md = renderMarkdown(input);
    expect(md).toContain('**⚠️ All 1 lane compliant on partial data**');
    expect(md).toContain('⚠️ 1 run partial (2 of 5 iterations)');
    expect(md).toMatch(/\| ⚠️ partial: 2 of 5 iterations \|.*\| ⚠️ partial: 2 of 5 iterations \|/);
    expect(md).not.toContain('✅');
  });

  it('HTML: a warning badge and headline with "2 of 5 iterations"', () => {
    const html = renderHtml(input);
    expect(html).toContain('<span class="badge warn">⚠ PARTIAL: 2 OF 5 ITERATIONS</span>');
    expect(html).toContain('⚠ All 1 lane compliant on partial data (2 of 5 iterations)');
    expect(html).not.toContain('✓ All 1 lane compliant');
  });

  it('CSV: Passed=false; console: a warning mark; exit code 1', () => {
    const rows = parse<Record<string, string>>(renderCsv(input), { columns: true });
    expect(rows[0]!.Passed).toBe('false');
    expect(renderConsoleSummary([run], { color: false })).toMatch(
      /\n {2}! docs \/ build site .* compliant · partial: 2 of 5 iterations\n/,
    );
    expect(exitCodeFor([run])).toBe(1);
    // a completed run with the same figures passes everywhere
    const done = makeRun({ lane: 'docs', workflow: 'build site', exec: 1, memory: 50, cpu: 5 });
    expect(exitCodeFor([done])).toBe(0);
    const doneRows = parse<Record<string, string>>(renderCsv({ ...input, runs: [done] }), { columns: true });
    expect(doneRows[0]!.Passed).toBe('true');
  });

  it('GitHub: an error annotation with "2 of 5 iterations"', () => {
    expect(githubAnnotations(input)).toEqual([
      '::error title=lanebench%3A docs / build site partial::partial: 2 of 5 iterations (run interrupted during iteration 3 of 5; kept the 2 finished)',
    ]);
  });
});

describe('regressions reach the console and, with failOnRegression, the exit code', () => {
  const run = makeRun({ lane: 'docs', workflow: 'build site', exec: 1, memory: 50, cpu: 5 });
  const regression = {
    status: 'regression' as const,
    message: 'docs › build site › execution_time: regression: 1 s → 2.93 s (+193 %)',
  };
  it('prints the verdicts and fails only when asked', () => {
    expect(renderRegressionSummary([regression], { color: false })).toBe(
      'Compared with earlier runs: 1 regression\n  ▲ docs › build site › execution_time: regression: 1 s → 2.93 s (+193 %)\n',
    );
    expect(renderRegressionSummary([regression], { color: false, failOnRegression: true })).toContain(
      '1 regression (failOnRegression: the run fails)',
    );
    expect(renderRegressionSummary([{ status: 'no-change', message: 'x' }], { color: false })).toBe('');
    // a slowdown the contention guard would not judge is shown, never a silent pass; a noisy-history one is not
    const busier = {
      status: 'inconclusive' as const,
      message: 'docs › build site › execution_time: inconclusive (other processes used 46% of the machine…)',
      contention: { candidate: 0.46, baseline_min: 0.02, baseline_max: 0.12 },
    };
    expect(renderRegressionSummary([busier], { color: false })).toBe(
      `Compared with earlier runs: no regression; 1 change not judged (machine busier)\n  ? ${busier.message}\n`,
    );
    expect(renderRegressionSummary([regression, busier], { color: false })).toMatch(
      /^Compared with earlier runs: 1 regression; 1 change not judged \(machine busier\)\n {2}▲ .*\n {2}\? /,
    );
    expect(renderRegressionSummary([{ status: 'inconclusive', message: 'noisy' }], { color: false })).toBe('');
    // so is one the largest-jump guard set aside, with its own reason
    const jumped = {
      status: 'inconclusive' as const,
      message: 'docs › build site › execution_time: inconclusive (run r60 of … was +30.0% off the 10 runs before it…)',
      jump: { run_id: 'r60', started_at: '2026-01-01T00:00:00.000Z', change_pct: 30 },
    };
    expect(renderRegressionSummary([jumped], { color: false })).toBe(
      `Compared with earlier runs: no regression; 1 change not judged (the series jumped as much by itself)\n  ? ${jumped.message}\n`,
    );
    expect(renderRegressionSummary([busier, jumped], { color: false })).toMatch(
      /2 changes not judged \(machine busier; the series jumped as much by itself\)/,
    );
    expect(exitCodeFor([run], [jumped], true)).toBe(0);
    expect(exitCodeFor([run], [busier], true)).toBe(0);
    expect(exitCodeFor([run], [regression])).toBe(0);
    expect(exitCodeFor([run], [regression], true)).toBe(1);
    expect(exitCodeFor([run], [{ status: 'improvement' }], true)).toBe(0);
  });
  it('config.failOnRegression is a boolean, default false', () => {
    expect(resolveConfig(undefined).failOnRegression).toBe(false);
    expect(resolveConfig({ failOnRegression: true }).failOnRegression).toBe(true);
    expect(() => resolveConfig({ failOnRegression: 'yes' as never })).toThrow(/config\.failOnRegression/);
  });
});

describe('LANEBENCH_LANE', () => {
  const config = resolveConfig(undefined);
  it('an unknown lane is a configuration error listing the configured lanes', () => {
    expect(() => checkSelectedLanes(config, { LANEBENCH_LANE: 'docs,dcos' })).toThrow(
      "LANEBENCH_LANE: unknown lane 'dcos'; configured lanes: docs, standard, heavy",
    );
    expect(checkSelectedLanes(config, { LANEBENCH_LANE: 'heavy' })).toEqual(['heavy']);
    expect(checkSelectedLanes(config, {})).toBeNull();
  });
  it('a selected lane that recorded no run is named', () => {
    expect(unmatchedSelection([{ lane: 'docs' }], { LANEBENCH_LANE: 'docs,heavy' })).toBe(
      "LANEBENCH_LANE=docs,heavy: no workflow of lane 'heavy' ran (no workflow file of that lane matched the runner's files and filters)",
    );
    expect(unmatchedSelection([{ lane: 'docs' }], { LANEBENCH_LANE: 'docs' })).toBeUndefined();
    expect(unmatchedSelection([], {})).toBeUndefined();
  });
});

describe('loading a config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-config-deadline-'));
  it('a config that never settles is a ConfigError naming the file at the deadline', async () => {
    const file = join(dir, 'never.mjs');
    writeFileSync(file, 'export default () => new Promise(() => {});\n');
    process.env.LANEBENCH_CONFIG_TIMEOUT = '0.3';
    try {
      await expect(readConfigFile(file)).rejects.toThrow(
        `${file}: the config did not settle within 0.3 s (a promise or top-level await that never resolves?)`,
      );
    } finally {
      delete process.env.LANEBENCH_CONFIG_TIMEOUT;
    }
  });
  it('a throwing config function is a ConfigError naming the file', async () => {
    const file = join(dir, 'throws.mjs');
    writeFileSync(file, "export default () => { throw new Error('no secrets here'); };\n");
    await expect(readConfigFile(file)).rejects.toMatchObject({
      name: 'ConfigError',
      message: `${file}: the exported config function threw: no secrets here`,
    });
  });
  it('LANEBENCH_CONFIG_TIMEOUT is validated', () => {
    expect(configTimeoutSeconds({})).toBe(30);
    expect(configTimeoutSeconds({ LANEBENCH_CONFIG_TIMEOUT: '5' })).toBe(5);
    expect(() => configTimeoutSeconds({ LANEBENCH_CONFIG_TIMEOUT: 'soon' })).toThrow(
      "LANEBENCH_CONFIG_TIMEOUT='soon' is not valid; expected seconds from 0.1 to 3600 (default 30)",
    );
  });
});

describe("the guide's SLA keys", () => {
  it('target_time, p95_time and p99_time are aliases of target, p95 and p99', () => {
    const lane = resolveConfig({
      lanes: { docs: { sla: { target_time: 60, p95_time: '90s', p99_time: '2m', memory_max: 256, cpu_avg: 40 } } },
    }).lanes.docs!;
    expect(lane.sla).toEqual({ target: 60, p95: 90, p99: 120, memory_max: 256, cpu_avg: 40 });
    expect(lane.thresholds.map((t) => `${t.name} ${t.operator} ${t.value}`)).toEqual([
      'execution_time_mean <= 60',
      'execution_time_p95 <= 90',
      'execution_time_p99 <= 120',
      'memory_usage_max <= 256',
      'cpu_usage_mean <= 40',
    ]);
  });
  it('giving both spellings of one key is an error naming both', () => {
    expect(() => resolveConfig({ lanes: { docs: { sla: { target: 60, target_time: 70 } } } })).toThrow(
      "lanes.docs.sla: both 'target' (60) and its alias 'target_time' (70) are given; keep one",
    );
  });
  it('an alias in a later layer replaces the default of the same key', () => {
    // the default docs lane has target 300 s; the user's target_time must win, not clash with it
    expect(resolveConfig({ lanes: { docs: { sla: { target_time: 42 } } } }).lanes.docs!.sla.target).toBe(42);
  });
});
