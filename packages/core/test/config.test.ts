import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_LANES,
  LANE_CONFIG_KEYS,
  defineConfig,
  loadConfig,
  parseBytes,
  parseDuration,
  resolveConfig,
  resolveLane,
  selectedLanes,
} from '../src/config/index.js';
import { LANE_SCHEMA_KEYS } from '../src/config/schema.js';

describe('parseDuration', () => {
  it.each([
    [5, 5],
    [0.25, 0.25],
    ['500ms', 0.5],
    ['2s', 2],
    ['15m', 900],
    ['1.5h', 5400],
    ['30', 30],
    [' 2 s ', 2],
  ])('%j → %d s', (input, seconds) => {
    expect(parseDuration(input, 'timeout')).toBeCloseTo(seconds, 12);
  });

  it.each(['2 days', '5d', 'abc', '', '1.2.3s', '2S'])(
    'rejects %j naming the value and the accepted forms',
    (input) => {
      expect(() => parseDuration(input, 'lanes.docs.timeout')).toThrow(ConfigError);
      expect(() => parseDuration(input, 'lanes.docs.timeout')).toThrow(
        new RegExp(
          `lanes\\.docs\\.timeout: invalid duration '${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'.*ms, s, m, h`,
        ),
      );
    },
  );

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1, 'timeout')).toThrow(/negative/);
    expect(() => parseDuration(Number.NaN, 'timeout')).toThrow(/invalid duration NaN/);
  });
});

describe('parseBytes', () => {
  it('uses 1 KB = 1024 B', () => {
    expect(parseBytes(100, 'x')).toBe(100);
    expect(parseBytes('512B', 'x')).toBe(512);
    expect(parseBytes('2KB', 'x')).toBe(2048);
    expect(parseBytes('512MB', 'x')).toBe(512 * 1048576);
    expect(parseBytes('1.5GB', 'x')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('1gb', 'x')).toBe(1024 ** 3);
  });
  it('rejects unknown units naming them', () => {
    expect(() => parseBytes('3TB', 'memory_max')).toThrow(/memory_max: invalid size '3TB'.*B, KB, MB, GB/);
  });
});

describe('resolveConfig', () => {
  it('has the SPEC §3 defaults', () => {
    const c = resolveConfig(undefined, { root: '/proj' });
    expect(c.outputDir).toBe(path.resolve('/proj', '.benchmark_results'));
    expect(c.reports).toEqual(['json', 'html', 'csv', 'junit', 'markdown']);
    expect([c.runner, c.sampleIntervalMs, c.regressionThreshold, c.historyWindow, c.strict]).toEqual([
      'vitest',
      50,
      0.1,
      10,
      false,
    ]);
    expect(Object.keys(c.lanes)).toEqual(['docs', 'standard', 'heavy']);
    const table = Object.values(c.lanes).map((l) => [l.name, l.timeout_s, l.iterations, l.warmup, l.sla]);
    expect(table).toEqual([
      ['docs', 300, 5, 0, { target: 300, p95: 400, p99: 500, memory_max: 512, cpu_avg: 30 }],
      ['standard', 900, 5, 0, { target: 900, p95: 1200, p99: 1500, memory_max: 1024, cpu_avg: 50 }],
      ['heavy', 1200, 5, 0, { target: 1200, p95: 1500, p99: 1800, memory_max: 2048, cpu_avg: 70 }],
    ]);
    expect(c.lanes.docs!.thresholds.map((t) => `${t.name}:${t.value}:${t.severity}`)).toEqual([
      'execution_time_mean:300:warning',
      'execution_time_p95:400:error',
      'execution_time_p99:500:error',
      'memory_usage_max:512:warning',
      'cpu_usage_mean:30:warning',
    ]);
    expect(DEFAULT_LANES.heavy.sla?.p99).toBe(1800);
  });

  it('merges user lanes over the defaults and adds new lanes', () => {
    const c = resolveConfig(
      defineConfig({
        outputDir: 'out/bench',
        lanes: {
          docs: { iterations: 3, timeout: '2s', sla: { p95: '10s' }, thresholds: { cpu_usage: ['avg < 90%'] } },
          smoke: { iterations: 1, strict: true, warmup: 2, onFailure: 'abort', sla: { target: 1 } },
        },
      }),
      { root: '/proj' },
    );
    expect(c.outputDir).toBe(path.resolve('/proj/out/bench'));
    const docs = c.lanes.docs!;
    expect([docs.iterations, docs.timeout_s]).toEqual([3, 2]);
    expect(docs.sla).toEqual({ target: 300, p95: 10, p99: 500, memory_max: 512, cpu_avg: 30 });
    expect(docs.thresholds.map((t) => t.name)).toContain('cpu_usage_mean');
    expect(docs.thresholds.find((t) => t.name === 'execution_time_p95')!.value).toBe(10);
    const smoke = c.lanes.smoke!;
    expect([smoke.iterations, smoke.strict, smoke.warmup, smoke.onFailure, smoke.timeout_s]).toEqual([
      1,
      true,
      2,
      'abort',
      900,
    ]);
    expect(smoke.thresholds.map((t) => t.name)).toEqual(['execution_time_mean']);
    expect(c.lanes.standard!.iterations).toBe(5);
  });

  it.each([
    [
      { lanes: { docs: { iterations: 0 } } },
      /lanes\.docs\.iterations: 0 is not valid; expected an integer from 1 to 100/,
    ],
    [{ lanes: { docs: { iterations: 101 } } }, /iterations: 101 .*1 to 100/],
    [{ lanes: { docs: { iterations: 2.5 } } }, /iterations: 2\.5 .*integer/],
    [{ lanes: { docs: { warmup: -1 } } }, /lanes\.docs\.warmup: -1 .*0 to 100/],
    [{ lanes: { docs: { timeout: 0 } } }, /lanes\.docs\.timeout: 0 .*positive duration/],
    [{ lanes: { docs: { timeout: '5 weeks' } } }, /lanes\.docs\.timeout: invalid duration '5 weeks'/],
    [{ lanes: { docs: { strict: 'yes' } } }, /lanes\.docs\.strict: 'yes' .*true or false/],
    [{ lanes: { docs: { onFailure: 'stop' } } }, /onFailure: 'stop' .*'continue', 'abort'/],
    [
      { lanes: { docs: { iteratons: 3 } } },
      /lanes\.docs: unknown key 'iteratons'; valid keys: iterations, timeout, warmup, strict, onFailure, sla, thresholds/,
    ],
    [
      { lanes: { docs: { sla: { p90: 3 } } } },
      /unknown key 'p90' in lanes\.docs\.sla; valid keys: target, p95, p99, memory_max, cpu_avg/,
    ],
    [{ lanes: { docs: { sla: { memory_max: '1 parsec' } } } }, /lanes\.docs\.sla\.memory_max: invalid size '1 parsec'/],
    [
      { lanes: { docs: { thresholds: { cpu_usage: ['avg < 5s'] } } } },
      /lanes\.docs\.thresholds: .*unit 's' does not fit cpu_usage/,
    ],
    [{ lanes: { docs: 'fast' } }, /lanes\.docs: 'fast' is not valid; expected an object/],
    [{ runner: 'mocha' }, /config\.runner: 'mocha' .*'vitest', 'jest'/],
    [{ reports: ['pdf'] }, /config\.reports: 'pdf' .*'json', 'html', 'csv', 'junit', 'markdown'/],
    [{ sampleIntervalMs: 0 }, /sampleIntervalMs: 0 .*> 0/],
    [{ historyWindow: 0 }, /historyWindow: 0 .*integer from 1/],
    [{ historyRetention: 500 }, /config\.historyRetention: 500 is not valid; expected an object \{ runs\?/],
    [{ historyRetention: {} }, /config\.historyRetention: set runs .*days .*or both/],
    [{ historyRetention: { runs: 0 } }, /config\.historyRetention\.runs: 0 is not valid; expected an integer from 1/],
    [{ historyRetention: { runs: 2.5 } }, /historyRetention\.runs: 2\.5 is not valid/],
    [{ historyRetention: { days: -1 } }, /config\.historyRetention\.days: -1 is not valid; expected a number > 0/],
    [{ historyRetention: { keep: 5 } }, /config\.historyRetention: unknown key 'keep'; valid keys: runs, days/],
    [{ outputDir: '' }, /outputDir: '' .*non-empty/],
    [{ lane: {} }, /config: unknown key 'lane'; valid keys: outputDir, lanes/],
    ['fast', /config: 'fast' is not valid; expected an object/],
    [{ reports: 'html' }, /config\.reports: 'html' is not valid; expected a list of 'json', 'html'/],
    [{ history: ' ' }, /config\.history: ' ' is not valid; expected a file path or a postgres:\/\/ URL/],
    [{ lanes: [] }, /config\.lanes: \[\] is not valid; expected an object/],
    [{ lanes: { docs: { timeout: true } } }, /lanes\.docs\.timeout: true is not valid; expected a positive duration/],
    [{ lanes: { docs: { sla: { p95: null } } } }, /lanes\.docs\.sla\.p95: null is not valid; expected a duration/],
    [
      { lanes: { docs: { customMetrics: 'pages' } } },
      /lanes\.docs\.customMetrics: 'pages' is not valid; expected a list/,
    ],
    [
      { lanes: { docs: { thresholds: ['p(95) < 1s'] } } },
      /lanes\.docs\.thresholds: \["p\(95\) < 1s"\] is not valid; expected an object/,
    ],
    // keys other branches add (issue 12 confirm, issue 14 historyRetention): optional, checked
    [{ confirm: -1 }, /config\.confirm: -1 is not valid; expected an integer ≥ 0/],
    [{ lanes: { docs: { confirm: 1.5 } } }, /lanes\.docs\.confirm: 1\.5 is not valid; expected an integer ≥ 0/],
    [{ historyRetention: { weeks: 2 } }, /config\.historyRetention: unknown key 'weeks'; valid keys: runs, days/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveConfig(input as never)).toThrow(ConfigError);
    expect(() => resolveConfig(input as never)).toThrow(message);
  });

  it('accepts confirm (top level and per lane) and historyRetention', () => {
    expect(() =>
      resolveConfig({ confirm: 2, historyRetention: { runs: 500, days: 90 }, lanes: { docs: { confirm: 0 } } }),
    ).not.toThrow();
  });

  it('names the keys the schema accepts: the public LANE_CONFIG_KEYS are the schema keys', () => {
    expect([...LANE_CONFIG_KEYS]).toEqual(LANE_SCHEMA_KEYS);
  });

  it('accepts undefined as "not set" at every level, as layered options spread it', () => {
    const c = resolveConfig({
      outputDir: undefined,
      strict: undefined,
      lanes: { docs: { iterations: undefined } },
    } as never);
    expect([c.strict, c.lanes.docs!.iterations]).toEqual([false, 5]);
  });

  it('accepts historyRetention with runs, days or both', () => {
    expect(resolveConfig({ historyRetention: { runs: 500 } }).historyRetention).toEqual({ runs: 500 });
    expect(resolveConfig({ historyRetention: { runs: 50, days: 90 } }).historyRetention).toEqual({
      runs: 50,
      days: 90,
    });
    expect(resolveConfig({}).historyRetention).toBeUndefined();
  });

  it('accepts any positive duration from config files', () => {
    expect(resolveConfig({ lanes: { docs: { timeout: '500ms' } } }).lanes.docs!.timeout_s).toBe(0.5);
  });
});

describe('resolveLane', () => {
  const config = resolveConfig({ lanes: { docs: { thresholds: { disk_io: ['max < 1GB'] } } } });

  it('applies workflow overrides and ignores other workflow options', () => {
    const lane = resolveLane(config, 'docs', {
      iterations: 7,
      timeout: '1m',
      warmup: 1,
      strict: true,
      onFailure: 'abort',
      cwd: '/x',
    } as never);
    expect([lane.iterations, lane.timeout_s, lane.warmup, lane.strict, lane.onFailure]).toEqual([
      7,
      60,
      1,
      true,
      'abort',
    ]);
    expect(config.lanes.docs!.iterations).toBe(5); // the configuration itself is unchanged
  });

  it('replaces SLA thresholds, keeps extra thresholds and adds override thresholds', () => {
    const lane = resolveLane(config, 'docs', { sla: { p95: '1s' }, thresholds: { execution_time: ['max < 2s'] } });
    expect(lane.thresholds.map((t) => `${t.name}:${t.value}`)).toEqual([
      'execution_time_mean:300',
      'execution_time_p95:1',
      'execution_time_p99:500',
      'memory_usage_max:512',
      'cpu_usage_mean:30',
      'disk_io_max:1073741824',
      'execution_time_max:2',
    ]);
  });

  it('names unknown lanes and bad overrides', () => {
    expect(() => resolveLane(config, 'heavyy')).toThrow(
      /unknown lane 'heavyy'; configured lanes: docs, standard, heavy/,
    );
    expect(() => resolveLane(config, 'docs', { iterations: 500 })).toThrow(/iterations: 500 .*1 to 100/);
    expect(() => resolveLane(config, 'toString')).toThrow(/unknown lane 'toString'/);
    expect(() => resolveLane(config, 'docs', { strict: 'yes' } as never)).toThrow(
      /options of lane 'docs': strict: 'yes' is not valid; expected true or false/,
    );
    expect(() => resolveLane(config, 'docs', { sla: { p99: [] } } as never)).toThrow(
      /options of lane 'docs'\.sla\.p99: \[\] is not valid; expected a duration/,
    );
    // other workflow options pass through
    expect(resolveLane(config, 'docs', { cwd: '/tmp', iterations: 2 } as never).iterations).toBe(2);
  });
});

describe('selectedLanes', () => {
  it('parses LANEBENCH_LANE', () => {
    expect(selectedLanes({})).toBeNull();
    expect(selectedLanes({ LANEBENCH_LANE: '' })).toBeNull();
    expect(selectedLanes({ LANEBENCH_LANE: ' , ' })).toBeNull();
    expect(selectedLanes({ LANEBENCH_LANE: 'heavy' })).toEqual(['heavy']);
    expect(selectedLanes({ LANEBENCH_LANE: ' docs, heavy ,,docs' })).toEqual(['docs', 'heavy']);
  });
});

describe('loadConfig', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lanebench-config-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('returns the defaults without a config file', async () => {
    const c = await loadConfig({ root });
    expect(c.outputDir).toBe(path.join(root, '.benchmark_results'));
    expect(c.configFile).toBeUndefined();
  });

  it('loads JSON', async () => {
    await writeFile(
      path.join(root, 'lanebench.config.json'),
      JSON.stringify({ outputDir: 'r', lanes: { docs: { iterations: 2 } } }),
    );
    const c = await loadConfig({ root });
    expect([c.outputDir, c.lanes.docs!.iterations]).toEqual([path.join(root, 'r'), 2]);
  });

  it('loads an ES module with export default', async () => {
    await writeFile(
      path.join(root, 'lanebench.config.mjs'),
      `export default { lanes: { ci: { iterations: 4, sla: { p95: '2s' } } } };\n`,
    );
    const c = await loadConfig({ root });
    expect(c.lanes.ci!.iterations).toBe(4);
    expect(c.configFile).toBe(path.join(root, 'lanebench.config.mjs'));
  });

  it('loads module.exports from a CommonJS .js file', async () => {
    await writeFile(path.join(root, 'lanebench.config.js'), `module.exports = { runner: 'jest' };\n`);
    expect((await loadConfig({ root })).runner).toBe('jest');
  });

  it('loads a TypeScript config under Vitest', async () => {
    await writeFile(
      path.join(root, 'lanebench.config.ts'),
      `const iterations: number = 9;\nexport default { lanes: { docs: { iterations } } };\n`,
    );
    expect((await loadConfig({ root })).lanes.docs!.iterations).toBe(9);
  });

  it('prefers .ts over .mjs, .js and .json, and honours an explicit file', async () => {
    await writeFile(path.join(root, 'lanebench.config.json'), JSON.stringify({ runner: 'jest' }));
    await writeFile(path.join(root, 'lanebench.config.mjs'), `export default { historyWindow: 3 };\n`);
    expect((await loadConfig({ root })).historyWindow).toBe(3);
    expect((await loadConfig({ root, configFile: 'lanebench.config.json' })).runner).toBe('jest');
  });

  // every extension through the one loader (jiti), on whatever Node runs the unit tests (20, 22 and 24 in CI)
  it.each([
    ['lanebench.config.mts', `const n: number = 3;\nexport default { lanes: { docs: { iterations: n } } };\n`],
    ['lanebench.config.cts', `const n: number = 3;\nmodule.exports = { lanes: { docs: { iterations: n } } };\n`],
    ['lanebench.config.cjs', `module.exports = { lanes: { docs: { iterations: 3 } } };\n`],
    ['lanebench.config.mjs', `export default async () => ({ lanes: { docs: { iterations: 3 } } });\n`],
    ['lanebench.config.json', JSON.stringify({ lanes: { docs: { iterations: 3 } } })],
  ])('finds and loads %s', async (name, source) => {
    await writeFile(path.join(root, name), source);
    const c = await loadConfig({ root });
    expect([c.configFile, c.lanes.docs!.iterations]).toEqual([path.join(root, name), 3]);
  });

  it('loads a TypeScript config that imports another TypeScript file, without extensions', async () => {
    await mkdir(path.join(root, 'config'));
    await writeFile(
      path.join(root, 'config', 'lanes.ts'),
      `export interface Lane { iterations: number }\nexport const docs: Lane = { iterations: 6 };\n`,
    );
    await writeFile(
      path.join(root, 'lanebench.config.ts'),
      `import { docs, type Lane } from './config/lanes';\nconst lanes: Record<string, Lane> = { docs };\nexport default { lanes };\n`,
    );
    expect((await loadConfig({ root })).lanes.docs!.iterations).toBe(6);
  });

  it('sees an edited config file when it is loaded again in the same process', async () => {
    const file = path.join(root, 'lanebench.config.ts');
    await writeFile(file, `export default { historyWindow: 4 as number };\n`);
    expect((await loadConfig({ root })).historyWindow).toBe(4);
    await writeFile(file, `export default { historyWindow: 5 as number };\n`);
    expect((await loadConfig({ root })).historyWindow).toBe(5);
  });

  it('names the file and line of a syntax error, in the config or in a file it imports', async () => {
    await writeFile(
      path.join(root, 'lanebench.config.ts'),
      `const n: number = 2;\nexport default {\n  lanes: { docs: { iterations: n },, },\n};\n`,
    );
    const err = await loadConfig({ root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      new RegExp(`^${escape(path.join(root, 'lanebench.config.ts'))}:3:\\d+: syntax error: Unexpected token`),
    );

    await writeFile(path.join(root, 'helper.ts'), `export const n: number = ;\n`);
    await writeFile(path.join(root, 'lanebench.config.ts'), `import { n } from './helper';\nexport default { n };\n`);
    const nested = await loadConfig({ root }).catch((e: unknown) => e);
    expect((nested as Error).message).toMatch(
      new RegExp(
        `^${escape(path.join(root, 'helper.ts'))}:1:\\d+: syntax error: .* \\(imported by ${escape(path.join(root, 'lanebench.config.ts'))}\\)$`,
      ),
    );
  });

  it('names the config file when it throws while loading or imports a missing module', async () => {
    const file = path.join(root, 'lanebench.config.ts');
    await writeFile(file, `throw new Error('vault unreachable');\nexport default {};\n`);
    await expect(loadConfig({ root })).rejects.toThrow(`${file}: could not load the config file: vault unreachable`);
    await writeFile(file, `import { x } from './nowhere';\nexport default { x };\n`);
    await expect(loadConfig({ root })).rejects.toThrow(
      new RegExp(`^${escape(file)}: could not load the config file: .*nowhere`),
    );
  });

  it('names a missing explicit file, bad JSON and bad values with the file', async () => {
    await expect(loadConfig({ root, configFile: 'nope.mjs' })).rejects.toThrow(
      new RegExp(`config file not found: .*nope\\.mjs`),
    );
    await writeFile(path.join(root, 'bad.json'), '{ "lanes": ');
    await expect(loadConfig({ root, configFile: 'bad.json' })).rejects.toThrow(/bad\.json: invalid JSON/);
    await writeFile(path.join(root, 'lanebench.config.json'), JSON.stringify({ lanes: { docs: { iterations: 0 } } }));
    await expect(loadConfig({ root })).rejects.toThrow(/lanebench\.config\.json: lanes\.docs\.iterations: 0/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
