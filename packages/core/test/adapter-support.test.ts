/**
 * What the runner adapters and the CLI share through core: the layered configuration, the
 * overrides `lanebench run` hands down, a Run's test outcome, progress lines, test timeouts, the
 * ad-hoc lane and the console wording of strict-mode failures.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cliOverridesEnvVar,
  encodeCliOverrides,
  findConfigFile,
  mergeConfigs,
  readCliOverrides,
  resolveConfig,
  resolveLayeredConfig,
  withRunnerLaunch,
} from '../src/config/index.js';
import { latestPerWorkflow } from '../src/analysis/index.js';
import { renderConsoleSummary } from '../src/report/console.js';
import { renderHtml } from '../src/report/html/index.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import {
  ADHOC_LANE,
  assertRunPassed,
  formatProgressLine,
  MAX_TEST_TIMEOUT_MS,
  progressLines,
  runFailureMessage,
  runWarningMessage,
  withAdhocLane,
  workflowTestTimeoutMs,
} from '../src/run/index.js';
import type { ProgressEvent } from '../src/run/types.js';
import { makeRun } from './fixtures/runs.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lb-adapter-'));

describe('layered configuration', () => {
  it('merges lanes per lane and SLAs per value; later layers win', () => {
    const merged = mergeConfigs(
      {
        outputDir: 'a',
        lanes: { docs: { iterations: 3, sla: { p95: '1m', target: '30s' } }, heavy: { iterations: 2 } },
      },
      undefined,
      { outputDir: 'b', lanes: { docs: { sla: { p95: '2m' } } } },
    );
    expect(merged).toEqual({
      outputDir: 'b',
      lanes: { docs: { iterations: 3, sla: { p95: '2m', target: '30s' } }, heavy: { iterations: 2 } },
    });
  });

  it('finds lanebench.config.* at the root, or the given file, and names a missing one', () => {
    const root = tmp();
    expect(findConfigFile(root)).toBeUndefined();
    writeFileSync(join(root, 'lanebench.config.json'), '{}');
    expect(findConfigFile(root)).toBe(join(root, 'lanebench.config.json'));
    expect(() => findConfigFile(root, 'nope.mjs')).toThrow(
      /config file not found: .*nope\.mjs \(from configFile 'nope\.mjs'\)/,
    );
  });

  it('layers file ← options ← overrides and records the file', async () => {
    const root = tmp();
    writeFileSync(
      join(root, 'lanebench.config.json'),
      JSON.stringify({ outputDir: 'from-file', lanes: { docs: { iterations: 7 } } }),
    );
    const config = await resolveLayeredConfig({
      root,
      options: { outputDir: 'from-options' },
      overrides: { strict: true },
      source: 'test options',
    });
    expect(config.outputDir).toBe(join(root, 'from-options'));
    expect(config.lanes.docs?.iterations).toBe(7);
    expect(config.strict).toBe(true);
    expect(config.configFile).toBe(join(root, 'lanebench.config.json'));
  });

  it('names where a bad value came from, keeping the error type', async () => {
    const root = tmp();
    await expect(
      resolveLayeredConfig({ root, options: { lanes: { docs: { iterations: 0 } } }, source: 'test options' }),
    ).rejects.toThrow(/^test options: lanes\.docs\.iterations: 0 is not valid/);
    writeFileSync(
      join(root, 'lanebench.config.json'),
      JSON.stringify({ lanes: { docs: { thresholds: { execution_time: ['p(95) <'] } } } }),
    );
    const err = await resolveLayeredConfig({ root, source: 'test options' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^.*lanebench\.config\.json \+ test options: /);
    expect((err as Error).name).toBe('ThresholdError');
  });

  it('loads TypeScript files through the host importer', async () => {
    const root = tmp();
    writeFileSync(join(root, 'lanebench.config.ts'), 'export default {}');
    const imported: string[] = [];
    const config = await resolveLayeredConfig({
      root,
      importFile: (file) => {
        imported.push(file);
        return Promise.resolve({ default: () => ({ lanes: { docs: { iterations: 9 } } }) });
      },
    });
    expect(imported).toEqual([join(root, 'lanebench.config.ts')]);
    expect(config.lanes.docs?.iterations).toBe(9);
    await expect(resolveLayeredConfig({ root, importFile: () => Promise.reject(new Error('boom')) })).rejects.toThrow(
      /lanebench\.config\.ts: could not load the config file: boom/,
    );
  });
});

describe('overrides from `lanebench run`', () => {
  it("round-trips through the runner's own variable, omitting unset members", () => {
    expect(cliOverridesEnvVar('vitest')).toBe('LANEBENCH_VITEST_OVERRIDES');
    expect(cliOverridesEnvVar('jest')).toBe('LANEBENCH_JEST_OVERRIDES');
    const json = encodeCliOverrides({
      configFile: '/p/lb.json',
      config: { outputDir: 'o' },
      workflow: { iterations: 2 },
    });
    expect(readCliOverrides('jest', { LANEBENCH_JEST_OVERRIDES: json })).toEqual({
      configFile: '/p/lb.json',
      config: { outputDir: 'o' },
      workflow: { iterations: 2 },
    });
    expect(encodeCliOverrides({ workflow: { strict: true } })).toBe('{"workflow":{"strict":true}}');
    expect(readCliOverrides('vitest', { LANEBENCH_JEST_OVERRIDES: json })).toEqual({});
  });

  it('rejects malformed JSON and a wrong shape, naming the variable', () => {
    const read = (raw: string) => () => readCliOverrides('vitest', { LANEBENCH_VITEST_OVERRIDES: raw });
    expect(read('{ nope')).toThrow(/LANEBENCH_VITEST_OVERRIDES is not valid JSON: \{ nope/);
    expect(read('[1]')).toThrow(/LANEBENCH_VITEST_OVERRIDES: \[1\] is not valid; expected an object/);
    expect(read('{"iterations":3}')).toThrow(/LANEBENCH_VITEST_OVERRIDES: unknown key 'iterations'/);
    expect(read('{"config":"x"}')).toThrow(/LANEBENCH_VITEST_OVERRIDES\.config: 'x' is not valid/);
    expect(read('{"configFile":3}')).toThrow(/LANEBENCH_VITEST_OVERRIDES\.configFile: 3 is not valid/);
  });

  it('sets LANEBENCH_LANE and the variable while the runner runs, then restores both', async () => {
    const saved = { lane: process.env.LANEBENCH_LANE, jest: process.env.LANEBENCH_JEST_OVERRIDES };
    process.env.LANEBENCH_LANE = 'before';
    delete process.env.LANEBENCH_JEST_OVERRIDES;
    try {
      const seen = await withRunnerLaunch(
        'jest',
        { lanes: ['docs', 'heavy'], overrides: { workflow: { iterations: 1 } } },
        () =>
          Promise.resolve({
            lane: process.env.LANEBENCH_LANE,
            overrides: readCliOverrides('jest'),
          }),
      );
      expect(seen).toEqual({ lane: 'docs,heavy', overrides: { workflow: { iterations: 1 } } });
      expect(process.env.LANEBENCH_LANE).toBe('before');
      expect(process.env.LANEBENCH_JEST_OVERRIDES).toBeUndefined();
      await expect(withRunnerLaunch('jest', { overrides: {} }, () => Promise.reject(new Error('x')))).rejects.toThrow(
        'x',
      );
      expect(process.env.LANEBENCH_JEST_OVERRIDES).toBeUndefined();
    } finally {
      if (saved.lane === undefined) delete process.env.LANEBENCH_LANE;
      else process.env.LANEBENCH_LANE = saved.lane;
      if (saved.jest !== undefined) process.env.LANEBENCH_JEST_OVERRIDES = saved.jest;
    }
  });
});

describe("a Run's test outcome", () => {
  const ok = makeRun({ lane: 'docs', workflow: 'fast', exec: 10, memory: 100, cpu: 5 });
  // memory above the docs lane's memory_max: a warning only
  const warned = makeRun({ lane: 'docs', workflow: 'heavy docs', exec: 100, memory: 900, cpu: 10 });
  const strict = makeRun({ lane: 'docs', workflow: 'heavy docs', exec: 100, memory: 900, cpu: 10, strict: true });
  const breach = makeRun({ lane: 'docs', workflow: 'slow', exec: 450, memory: 100, cpu: 5 });
  const failed = makeRun({
    lane: 'docs',
    workflow: 'crash',
    exec: 1,
    memory: 10,
    cpu: 1,
    iterations: 2,
    override: { 1: { status: 'failed', error: 'exploded' } },
  });

  it('passes a compliant run and prints its warnings', () => {
    expect(runFailureMessage(ok)).toBeNull();
    expect(runWarningMessage(ok)).toBeNull();
    expect(runFailureMessage(warned)).toBeNull();
    expect(runWarningMessage(warned)).toMatch(
      /^\[lanebench\] docs › heavy docs: SLA warnings\n {2}- memory_usage_max: .*\(warning\)/,
    );
    const printed: string[] = [];
    assertRunPassed(warned, { warn: (text) => printed.push(text) });
    expect(printed).toEqual([runWarningMessage(warned)]);
  });

  it('fails SLA errors, strict-mode warnings and incomplete runs with their own message', () => {
    expect(runFailureMessage(breach)).toMatch(
      /^lanebench: docs › slow: SLA not met\n[\s\S]*execution_time_p95: .*\(error\)/,
    );
    expect(runFailureMessage(strict)).toMatch(
      /^lanebench: docs › heavy docs: SLA warnings in strict mode\n {2}- memory_usage_max/,
    );
    expect(runWarningMessage(strict)).toBeNull();
    expect(runFailureMessage(failed)).toBe(
      'lanebench: docs › crash partial (1 of 2 iterations did not pass)\n  - iteration 2 failed: exploded',
    );
    expect(() => assertRunPassed(breach)).toThrow(/SLA not met/);
    class Custom extends Error {}
    expect(() => assertRunPassed(failed, { toError: (m) => new Custom(m) })).toThrow(Custom);
  });

  it('reports a strict-mode failure on warnings as compliant but failed, in every format', () => {
    expect(strict.sla).toMatchObject({ compliant: true, passed: false });
    const line = renderConsoleSummary([strict], { color: false }).split('\n');
    expect(line[0]).toContain('all lanes compliant; 1 run failed in strict mode (warnings)');
    expect(line[1]).toBe('docs [compliant, failed in strict mode (warnings)]');
    expect(line[2]).toMatch(/✗ docs \/ heavy docs .* compliant, failed in strict mode \(warnings\) · 1 warning$/);
    expect(renderConsoleSummary([strict], { color: false })).not.toContain('NOT compliant');
    // an SLA error is still "NOT compliant"
    expect(renderConsoleSummary([breach], { color: false })).toMatch(/✗ docs \/ slow .* NOT compliant/);

    const input = { runs: [strict], history: [strict], generated_at: 'now' };
    const md = renderMarkdown(input);
    expect(md).toContain('| ❌ compliant, failed in strict mode (warnings) |');
    expect(md).toContain('1 run failed in strict mode (warnings)');
    expect(renderHtml(input)).toContain('COMPLIANT, FAILED IN STRICT MODE (WARNINGS)');
    expect(renderHtml(input)).not.toContain('>NOT COMPLIANT<');
    const junit = renderJunit(input);
    expect(junit).toContain('SLA of docs / heavy docs: compliant, failed in strict mode (warnings):');
    expect(junit).toContain('SLA: compliant, failed in strict mode (warnings), ');
  });
});

describe('progress lines', () => {
  const event = (e: Partial<ProgressEvent>): ProgressEvent => ({
    lane: 'docs',
    workflow: 'build',
    iteration: 2,
    total: 5,
    warmup: false,
    status: 'passed',
    elapsed_s: 1.71,
    eta_s: 2.4,
    execution_time: 0.814,
    ...e,
  });

  it('formats one plain line per event', () => {
    expect(formatProgressLine(event({}))).toBe(
      '[lanebench] docs › build: iteration 2/5 passed 0.81s (elapsed 1.7s, ETA 3s)',
    );
    expect(formatProgressLine(event({ warmup: true, status: 'running', execution_time: undefined, eta_s: null }))).toBe(
      '[lanebench] docs › build: warm-up 2/5 running (elapsed 1.7s)',
    );
  });

  it('writes every event, or only finished iterations', () => {
    const all: string[] = [];
    const finished: string[] = [];
    for (const e of [event({ status: 'running' }), event({})]) {
      progressLines({ write: (l) => all.push(l) })(e);
      progressLines({ finishedOnly: true, write: (l) => finished.push(l) })(e);
    }
    expect(all).toHaveLength(2);
    expect(finished).toEqual([formatProgressLine(event({}))]);
  });
});

describe('workflow test timeouts', () => {
  const config = resolveConfig(
    { lanes: { quick: { iterations: 2, warmup: 1, timeout: '10s' } } },
    { root: '/project' },
  );

  it('gives every iteration its timeout plus a grace, and the maximum for an unknown lane', () => {
    // (2 + 1) × (10 + 15) + 30 seconds
    expect(workflowTestTimeoutMs('quick', {}, config)).toBe(105_000);
    expect(workflowTestTimeoutMs('quick', { iterations: 1 }, config)).toBe(80_000);
    expect(workflowTestTimeoutMs('nope', {}, config)).toBe(MAX_TEST_TIMEOUT_MS);
    // without a config: the default lanes; never above setTimeout's limit
    expect(workflowTestTimeoutMs('docs', {})).toBe((5 * (300 + 15) + 30) * 1000);
    expect(workflowTestTimeoutMs('docs', { iterations: 100, timeout: '24h' })).toBe(MAX_TEST_TIMEOUT_MS);
  });
});

describe('the ad-hoc lane', () => {
  const config = resolveConfig({ strict: true, lanes: { docs: { iterations: 3 } } }, { root: '/project' });

  it('is added without thresholds, with the project strict setting, only when the config has none', () => {
    const withAdhoc = withAdhocLane(config);
    expect(withAdhoc.lanes[ADHOC_LANE]?.thresholds).toEqual([]);
    expect(withAdhoc.lanes[ADHOC_LANE]?.strict).toBe(true);
    expect(withAdhoc.lanes.docs).toBe(config.lanes.docs);
    expect(withAdhocLane(withAdhoc)).toBe(withAdhoc);
  });
});

describe('latestPerWorkflow', () => {
  it('keeps the latest run of each lane/workflow in first-seen order', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
    const a1 = makeRun({ lane: 'docs', workflow: 'a', exec: 1, memory: 1, cpu: 1, iterations: 1, startedAt: at(1) });
    const b1 = makeRun({ lane: 'docs', workflow: 'b', exec: 1, memory: 1, cpu: 1, iterations: 1, startedAt: at(2) });
    const a2 = makeRun({ lane: 'docs', workflow: 'a', exec: 1, memory: 1, cpu: 1, iterations: 1, startedAt: at(3) });
    const other = makeRun({
      lane: 'heavy',
      workflow: 'a',
      exec: 1,
      memory: 1,
      cpu: 1,
      iterations: 1,
      startedAt: at(0),
    });
    expect(latestPerWorkflow([a2, b1, a1, other])).toEqual([a2, b1, other]);
  });
});
