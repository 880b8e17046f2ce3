/**
 * What the runner adapters and the CLI share through core: the layered configuration, the
 * overrides `lanebench run` hands down, a Run's test outcome, progress lines, test timeouts, the
 * ad-hoc lane, the console wording of strict-mode failures, and the adapter session (configuration before
 * the run, publication after it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
  callerFrame,
  formatProgressLine,
  MAX_TEST_TIMEOUT_MS,
  progressLines,
  runFailureMessage,
  runWarningMessage,
  withAdhocLane,
  workflowTestTimeoutMs,
} from '../src/run/index.js';
import type { ProgressEvent } from '../src/run/types.js';
import {
  adapterLog,
  publishAdapterRuns,
  resolveAdapterSession,
  RUN_FAILED_MESSAGE,
  type AdapterPublishOptions,
} from '../src/publish/adapter.js';
import type { Run } from '../src/types.js';
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

  it("puts the caller's frame (the lane file's workflow() call) first in a failed run's stack", () => {
    // stands for the adapter's workflow(): the frame wanted is the line that calls it, here in this file
    function register(): string | undefined {
      return callerFrame(register);
    }
    const site = register();
    expect(site).toMatch(/^at .*adapter-support\.test\.ts:\d+:\d+\)?$/);
    const thrown = (opts: Parameters<typeof assertRunPassed>[1]): Error => {
      try {
        assertRunPassed(failed, opts);
      } catch (e) {
        return e as Error;
      }
      throw new Error('assertRunPassed did not throw');
    };
    const plain = thrown({ callSite: site });
    const lines = plain.stack!.split('\n');
    const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
    expect(lines.slice(0, firstFrame).join('\n')).toBe(`Error: ${runFailureMessage(failed)}`);
    expect(lines[firstFrame]).toBe(`    ${site}`);
    // the library's own frames stay after it
    expect(lines.slice(firstFrame + 1).some((l) => l.includes('failure-message.ts'))).toBe(true);
    // a message-only stack (Jest's assertion style) gets the frame after the message
    const messageOnly = thrown({
      callSite: site,
      toError: (m) => Object.assign(new Error(m), { stack: m }),
    });
    expect(messageOnly.stack).toBe(`${runFailureMessage(failed)}\n    ${site}`);
    // without a call site the first frame is the library's, as before
    expect(
      thrown({})
        .stack!.split('\n')
        .find((l) => /^\s+at /.test(l)),
    ).toContain('failure-message.ts');
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

describe('the adapter session: configuration before the run', () => {
  const overridesOf = (value: object) => ({ [cliOverridesEnvVar('jest')]: JSON.stringify(value) });

  it('layers file ← adapter options ← `lanebench run` settings, and hands on the workflow overrides', async () => {
    const root = tmp();
    writeFileSync(join(root, 'lanebench.config.json'), JSON.stringify({ outputDir: 'from-file', strict: false }));
    writeFileSync(join(root, 'other.config.json'), JSON.stringify({ lanes: { docs: { iterations: 4 } } }));
    const plain = await resolveAdapterSession({ runner: 'jest', root, source: 'reporter options', env: {} });
    expect(plain.config.outputDir).toBe(join(root, 'from-file'));
    expect(plain.workflowOverrides).toBeUndefined();

    const session = await resolveAdapterSession({
      runner: 'jest',
      root,
      options: { outputDir: 'from-options', lanes: { docs: { iterations: 2 } } },
      source: 'reporter options',
      env: overridesOf({ config: { strict: true }, workflow: { iterations: 3 } }),
    });
    expect(session.config.outputDir).toBe(join(root, 'from-options'));
    expect(session.config.strict).toBe(true);
    expect(session.config.lanes.docs?.iterations).toBe(2);
    expect(session.workflowOverrides).toEqual({ iterations: 3 });

    // the configFile of `lanebench run --config` beats the adapter's
    const chosen = await resolveAdapterSession({
      runner: 'jest',
      root,
      options: { configFile: 'lanebench.config.json' },
      source: 'reporter options',
      env: overridesOf({ configFile: join(root, 'other.config.json') }),
    });
    expect(chosen.config.configFile).toBe(join(root, 'other.config.json'));
    expect(chosen.config.lanes.docs?.iterations).toBe(4);
  });

  it("reads only its own runner's overrides", async () => {
    const root = tmp();
    const session = await resolveAdapterSession({
      runner: 'vitest',
      root,
      source: 'plugin options',
      env: overridesOf({ config: { strict: true } }),
    });
    expect(session.config.strict).toBe(false);
  });

  it('names the source of a bad value and loads TypeScript files through the host importer', async () => {
    const root = tmp();
    await expect(
      resolveAdapterSession({
        runner: 'vitest',
        root,
        options: { lanes: { docs: { iterations: 0 } } },
        source: 'lanebench() plugin options',
        env: {},
      }),
    ).rejects.toThrow(/^lanebench\(\) plugin options: lanes\.docs\.iterations: 0 is not valid/);
    writeFileSync(join(root, 'lanebench.config.ts'), 'export default {}');
    const session = await resolveAdapterSession({
      runner: 'vitest',
      root,
      source: 'plugin options',
      importFile: () => Promise.resolve({ default: { lanes: { docs: { iterations: 9 } } } }),
      env: {},
    });
    expect(session.config.lanes.docs?.iterations).toBe(9);
  });

  it('fails before anything runs on an unknown LANEBENCH_LANE or a history that cannot take runs', async () => {
    const root = tmp();
    await expect(
      resolveAdapterSession({ runner: 'jest', root, source: 'o', env: { LANEBENCH_LANE: 'docs,dcos' } }),
    ).rejects.toThrow("LANEBENCH_LANE: unknown lane 'dcos'; configured lanes: docs, standard, heavy");
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'metrics.json'), '{ not json');
    await expect(
      resolveAdapterSession({ runner: 'jest', root, options: { outputDir: 'out' }, source: 'o', env: {} }),
    ).rejects.toThrow(/metrics\.json/);
    expect(readFileSync(join(root, 'out', 'metrics.json'), 'utf8')).toBe('{ not json');
  });
});

describe('the adapter session: publication after the run', () => {
  const run = (workflow: string, failed = false): Run =>
    makeRun({
      lane: 'docs',
      workflow,
      exec: 1,
      memory: 100,
      cpu: 10,
      iterations: 2,
      ...(failed ? { override: { 0: { status: 'failed' as const, error: 'exit 1' } } } : {}),
    });

  async function publish(runs: Run[], opts: Partial<AdapterPublishOptions> & { root: string }) {
    const config = resolveConfig({ outputDir: 'out', reports: ['json', 'junit'] }, { root: opts.root });
    const logged: string[] = [];
    const warned: string[] = [];
    const outcome = await publishAdapterRuns(runs, {
      config,
      env: {},
      ...opts,
      log: (line) => logged.push(line),
      warn: (line) => warned.push(line),
    });
    return { outcome, logged, warned };
  }

  it('publishes once per output directory, prints the summary and the reports, and passes', async () => {
    const root = tmp();
    const [a, b, c] = [run('a'), run('b'), run('c')];
    const { outcome, logged, warned } = await publish([a, b, c], {
      root,
      outputDirs: new Map([[b.id, 'own-dir']]),
    });
    expect(outcome).toMatchObject({ exitCode: 0 });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => r.historyFile)).toEqual([
      join(root, 'out', 'metrics.json'),
      join(root, 'own-dir', 'metrics.json'),
    ]);
    const stored = (dir: string) =>
      (JSON.parse(readFileSync(join(root, dir, 'metrics.json'), 'utf8')) as { runs: Run[] }).runs.map((r) => r.id);
    expect(stored('out')).toEqual([a.id, c.id]);
    expect(stored('own-dir')).toEqual([b.id]);
    expect(logged).toContain(`[lanebench] junit: ${join(root, 'own-dir', 'junit.xml')}`);
    expect(logged.some((l) => l.includes('docs / a'))).toBe(true);
    expect(warned).toEqual([]);
  });

  it('fails a run that did not pass with the summary as its reason', async () => {
    const { outcome } = await publish([run('ok'), run('broken', true)], { root: tmp() });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.failure).toBe(RUN_FAILED_MESSAGE);
  });

  it('fails a LANEBENCH_LANE selection that ran nothing of a lane, and still publishes what ran', async () => {
    const root = tmp();
    const { outcome, warned } = await publish([run('a')], { root, env: { LANEBENCH_LANE: 'docs,heavy' } });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.failure).toMatch(/^LANEBENCH_LANE=docs,heavy: no workflow of lane 'heavy' ran/);
    expect(warned).toEqual([`[lanebench] ${outcome.failure}`]);
    expect(existsSync(join(root, 'out', 'metrics.json'))).toBe(true);
  });

  it('exits 2 when the history cannot take the runs (they go to a rescue file), naming the directory', async () => {
    const root = tmp();
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'metrics.json'), '{ not json');
    const { outcome, warned } = await publish([run('a')], { root });
    expect(outcome.exitCode).toBe(2);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(new RegExp(`^\\[lanebench\\] could not publish results to ${join(root, 'out')}: `));
    expect(outcome.failure).toBe(
      warned[0]!.replace(`[lanebench] could not publish results to ${join(root, 'out')}: `, ''),
    );
    expect(readdirSync(join(root, 'out')).some((f) => f.startsWith('metrics.rescue-'))).toBe(true);
  });

  it('exits 1 when the reports cannot be written, and goes on with the other directories', async () => {
    const root = tmp();
    mkdirSync(join(root, 'out', 'junit.xml'), { recursive: true });
    writeFileSync(join(root, 'out', 'junit.xml', 'keep'), '');
    const [a, b] = [run('a'), run('b')];
    const { outcome, warned } = await publish([a, b], { root, outputDirs: new Map([[b.id, 'fine']]) });
    expect(outcome.exitCode).toBe(1);
    expect(warned[0]).toContain(`could not publish results to ${join(root, 'out')}: the run was saved to`);
    expect(outcome.results.map((r) => r.historyFile)).toEqual([join(root, 'fine', 'metrics.json')]);
  });

  it('prints through the sanitizer, keeping color codes only when asked', () => {
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) };
    adapterLog(stream, false)('\u001b[31mred\u001b[39m \u0007bell');
    adapterLog(stream, true)('\u001b[31mred\u001b[39m');
    // control characters are shown, not sent (`\u001b`), unless they are colors and colors were asked for
    expect(written[0]).toBe('\\u001b[31mred\\u001b[39m \\u0007bell\n');
    expect(written[1]).toBe('\u001b[31mred\u001b[39m\n');
  });
});
