/**
 * Bad configurations (docs/configuration.md, docs/SECURITY.md): every bad value is a clear error that names
 * the value and the accepted range or choices, through the API, a config file on disk, and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, compileThresholds, loadConfig, resolveConfig, resolveLane } from '../packages/core/src/index.js';
import { requireBuilt } from './helpers/tools.js';

const ROOT = resolve(__dirname, '..');
const CLI = requireBuilt(join(ROOT, 'packages', 'cli', 'dist', 'cli.js'));
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lanebench-fault-config-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs fn, expects a ConfigError, returns its message. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('bad configuration values through the API', () => {
  it.each([
    [0, /iterations.*\b0\b.*1.*100/],
    [101, /iterations.*101.*1.*100/],
    [2.5, /iterations.*2\.5.*integer/],
    ['5', /iterations.*'5'/],
  ])('lane iterations %s is refused with the value and the range', (iterations, pattern) => {
    const message = configError(() => resolveConfig({ lanes: { docs: { iterations: iterations as number } } }));
    expect(message).toMatch(pattern);
    expect(message).toContain('lanes.docs');
  });

  it.each(['abc', '-5s', '10 parsecs', 0, ''])(
    'lane timeout %j is refused with the value and the accepted forms',
    (timeout) => {
      const message = configError(() => resolveConfig({ lanes: { heavy: { timeout: timeout } } }));
      expect(message).toContain('lanes.heavy.timeout');
      expect(message).toContain(typeof timeout === 'string' ? `'${timeout}'` : String(timeout));
      expect(message).toMatch(/duration/);
    },
  );

  it('an unknown lane names the lane and lists the configured ones', () => {
    const config = resolveConfig({ lanes: { nightly: { iterations: 3 } } });
    const message = configError(() => resolveLane(config, 'hevy'));
    expect(message).toContain("'hevy'");
    for (const lane of ['docs', 'standard', 'heavy', 'nightly']) expect(message).toContain(lane);
  });

  it('per-workflow overrides are validated like the config', () => {
    const config = resolveConfig(undefined);
    expect(configError(() => resolveLane(config, 'docs', { iterations: 101 }))).toMatch(/101.*1.*100/);
    expect(configError(() => resolveLane(config, 'docs', { timeout: 'abc' }))).toContain("'abc'");
  });

  it.each([
    [{ execution_time: ['p(95) < 20parsecs'] }, 'parsecs', /ms|s|m|h/],
    [{ execution_time: ['q(95) < 20m'] }, "'q'", /avg, mean, med, median, min, max, stdev, p\(N\)/],
    [{ execution_time: ['p(150) < 20m'] }, 'p(150)', /0 < N ≤ 100/],
    [{ execution_time: ['mean << 20m'] }, '<<', /<|<=|>|>=|==|!=/],
    [{ execution_time: ['average < 20m'] }, 'average', /avg|mean/],
    [{ exec_time: ['mean < 20m'] }, 'exec_time', /execution_time/],
    [{ memory_usage: ['max < 20s'] }, "'s'", /MB|GB/],
    [{ execution_time: ['p(95) <'] }, 'p(95) <', /value|number|expected/i],
  ])('threshold %j is refused naming %s and the valid choices', (spec, bad, choices) => {
    const message = configError(() => compileThresholds(spec));
    expect(message).toContain(bad);
    expect(message).toMatch(choices);
    // and the same through a lane config
    configError(() => resolveConfig({ lanes: { docs: { thresholds: spec } } }));
  });

  it('unknown keys are refused with the valid keys (a typo never passes silently)', () => {
    expect(configError(() => resolveConfig({ lanes: { docs: { iteration: 5 } as never } }))).toMatch(
      /'iteration'.*iterations/,
    );
    expect(configError(() => resolveConfig({ lanes: { docs: { sla: { p90: 10 } as never } } }))).toMatch(/'p90'.*p95/);
    expect(configError(() => resolveConfig({ outputdir: 'x' } as never))).toMatch(/'outputdir'.*outputDir/);
  });
});

describe('bad configuration in a config file', () => {
  it('loadConfig names the file and the bad value', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lanebench.config.mjs'), 'export default { lanes: { docs: { iterations: 0 } } };\n');
    const err = await loadConfig({ root: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(join(dir, 'lanebench.config.mjs'));
    expect((err as Error).message).toMatch(/iterations.*\b0\b.*1.*100/);
  });

  it('a config file that does not parse names the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lanebench.config.json'), '{ "lanes": { "docs": ');
    const err = await loadConfig({ root: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('lanebench.config.json');
  });
});

describe('bad values through the CLI (exit code 2, message names the value)', () => {
  const cli = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });

  it.each([
    [['run', '--lane', 'docs', '--iterations', '0', '--', 'node', '-e', '0'], '0', /1.*100/],
    [['run', '--lane', 'docs', '--iterations', '101', '--', 'node', '-e', '0'], '101', /1.*100/],
    [['run', '--lane', 'docs', '--timeout', 'abc', '--', 'node', '-e', '0'], 'abc', /60.*3600/],
    [['run', '--lane', 'docs', '--timeout', '5', '--', 'node', '-e', '0'], '5', /60.*3600/],
    [['run', '--lane', 'hevy', '--', 'node', '-e', '0'], 'hevy', /docs.*standard.*heavy|heavy/],
    [['validate-sla', '--lane', 'hevy'], 'hevy', /docs/],
    [['report', '--output-format', 'pdf'], 'pdf', /html/],
  ])('lanebench %j', (args, bad, accepted) => {
    const dir = tempDir();
    const r = cli(args, dir);
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(2);
    expect(out).toContain(bad);
    expect(out).toMatch(accepted);
    // nothing was measured or written
    expect(existsSync(join(dir, '.benchmark_results', 'metrics.json'))).toBe(false);
  });

  it('a bad threshold in the config file stops the CLI before running anything', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'lanebench.config.mjs'),
      "export default { lanes: { docs: { thresholds: { execution_time: ['p(95) < 20parsecs'] } } } };\n",
    );
    const r = cli(
      ['run', '--lane', 'docs', '--iterations', '1', '--', 'node', '-e', "require('fs').writeFileSync('ran','')"],
      dir,
    );
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(2);
    expect(out).toContain('parsecs');
    expect(out).toContain('lanebench.config.mjs');
    expect(readdirSync(dir)).not.toContain('ran');
  });
});
