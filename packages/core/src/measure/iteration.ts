/**
 * measureIteration: runs one iteration of a workflow and measures its whole process tree (docs/metrics.md).
 *
 * Linux figures come from kernel accounting wherever the kernel keeps it:
 *  - CPU: when Node reaps a child, the kernel adds the child's utime+stime+cutime+cstime (its own reaped
 *    descendants included) to our cutime/cstime, so the delta of /proc/self/stat across the iteration is the CPU of
 *    everything that was spawned and waited for, however short-lived. In-process workflows add our own
 *    process.cpuUsage() delta. Descendants that were re-parented away from us (orphans) and leftovers we kill at the
 *    end never reach our cutime: their last sampled totals are added. The result is also never below the sum of the
 *    sampled per-process CPU (both are lower bounds of the truth).
 *  - Disk: /proc/self/io read_bytes/write_bytes deltas (the kernel adds a reaped child's I/O to its parent), plus
 *    orphans' last readings. For commands this also contains our own (negligible) I/O during the iteration.
 *  - Memory: max(peak over samples of the summed RSS of the live tree, highest VmHWM of any single process); for
 *    in-process workflows our own VmHWM is reset at the start (clear_refs 5) and read at the end.
 *  - Network: /proc/self/net/dev deltas over non-loopback interfaces: the whole network namespace (Linux has no
 *    per-process byte counters without eBPF), recorded as network_scope 'network-namespace'.
 * Because of the cutime/io deltas, iterations in one process are serialized (see mutex.ts).
 *
 * Function workflows get a soft timeout: the signal fires, every child is killed, the iteration is recorded as
 * timed out and its promise is abandoned (JavaScript cannot stop a running function; if it keeps computing, that
 * CPU lands in later iterations, which is why a timed-out in-process workflow should end the run or be fixed).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Iteration, IterationMeasurement, IterationStatus, MeasurementMethods } from '../types.js';
import { METRIC_KEYS } from '../types.js';
import type { ExecOptions, Workflow, WorkflowContext } from './types.js';
import { ExecError, runExec, type Executor, type SpawnRecord } from './exec.js';
import { killTree, type KnownProcess } from './kill.js';
import { withMeasureLock } from './mutex.js';
import { PidusageSampler } from './pidusage-sampler.js';
import { ProcSampler } from './proc-sampler.js';
import { hasProcfs } from './procfs.js';
import type { SamplerFactory } from './sampler.js';
import { downsampleTimeline } from './timeline.js';
import { validateUnit } from '../base/unit-text.js';
import { ITERATION_OWNER, ownerToken } from './reaper.js';

/** Name of the environment cookie every process of an iteration carries (docs/metrics.md, "Escaped processes"). */
export const ITERATION_COOKIE = 'LANEBENCH_ITERATION_ID';

export interface MeasureIterationOptions {
  timeout_s: number;
  sampleIntervalMs: number;
  /** 1-based */
  iteration: number;
  lane: string;
  workflow: string;
  /** external abort (Ctrl-C): the tree is killed and the iteration reported as failed with error 'aborted' */
  signal?: AbortSignal | undefined;
  // Additions to the ARCHITECTURE.md contract (all optional):
  warmup?: boolean | undefined;
  cwd?: string | undefined;
  /** merged over process.env for commands */
  env?: Record<string, string | undefined> | undefined;
  /** called for every ctx.metric(), so the caller can collect units */
  onMetric?: ((name: string, value: number, unit: string | undefined) => void) | undefined;
  /** SIGTERM → SIGKILL grace at the timeout, ms (default 2000) */
  killGraceMs?: number | undefined;
  /** forward commands' output to ours */
  echo?: boolean | undefined;
  /** force the portable sampler (tests of the fallback); default: /proc where available */
  method?: 'auto' | 'pidusage' | undefined;
  /** run id for the environment cookie `LANEBENCH_ITERATION_ID=<runId>.<iteration>` (default: a random id) */
  runId?: string | undefined;
  /** the sampler of the tree (tests: fakeSamplers() of fake.ts); default by platform and `method` */
  sampler?: SamplerFactory | undefined;
  /** how ctx.exec runs commands (tests: FakeExecutor of fake.ts); default runExec */
  executor?: Executor | undefined;
}

const MB = 1048576;
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const BUILTIN = new Set<string>(METRIC_KEYS);

/** Runs `target` once under measurement. Never throws for workflow failures: they become the iteration's status. */
export function measureIteration(target: Workflow, opts: MeasureIterationOptions): Promise<Iteration> {
  if (typeof target !== 'function' && typeof target !== 'string' && !Array.isArray(target)) {
    return Promise.reject(new TypeError('workflow must be a function, a command string or an argv array'));
  }
  if (!(opts.timeout_s > 0)) return Promise.reject(new RangeError(`timeout_s must be > 0, got ${opts.timeout_s}`));
  return withMeasureLock(() => measureUnlocked(target, opts));
}

function defaultSampler(method: MeasureIterationOptions['method']): SamplerFactory {
  return hasProcfs && method !== 'pidusage' ? (o) => new ProcSampler(o) : (o) => new PidusageSampler(o);
}

async function measureUnlocked(target: Workflow, opts: MeasureIterationOptions): Promise<Iteration> {
  const isFn = typeof target === 'function';
  const cores = availableParallelism();
  const interval = opts.sampleIntervalMs > 0 ? opts.sampleIntervalMs : 50;
  const graceMs = opts.killGraceMs ?? 2000;
  const executor = opts.executor ?? runExec;
  const cookieValue = `${opts.runId ?? randomBytes(6).toString('hex')}.${opts.warmup ? 'w' : ''}${opts.iteration}`;

  const controller = new AbortController();
  let abortInfo: { text: string; timedOut: boolean } | undefined;
  const abort = (text: string, timedOut: boolean): void => {
    if (abortInfo) return;
    abortInfo = { text, timedOut };
    controller.abort(new Error(text));
  };
  const onExternal = (): void => abort('aborted', false);
  if (opts.signal?.aborted) onExternal();
  opts.signal?.addEventListener('abort', onExternal, { once: true });

  const custom: Record<string, number> = {};
  const spawns: SpawnRecord[] = [];
  let closed = false;

  const sampler = (opts.sampler ?? defaultSampler(opts.method))({
    intervalMs: interval,
    includeSelf: isFn,
    cores,
    cookie: `${ITERATION_COOKIE}=${cookieValue}`,
  });

  // Every process of the iteration carries the cookie, also children a function starts without ctx.exec.
  // The owner entry lets a later run's reaper tell a dead owner's leftovers from a live run's (reaper.ts).
  const cookieEnv = { [ITERATION_COOKIE]: cookieValue, [ITERATION_OWNER]: ownerToken() };
  const baseEnv = { ...process.env, ...opts.env, ...cookieEnv };
  const ctx: WorkflowContext = {
    iteration: opts.iteration,
    warmup: opts.warmup ?? false,
    lane: opts.lane,
    workflow: opts.workflow,
    signal: controller.signal,
    exec(cmd: string | string[], o: ExecOptions = {}) {
      if (closed) return Promise.reject(new Error('ctx.exec called after its iteration ended'));
      return executor(cmd, {
        ...o,
        cwd: o.cwd ?? opts.cwd,
        env: o.env ? { ...baseEnv, ...o.env, ...cookieEnv } : baseEnv,
        echo: o.echo ?? opts.echo,
        signal: controller.signal,
        abortReason: () => abortInfo ?? { text: 'aborted', timedOut: false },
        graceMs,
        known: () => sampler.alive(),
        onSpawn: (rec) => {
          spawns.push(rec);
          if (rec.pid !== undefined) sampler.addRoot(rec.pid);
        },
      });
    },
    metric(name: string, value: number, unit?: string) {
      if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
        throw new TypeError(
          `ctx.metric: invalid metric name ${JSON.stringify(name)} (letters, digits, _ . -; not starting with a digit)`,
        );
      }
      if (BUILTIN.has(name)) throw new TypeError(`ctx.metric: '${name}' is a built-in metric; choose another name`);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(`ctx.metric: value of '${name}' must be a finite number, got ${String(value)}`);
      }
      if (unit !== undefined) validateUnit(unit, `ctx.metric('${name}')`, (m) => new TypeError(m));
      if (closed) return;
      custom[name] = value;
      opts.onMetric?.(name, value, unit);
    },
  };

  // Children a function spawns with child_process directly inherit process.env: give them the cookie too.
  const prevCookie = process.env[ITERATION_COOKIE];
  const prevOwner = process.env[ITERATION_OWNER];
  if (isFn) Object.assign(process.env, cookieEnv);

  // Baselines, taken as late as possible before the workload starts.
  await sampler.start();
  const cpu0 = process.cpuUsage();
  const startedAt = new Date().toISOString();
  // setTimeout takes at most 2^31−1 ms (~24.8 days); longer timeouts are clamped rather than firing at once.
  const timer = setTimeout(
    () => abort(`timed out after ${opts.timeout_s} s`, true),
    Math.min(opts.timeout_s * 1000, 2 ** 31 - 1),
  );

  let status: IterationStatus = 'passed';
  let error: string | undefined;
  const t0 = performance.now();
  try {
    if (abortInfo) throw new Error(abortInfo.text); // aborted before it started: run nothing
    if (isFn) {
      const work = Promise.resolve().then(() => target(ctx));
      // An abandoned (timed-out) function may reject later: that must not become an unhandled rejection.
      work.catch(() => undefined);
      await raceAbort(work, controller.signal);
    } else {
      await ctx.exec(target);
    }
  } catch (e) {
    if (abortInfo) {
      status = abortInfo.timedOut ? 'timeout' : 'failed';
      error = abortInfo.timedOut ? `workflow ${abortInfo.text}` : 'aborted';
    } else {
      status = 'failed';
      error = e instanceof Error ? e.message : String(e);
    }
  }
  const t1 = performance.now();
  clearTimeout(timer);
  const cpuSelf = process.cpuUsage(cpu0);
  if (isFn) {
    if (prevCookie === undefined) delete process.env[ITERATION_COOKIE];
    else process.env[ITERATION_COOKIE] = prevCookie;
    if (prevOwner === undefined) delete process.env[ITERATION_OWNER];
    else process.env[ITERATION_OWNER] = prevOwner;
  }
  // Synchronous code blocks the timer, so it cannot fire while the function runs; the record must still not lie:
  // an iteration that ran past its timeout is a timeout, whatever stopped it.
  if (status !== 'timeout' && abortInfo?.timedOut !== false && (t1 - t0) / 1000 > opts.timeout_s) {
    status = 'timeout';
    error = `workflow ran ${round((t1 - t0) / 1000, 3)} s, past its timeout of ${opts.timeout_s} s (synchronous code cannot be interrupted; it was recorded when it returned)`;
  }

  // Kernel totals right away, then the end of leftovers: no process of the tree outlives its iteration.
  const leftovers = await sampler.workloadEnded();
  closed = true;
  if (!controller.signal.aborted) controller.abort(new Error('iteration ended'));
  // Kill, then look again: a TERM-ignoring process may fork (setsid) children during the grace period, and those
  // carry the cookie too. Later rounds use a short grace: whatever appears now is forked by a dying tree.
  let left = leftovers;
  for (let round = 0; left.length > 0 && round < 10; round++) {
    await killKnown(left, spawns, round === 0 ? graceMs : Math.min(graceMs, 200));
    left = await sampler.sweep();
  }
  const tKilled = performance.now();
  opts.signal?.removeEventListener('abort', onExternal);

  const ownCpu = isFn ? (cpuSelf.user + cpuSelf.system) / 1e6 : 0;
  const f = await sampler.stop(ownCpu);

  const first = spawns[0];
  // Commands: from the moment the program runs (spawn returned, see SpawnRecord.startedAt) to its 'exit' event.
  const execution_time =
    !isFn && first?.exitAt !== undefined ? (first.exitAt - first.startedAt) / 1000 : (t1 - t0) / 1000;
  // Leftovers ran until they were killed: their CPU belongs to that longer window, not to execution_time alone.
  const windowStart = !isFn && first ? first.startedAt : t0;
  const window = leftovers.length > 0 ? Math.max(execution_time, (tKilled - windowStart) / 1000) : execution_time;
  const methods: MeasurementMethods = {
    execution_time: isFn ? 'monotonic-call-to-settle' : 'monotonic-exec-to-exit',
    ...f.methods,
    sample_interval_ms: interval,
  };

  const measurement: IterationMeasurement = { ...f.measurement };
  const iteration: Iteration = {
    index: opts.iteration,
    status,
    started_at: startedAt,
    execution_time: round(execution_time, 6),
    cpu_seconds: round(f.cpu_seconds, 4),
    // Clamped at 100 %: tick-quantized CPU of a process shorter than a tick can exceed its wall window (flagged by
    // cpu_below_resolution), and no tree can use more than the machine.
    cpu_usage: window > 0 ? round(Math.min(100, (f.cpu_seconds / (window * cores)) * 100), 3) : 0,
    memory_usage: round(f.memory_bytes / MB, 3),
    disk_read_bytes: f.disk_read_bytes,
    disk_write_bytes: f.disk_write_bytes,
    disk_io: f.disk_read_bytes + f.disk_write_bytes,
    network_rx_bytes: f.network_rx_bytes,
    network_tx_bytes: f.network_tx_bytes,
    network_io: f.network_rx_bytes + f.network_tx_bytes,
    custom,
    methods,
    timeline: downsampleTimeline(f.timeline, 200),
  };
  if (f.network_loopback_bytes !== undefined) iteration.network_loopback_bytes = f.network_loopback_bytes;
  if (Object.keys(measurement).length > 0) iteration.measurement = measurement;
  if (error !== undefined) iteration.error = error;
  if (!isFn && first) {
    iteration.exit_code = first.code ?? null;
    iteration.signal = first.signal ?? null;
  }
  return iteration;
}

/** Kills leftovers: the group of every spawned command plus each process the sampler saw alive. */
async function killKnown(known: KnownProcess[], spawns: SpawnRecord[], graceMs: number): Promise<void> {
  const roots = spawns.map((s) => s.pid).filter((p): p is number => p !== undefined);
  const jobs: Promise<void>[] = [];
  if (roots.length > 0) {
    for (const pid of roots) jobs.push(killTree(pid, { graceMs, known }));
  } else {
    // Children spawned by a function without ctx.exec: no group of ours, signal each process.
    for (const k of known) jobs.push(killTree(k.pid, { graceMs, known: [k], group: false }));
  }
  await Promise.all(jobs);
}

/** Resolves/rejects with `work`, or rejects as soon as `signal` aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The abort reason and the work's rejection pass through unchanged, whatever they are.
  const reason = (): unknown => signal.reason;
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export { ExecError };
