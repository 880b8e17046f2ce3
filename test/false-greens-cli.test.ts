/**
 * False greens of the `lanebench` command, end to end on the built CLI in fresh directories: a config
 * that never settles or throws is a configuration error (exit 2, naming the file); an interrupted run
 * (2 of 5 iterations) is not a pass in metrics.json, JUnit, summary.md, the dashboard or the CSV; a
 * regression is printed, and fails the run with --fail-on-regression or `failOnRegression: true`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CLI, lanebench, readHistoryFile, tempDir, writeFile } from './cli-helpers.js';
import { requireBuilt } from './helpers/tools.js';
import { junitSchema } from './helpers/tools.js';
import { seedBaseline } from './helpers/baseline.js';

requireBuilt(CLI);
const OUT = '.benchmark_results';

describe('a config file that never settles or throws', () => {
  const cases = [
    ['a config function whose promise never settles', 'export default () => new Promise(() => {});\n'],
    ['a top-level await that never resolves', 'await new Promise(() => {});\nexport default {};\n'],
  ] as const;
  for (const [what, source] of cases) {
    it(`${what}: exit 2 at the deadline (LANEBENCH_CONFIG_TIMEOUT), naming the file, running nothing`, () => {
      const dir = tempDir('never');
      writeFile(dir, 'lanebench.config.mjs', source);
      const file = join(dir, 'lanebench.config.mjs');
      for (const args of [
        ['run', '--lane', 'docs', '--', 'false'],
        ['validate-sla', '--lane', 'docs'],
      ]) {
        const started = Date.now();
        const r = lanebench(dir, args, { LANEBENCH_CONFIG_TIMEOUT: '2' });
        expect(r.code, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`${file}: the config did not settle within 2 s`);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      }
    });
  }

  it('a config function that throws: exit 2 naming the file, without a raw stack', () => {
    const dir = tempDir('throws');
    writeFile(dir, 'lanebench.config.mjs', "export default () => { throw new Error('vault unreachable'); };\n");
    const r = lanebench(dir, ['run', '--lane', 'docs', '--', 'false']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${join(dir, 'lanebench.config.mjs')}: the exported config function threw: vault unreachable`,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a bad LANEBENCH_CONFIG_TIMEOUT names itself and the range', () => {
    const dir = tempDir('badtimeout');
    writeFile(dir, 'lanebench.config.mjs', 'export default {};\n');
    const r = lanebench(dir, ['validate-sla', '--lane', 'docs'], { LANEBENCH_CONFIG_TIMEOUT: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LANEBENCH_CONFIG_TIMEOUT='0' is not valid; expected seconds from 0.1 to 3600");
  });
});

describe('an interrupted run (2 of 5 iterations) is never shown as a pass', () => {
  it('exit 130 (SIGINT); metrics.json partial; JUnit <error>; ⚠️ with "2 of 5 iterations" in Markdown and HTML; Passed=false', async () => {
    const dir = tempDir('partial');
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--lane', 'docs', '--iterations', '5', '--name', 'nap', '--', 'sleep', '0.6'],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const end = Date.now() + 60_000;
    while (!/iteration 2\/5 passed/.test(output)) {
      if (Date.now() > end) throw new Error(`no second iteration:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT'); // iteration 3 is running (0.6 s)
    const code = await exited;
    // ended by a signal: 128 + SIGINT, never 0 (issue 11: the shell convention for a run stopped by a signal)
    expect(code, output).toBe(130);

    const [run] = readHistoryFile(dir).runs;
    expect(run?.status).toBe('partial');
    expect(run?.iterations).toHaveLength(2);
    expect(run?.sla.passed).toBe(true); // the SLA of the kept iterations holds: only the run is incomplete

    const junit = readFileSync(join(dir, OUT, 'junit.xml'), 'utf8');
    expect(junit).toContain('<error type="RunPartial" message="nap: partial: 2 of 5 iterations (run interrupted');
    expect(junit).toMatch(/<testsuites name="lanebench" tests="1" failures="0" errors="1"/);
    const xsd = junitSchema();
    if (xsd) {
      const lint = spawn('xmllint', ['--noout', '--schema', xsd, join(dir, OUT, 'junit.xml')]);
      expect(await new Promise((res) => lint.on('exit', res))).toBe(0);
    }
    const md = readFileSync(join(dir, OUT, 'summary.md'), 'utf8');
    expect(md).toContain('**⚠️ All 1 lane compliant on partial data**');
    expect(md).toContain('| `docs` | `nap` | ⚠️ partial: 2 of 5 iterations |');
    expect(md).not.toContain('✅');
    const html = readFileSync(join(dir, OUT, 'performance_dashboard.html'), 'utf8');
    expect(html).toContain('⚠ All 1 lane compliant on partial data (2 of 5 iterations)');
    expect(html).toContain('⚠ PARTIAL: 2 OF 5 ITERATIONS');
    const rows = parse<Record<string, string>>(readFileSync(join(dir, OUT, 'performance_metrics.csv'), 'utf8'), {
      columns: true,
    });
    expect(rows[0]!.Passed).toBe('false');
    expect(output).toMatch(/! docs \/ nap .* compliant · partial: 2 of 5 iterations/);
  }, 90_000);
});

describe('regressions in `lanebench run`', () => {
  it('are printed; --fail-on-regression and failOnRegression: true fail the run', () => {
    const nap = (ms: number) => ['--', 'node', '-e', `setTimeout(() => {}, ${ms})`];
    const args = ['run', '--lane', 'docs', '--iterations', '5', '--name', 'nap'];
    // Each case gets its own clean baseline: the run-median gate rightly calls a comparison inconclusive when an
    // earlier slow run sits in the window, so cases must not share one history.
    const withBaseline = (name: string): string => {
      const dir = tempDir(`regress-${name}`);
      writeFile(dir, 'lanebench.config.mjs', 'export default { failOnRegression: process.env.FAIL_ON_REG === "1" };\n');
      const base = lanebench(dir, [...args, ...nap(100)]);
      expect(base.code, base.stdout + base.stderr).toBe(0);
      seedBaseline(join(dir, OUT, 'metrics.json'));
      return dir;
    };
    const slow = lanebench(withBaseline('plain'), [...args, ...nap(900)]);
    expect(slow.code, slow.stdout + slow.stderr).toBe(0);
    expect(slow.stdout).toMatch(/Compared with earlier runs: \d+ regressions?\n/);
    expect(slow.stdout).toMatch(/▲ docs › nap › execution_time: regression/);
    const flag = lanebench(withBaseline('flag'), [...args, '--fail-on-regression', ...nap(900)]);
    expect(flag.code, flag.stdout + flag.stderr).toBe(1);
    expect(flag.stdout).toContain('(failOnRegression: the run fails)');
    const config = lanebench(withBaseline('config'), [...args, ...nap(900)], { FAIL_ON_REG: '1' });
    expect(config.code, config.stdout + config.stderr).toBe(1);
    expect(config.stdout).toMatch(/▲ docs › nap › execution_time: regression/);
  }, 240_000);
});
