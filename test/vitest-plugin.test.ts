/**
 * @lanebench/vitest end to end, once per supported Vitest major: a fresh ESM project installs the
 * packed packages and the real Vitest from npm (one install per major), then runs
 * `npx vitest bench --run` / `npx vitest run` in scenario directories copied from
 * test/fixtures/vitest (each its own Vitest root with its own output directory).
 *
 * Vitest 5 declares Node ^22.12; on Node 20 its reporter crashes while printing failed tests
 * (Map.groupBy), so the Vitest 5 project also installs the npm package `node@22`, which `npx`
 * puts first on PATH for the Vitest bin.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SpawnSyncReturns } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS, type HistoryFile, type Run } from '../packages/core/src/types.js';
import { createProject, VITEST_MAJORS, REPO_ROOT, type Project } from './helpers/project.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/vitest');

describe.each(VITEST_MAJORS)('@lanebench/vitest on Vitest $dependencies.vitest', ({ major, dependencies }) => {
  let project: Project;

  beforeAll(() => {
    project = createProject({ name: `vitest${major}`, lanebench: ['vitest'], dependencies: { ...dependencies } });
  });

  /** Copies a scenario into the project (fresh output directory) and runs Vitest in it. */
  function vitest(
    scenario: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    opts: { fresh?: boolean } = {},
  ): { res: SpawnSyncReturns<string>; output: string } {
    if (opts.fresh !== false) {
      rmSync(join(project.dir, scenario), { recursive: true, force: true });
      cpSync(join(FIXTURES, scenario), join(project.dir, scenario), { recursive: true });
    }
    const res = project.run('npx', ['vitest', ...args], { env, cwd: scenario, timeoutMs: 240_000 });
    return { res, output: `${res.stdout}\n${res.stderr}` };
  }

  function history(scenario: string): HistoryFile {
    return JSON.parse(project.read(`${scenario}/out/metrics.json`)) as HistoryFile;
  }

  function byWorkflow(runs: Run[]): Map<string, Run> {
    return new Map(runs.map((r) => [r.workflow, r]));
  }

  it('a compliant lane exits 0 and records every metric of every iteration', () => {
    const { res, output } = vitest('compliant', ['bench', '--run']);
    expect(res.status, output).toBe(0);
    const runs = byWorkflow(history('compliant').runs);
    expect([...runs.keys()].sort()).toEqual(['build site', 'spawn tree']);
    for (const run of runs.values()) {
      expect(run.lane).toBe('docs');
      expect(run.status, output).toBe('completed');
      expect(run.sla.compliant).toBe(true);
      // iterations come from lanebench.config.ts, outputDir from the plugin options
      expect(run.iterations).toHaveLength(3);
      expect(run.iterations_requested).toBe(3);
      expect(run.runner).toEqual({ name: 'vitest', version: dependencies.vitest });
      expect(run.file).toBe('docs.bench.ts');
      for (const it of run.iterations) {
        for (const key of METRIC_KEYS) expect(typeof it[key], `${run.workflow} #${it.index} ${key}`).toBe('number');
        expect(it.status).toBe('passed');
        expect(it.execution_time).toBeGreaterThanOrEqual(0.19);
      }
      for (const key of METRIC_KEYS) expect(run.metrics_analysis[key]?.samples).toBe(3);
    }
    expect(runs.get('spawn tree')!.iterations[0]!.custom.pages).toBe(42);
    // every report, the per-lane summary and live progress lines
    for (const file of ['junit.xml', 'performance_dashboard.html', 'performance_metrics.csv', 'summary.md']) {
      expect(project.exists(`compliant/out/${file}`), file).toBe(true);
    }
    expect(project.exists('compliant/not-used')).toBe(false);
    expect(output).toMatch(/docs › build site: iteration 3\/3 passed \d+\.\d+s/);
    expect(output).toContain('docs');
  });

  it('a corrupt history fails the run with a clear message and is left untouched', () => {
    project.write('compliant/out/metrics.json', '{ not json');
    const { res, output } = vitest('compliant', ['bench', '--run'], {}, { fresh: false });
    expect(res.status, output).toBe(1);
    // the history is checked before the first iteration: nothing is measured into a run that could not be saved
    expect(output).toMatch(/HistoryError: history file .*metrics\.json is not valid JSON/s);
    expect(project.read('compliant/out/metrics.json')).toBe('{ not json');
  });

  it('a lane whose p95 exceeds its limit exits 1 and names execution_time_p95 in the output and JUnit', () => {
    const { res, output } = vitest('breach', ['bench', '--run']);
    expect(res.status, output).toBe(1);
    expect(output).toContain('execution_time_p95');
    expect(output).toContain('SLA not met');
    const [run] = history('breach').runs;
    expect(run?.sla.compliant).toBe(false);
    expect(run?.sla.violations.map((v) => v.name)).toContain('execution_time_p95');
    expect(project.read('breach/out/junit.xml')).toContain('execution_time_p95');
  });

  it("a workflow that throws fails its own test; the lane's other workflows still run and are recorded", () => {
    const { res, output } = vitest('crash', ['bench', '--run']);
    expect(res.status, output).toBe(1);
    expect(output).toContain('docs generator exploded');
    expect(output).toMatch(/FAIL .*\[docs\] crashes/);
    expect(output).not.toMatch(/FAIL .*\[docs\] (before|after) crash/);
    const runs = byWorkflow(history('crash').runs);
    expect(runs.get('crashes')?.status).toBe('failed');
    expect(runs.get('before crash')?.status).toBe('completed');
    expect(runs.get('after crash')?.status).toBe('completed');
  });

  it('warnings are printed and pass, strict mode fails on them; a hung workflow is stopped at its per-iteration timeout', () => {
    const { res, output } = vitest('strict', ['bench', '--run']);
    expect(res.status, output).toBe(1);
    expect(output).toMatch(/docs › lenient: SLA warnings\n\s+- execution_time_mean: .*\(warning\)/);
    expect(output).toMatch(/FAIL .*\[docs\] strict/);
    expect(output).toContain('SLA warnings in strict mode');
    expect(output).not.toMatch(/FAIL .*\[docs\] lenient/);
    expect(output).toMatch(/FAIL .*\[docs\] hangs/);
    const runs = byWorkflow(history('strict').runs);
    expect(runs.get('lenient')?.sla).toMatchObject({ compliant: true, passed: true });
    expect(runs.get('strict')?.sla).toMatchObject({ compliant: true, passed: false });
    expect(runs.get('hangs')?.status).toBe('timeout');
    // killed at its 1 s timeout, not after `sleep 30` or Vitest's own test timeout
    expect(runs.get('hangs')!.duration_s).toBeLessThan(10);
  });

  it('LANEBENCH_LANE=heavy runs only the heavy lane and reports the others as skipped', () => {
    const { res, output } = vitest('select', ['bench', '--run'], { LANEBENCH_LANE: 'heavy' });
    expect(res.status, output).toBe(0);
    const runs = history('select').runs;
    expect(runs.map((r) => `${r.lane}/${r.workflow}`)).toEqual(['heavy/integration']);
    expect(runs[0]?.iterations).toHaveLength(3);
    expect(output).toMatch(/skipped|skip/i);
    expect(output).not.toContain('docs › build site: iteration');
  });

  it("Vitest projects per lane: --project 'heavy*' runs one lane; one reporter for all projects", () => {
    const lanesIn = (file: string) =>
      (JSON.parse(project.read(file)) as HistoryFile).runs.map((r) => `${r.lane}/${r.workflow}`);
    const { res, output } = vitest('projects', ['bench', '--run', '--project', 'heavy*']);
    expect(res.status, output).toBe(0);
    // the heavy workflow has its own output directory (workflow option outputDir)
    expect(lanesIn('projects/out-heavy/metrics.json')).toEqual(['heavy/integration']);
    expect(project.exists('projects/out-heavy/junit.xml')).toBe(true);
    expect(project.exists('projects/out/metrics.json')).toBe(false);
    const all = vitest('projects', ['bench', '--run']);
    expect(all.res.status, all.output).toBe(0);
    expect(lanesIn('projects/out/metrics.json')).toEqual(['docs/build site']);
    expect(lanesIn('projects/out-heavy/metrics.json')).toEqual(['heavy/integration']);
    // the plugin is evaluated once per project, yet each run is published once
    expect(all.output.match(/^lanebench 1 run in 1 lane/gm)).toHaveLength(2);
  });

  it('toMeetSla in a `vitest run` suite passes and fails as its thresholds say', () => {
    const pass = vitest('matcher', ['run', 'pass']);
    expect(pass.res.status, pass.output).toBe(0);
    const fail = vitest('matcher', ['run', 'fail']);
    expect(fail.res.status, fail.output).toBe(1);
    expect(fail.output).toContain('misses a tight SLA');
    expect(fail.output).toMatch(/ {2}- execution_time_p95: measured 0\.0\d+ s, required < 0\.001 s \(error\)/);
    // measure() runs are recorded, with the SLA the test asserted
    const [run] = history('matcher').runs;
    expect(run?.workflow).toBe('sleepy');
    expect(run?.sla.violations.map((v) => v.name)).toEqual(['execution_time_p95']);
  });

  it(`Vitest's own bench API is measured too (Vitest ${major} style)`, () => {
    const { res, output } = vitest('native', ['bench', '--run', `v${major}`]);
    expect(res.status, output).toBe(0);
    const [run] = history('native').runs;
    expect(run?.workflow).toBe('sleep 50ms');
    expect(run?.iterations).toHaveLength(2);
    // Vitest 5: `expect(result).toMeetSla('docs')` names the lane of an unlabelled bench
    expect(run?.lane).toBe(major === 5 ? 'docs' : 'adhoc');
  });
});
