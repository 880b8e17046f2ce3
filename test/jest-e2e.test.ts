/**
 * @lanebench/jest end to end: a fresh CommonJS project installs the packed packages and Jest
 * 30.5.2 from npm, then runs real `npx jest --maxWorkers=2` over workflow files in two lanes
 * (fixture: test/fixtures/jest). One npm install for the whole file.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpawnSyncReturns } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS, type HistoryFile } from '../packages/core/src/types.js';
import { createProject, REPO_ROOT, type Project } from './helpers/project.js';
import { junitSchema } from './helpers/tools.js';

interface JestAssertion {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'skipped' | 'todo';
  failureMessages: string[];
}
interface JestJson {
  success: boolean;
  numFailedTests: number;
  testResults: Array<{ name: string; assertionResults: JestAssertion[] }>;
}

let project: Project;

beforeAll(() => {
  project = createProject({
    name: 'jest',
    lanebench: ['jest'],
    dependencies: { jest: '30.5.2', '@types/jest': '30.0.0' },
    type: 'commonjs',
  });
  cpSync(join(REPO_ROOT, 'test/fixtures/jest'), project.dir, { recursive: true });
});

function jest(args: string[], env: NodeJS.ProcessEnv = {}): { res: SpawnSyncReturns<string>; output: string } {
  const res = project.run('npx', ['jest', '--maxWorkers=2', ...args], { env, timeoutMs: 240_000 });
  return { res, output: `${res.stdout}\n${res.stderr}` };
}

function results(file: string): Map<string, JestAssertion> {
  const json = JSON.parse(project.read(file)) as JestJson;
  return new Map(json.testResults.flatMap((f) => f.assertionResults).map((a) => [a.title, a]));
}

function history(outDir: string): HistoryFile {
  return JSON.parse(project.read(`${outDir}/metrics.json`)) as HistoryFile;
}

describe('@lanebench/jest in a fresh project (Jest 30.5.2)', () => {
  it('runs both lanes: compliant lane passes, breach and crash fail their own tests, every report is written', () => {
    const { res, output } = jest(['--json', '--outputFile=all.json'], { BENCH_OUT: 'out-all' });
    expect(res.status, output).toBe(1);

    const tests = results('all.json');
    const status = (title: string) => tests.get(title)?.status;
    // the compliant lane
    expect(status('[quick] spawn tree'), output).toBe('passed');
    expect(status('[quick] shell command')).toBe('passed');
    expect(status('[quick] custom metric')).toBe('passed');
    expect(status('ordinary test with measure() and toMeetSla')).toBe('passed');
    // the breaching lane: the violation is named in the failure
    expect(status('[tight] slow build')).toBe('failed');
    expect(tests.get('[tight] slow build')!.failureMessages.join('\n')).toContain('execution_time_p95');
    // the crash fails only its own test; its neighbours in the same file still pass
    expect(status('[tight] crashing build')).toBe('failed');
    expect(tests.get('[tight] crashing build')!.failureMessages.join('\n')).toContain('build exploded');
    expect(status('[tight] instant check')).toBe('passed');
    expect(status('ordinary test next to workflows')).toBe('passed');
    // warnings fail only in strict mode
    expect(status('[tight] strict warning')).toBe('failed');
    expect(tests.get('[tight] strict warning')!.failureMessages.join('\n')).toMatch(
      /strict mode[\s\S]*execution_time_mean/,
    );
    expect(status('[tight] lenient warning')).toBe('passed');

    // Jest's own output names the violation; progress lines come from the workers
    expect(output).toContain('execution_time_p95');
    expect(output).toMatch(/\[lanebench\] quick › spawn tree: iteration 3\/3 passed \d+\.\d+s/);
    // the reporter ends the run with publishRuns' per-lane console summary (the strict-warning run is named as such)
    expect(output).toMatch(/lanebench\S* 9 runs in 2 lanes: /);
    expect(output).toMatch(/strict warning .*compliant, failed in strict mode \(warnings\)/);

    // JUnit in the configured outputDir (reporter option merged over lanebench.config.ts)
    const junit = project.read('out-all/junit.xml');
    expect(junit).toContain('execution_time_p95');
    expect(junit).toMatch(/<failure[^>]*SLAViolation/);
    for (const f of ['performance_dashboard.html', 'performance_metrics.csv', 'summary.md']) {
      expect(project.exists(`out-all/${f}`), f).toBe(true);
    }
    const xsd = junitSchema();
    if (xsd) {
      const lint = project.run('xmllint', ['--noout', '--schema', xsd, 'out-all/junit.xml']);
      expect(lint.status, lint.stderr).toBe(0);
    }

    // every run from both workers, every iteration with every SPEC §4 metric
    const h = history('out-all');
    const byName = new Map(h.runs.map((r) => [r.workflow, r]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'crashing build',
        'custom metric',
        'in-test measure',
        'instant check',
        'lenient warning',
        'shell command',
        'slow build',
        'spawn tree',
        'strict warning',
      ].sort(),
    );
    for (const run of h.runs) {
      expect(run.runner.name).toBe('jest');
      expect(run.iterations.length, run.workflow).toBe(
        run.workflow === 'in-test measure' ? 2 : run.lane === 'tight' ? 4 : 3,
      );
      for (const it of run.iterations)
        for (const key of METRIC_KEYS) expect(typeof it[key], `${run.workflow} ${key}`).toBe('number');
    }
    expect(byName.get('slow build')!.sla.compliant).toBe(false);
    expect(byName.get('slow build')!.sla.violations.map((v) => v.name)).toContain('execution_time_p95');
    expect(byName.get('crashing build')!.status).toBe('failed');
    expect(byName.get('spawn tree')!.sla.compliant).toBe(true);
    expect(byName.get('spawn tree')!.file).toBe(join('bench', 'quick', 'exec.test.js'));
    expect(byName.get('custom metric')!.iterations[0]!.custom.pages).toBe(42);
    // the 'spawn tree' workflow spawns processes: their CPU is accounted
    expect(byName.get('spawn tree')!.iterations.every((i) => i.cpu_seconds > 0)).toBe(true);
  });

  it('--selectProjects <lane> runs that lane only', () => {
    const { res, output } = jest(['--selectProjects', 'quick', '--json', '--outputFile=quick.json'], {
      BENCH_OUT: 'out-select',
    });
    expect(res.status, output).toBe(0);
    const tests = results('quick.json');
    expect([...tests.keys()].some((t) => t.startsWith('[tight]'))).toBe(false);
    expect(tests.get('[quick] spawn tree')?.status).toBe('passed');
    expect(new Set(history('out-select').runs.map((r) => r.lane))).toEqual(new Set(['quick']));
  });

  it('LANEBENCH_LANE skips the workflows of other lanes and appends to the same history', () => {
    const before = history('out-select').runs.length;
    const { res, output } = jest(['--json', '--outputFile=env.json'], {
      BENCH_OUT: 'out-select',
      LANEBENCH_LANE: 'quick',
    });
    expect(res.status, output).toBe(0);
    const tests = results('env.json');
    expect(tests.get('[tight] slow build')?.status).toBe('pending');
    expect(tests.get('[tight] crashing build')?.status).toBe('pending');
    expect(tests.get('[quick] shell command')?.status).toBe('passed');
    const runs = history('out-select').runs;
    expect(runs.length).toBe(before + 4);
    expect(runs.slice(before).every((r) => r.lane === 'quick')).toBe(true);
  });

  it('a configuration error fails every workflow with its message, and the run', () => {
    const { res, output } = jest([
      '--config',
      'jest.bad.config.js',
      '--selectProjects',
      'quick',
      '--json',
      '--outputFile=bad.json',
    ]);
    expect(res.status, output).toBe(1);
    const tests = results('bad.json');
    const failed = tests.get('[quick] shell command')!;
    expect(failed.status).toBe('failed');
    expect(failed.failureMessages.join('\n')).toMatch(/lanebench configuration error: .*iterations/);
    expect(project.exists('out-bad/metrics.json')).toBe(false);
  });

  it('without the reporter, workflows and measure() load lanebench.config.ts inside the Jest test runtime', () => {
    const { res, output } = jest(['--config', 'jest.noreporter.config.js', '--json', '--outputFile=noreporter.json']);
    expect(res.status, output).toBe(0);
    const tests = results('noreporter.json');
    // 'quick' exists only in lanebench.config.ts (and lanes.ts, which it imports): an unloaded config fails these
    for (const title of [
      '[quick] shell command',
      '[quick] custom metric',
      'measure() resolves the quick lane from lanebench.config.ts',
    ]) {
      expect(tests.get(title)?.status, `${title}\n${output}`).toBe('passed');
    }
    expect(output).toContain('the @lanebench/jest reporter is not configured');
    expect(output).not.toMatch(/lanebench configuration error|cannot import ES module config/);
  });

  it('types: toMeetSla and the API type-check with @jest/globals and with @types/jest', () => {
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    for (const f of ['globals', 'ambient']) project.write(`types/${f}.ts`, project.read(`types/${f}.ts.txt`));
    for (const config of ['types/tsconfig.globals.json', 'types/tsconfig.ambient.json']) {
      const res = project.run(tsc, ['-p', config]);
      expect(res.status, `${config}\n${res.stdout}${res.stderr}`).toBe(0);
    }
  });

  it('runJest() drives Jest for one lane with CLI overrides (what `lanebench run --lane` uses)', () => {
    const script = `
      const { runJest } = require('@lanebench/jest');
      runJest({ lane: 'tight', cwd: process.cwd(), overrides: { iterations: 2 }, config: { outputDir: 'out-runjest' } })
        .then((r) => { console.log('RESULT ' + JSON.stringify({ exitCode: r.exitCode, failed: r.results.numFailedTests })); process.exit(r.exitCode); });
    `;
    const res = project.run('node', ['-e', script], { timeoutMs: 240_000 });
    const output = `${res.stdout}\n${res.stderr}`;
    expect(res.status, output).toBe(1);
    expect(output).toContain('RESULT {"exitCode":1,"failed":3}');
    expect(output).toContain('Running one project: tight');
    const runs = history('out-runjest').runs;
    expect(new Set(runs.map((r) => r.lane))).toEqual(new Set(['tight']));
    expect(runs.every((r) => r.iterations_requested === 2)).toBe(true);
    expect(readFileSync(join(project.dir, 'out-runjest', 'junit.xml'), 'utf8')).toContain('execution_time_p95');
  });
});
