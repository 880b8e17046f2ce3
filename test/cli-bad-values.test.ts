/**
 * Bad values that used to slip through (issue 11 item 11): each exits 2 with a message naming the value and what
 * is accepted, before anything is measured; and a reader that closes stdout early (`| head -1`) costs neither the
 * run nor an EPIPE stack.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, lanebench, readHistoryFile, recordRuns, tempDir, writeFile } from './cli-helpers.js';

let dir: string;

beforeAll(() => {
  dir = tempDir('bad-values');
  recordRuns(dir, 1, ['--lane', 'docs', '--name', 'build', '--iterations', '2'], ['true']);
});

const CASES: Array<[string, string[], RegExp]> = [
  [
    'iterations 0x10 (hex)',
    ['run', '--lane', 'docs', '--iterations', '0x10', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got '0x10'/,
  ],
  [
    'iterations 1e1 (exponent)',
    ['run', '--lane', 'docs', '--iterations', '1e1', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got '1e1'/,
  ],
  [
    'iterations 1.5',
    ['run', '--lane', 'docs', '--iterations', '1.5', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got '1\.5'/,
  ],
  ['iterations " 5"', ['run', '--lane', 'docs', '--iterations', ' 5', '--', 'true'], /got ' 5'/],
  ['window 0b11', ['analyze', '--window', '0b11'], /--window must be an integer from 1 to 100000; got '0b11'/],
  [
    'timeout 0x3c',
    ['run', '--lane', 'docs', '--timeout', '0x3c', '--', 'true'],
    /--timeout must be a number of seconds from 60 to 3600; got '0x3c'/,
  ],
  ['timeout 6e1', ['run', '--lane', 'docs', '--timeout', '6e1', '--', 'true'], /got '6e1'/],
  ['--name ""', ['run', '--lane', 'docs', '--name', '', '--', 'true'], /--name: '' is empty; expected a workflow name/],
  ['-- ""', ['run', '--lane', 'docs', '--', ''], /the command after -- is empty \(''\)/],
  [
    '--output-dir ""',
    ['run', '--lane', 'docs', '--output-dir', '', '--', 'true'],
    /--output-dir: '' is empty; expected a directory path/,
  ],
  ['--output-dir "" (analyze)', ['analyze', '--output-dir', ''], /--output-dir: '' is empty/],
  ['--config ""', ['analyze', '--config', ''], /--config: '' is empty/],
  [
    'analyze --workflow nosuch',
    ['analyze', '--lane', 'docs', '--workflow', 'nosuch'],
    /--workflow: unknown workflow 'nosuch' in lane 'docs'; expected one of: build/,
  ],
  [
    'analyze --workflow nosuch (all lanes)',
    ['analyze', '--workflow', 'nosuch'],
    /--workflow: unknown workflow 'nosuch'; expected one of: build/,
  ],
  [
    'optimize --workflow nosuch',
    ['optimize', '--lane', 'docs', '--workflow', 'nosuch'],
    /--workflow: unknown workflow 'nosuch' in lane 'docs'; expected one of: build/,
  ],
];

describe('bad values exit 2 naming the value and what is accepted', () => {
  it.each(CASES)('%s', (_name, args, message) => {
    const before = readHistoryFile(dir).runs.length;
    const r = lanebench(dir, args);
    expect(r.stderr).toMatch(message);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    expect(readHistoryFile(dir).runs.length, 'nothing measured').toBe(before);
  });

  it('the same values in their accepted form still work (decimal integers)', () => {
    const r = lanebench(dir, ['analyze', '--lane', 'docs', '--window', '10', '--workflow', 'build']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lane: 'docs', total_runs: 1 });
  });

  it('a threshold given as a string instead of a list is a configuration error naming it', () => {
    const cfg = tempDir('threshold-string');
    writeFile(
      cfg,
      'lanebench.config.json',
      JSON.stringify({ lanes: { docs: { thresholds: { execution_time: 'mean < 15m' } } } }),
    );
    const r = lanebench(cfg, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /thresholds\.execution_time: expected a list of thresholds such as \['p\(95\) < 20m'\], got 'mean < 15m'/,
    );
    expect(existsSync(join(cfg, '.benchmark_results', 'metrics.json'))).toBe(false);
  });

  it.each([
    ['JSON', 'lanebench.config.json', '{ "lanes": { "__proto__": { "iterations": 2 } } }'],
    ['JS object literal', 'lanebench.config.mjs', 'export default { lanes: { __proto__: { iterations: 2 } } };\n'],
    ['constructor', 'lanebench.config.json', JSON.stringify({ lanes: { constructor: { iterations: 2 } } })],
  ])('a lane named __proto__ / constructor (%s) is refused, not dropped', (_kind, file, content) => {
    const cfg = tempDir('proto-lane');
    writeFile(cfg, file, content);
    const r = lanebench(cfg, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /config\.lanes: (a lane named '__proto__' is not allowed|the lane name '(__proto__|constructor)' is reserved)/,
    );
  });

  it('--lane __proto__ is an unknown lane, not Object.prototype', () => {
    const r = lanebench(dir, ['run', '--lane', '__proto__', '--', 'true']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/'__proto__'.*docs, standard, heavy/);
  });
});

describe('LANEBENCH_PROGRESS_INTERVAL', () => {
  it.each(['abc', '0.5', '-1', '3601'])('%s: exit 2 naming the value and the range, nothing measured', (value) => {
    const cwd = tempDir('bad-interval');
    const r = lanebench(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true'], {
      LANEBENCH_PROGRESS_INTERVAL: value,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `LANEBENCH_PROGRESS_INTERVAL='${value}' is not valid; expected seconds from 1 to 3600, or 0 for no progress lines`,
    );
    expect(existsSync(join(cwd, '.benchmark_results', 'metrics.json'))).toBe(false);
  });
});

describe('LANEBENCH_LOCK_STALE_MS', () => {
  it.each(['abc', '-5', '0'])('%s: exit 2 naming the variable, the value and the range, nothing measured', (value) => {
    const cwd = tempDir('bad-lock-stale');
    const r = lanebench(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true'], {
      LANEBENCH_LOCK_STALE_MS: value,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `LANEBENCH_LOCK_STALE_MS='${value}' is not valid; expected an integer number of milliseconds ≥ 100`,
    );
    expect(r.stderr).not.toMatch(/iteration 1/);
    expect(existsSync(join(cwd, '.benchmark_results', 'metrics.json'))).toBe(false);
  });
});

/** Runs the CLI with its stdout read end closed right away, as `| head -0` would; resolves with code and stderr. */
function withClosedStdout(cwd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout (lanebench … | head -1)', () => {
  it('a passing run still records its run and exits 0, quietly', async () => {
    const cwd = tempDir('epipe-ok');
    const r = await withClosedStdout(cwd, ['run', '--lane', 'docs', '--iterations', '2', '--', 'true']);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code, r.stderr).toBe(0);
    const runs = readHistoryFile(cwd).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.iterations).toHaveLength(2);
    expect(existsSync(join(cwd, '.benchmark_results', 'performance_dashboard.html'))).toBe(true);
  });

  it('a failing run keeps its own exit code (1)', async () => {
    const cwd = tempDir('epipe-fail');
    const r = await withClosedStdout(cwd, ['run', '--lane', 'docs', '--iterations', '1', '--', 'false']);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code, r.stderr).toBe(1);
    expect(readHistoryFile(cwd).runs[0]!.status).toBe('failed');
  });

  it('read-only commands with long output exit 0', async () => {
    const r = await withClosedStdout(dir, ['analyze']);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code).toBe(0);
  });
});
