/**
 * The `lanebench` bin as users get it: the packed tarball installed with npm into a fresh project
 * (with Vitest 4 + @lanebench/vitest and Jest 30 + @lanebench/jest), run through npx. Also drives
 * Vitest through its Node API with `lanebench run --lane` (with a TypeScript lanebench config, loaded
 * by core's jiti loader), and Jest (runner: 'jest') in a CommonJS sub-project.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFile } from '../packages/core/src/types.js';
import { createProject, type Project } from './helpers/project.js';

let project: Project;

beforeAll(() => {
  project = createProject({
    name: 'cli-bin',
    lanebench: ['cli', 'vitest', 'jest'],
    dependencies: { vitest: '4.1.12', jest: '30.5.2' },
  });
  project.write(
    'vitest.config.ts',
    "import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\n\nexport default defineConfig({ plugins: [lanebench()] });\n",
  );
  project.write(
    'lanebench.config.ts',
    'const config: { lanes: Record<string, { iterations: number }> } = { lanes: { docs: { iterations: 2 } } };\nexport default config;\n',
  );
  project.write(
    'lanes/lanes.bench.ts',
    [
      "import { workflow } from '@lanebench/vitest';",
      '',
      "workflow('docs', 'build site', 'node -e \"setTimeout(() => {}, 100)\"');",
      "workflow('heavy', 'integration', 'node -e \"setTimeout(() => {}, 100)\"');",
      '',
    ].join('\n'),
  );
});

describe('the installed lanebench bin', () => {
  it('npx lanebench --help works', () => {
    const r = project.run('npx', ['lanebench', '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage: lanebench/);
    for (const cmd of ['run', 'analyze', 'validate-sla', 'optimize', 'report', 'trends', 'compare', 'merge']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    }
  });

  it('run --lane drives Vitest through its Node API for the selected lane only', () => {
    const r = project.run('npx', ['lanebench', 'run', '--lane', 'docs', '--iterations', '3'], { timeoutMs: 240_000 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    const history = JSON.parse(project.read('.benchmark_results/metrics.json')) as HistoryFile;
    expect(history.runs.map((x) => `${x.lane}/${x.workflow}`)).toEqual(['docs/build site']);
    const run = history.runs[0]!;
    expect(run.runner.name).toBe('vitest');
    // the command line beats the config file (2)
    expect(run.iterations).toHaveLength(3);
    expect(r.stdout).toMatch(/docs \[compliant\]/);
    expect(r.stdout).toMatch(/mean [\d.]+ s/);
    expect(r.stdout).toMatch(/lanebench: lane docs: 1 run\(s\) recorded in .*metrics\.json, all passed/);
  });

  it("run --lane drives Jest when the config says runner: 'jest'", () => {
    const sub = 'jest-project';
    project.write(`${sub}/package.json`, JSON.stringify({ name: 'jest-lanes', private: true, type: 'commonjs' }));
    project.write(
      `${sub}/jest.config.js`,
      "module.exports = { reporters: ['default', '@lanebench/jest'], setupFilesAfterEnv: ['@lanebench/jest/setup'], testMatch: ['<rootDir>/lanes/**/*.test.js'] };\n",
    );
    project.write(
      `${sub}/lanebench.config.json`,
      JSON.stringify({ runner: 'jest', lanes: { docs: { iterations: 2 } } }),
    );
    project.write(
      `${sub}/lanes/lanes.test.js`,
      [
        "const { workflow } = require('@lanebench/jest');",
        "workflow('docs', 'build site', 'node -e \"setTimeout(() => {}, 100)\"');",
        "workflow('heavy', 'integration', 'node -e \"setTimeout(() => {}, 100)\"');",
        '',
      ].join('\n'),
    );
    // the sub-project has its own package.json, so call the installed bin by path rather than npx
    const r = project.run(
      'node',
      ['../node_modules/lanebench/dist/cli.js', 'run', '--lane', 'docs', '--iterations', '3'],
      { cwd: sub, timeoutMs: 240_000 },
    );
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    const history = JSON.parse(project.read(`${sub}/.benchmark_results/metrics.json`)) as HistoryFile;
    expect(history.runs.map((x) => `${x.lane}/${x.workflow}`)).toEqual(['docs/build site']);
    expect(history.runs[0]!.runner.name).toBe('jest');
    expect(history.runs[0]!.iterations).toHaveLength(3);
    expect(r.stdout).toMatch(/lanebench: lane docs: 1 run\(s\) recorded in .*metrics\.json, all passed/);
  });

  it('an unknown lane is refused before starting Vitest', () => {
    const r = project.run('npx', ['lanebench', 'run', '--lane', 'nightly']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown lane 'nightly'/);
  });
});

describe('lanebench run --lane on Vitest 5', () => {
  let v5: Project;

  beforeAll(() => {
    v5 = createProject({ name: 'cli-vitest5', lanebench: ['cli', 'vitest'], dependencies: { vitest: '5.1.2' } });
    v5.write(
      'vitest.config.ts',
      "import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\n\nexport default defineConfig({ plugins: [lanebench()] });\n",
    );
    v5.write(
      'lanes/lanes.bench.ts',
      "import { workflow } from '@lanebench/vitest';\n\nworkflow('docs', 'build site', 'node -e \"setTimeout(() => {}, 100)\"');\nworkflow('heavy', 'integration', 'node -e \"setTimeout(() => {}, 100)\"');\n",
    );
  });

  it('starts Vitest 5 with benchmarkOnly for the selected lane', () => {
    const r = v5.run('npx', ['lanebench', 'run', '--lane', 'heavy', '--iterations', '2'], { timeoutMs: 240_000 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    const history = JSON.parse(v5.read('.benchmark_results/metrics.json')) as HistoryFile;
    expect(history.runs.map((x) => `${x.lane}/${x.workflow}`)).toEqual(['heavy/integration']);
    expect(history.runs[0]!.runner).toEqual({ name: 'vitest', version: '5.1.2' });
    expect(history.runs[0]!.iterations).toHaveLength(2);
  });
});
