import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { busyCommand, lanebench, recordRuns, tempDir, writeFile } from './cli-helpers.js';

// Every bad value exits 2 with a message that names the value and what is accepted (SPEC §9).
let dir: string;

beforeAll(() => {
  dir = tempDir('usage');
  recordRuns(dir, 1, ['--lane', 'docs', '--name', 'build', '--iterations', '2'], busyCommand(20));
});

const CASES: Array<[string, string[], RegExp]> = [
  [
    'iterations 0',
    ['run', '--lane', 'docs', '--iterations', '0', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got '0'/,
  ],
  [
    'iterations 101',
    ['run', '--lane', 'docs', '--iterations', '101', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got '101'/,
  ],
  [
    'iterations abc',
    ['run', '--lane', 'docs', '--iterations', 'abc', '--', 'true'],
    /--iterations must be an integer from 1 to 100; got 'abc'/,
  ],
  ['iterations 2.5', ['run', '--lane', 'docs', '--iterations', '2.5', '--', 'true'], /got '2\.5'/],
  [
    'timeout 59',
    ['run', '--lane', 'docs', '--timeout', '59', '--', 'true'],
    /--timeout must be a number of seconds from 60 to 3600; got '59'/,
  ],
  ['timeout 3601', ['run', '--lane', 'docs', '--timeout', '3601', '--', 'true'], /from 60 to 3600; got '3601'/],
  ['unknown lane (run)', ['run', '--lane', 'nightly', '--', 'true'], /'nightly'.*docs, standard, heavy/],
  ['missing --lane', ['run', '--', 'true'], /required option '--lane <lane>' not specified/],
  ['bad --runner', ['run', '--lane', 'docs', '--runner', 'mocha'], /'mocha' is invalid.*vitest, jest/],
  [
    'unknown lane (analyze)',
    ['analyze', '--lane', 'nightly'],
    /--lane: unknown lane 'nightly'; expected one of: docs, standard, heavy/,
  ],
  ['window 0', ['analyze', '--window', '0'], /--window must be an integer from 1 to 100000; got '0'/],
  [
    'validate-sla unknown lane',
    ['validate-sla', '--lane', 'x'],
    /unknown lane 'x'; expected one of: docs, standard, heavy/,
  ],
  ['validate-sla lane without runs', ['validate-sla', '--lane', 'heavy'], /no runs of lane 'heavy' in .*metrics\.json/],
  ['optimize missing lane', ['optimize'], /required option '--lane <lane>' not specified/],
  [
    'report bad format',
    ['report', '--output-format', 'pdf'],
    /'pdf' is invalid\. Allowed choices are html, csv, junit, markdown, both, all/,
  ],
  [
    'trends unknown metric',
    ['trends', '--lane', 'docs', '--metric', 'speed'],
    /--metric: unknown metric 'speed' for lane 'docs'; expected one of: execution_time, cpu_seconds/,
  ],
  [
    'compare unknown side',
    ['compare', 'nope-1', 'nope-2'],
    /'nope-1' is not a history file or directory, a run id in .*, or a git ref/,
  ],
  ['compare one argument', ['compare', 'only-one'], /missing required argument 'candidate'/],
  [
    'merge missing file',
    ['merge', 'does-not-exist.json'],
    /merge: 'does-not-exist\.json' is not a history file or a directory containing metrics\.json/,
  ],
  [
    '--config missing file',
    ['analyze', '--config', 'nope.config.json'],
    /--config: file 'nope\.config\.json' does not exist/,
  ],
  ['unknown command', ['benchmark'], /unknown command 'benchmark'/],
  ['unknown option', ['analyze', '--lanes', 'docs'], /unknown option '--lanes'/],
];

describe('usage errors exit 2 with a message naming the value', () => {
  it.each(CASES)('%s', (_name, args, message) => {
    const r = lanebench(dir, args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('no command at all prints the help and exits 2', () => {
    const r = lanebench(dir, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: lanebench/);
  });

  it('--help and --version exit 0', () => {
    expect(lanebench(dir, ['--help']).code).toBe(0);
    expect(lanebench(dir, ['run', '--help']).stdout).toMatch(/--iterations <n>\s+measured iterations, 1-100/);
    expect(lanebench(dir, ['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a bad configuration file is a configuration error (exit 2) naming the value', () => {
    const d = tempDir('badconfig');
    writeFile(d, 'lanebench.config.json', JSON.stringify({ lanes: { docs: { iterations: 500 } } }));
    const r = lanebench(d, ['run', '--lane', 'docs', '--', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/500/);
    expect(r.stderr).toMatch(/1.*100/);
  });

  it('a syntax error in lanebench.config.ts is a configuration error (exit 2) naming the file and line', () => {
    const d = tempDir('syntax');
    writeFile(
      d,
      'lanebench.config.ts',
      'const n: number = 2;\nexport default {\n  lanes: { docs: { iterations: n },, },\n};\n',
    );
    const r = lanebench(d, ['analyze']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(d, 'lanebench.config.ts')}:3:`);
    expect(r.stderr).toMatch(/syntax error: Unexpected token/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a lanebench.config.ts importing another .ts file configures every command, with --config too', () => {
    const d = tempDir('ts-import');
    writeFile(d, 'bench/lanes.ts', 'export const nightly: { iterations: number } = { iterations: 1 };\n');
    writeFile(
      d,
      'bench/lanebench.config.ts',
      "import { nightly } from './lanes';\nexport default { outputDir: 'ts-out', lanes: { nightly } };\n",
    );
    const r = lanebench(d, ['run', '--config', 'bench/lanebench.config.ts', '--lane', 'nightly', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    const history = JSON.parse(readFileSync(join(d, 'ts-out', 'metrics.json'), 'utf8')) as {
      runs: Array<{ lane: string; iterations_requested: number }>;
    };
    expect(history.runs.map((run) => [run.lane, run.iterations_requested])).toEqual([['nightly', 1]]);
  });

  it('a corrupt history stops with exit 2 and is left untouched', () => {
    const d = tempDir('corrupt');
    writeFile(d, '.benchmark_results/metrics.json', '{ not json');
    const r = lanebench(d, ['analyze']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metrics\.json/);
    const run = lanebench(d, ['run', '--lane', 'docs', '--iterations', '1', '--', 'true']);
    expect(run.code).toBe(2);
    // refused before measuring anything
    expect(run.stderr).not.toMatch(/iteration 1\/1/);
    expect(readFileSync(join(d, '.benchmark_results', 'metrics.json'), 'utf8')).toBe('{ not json');
  });
});

describe('colors', () => {
  it('follow FORCE_COLOR and NO_COLOR', () => {
    const colored = lanebench(dir, ['validate-sla', '--lane', 'docs'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(colored.stdout).toMatch(/\x1b\[\d+m/);
    const plain = lanebench(dir, ['validate-sla', '--lane', 'docs'], { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
  });
});
