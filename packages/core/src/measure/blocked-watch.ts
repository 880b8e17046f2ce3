/**
 * Sampling while the JavaScript thread is blocked (issue 13 item 3).
 *
 * ProcTreeSampler runs on timers of the main thread. A workflow that calls a synchronous API (spawnSync, execSync,
 * a long synchronous loop) blocks those timers, so a child started by spawnSync lived and died unseen and its memory
 * was missed. A worker thread watches a heartbeat the main sampler writes at every sample (a SharedArrayBuffer): when
 * the heartbeat is older than 1.5 sampling intervals, the worker takes the samples itself — memory of the tree below
 * this process (PSS sum, RSS for a lone process, VmHWM of each process) plus, for in-process workflows, our own growth
 * above the level at the start. CPU and I/O need no sampling (kernel accounting of reaped children), so the worker
 * reads memory only. While the main thread keeps its cadence the worker reads nothing (one timer wake-up per interval
 * and a heartbeat check), and it has no timer at all between iterations.
 *
 * One worker per process, started on the first iteration and kept (a worker costs tens of milliseconds to start, more
 * on a loaded machine); it never keeps the process alive (unref'd between iterations). The first iteration waits for
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
/** Int32 slots of the shared heartbeat: ms since the worker's epoch of the main sampler's last sample. */
const BEAT = 0;

/**
 * The worker's code (runs in the worker thread; see the file comment for why it is self-contained).
 * Messages in: {type:'arm', ...WatchArm} | {type:'disarm'}; out: {type:'ready'} | {type:'result', ...WatchResult}.
 */
function watcherMain(): void {
  const fs = process.getBuiltinModule('node:fs');
  const wt = process.getBuiltinModule('node:worker_threads');
  const port = wt.parentPort;
  if (!port) return;
  const data = wt.workerData as { beat: SharedArrayBuffer; epoch: number; page: number };
  const beat = new Int32Array(data.beat);
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
  /** starttime, state, rss pages and thread count from /proc/<pid>/stat (fields after the last ')') */
  const stat = (
    pid: number | 'self',
  ): { start: number; zombie: boolean; exiting: boolean; rss: number; threads: number } | null => {
    const t = read(`/proc/${pid}/stat`);
    if (!t) return null;
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): field n is f[n - 3]
    return {
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

  let arm: (WatchArm & { type: 'arm' }) | null = null;
  let timer: NodeJS.Timeout | undefined;
  let result: WatchResult = { samples: 0, peakSumBytes: 0, peakHwmBytes: 0, seen: [] };
  let seen = new Set<string>();
  let pre = new Set<string>();

  /** Live processes of the tree below us, "pid:starttime" → RSS; VmHWM of each is read on the way when `hwm`. */
  const walk = (hwm: boolean): Map<string, { pid: number; rss: number; exiting: boolean }> => {
    const found = new Map<string, { pid: number; rss: number; exiting: boolean }>();
    const queue = children('self', 0);
    const visited = new Set<number>();
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      if (visited.has(pid)) continue;
      visited.add(pid);
      const s = stat(pid);
      if (!s || s.zombie) continue;
      const key = `${pid}:${s.start}`;
      if (pre.has(key)) continue;
      found.set(key, { pid, rss: s.rss, exiting: s.exiting });
      if (hwm) {
        const h = kbField(read(`/proc/${pid}/status`), 'VmHWM:');
        if (h > result.peakHwmBytes) result.peakHwmBytes = h;
      }
      for (const c of children(pid, s.threads)) queue.push(c);
    }
    return found;
  };

  const sample = (a: WatchArm): void => {
    const tree = walk(true);
    for (const k of tree.keys()) seen.add(k);
    const found = [...tree.values()];
    let sum = 0;
    const shared = found.length + (a.includeSelf ? 1 : 0) > 1;
    for (const p of found) {
      // PSS charges a page shared by several processes of the tree once; a lone process's RSS is its charge.
      const pss = shared ? kbField(read(`/proc/${p.pid}/smaps_rollup`), '\nPss:') : -1;
      sum += pss >= 0 ? pss : p.rss;
    }
    if (a.includeSelf) {
      const self = stat('self');
      if (self) sum += Math.max(0, self.rss - a.selfRssBaseBytes);
    }
    result.samples++;
    // PSS readings taken while a process forked or exited mix two memberships (a parent read before a fork at its
    // full size, its child after it at half; an exiting reader still holding pages whose other sharers already
    // count them whole): such a sum overcounts, so only a sum over an unchanged tree with no exit under way counts.
    const after = walk(false);
    const changed = after.size !== tree.size || [...after].some(([k, p]) => p.exiting || !tree.has(k));
    if (changed || found.some((p) => p.exiting)) return;
    if (sum > result.peakSumBytes) result.peakSumBytes = sum;
  };

  const tick = (): void => {
    const a = arm;
    if (!a) return;
    // The main sampler is late by more than half an interval: its thread is blocked, sample in its place.
    if (Date.now() - data.epoch - Atomics.load(beat, 0) > a.intervalMs * 1.5) sample(a);
    timer = setTimeout(tick, a.intervalMs);
  };

  port.on('message', (m: (WatchArm & { type: 'arm' }) | { type: 'disarm' }) => {
    if (m.type === 'arm') {
      arm = m;
      result = { samples: 0, peakSumBytes: 0, peakHwmBytes: 0, seen: [] };
      seen = new Set();
      pre = new Set(m.preexisting);
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, m.intervalMs);
    } else {
      arm = null;
      if (timer) clearTimeout(timer);
      timer = undefined;
      result.seen = [...seen];
      port.postMessage({ type: 'result', ...result });
    }
  });
  port.postMessage({ type: 'ready' });
}

/** The process's one watcher (null: worker threads unavailable or the worker failed; sampling then stays main-only). */
export class BlockedWatch {
  private static instance: Promise<BlockedWatch | null> | undefined;
  private readonly beat: Int32Array;
  private pending: ((r: WatchResult) => void) | undefined;
  private broken = false;

  private constructor(
    private readonly worker: Worker,
    shared: SharedArrayBuffer,
    private readonly epoch: number,
  ) {
    this.beat = new Int32Array(shared);
    worker.on('message', (m: { type: string } & WatchResult) => {
      if (m.type === 'result') this.settle(m);
    });
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
  }

  /** The watcher, started on first use and ready (its start-up memory is behind us). */
  static get(pageSize: number): Promise<BlockedWatch | null> {
    BlockedWatch.instance ??= new Promise((resolve) => {
      let worker: Worker;
      const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
      const epoch = Date.now();
      try {
        worker = new Worker(`(${watcherMain.toString()})()`, {
          eval: true,
          workerData: { beat: shared, epoch, page: pageSize },
          // a few MiB of heap are plenty; it must not compete with the workload for memory
          resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
          stdout: false,
          stderr: false,
        });
      } catch {
        resolve(null);
        return;
      }
      worker.unref();
      const onReady = (m: { type: string }): void => {
        if (m.type !== 'ready') return;
        worker.off('message', onReady);
        resolve(new BlockedWatch(worker, shared, epoch));
      };
      worker.on('message', onReady);
      worker.once('error', () => resolve(null));
      worker.once('exit', () => resolve(null));
    });
    return BlockedWatch.instance;
  }

  /** The main sampler just took a sample. */
  heartbeat(): void {
    Atomics.store(this.beat, BEAT, Date.now() - this.epoch);
  }

  arm(a: WatchArm): void {
    if (this.broken) return;
    this.heartbeat();
    // Referenced while an iteration runs: the result of disarm() must arrive even if nothing else keeps us alive.
    this.worker.ref();
    this.worker.postMessage({ type: 'arm', ...a });
  }

  disarm(): Promise<WatchResult> {
    if (this.broken) return Promise.resolve(EMPTY);
    return new Promise((resolve) => {
      // A worker that does not answer (it cannot block: it only reads /proc) must never hang an iteration.
      const guard = setTimeout(() => this.settle(EMPTY), 5000);
      this.pending = (r) => {
        clearTimeout(guard);
        resolve(r);
      };
      this.worker.postMessage({ type: 'disarm' });
    });
  }

  private settle(r: WatchResult): void {
    this.worker.unref();
    const p = this.pending;
    this.pending = undefined;
    p?.(r);
  }

  private fail(): void {
    this.broken = true;
    BlockedWatch.instance = Promise.resolve(null);
    this.settle(EMPTY);
  }
}
