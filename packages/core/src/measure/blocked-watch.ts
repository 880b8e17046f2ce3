/**
 * Sampling while the JavaScript thread is blocked (issue 13 item 3).
 *
 * ProcTreeSampler runs on timers of the main thread. A workflow that calls a synchronous API (spawnSync, execSync,
 * a long synchronous loop) blocks those timers, so a child started by spawnSync lived and died unseen and its memory
 * was missed. A worker thread watches a heartbeat the main sampler writes at every sample (shared memory): when
 * the heartbeat is older than 1.5 sampling intervals, the worker takes the samples itself — memory of the tree below
 * this process (PSS sum, RSS for a lone process, VmHWM of each process) plus, for in-process workflows, our own growth
 * above the level at the start. CPU and I/O need no sampling (kernel accounting of reaped children), so the worker
 * reads memory only. Only function workflows arm it (a command cannot block our thread). While the main thread keeps
 * its cadence the worker reads nothing (one wake-up per interval and a heartbeat check), and between iterations it
 * sleeps in Atomics.wait without waking.
 *
 * One worker per process, started on the first function iteration and kept (a worker costs tens of milliseconds to start, more
 * on a loaded machine); it never keeps the process alive (unref'd once ready). The first iteration waits for
 * it to be ready before the baselines are taken, so its start-up memory is not charged to an in-process workflow.
 *
 * The worker's code is the function watcherMain below, passed as source text (`eval: true`): the same code then runs
 * from the TypeScript sources (Vitest), the ESM build and the CJS build (Jest), with no extra file to locate beside a
 * bundle. It is therefore self-contained: it uses no import of this module, only process.getBuiltinModule.
 */
import { Worker } from 'node:worker_threads';

export interface WatchArm {
  intervalMs: number;
  includeSelf: boolean;
  /** our RSS when the iteration started (in-process workflows: only growth above it is the function's) */
  selfRssBaseBytes: number;
  /** "pid:starttime" of children that existed before the iteration (not part of it) */
  preexisting: string[];
  /** clock ticks after boot at the iteration's start: a process that started earlier is not part of it (0: none) */
  startTicks: number;
}

export interface WatchResult {
  /** samples the worker took while the main thread was blocked */
  samples: number;
  /** max over those samples of the tree's summed memory (PSS; RSS for a lone process; plus self growth) */
  peakSumBytes: number;
  /** max VmHWM of a process the worker saw */
  peakHwmBytes: number;
  /** "pid:starttime" of every process the worker saw */
  seen: string[];
}

const EMPTY: WatchResult = { samples: 0, peakSumBytes: 0, peakHwmBytes: 0, seen: [] };

/**
 * What a process of a shared tree is charged when its PSS cannot be read — the one rule of both samplers (the main
 * one in proc-sampler.ts and the worker below, which gets this function as source text). `state`: its /proc stat
 * state now, null when it is gone (or its pid names another process). A process that exited meanwhile (gone,
 * zombie, dead) has freed its pages: 0, since counting its RSS would count the pages it shared with the rest of the
 * tree a second time. One still alive but unreadable: its last PSS if there is one, else its RSS.
 */
export function chargeWithoutPss(state: string | null, lastPssBytes: number, rssBytes: number): number {
  if (state === null || state === 'Z' || state === 'X' || state === 'x') return 0;
  return lastPssBytes >= 0 ? lastPssBytes : rssBytes;
}

/** The worker's program: the shared rule, then watcherMain (see the file comment). */
export function watcherSource(): string {
  return `${chargeWithoutPss.toString()}\n(${watcherMain.toString()})()`;
}

/**
 * Shared state. Everything between the threads goes through two SharedArrayBuffers, no messages: arming, the
 * heartbeat and reading the result cost the main thread a few atomic operations, never a round trip to a thread
 * the scheduler may not run for milliseconds on a loaded machine. Int32 slots:
 */
const ARMED = 0; // generation of the armed iteration, 0 = disarmed (the worker sleeps in Atomics.wait on it)
const BEAT = 1; // ms after the epoch of the main sampler's last sample
const BUSY = 2; // 1 while the worker samples (disarm waits for it)
const INTERVAL = 3;
const INCLUDE_SELF = 4;
const SAMPLES = 5;
const NPRE = 6;
const NSEEN = 7;
const INT_SLOTS = 8;
/** Float64 slots: our RSS base, the two peaks, then MAX_KEYS (pid, starttime) pairs of preexisting, then of seen. */
const SELF_BASE = 0;
const PEAK_SUM = 1;
const PEAK_HWM = 2;
const START_TICKS = 3;
const KEYS = 4;
const MAX_KEYS = 64;
const F64_SLOTS = KEYS + 4 * MAX_KEYS;

/** The worker's code (runs in the worker thread; see the file comment for why it is self-contained). */
function watcherMain(): void {
  const fs = process.getBuiltinModule('node:fs');
  const wt = process.getBuiltinModule('node:worker_threads');
  const data = wt.workerData as {
    ints: SharedArrayBuffer;
    floats: SharedArrayBuffer;
    epoch: number;
    page: number;
    slots: Record<string, number>;
  };
  const S = data.slots as Record<
    | 'ARMED'
    | 'BEAT'
    | 'BUSY'
    | 'INTERVAL'
    | 'INCLUDE_SELF'
    | 'SAMPLES'
    | 'NPRE'
    | 'NSEEN'
    | 'SELF_BASE'
    | 'PEAK_SUM'
    | 'PEAK_HWM'
    | 'START_TICKS'
    | 'KEYS'
    | 'MAX_KEYS',
    number
  >;
  const ctrl = new Int32Array(data.ints);
  const f64 = new Float64Array(data.floats);
  const buf = Buffer.allocUnsafe(16384);

  const read = (path: string): string | null => {
    let fd = -1;
    try {
      fd = fs.openSync(path, 'r');
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.toString('latin1', 0, n);
    } catch {
      return null;
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  };
  const kbField = (text: string | null, name: string): number => {
    if (!text) return -1;
    const i = text.indexOf(name);
    return i < 0 ? -1 : parseInt(text.slice(i + name.length), 10) * 1024;
  };
  /** starttime, state, flags, rss and thread count from /proc/<pid>/stat (fields after the last ')') */
  const stat = (
    pid: number | 'self',
  ): { start: number; state: string; zombie: boolean; exiting: boolean; rss: number; threads: number } | null => {
    const t = read(`/proc/${pid}/stat`);
    if (!t) return null;
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): field n is f[n - 3]
    return {
      state: f[0] ?? '',
      zombie: f[0] === 'Z' || f[0] === 'X',
      // PF_EXITING (flags, field 9): its memory is being torn down, its sharers' PSS is rising meanwhile
      exiting: (Number(f[6]) & 4) !== 0,
      threads: Number(f[17]),
      start: Number(f[19]),
      rss: Number(f[21]) * data.page,
    };
  };
  const children = (pid: number | 'self', threads: number): number[] => {
    const out: number[] = [];
    let tids: string[] = [];
    if (threads > 1 || pid === 'self') {
      try {
        tids = fs.readdirSync(`/proc/${pid}/task`);
      } catch {
        return out;
      }
    } else tids = [String(pid)];
    for (const tid of tids) {
      const t = read(`/proc/${pid}/task/${tid}/children`);
      if (t) for (const c of t.split(' ')) if (c.trim() !== '') out.push(Number(c));
    }
    return out;
  };

  let pre = new Set<string>();
  let seen = new Set<string>();
  /** Live processes of the tree below us, "pid:starttime" → readings; VmHWM of each is read on the way when `hwm`. */
  const walk = (hwm: boolean): Map<string, { pid: number; start: number; rss: number; exiting: boolean }> => {
    const found = new Map<string, { pid: number; start: number; rss: number; exiting: boolean }>();
    const queue = children('self', 0);
    const visited = new Set<number>();
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      if (visited.has(pid)) continue;
      visited.add(pid);
      const s = stat(pid);
      if (!s || s.zombie) continue;
      const key = `${pid}:${s.start}`;
      if (pre.has(key) || s.start < (f64[S.START_TICKS] as number)) continue;
      found.set(key, { pid, start: s.start, rss: s.rss, exiting: s.exiting });
      if (hwm) {
        const h = kbField(read(`/proc/${pid}/status`), 'VmHWM:');
        if (h > (f64[S.PEAK_HWM] as number)) f64[S.PEAK_HWM] = h;
      }
      for (const c of children(pid, s.threads)) queue.push(c);
    }
    return found;
  };

  const sample = (): void => {
    const tree = walk(true);
    for (const [k, p] of tree) {
      if (seen.has(k)) continue;
      seen.add(k);
      const n = ctrl[S.NSEEN] as number;
      if (n < S.MAX_KEYS) {
        f64[S.KEYS + 2 * S.MAX_KEYS + 2 * n] = p.pid;
        f64[S.KEYS + 2 * S.MAX_KEYS + 2 * n + 1] = p.start;
      }
      ctrl[S.NSEEN] = n + 1;
    }
    const found = [...tree.values()];
    const includeSelf = ctrl[S.INCLUDE_SELF] === 1;
    let sum = 0;
    const shared = found.length + (includeSelf ? 1 : 0) > 1;
    for (const p of found) {
      // PSS charges a page shared by several processes of the tree once; a lone process's RSS is its charge.
      if (!shared) {
        sum += p.rss;
        continue;
      }
      const pss = kbField(read(`/proc/${p.pid}/smaps_rollup`), '\nPss:');
      if (pss >= 0) sum += pss;
      else {
        const now = stat(p.pid);
        sum += chargeWithoutPss(now && now.start === p.start ? now.state : null, -1, p.rss);
      }
    }
    if (includeSelf) {
      const self = stat('self');
      if (self) sum += Math.max(0, self.rss - (f64[S.SELF_BASE] as number));
    }
    ctrl[S.SAMPLES] = (ctrl[S.SAMPLES] as number) + 1;
    // PSS readings taken while a process forked or exited mix two memberships (a parent read before a fork at its
    // full size, its child after it at half; an exiting reader still holding pages whose other sharers already
    // count them whole): such a sum overcounts, so only a sum over an unchanged tree with no exit under way counts.
    const after = walk(false);
    const changed = after.size !== tree.size || [...after].some(([k, p]) => p.exiting || !tree.has(k));
    if (changed || found.some((p) => p.exiting)) return;
    if (sum > (f64[S.PEAK_SUM] as number)) f64[S.PEAK_SUM] = sum;
  };

  wt.parentPort?.postMessage('ready');
  for (;;) {
    Atomics.wait(ctrl, S.ARMED, 0); // disarmed: sleep until an iteration starts
    const gen = Atomics.load(ctrl, S.ARMED);
    if (gen === 0) continue;
    pre = new Set();
    for (let i = 0; i < Math.min(ctrl[S.NPRE] as number, S.MAX_KEYS); i++)
      pre.add(`${f64[S.KEYS + 2 * i]}:${f64[S.KEYS + 2 * i + 1]}`);
    seen = new Set();
    while (Atomics.load(ctrl, S.ARMED) === gen) {
      const interval = ctrl[S.INTERVAL] as number;
      Atomics.wait(ctrl, S.ARMED, gen, interval); // one interval, or until disarmed
      Atomics.store(ctrl, S.BUSY, 1);
      // The main sampler is late by more than half an interval: its thread is blocked, sample in its place.
      if (Atomics.load(ctrl, S.ARMED) === gen && Date.now() - data.epoch - Atomics.load(ctrl, S.BEAT) > interval * 1.5)
        sample();
      Atomics.store(ctrl, S.BUSY, 0);
      Atomics.notify(ctrl, S.BUSY);
    }
  }
}

/** The process's one watcher (null: worker threads unavailable or the worker failed; sampling then stays main-only). */
export class BlockedWatch {
  private static instance: Promise<BlockedWatch | null> | undefined;
  private readonly ctrl: Int32Array;
  private readonly f64: Float64Array;
  private gen = 0;
  private broken = false;

  private constructor(
    worker: Worker,
    ints: SharedArrayBuffer,
    floats: SharedArrayBuffer,
    private readonly epoch: number,
  ) {
    this.ctrl = new Int32Array(ints);
    this.f64 = new Float64Array(floats);
    const fail = (): void => {
      this.broken = true;
      BlockedWatch.instance = Promise.resolve(null);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  /** The watcher, started on first use and ready (its start-up memory is behind us). */
  static get(pageSize: number): Promise<BlockedWatch | null> {
    BlockedWatch.instance ??= new Promise((resolve) => {
      let worker: Worker;
      const ints = new SharedArrayBuffer(INT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
      const floats = new SharedArrayBuffer(F64_SLOTS * Float64Array.BYTES_PER_ELEMENT);
      const epoch = Date.now();
      const slots = { ARMED, BEAT, BUSY, INTERVAL, INCLUDE_SELF, SAMPLES, NPRE, NSEEN };
      try {
        worker = new Worker(watcherSource(), {
          eval: true,
          workerData: {
            ints,
            floats,
            epoch,
            page: pageSize,
            slots: { ...slots, SELF_BASE, PEAK_SUM, PEAK_HWM, START_TICKS, KEYS, MAX_KEYS },
          },
          // a few MiB of heap are plenty; it must not compete with the workload for memory
          resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
          stdout: false,
          stderr: false,
        });
      } catch {
        resolve(null);
        return;
      }
      // Referenced until it is ready (a script awaiting its first iteration must not exit meanwhile), then never:
      // between iterations it sleeps in Atomics.wait and must not keep the process alive.
      worker.once('message', () => {
        worker.unref();
        resolve(new BlockedWatch(worker, ints, floats, epoch));
      });
      worker.once('error', () => resolve(null));
      worker.once('exit', () => resolve(null));
    });
    return BlockedWatch.instance;
  }

  /** The main sampler just took a sample. */
  heartbeat(): void {
    Atomics.store(this.ctrl, BEAT, Date.now() - this.epoch);
  }

  arm(a: WatchArm): void {
    if (this.broken) return;
    const { ctrl, f64 } = this;
    ctrl[INTERVAL] = Math.max(1, Math.round(a.intervalMs));
    ctrl[INCLUDE_SELF] = a.includeSelf ? 1 : 0;
    ctrl[SAMPLES] = 0;
    ctrl[NSEEN] = 0;
    f64[SELF_BASE] = a.selfRssBaseBytes;
    f64[PEAK_SUM] = 0;
    f64[PEAK_HWM] = 0;
    f64[START_TICKS] = a.startTicks;
    const pre = a.preexisting.slice(0, MAX_KEYS);
    pre.forEach((k, i) => {
      const [pid, start] = k.split(':');
      f64[KEYS + 2 * i] = Number(pid);
      f64[KEYS + 2 * i + 1] = Number(start);
    });
    ctrl[NPRE] = pre.length;
    this.heartbeat();
    this.gen = (this.gen % 0x7ffffffe) + 1;
    Atomics.store(ctrl, ARMED, this.gen);
    Atomics.notify(ctrl, ARMED);
  }

  /** Ends the iteration's watch and returns what the worker saw (synchronous: a sample takes ~1 ms at most). */
  disarm(): WatchResult {
    if (this.broken || this.gen === 0) return EMPTY;
    const { ctrl, f64 } = this;
    Atomics.store(ctrl, ARMED, 0);
    Atomics.notify(ctrl, ARMED);
    // A sample under way finishes first; a worker that never does (it cannot block: it only reads /proc) is given up.
    const deadline = Date.now() + 2000;
    while (Atomics.load(ctrl, BUSY) === 1) {
      if (Date.now() > deadline) return EMPTY;
      Atomics.wait(ctrl, BUSY, 1, 50);
    }
    const seen: string[] = [];
    for (let i = 0; i < Math.min(ctrl[NSEEN] as number, MAX_KEYS); i++)
      seen.push(`${f64[KEYS + 2 * MAX_KEYS + 2 * i]}:${f64[KEYS + 2 * MAX_KEYS + 2 * i + 1]}`);
    return {
      samples: ctrl[SAMPLES] as number,
      peakSumBytes: f64[PEAK_SUM] as number,
      peakHwmBytes: f64[PEAK_HWM] as number,
      seen,
    };
  }
}
