/**
 * What a user sees while runners run lanes, on real Jest 30, Vitest 4.1 and Vitest 5 (Node 22) projects:
 * - measure() in an ordinary test is named after the test's full title (a second call in the test gets " (2)"), and
 *   its progress lines are throttled (at most one a second, plus the last);
 * - `lanebench run --lane L` driving the runner prints elapsed/ETA lines while a long iteration runs, and on a
 *   terminal (a real pseudo-terminal, util-linux `script`) draws the ad-hoc mode's live line instead;
 * - a `runner: 'jest'` lane runs only that lane's test files, and a failed Jest run names what failed;
 * - stack frames of a failed Vitest run point at files that exist in the installed packages (the sources the maps
 *   name; Jest leaves node_modules frames out of its failure output), and on both runners the first frame is the
 *   `workflow(…)` call in the user's lane file;
 * - a native Vitest 5 bench keeps one name from its progress lines to the summary.
 */
import type { SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFile } from '../packages/core/src/types.js';
import { createProject, VITEST_MAJORS, type Project } from './helpers/project.js';
import { toolAvailable } from './helpers/tools.js';

const outputOf = (res: SpawnSyncReturns<string>) => `${res.stdout}\n${res.stderr}`;
const SLEEP = (ms: number) => `() => new Promise((r) => setTimeout(r, ${ms}))`;
const LANES = JSON.stringify({
  lanes: { quick: { iterations: 2 }, slowlane: { iterations: 1 }, mixed: {}, broken: { iterations: 1 } },
});

function workflows(project: Project): string[] {
  return (JSON.parse(project.read('.benchmark_results/metrics.json')) as HistoryFile).runs.map((r) => r.workflow);
}

/** The throttled lines of the 20-iteration measure() (5 ms each: far below a second). */
function expectThrottledNames(project: Project, output: string): void {
  expect(workflows(project)).toEqual(expect.arrayContaining(['search › is fast', 'search › is fast (2)']));
  const lines = output.split('\n').filter((l) => l.startsWith('[lanebench] search › is fast: iteration'));
  expect(lines.length, output).toBeGreaterThanOrEqual(2);
  // unthrottled this would be 40 lines (start and end of each iteration)
  expect(lines.length, output).toBeLessThan(15);
  expect(lines.at(-1)).toMatch(/iteration 20\/20 passed/);
}

/** With a 1 s interval, the 2.5 s iteration prints elapsed/ETA while it runs; in CI no line is redrawn. */
function expectRunningLines(output: string): void {
  expect(output).toMatch(/\[lanebench\] slowlane › long: iteration 1\/1 running \(elapsed [12]\.\ds/);
  expect(output).not.toContain('\x1b[2K');
}

const hasScript = toolAvailable('script', 'runs `lanebench run --lane` in a real pseudo-terminal (util-linux script)');

/** `npx lanebench …` on a pseudo-terminal, outside CI (CI=false switches ci-info's detection off). */
function onTerminal(project: Project, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return project.run('script', ['-qfec', ['npx', 'lanebench', ...args].join(' '), '/dev/null'], {
    env: { CI: 'false', ...env },
    timeoutMs: 240_000,
  });
}

/**
 * The live line of the 2.5 s iteration, redrawn in place (`\r` + erase line) with a growing elapsed time while it
 * runs, instead of the CI lines; the runner's own output still reaches the terminal.
 */
function expectLiveLine(output: string): void {
  const drawn = [...output.matchAll(/\r\x1b\[2Kslowlane › long {2}iteration 1\/1 {2}elapsed (\d+\.\d)s/g)].map((m) =>
    Number(m[1]),
  );
  expect(new Set(drawn).size, output).toBeGreaterThanOrEqual(2);
  expect(Math.max(...drawn), output).toBeGreaterThanOrEqual(1);
  expect(output).not.toContain('[lanebench] slowlane › long: iteration 1/1 running');
  expect(output).toMatch(/lanebench: lane slowlane: 1 run\(s\) recorded in .*, all passed/);
}

/** The first frame after a failed run's message is the `workflow(…)` call in the user's lane file. */
function expectLaneFileFrame(output: string, frame: RegExp): void {
  const after = output.slice(output.indexOf('exits 3 failed (1 of 1 iterations did not pass)'));
  const first = after.split('\n').find((l) => /^\s*(❯|at) /.test(l));
  expect(first, output).toMatch(frame);
}

/** Every lanebench frame in the output names a file the installed package has. */
function expectFramesExist(project: Project, output: string): void {
  const frames = [...output.matchAll(/node_modules\/(@lanebench\/[^\s:()]+):\d+/g)].map((m) => m[1]!);
  expect(frames.length, output).toBeGreaterThan(0);
  for (const f of frames) expect(existsSync(join(project.dir, 'node_modules', f)), `${f}\n${output}`).toBe(true);
}

describe('Jest 30', () => {
  let project: Project;
  beforeAll(() => {
    project = createProject({
      name: 'progress-jest',
      lanebench: ['jest', 'cli'],
      dependencies: { jest: '30.5.2' },
      type: 'commonjs',
    });
    project.write(
      'jest.config.js',
      `module.exports = { testEnvironment: 'node', maxWorkers: 1, setupFilesAfterEnv: ['@lanebench/jest/setup'], reporters: ['default', '@lanebench/jest'] };\n`,
    );
    project.write('lanebench.config.json', JSON.stringify({ runner: 'jest', ...JSON.parse(LANES) }));
    const req = "const { workflow, measure } = require('@lanebench/jest');\n";
    project.write('lanes/quick.test.js', `${req}workflow('quick', 'nap', ${SLEEP(30)});\n`);
    project.write('lanes/slow.test.js', `${req}workflow('slowlane', 'long', ${SLEEP(2500)});\n`);
    project.write(
      'lanes/mixed.test.js',
      `${req}workflow('mixed', 'nap', ${SLEEP(10)});\ntest('helper check', () => { expect(1).toBe(2); });\n`,
    );
    project.write('unit.test.js', "test('unrelated unit test', () => { expect(1).toBe(2); });\n");
    project.write(
      'names.test.js',
      `${req}describe('search', () => {
  test('is fast', async () => {
    await measure(${SLEEP(5)}, { iterations: 20 });
    await measure(${SLEEP(5)}, { iterations: 2 });
  }, 120000);
});
`,
    );
    project.write(
      'lanes/broken.test.js',
      `${req}workflow('broken', 'exits 3', async (ctx) => { await ctx.exec(['node', '-e', 'process.exit(3)']); });\n`,
    );
  });

  const lanebench = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    project.run('npx', ['lanebench', ...args], { env, timeoutMs: 240_000 });

  it("a runner: 'jest' lane runs only its files: an unrelated failing unit test does not fail it", () => {
    const res = lanebench(['run', '--lane', 'quick']);
    const output = outputOf(res);
    expect(res.status, output).toBe(0);
    expect(output).toMatch(/lanebench: lane quick: 1 run\(s\) recorded in .*, all passed/);
    expect(output).not.toContain('unrelated unit test');
    expect(output).not.toContain('unit.test.js');
  });

  it('when an ordinary test in a lane file fails the run, the lane command says which', () => {
    const res = lanebench(['run', '--lane', 'mixed']);
    const output = outputOf(res);
    expect(res.status, output).toBe(1);
    expect(output).toContain('[lanebench] Jest exits 1 because of:\n  - lanes/mixed.test.js: helper check');
    expect(output).not.toContain('unrelated unit test');
  });

  it('a long iteration prints elapsed and ETA while it runs', () => {
    const res = lanebench(['run', '--lane', 'slowlane'], { LANEBENCH_PROGRESS_INTERVAL: '1' });
    expect(res.status, outputOf(res)).toBe(0);
    expectRunningLines(outputOf(res));
  });

  it("a failed run's error points at the workflow() call in the lane file", () => {
    const res = project.run('npx', ['jest', 'lanes/broken'], { timeoutMs: 240_000 });
    const output = outputOf(res);
    expect(res.status, output).toBe(1);
    expectLaneFileFrame(output, /^\s*at .*\(lanes\/broken\.test\.js:2:\d+\)$/);
    // Jest's code frame of that line
    expect(output).toContain("> 2 | workflow('broken', 'exits 3'");
  });

  it.skipIf(!hasScript)('on a terminal, a long iteration shows the live line, redrawn while it runs', () => {
    const res = onTerminal(project, ['run', '--lane', 'slowlane'], { LANEBENCH_PROGRESS_INTERVAL: '1' });
    expect(res.status, outputOf(res)).toBe(0);
    expectLiveLine(outputOf(res));
  });

  it("measure() is named after the test's full title; its progress lines are throttled", () => {
    const res = project.run('npx', ['jest', 'names.test.js'], { timeoutMs: 240_000 });
    expect(res.status, outputOf(res)).toBe(0);
    expectThrottledNames(project, outputOf(res));
  });
});

describe.each(VITEST_MAJORS)('Vitest $dependencies.vitest', ({ major, dependencies }) => {
  let project: Project;
  beforeAll(() => {
    project = createProject({ name: `progress-vitest${major}`, lanebench: ['vitest', 'cli'], dependencies });
    project.write(
      'vitest.config.mjs',
      "import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\nexport default defineConfig({ plugins: [lanebench()] });\n",
    );
    project.write('lanebench.config.json', LANES);
    const imp = "import { workflow } from '@lanebench/vitest';\n";
    project.write('slow.bench.mjs', `${imp}workflow('slowlane', 'long', ${SLEEP(2500)});\n`);
    project.write(
      'broken.bench.mjs',
      `${imp}workflow('broken', 'exits 3', async (ctx) => { await ctx.exec(['node', '-e', 'process.exit(3)']); });\n`,
    );
    project.write(
      'names.test.mjs',
      `import { describe, test } from 'vitest';
import { measure } from '@lanebench/vitest';
describe('search', () => {
  test('is fast', async () => {
    await measure(${SLEEP(5)}, { iterations: 20 });
    await measure(${SLEEP(5)}, { iterations: 2 });
  }, 120000);
});
`,
    );
    if (major === 5) {
      project.write(
        'native.bench.mjs',
        `import { expect, test } from 'vitest';
test('sorting', async ({ bench }) => {
  const result = await bench('sort 20k', () => [...Array(20000).keys()].reverse().sort()).run({ iterations: 2 });
  expect(result).toMeetSla('quick');
});
`,
      );
    }
  });

  it('`lanebench run --lane` prints elapsed and ETA while a long iteration runs', () => {
    const res = project.run('npx', ['lanebench', 'run', '--lane', 'slowlane'], {
      env: { LANEBENCH_PROGRESS_INTERVAL: '1' },
      timeoutMs: 240_000,
    });
    expect(res.status, outputOf(res)).toBe(0);
    expectRunningLines(outputOf(res));
  });

  it.skipIf(!hasScript)('on a terminal, `lanebench run --lane` shows the live line, redrawn while it runs', () => {
    const res = onTerminal(project, ['run', '--lane', 'slowlane'], { LANEBENCH_PROGRESS_INTERVAL: '1' });
    expect(res.status, outputOf(res)).toBe(0);
    expectLiveLine(outputOf(res));
  });

  it('a bad LANEBENCH_PROGRESS_INTERVAL fails `vitest bench` before anything runs, naming the value', () => {
    const res = project.run('npx', ['vitest', 'bench', '--run', 'slow'], {
      env: { LANEBENCH_PROGRESS_INTERVAL: '30s' },
      timeoutMs: 240_000,
    });
    const output = outputOf(res);
    expect(res.status, output).not.toBe(0);
    expect(output).toContain("LANEBENCH_PROGRESS_INTERVAL='30s' is not valid; expected seconds from 1 to 3600");
    expect(output).not.toMatch(/iteration 1\/\d+ (running|passed)/);
  });

  it("measure() is named after the test's full title; its progress lines are throttled", () => {
    const res = project.run('npx', ['vitest', 'run', 'names'], { timeoutMs: 240_000 });
    expect(res.status, outputOf(res)).toBe(0);
    expectThrottledNames(project, outputOf(res));
  });

  it("stack frames of a failed run name files the packages ship; the first is the user's lane file", () => {
    const res = project.run('npx', ['vitest', 'bench', '--run', 'broken'], { timeoutMs: 240_000 });
    expect(res.status, outputOf(res)).toBe(1);
    expectFramesExist(project, outputOf(res));
    expectLaneFileFrame(outputOf(res), /^\s*❯ broken\.bench\.mjs:2:\d+$/);
  });

  // The test-context `bench` fixture exists only in Vitest 5, so this case is defined for 5 alone
  // (not skipped on 4: there is nothing to run there).
  if (major === 5) {
    it('a native bench has one name from its progress lines to the summary', () => {
      const res = project.run('npx', ['vitest', 'bench', '--run', 'native'], { timeoutMs: 240_000 });
      const output = outputOf(res);
      expect(res.status, output).toBe(0);
      expect(output).toMatch(/\[lanebench\] sort 20k: iteration 2\/2 passed/);
      expect(output).not.toContain('adhoc › sort 20k');
      expect(output).toContain('quick / sort 20k');
    });
  }
});
