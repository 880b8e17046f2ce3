/**
 * False greens on the real runners (Jest 30, Vitest 4.1, Vitest 5 on Node 22), one fresh project per
 * runner covering every case, to keep the suite short:
 * - Jest: `expect(await measure(fn)).toMeetSla(tight)` is stored, reported and exited on as the breach it is;
 * - an unknown LANEBENCH_LANE fails the run naming the configured lanes; a known lane without workflow
 *   files fails saying so;
 * - regressions are printed by the runner's own summary, and `failOnRegression: true` fails the run;
 * - the Vitest plugin prints where the reports went.
 */
import type { SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFile } from '../packages/core/src/types.js';
import { createProject, VITEST_MAJORS, type Project } from './helpers/project.js';
import { escapeHtml } from '../packages/core/src/report/html/index.js';
import { escapeMarkdown, mdCode } from '../packages/core/src/report/markdown.js';
import { escapeXmlAttr, escapeXmlText } from '../packages/core/src/report/xml.js';
import { seedBaseline } from './helpers/baseline.js';
import { junitSchema } from './helpers/tools.js';

const CONFIGURED = 'configured lanes: docs, standard, heavy, quick, nofiles';

function outputOf(res: SpawnSyncReturns<string>): string {
  return `${res.stdout}\n${res.stderr}`;
}

function history(project: Project, out: string): HistoryFile {
  return JSON.parse(project.read(`${out}/metrics.json`)) as HistoryFile;
}

/**
 * Every surface of one breached run: metrics.json, JUnit (schema-valid), summary.md, dashboard, CSV,
 * and the runner's output; the violation reads the same everywhere (one formatter).
 */
function expectBreachEverywhere(project: Project, out: string, workflow: string, output: string): void {
  const [run] = history(project, out).runs;
  expect(run?.workflow).toBe(workflow);
  expect(run?.sla).toMatchObject({ compliant: false, passed: false, checked: 1 });
  expect(run?.sla.violations.map((v) => v.name)).toEqual(['execution_time_p95']);
  const text = run!.sla.violations[0]!.message;
  expect(text).toMatch(/^execution_time_p95: measured 0\.0\d+ s, required < 0\.001 s \(error\)$/);
  // the matcher's failure and the console summary
  expect(output).toContain(`  - ${text}`);
  expect(output).toContain(`      ✗ ${text}`);
  const junit = project.read(`${out}/junit.xml`);
  expect(junit).toContain(`<failure type="SLAViolation" message="${escapeXmlAttr(text)}">`);
  expect(junit).toContain(`  ${escapeXmlText(text)}`);
  expect(project.read(`${out}/summary.md`)).toContain(
    `- ❌ ${mdCode('adhoc')} / ${mdCode(workflow)} ${escapeMarkdown(text)}`,
  );
  expect(project.read(`${out}/performance_dashboard.html`)).toContain(`<td>${escapeHtml(text)}</td>`);
  const xsd = junitSchema();
  if (xsd) {
    const lint = project.run('xmllint', ['--noout', '--schema', xsd, `${out}/junit.xml`]);
    expect(lint.status, lint.stderr).toBe(0);
  }
  const md = project.read(`${out}/summary.md`);
  expect(md).toContain('**❌ 1 of 1 lane not compliant**');
  expect(md).not.toContain('✅');
  expect(project.read(`${out}/performance_dashboard.html`)).toContain('✗ 1 of 1 lane not compliant');
  const rows = parse<Record<string, string>>(project.read(`${out}/performance_metrics.csv`), { columns: true });
  expect(rows[0]!.Passed).toBe('false');
}

/** A fast baseline (one real run, seeded to five), then a slow run: printed as a regression; with FAIL_ON_REG=1 the run fails. */
function expectRegressionVerdicts(
  run: (env: NodeJS.ProcessEnv) => SpawnSyncReturns<string>,
  historyFile: string,
): string {
  const base = run({ NAP_MS: '40' });
  expect(base.status, outputOf(base)).toBe(0);
  seedBaseline(historyFile);
  const slow = run({ NAP_MS: '160' });
  expect(slow.status, outputOf(slow)).toBe(0);
  expect(outputOf(slow)).toMatch(
    /Compared with earlier runs: \d+ regressions?\n\s+▲ quick › nap › execution_time: regression/,
  );
  const failing = run({ NAP_MS: '500', FAIL_ON_REG: '1' });
  expect(failing.status, outputOf(failing)).toBe(1);
  expect(outputOf(failing)).toContain('(failOnRegression: the run fails)');
  return outputOf(failing);
}

const LANES = `{ quick: { iterations: 5, sla: { p95: 30 } }, nofiles: {} }`;
const NAP = 'new Promise((r) => setTimeout(r, Number(process.env.NAP_MS || 40)))';

describe('Jest 30', () => {
  let project: Project;
  beforeAll(() => {
    project = createProject({
      name: 'verdicts-jest',
      lanebench: ['jest'],
      dependencies: { jest: '30.5.2' },
      type: 'commonjs',
    });
    project.write(
      'jest.config.js',
      `module.exports = {
  testEnvironment: 'node',
  maxWorkers: 1,
  setupFilesAfterEnv: ['@lanebench/jest/setup'],
  reporters: ['default', ['@lanebench/jest', {
    outputDir: process.env.BENCH_OUT || 'out',
    failOnRegression: process.env.FAIL_ON_REG === '1',
    lanes: ${LANES},
  }]],
};
`,
    );
    project.write(
      'sla.test.js',
      `const { measure } = require('@lanebench/jest');
test('search is fast', async () => {
  const r = await measure(() => new Promise((r) => setTimeout(r, 5)), { iterations: 5, name: 'search-tight' });
  expect(r).toMeetSla({ execution_time: ['p(95) < 1ms'] });
});
`,
    );
    project.write(
      'lanes/quick.test.js',
      `const { workflow } = require('@lanebench/jest');\nworkflow('quick', 'nap', () => ${NAP});\n`,
    );
  });

  const jest = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    project.run('npx', ['jest', ...args], { env, timeoutMs: 240_000 });

  it('toMeetSla failures are stored, reported and exited on as breaches', () => {
    const res = jest(['sla.test.js'], { BENCH_OUT: 'out-sla' });
    expect(res.status, outputOf(res)).toBe(1);
    expectBreachEverywhere(project, 'out-sla', 'search-tight', outputOf(res));
    expect(history(project, 'out-sla').runs[0]?.runner.name).toBe('jest');
    expect(outputOf(res)).toMatch(/lanebench\S* 1 run in 1 lane: 1 lane not compliant/);
  });

  it('an unknown LANEBENCH_LANE and a lane without workflow files fail the run', () => {
    const typo = jest(['lanes'], { BENCH_OUT: 'out-typo', LANEBENCH_LANE: 'dcos' });
    expect(typo.status, outputOf(typo)).toBe(1);
    expect(outputOf(typo)).toContain(`unknown lane 'dcos'; ${CONFIGURED}`);
    const empty = jest(['lanes'], { BENCH_OUT: 'out-empty', LANEBENCH_LANE: 'nofiles' });
    expect(empty.status, outputOf(empty)).toBe(1);
    expect(outputOf(empty)).toContain("LANEBENCH_LANE=nofiles: no workflow of lane 'nofiles' ran");
  });

  it('regressions are printed by the reporter; failOnRegression fails the run', () => {
    expectRegressionVerdicts(
      (env) => jest(['lanes'], { BENCH_OUT: 'out-regress', ...env }),
      join(project.dir, 'out-regress', 'metrics.json'),
    );
  });
});

describe.each(VITEST_MAJORS)('Vitest $dependencies.vitest', ({ major, dependencies }) => {
  let project: Project;
  beforeAll(() => {
    project = createProject({
      name: `verdicts-vitest${major}`,
      lanebench: ['vitest'],
      dependencies: { ...dependencies },
    });
    project.write(
      'vitest.config.mjs',
      `import { defineConfig } from 'vitest/config';
import { lanebench } from '@lanebench/vitest';
export default defineConfig({
  plugins: [lanebench({
    outputDir: process.env.BENCH_OUT || 'out',
    failOnRegression: process.env.FAIL_ON_REG === '1',
    lanes: ${LANES},
  })],
});
`,
    );
    project.write(
      'sla.test.mjs',
      `import { expect, test } from 'vitest';
import { measure } from '@lanebench/vitest';
test('search is fast', async () => {
  const r = await measure(() => new Promise((r) => setTimeout(r, 5)), { iterations: 5, name: 'search-tight' });
  expect(r).toMeetSla({ execution_time: ['p(95) < 1ms'] });
});
`,
    );
    project.write(
      'quick.bench.mjs',
      `import { workflow } from '@lanebench/vitest';\nworkflow('quick', 'nap', () => ${NAP});\n`,
    );
  });

  it('toMeetSla failures in `vitest run` are stored, reported and exited on as breaches', () => {
    const res = project.run('npx', ['vitest', 'run'], { env: { BENCH_OUT: 'out-sla' }, timeoutMs: 240_000 });
    expect(res.status, outputOf(res)).toBe(1);
    expectBreachEverywhere(project, 'out-sla', 'search-tight', outputOf(res));
  });

  const bench = (env: NodeJS.ProcessEnv) =>
    project.run('npx', ['vitest', 'bench', '--run'], { env, timeoutMs: 240_000 });

  it('an unknown LANEBENCH_LANE and a lane without workflow files fail the run', () => {
    const typo = bench({ BENCH_OUT: 'out-typo', LANEBENCH_LANE: 'dcos' });
    expect(typo.status, outputOf(typo)).not.toBe(0);
    expect(outputOf(typo)).toContain(`unknown lane 'dcos'; ${CONFIGURED}`);
    const empty = bench({ BENCH_OUT: 'out-empty', LANEBENCH_LANE: 'nofiles' });
    expect(empty.status, outputOf(empty)).toBe(1);
    expect(outputOf(empty)).toContain("LANEBENCH_LANE=nofiles: no workflow of lane 'nofiles' ran");
  });

  it('regressions are printed by the reporter; failOnRegression fails the run; report paths are printed', () => {
    const last = expectRegressionVerdicts(
      (env) => bench({ BENCH_OUT: 'out-regress', ...env }),
      join(project.dir, 'out-regress', 'metrics.json'),
    );
    expect(last).toMatch(/\[lanebench\] junit: .*out-regress\/junit\.xml/);
    expect(last).toMatch(/\[lanebench\] html: .*out-regress\/performance_dashboard\.html/);
  });
});
