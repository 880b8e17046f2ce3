// runWorkflow / measure(): iterations, warm-up, statuses, onFailure, custom metrics, progress, Ctrl-C.
// Tests of the logic run on the fake sampler/executor (measure/fake.ts): no process, no /proc; the tests that are
// about real processes (kill at the timeout, Ctrl-C, ctx.exec itself) keep real ones.
import { afterAll, describe, expect, test } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { ExecError, FakeExecutor, fakeSamplers, ITERATION_COOKIE, type WorkflowContext } from '../src/measure/index.js';
import { measure, runWorkflow, type ProgressEvent } from '../src/run/index.js';
import { alive, fixture, isLinux, NODE, readJson, scratch } from './measure-helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

const config = resolveConfig({
  lanes: {
    quick: { iterations: 3, timeout: '10s', sla: { target: 60, p95: 120 } },
    fragile: { iterations: 4, timeout: '10s', onFailure: 'abort' },
  },
});

describe('runWorkflow', () => {
  test('warm-up iterations run but are neither counted nor recorded', async () => {
    const calls: Array<{ iteration: number; warmup: boolean }> = [];
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'count',
      sampler: fakeSamplers().factory,
      config,
      options: { warmup: 2 },
      target: (ctx: WorkflowContext) => {
        calls.push({ iteration: ctx.iteration, warmup: ctx.warmup });
      },
    });
    expect(calls).toEqual([
      { iteration: 1, warmup: true },
      { iteration: 2, warmup: true },
      { iteration: 1, warmup: false },
      { iteration: 2, warmup: false },
      { iteration: 3, warmup: false },
    ]);
    expect(run.iterations.map((i) => i.index)).toEqual([1, 2, 3]);
    expect(run.warmup).toBe(2);
    expect(run.iterations_requested).toBe(3);
    expect(run.status).toBe('completed');
    expect(run.metrics_analysis.execution_time?.samples).toBe(3);
    expect(run.sla.compliant).toBe(true);
    expect(run.sla.checked).toBeGreaterThan(0);
    expect(run.notes.join('\n')).toMatch(/computed from 3 samples/);
    expect(run.id).toContain('quick');
    expect(run.env.logical_cores).toBeGreaterThan(0);
  });

  test('custom metrics are recorded per iteration, with their units, and analysed', async () => {
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'metrics',
      sampler: fakeSamplers().factory,
      config,
      target: (ctx: WorkflowContext) => {
        ctx.metric('files_built', 10 * ctx.iteration, 'files');
        ctx.metric('cache_hit', ctx.iteration % 2);
      },
    });
    expect(run.iterations.map((i) => i.custom.files_built)).toEqual([10, 20, 30]);
    expect(run.custom_units).toEqual({ files_built: 'files', cache_hit: '' });
    expect(run.metrics_analysis.files_built?.mean).toBe(20);
  });

  test('ctx.metric rejects bad names and values, and built-in names', async () => {
    const errors: string[] = [];
    await runWorkflow({
      lane: 'quick',
      workflow: 'bad metrics',
      sampler: fakeSamplers().factory,
      config,
      options: { iterations: 1 },
      target: (ctx: WorkflowContext) => {
        for (const [n, v] of [
          ['', 1],
          ['1x', 1],
          ['ok', Number.NaN],
          ['execution_time', 1],
        ] as const) {
          try {
            ctx.metric(n, v);
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      },
    });
    expect(errors).toHaveLength(4);
    expect(errors[3]).toMatch(/built-in/);
  });

  test('a crashing command → iteration failed with exit code and stderr tail; run failed', async () => {
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'crash',
      config,
      options: { iterations: 2 },
      target: [NODE, '-e', "console.error('boom: config missing'); process.exit(3)"],
    });
    expect(run.status).toBe('failed');
    expect(run.iterations).toHaveLength(2);
    for (const it of run.iterations) {
      expect(it.status).toBe('failed');
      expect(it.exit_code).toBe(3);
      expect(it.error).toMatch(/exit code 3/);
      expect(it.error).toMatch(/boom: config missing/);
    }
    expect(run.metrics_analysis).toEqual({});
    expect(run.sla.compliant).toBe(false);
    expect(run.sla.violations.map((v) => v.name)).toContain('iterations_failed');
  });

  test("onFailure 'abort' stops after the first failure; the run is partial", async () => {
    const seen: number[] = [];
    const run = await runWorkflow({
      lane: 'fragile',
      workflow: 'second fails',
      sampler: fakeSamplers().factory,
      config,
      target: (ctx: WorkflowContext) => {
        seen.push(ctx.iteration);
        if (ctx.iteration === 2) throw new Error('flaky step');
      },
    });
    expect(seen).toEqual([1, 2]);
    expect(run.iterations.map((i) => i.status)).toEqual(['passed', 'failed']);
    expect(run.iterations[1]?.error).toBe('flaky step');
    expect(run.status).toBe('partial');
    expect(run.notes.join('\n')).toMatch(/stopped after 2 of 4/);
  });

  test("onFailure 'continue' (default) runs every iteration", async () => {
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'second fails',
      sampler: fakeSamplers().factory,
      config,
      target: (ctx: WorkflowContext) => {
        if (ctx.iteration === 2) throw new Error('flaky step');
      },
    });
    expect(run.iterations.map((i) => i.status)).toEqual(['passed', 'failed', 'passed']);
    expect(run.status).toBe('partial');
    expect(run.metrics_analysis.execution_time?.samples).toBe(2);
  });

  test.runIf(isLinux)(
    'a hung command: iterations time out, the run is recorded with status timeout, no survivors',
    async () => {
      const files = [1, 2].map((i) => tmp.file(`hung-${i}.json`));
      let n = 0;
      const run = await runWorkflow({
        lane: 'quick',
        workflow: 'hangs',
        config,
        options: { iterations: 2, timeout: '1.5s' },
        target: async (ctx: WorkflowContext) => {
          await ctx.exec([NODE, fixture('hang.cjs'), files[n++]!, 'setsid']);
        },
      });
      expect(run.status).toBe('timeout');
      expect(run.timeout_s).toBe(1.5);
      expect(run.iterations.map((i) => i.status)).toEqual(['timeout', 'timeout']);
      for (const f of files) {
        const pids = readJson<{ parent: number; grandchild: number }>(f);
        expect(alive(pids.parent)).toBe(false);
        expect(alive(pids.grandchild)).toBe(false);
      }
    },
  );

  test('ctx.exec: shell strings, argv arrays, output, rejection with an ExecError', async () => {
    let caught: unknown;
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'exec',
      config,
      options: { iterations: 1, env: { LB_TEST_VAR: 'from-options' } },
      target: async (ctx: WorkflowContext) => {
        const a = await ctx.exec('echo "$LB_TEST_VAR" && echo err >&2');
        expect(a).toEqual({ code: 0, stdout: 'from-options\n', stderr: 'err\n' });
        const b = await ctx.exec([NODE, '-e', 'process.stdout.write(process.argv[1])', 'a b; $(no shell)']);
        expect(b.stdout).toBe('a b; $(no shell)');
        try {
          await ctx.exec('echo bad >&2; exit 7');
        } catch (e) {
          caught = e;
        }
      },
    });
    expect(run.status).toBe('completed');
    expect(caught).toBeInstanceOf(ExecError);
    expect((caught as ExecError).code).toBe(7);
    expect((caught as ExecError).message).toMatch(/exit code 7: echo bad >&2; exit 7[\s\S]*bad/);
  });

  test('progress events: running and outcome for every iteration, with elapsed and ETA', async () => {
    const events: ProgressEvent[] = [];
    await runWorkflow({
      lane: 'quick',
      workflow: 'progress',
      sampler: fakeSamplers().factory,
      config,
      options: { warmup: 1 },
      target: () => new Promise((r) => setTimeout(r, 20)),
      onProgress: (e) => events.push(e),
    });
    expect(events.map((e) => `${e.warmup ? 'w' : 'm'}${e.iteration}/${e.total}:${e.status}`)).toEqual([
      'w1/1:running',
      'w1/1:passed',
      'm1/3:running',
      'm1/3:passed',
      'm2/3:running',
      'm2/3:passed',
      'm3/3:running',
      'm3/3:passed',
    ]);
    expect(events[0]?.eta_s).toBeNull();
    const last = events.at(-2)!;
    expect(last.eta_s).toBeGreaterThan(0);
    expect(events.at(-1)?.eta_s).toBe(0);
    expect(events.at(-1)?.execution_time).toBeGreaterThan(0.015);
  });

  test.runIf(isLinux)('Ctrl-C (the run signal) kills the current tree and keeps the finished iterations', async () => {
    const ac = new AbortController();
    const out = tmp.file('ctrlc.json');
    const started = Date.now();
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'interrupted',
      config,
      signal: ac.signal,
      target: async (ctx: WorkflowContext) => {
        if (ctx.iteration === 2) {
          setTimeout(() => ac.abort(), 600);
          await ctx.exec([NODE, fixture('hang.cjs'), out]);
        }
      },
      options: { timeout: '60s' },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.status).toBe('partial');
    expect(run.iterations.map((i) => i.status)).toEqual(['passed']);
    expect(run.notes.join('\n')).toMatch(/interrupted during iteration 2 of 3/);
    const pids = readJson<{ parent: number; grandchild: number }>(out);
    expect(alive(pids.parent)).toBe(false);
    expect(alive(pids.grandchild)).toBe(false);
  });

  test('the sampler of each iteration gets its figures; methods and flags reach the record', async () => {
    const { factory, made } = fakeSamplers((n) => ({
      cpu_seconds: 0.5 * n,
      memory_bytes: n * 1048576,
      measurement: { memory_below_resolution: n === 2 },
    }));
    const exec = new FakeExecutor(() => ({ durationMs: 5 }));
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'fake',
      config,
      sampler: factory,
      executor: exec.run,
      options: { warmup: 1 },
      target: 'make all',
    });
    expect(made).toHaveLength(4); // one per iteration, warm-up included
    expect(made.every((s) => s.started && s.stopped && s.roots.length === 1)).toBe(true);
    expect(made.every((s) => !s.opts.includeSelf)).toBe(true);
    // warm-up took figures(1): the measured iterations are figures(2..4)
    expect(run.iterations.map((i) => i.cpu_seconds)).toEqual([1, 1.5, 2]);
    expect(run.iterations.map((i) => i.memory_usage)).toEqual([2, 3, 4]);
    expect(run.iterations[0]?.measurement?.memory_below_resolution).toBe(true);
    expect(run.iterations[1]?.measurement?.memory_below_resolution).toBe(false);
    expect(exec.commands).toEqual(['make all', 'make all', 'make all', 'make all']);
  });

  test('below-resolution figures and escaped processes become notes of the run (shown by every report)', async () => {
    const { factory } = fakeSamplers((n) => ({
      measurement: {
        memory_below_resolution: n !== 2,
        cpu_below_resolution: n === 3,
        escaped_processes: n === 2 ? { found: 3, killed: 2 } : undefined,
      },
    }));
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'flags',
      config,
      sampler: factory,
      executor: new FakeExecutor().run,
      target: 'true',
    });
    const notes = run.notes.join('\n');
    expect(notes).toMatch(/memory below the sampling resolution in iteration\(s\) 1, 3/);
    expect(notes).toMatch(/CPU at or below the kernel's resolution .* iteration\(s\) 3/);
    expect(notes).toMatch(/3 escaped process\(es\) .* iteration\(s\) 2; 2 still running at the end and killed/);
  });

  test('a run that shared its machine (median contention ≥ 25 %) says so in its notes; a quieter one does not', async () => {
    const runWith = (contention: (n: number) => number) =>
      runWorkflow({
        lane: 'quick',
        workflow: 'shared',
        config,
        sampler: fakeSamplers((n) => ({ measurement: { machine_contention: contention(n) } })).factory,
        executor: new FakeExecutor().run,
        target: 'true',
      });
    // medians 0.46 and 0.2: one iteration alone does not make the note
    const busy = await runWith((n) => (n === 1 ? 0.05 : 0.46));
    expect(busy.iterations.map((i) => i.measurement?.machine_contention)).toEqual([0.05, 0.46, 0.46]);
    expect(busy.notes.join('\n')).toMatch(
      /other processes used 46% of the machine's CPU during the iterations \(median\): timings are slower and noisier/,
    );
    const quiet = await runWith((n) => (n === 2 ? 0.9 : 0.2));
    expect(quiet.notes.join('\n')).not.toMatch(/other processes used/);
  });

  test('every iteration carries the cookie LANEBENCH_ITERATION_ID=<run id>.<iteration>', async () => {
    const exec = new FakeExecutor();
    const { factory, made } = fakeSamplers();
    const inProcess: Array<string | undefined> = [];
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'cookie',
      config,
      sampler: factory,
      executor: exec.run,
      options: { warmup: 1, iterations: 2 },
      target: async (ctx: WorkflowContext) => {
        // children started without ctx.exec inherit process.env: the cookie is there during the iteration
        inProcess.push(process.env[ITERATION_COOKIE]);
        await ctx.exec('true');
      },
    });
    expect(run.status).toBe('completed');
    expect(inProcess).toEqual([`${run.id}.w1`, `${run.id}.1`, `${run.id}.2`]);
    expect(exec.envs.map((e) => e[ITERATION_COOKIE])).toEqual([`${run.id}.w1`, `${run.id}.1`, `${run.id}.2`]);
    expect(made.map((s) => s.opts.cookie)).toEqual(['w1', '1', '2'].map((i) => `${ITERATION_COOKIE}=${run.id}.${i}`));
    expect(process.env[ITERATION_COOKIE]).toBeUndefined(); // restored after the iteration
  });

  test('a command slower than its timeout is aborted and recorded as timeout (fake executor)', async () => {
    const exec = new FakeExecutor(() => ({ durationMs: 60_000 }));
    const started = performance.now();
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'slow',
      config,
      sampler: fakeSamplers().factory,
      executor: exec.run,
      options: { iterations: 1, timeout: '0.3s' },
      target: 'sleep 60',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(run.iterations[0]?.status).toBe('timeout');
    expect(run.status).toBe('timeout');
  });

  test('a synchronous function that ran past its timeout is recorded timeout, not passed (issue 11 item 3)', async () => {
    // JavaScript cannot interrupt it: the timer fires only after it returns. The record must still say timeout.
    const run = await runWorkflow({
      lane: 'quick',
      workflow: 'sync busy loop',
      config,
      sampler: fakeSamplers().factory,
      options: { iterations: 2, timeout: '0.2s' },
      target: (ctx: WorkflowContext) => {
        const until = performance.now() + (ctx.iteration === 1 ? 500 : 0);
        while (performance.now() < until) {
          /* busy */
        }
      },
    });
    expect(run.iterations.map((i) => i.status)).toEqual(['timeout', 'passed']);
    expect(run.iterations[0]?.error).toMatch(/past its timeout of 0\.2 s/);
    expect(run.status).toBe('partial');
  });

  test('unknown lane → ConfigError listing the lanes', async () => {
    await expect(runWorkflow({ lane: 'nope', workflow: 'x', config, target: () => {} })).rejects.toThrow(/quick/);
  });
});

describe('measure()', () => {
  test("ad-hoc lane 'adhoc' without thresholds by default", async () => {
    const run = await measure(() => {}, { iterations: 2 });
    expect(run.lane).toBe('adhoc');
    expect(run.workflow).toBe('anonymous');
    expect(run.iterations).toHaveLength(2);
    expect(run.sla).toMatchObject({ compliant: true, checked: 0, violations: [] });
    expect(run.runner.name).toBe('api');
  });

  test('thresholds given in the options are evaluated', async () => {
    const run = await measure(['sleep', '0.05'], { iterations: 1, thresholds: { execution_time: ['max < 1ms'] } });
    expect(run.workflow).toBe('sleep 0.05');
    expect(run.sla.compliant).toBe(false);
    expect(run.sla.violations[0]?.name).toBe('execution_time_max');
  });

  test('a named lane takes its SLA', async () => {
    const run = await measure('true', { lane: 'docs', iterations: 1, name: 'noop' });
    expect(run.lane).toBe('docs');
    expect(run.workflow).toBe('noop');
    expect(run.sla.checked).toBeGreaterThanOrEqual(5);
    expect(run.sla.compliant).toBe(true);
  });
});
