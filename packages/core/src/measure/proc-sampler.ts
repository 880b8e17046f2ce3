/**
 * Linux sampler of the process tree of one iteration.
 *
 * The tree is every process spawned through ctx.exec (registered as roots) and their descendants; for in-process
 * workflows also this process and its children that did not exist when the iteration started (found by a scan of our
 * threads every few samples, so that children spawned without ctx.exec count too).
 * Each sample walks /proc/<pid>/task/<tid>/children, reads stat (CPU, RSS) and status (VmHWM) of every process, and
 * re-reads processes seen before that the walk no longer reaches (their parent died and they were re-parented to
 * init): such orphans keep being measured, and since their CPU and I/O will never reach our cutime/io when they
 * exit, their last readings (io is read for orphans only) are added to the kernel totals.
 *
 * Processes are keyed by (pid, starttime) so that a reused pid is never mistaken for a process seen before.
 * Limits: a process that lives and dies between two samples is missed by memory (its CPU and I/O are still counted
 * by kernel accounting when it is reaped); VmHWM can only be read while a process is alive, which is why the first
 * 0.3 s are sampled every 20 ms (VmHWM at every sample), later VmHWM every HWM_EVERY samples.
 *
 * Cost: a timer wake-up plus ~4 small /proc reads per process per sample (measured by scripts/bench.mjs).
 */
import type { TimelinePoint } from '../types.js';
import type { KnownProcess } from './kill.js';
import type { SamplerOptions, TreeFigures, TreeSampler } from './sampler.js';
import {
  clkTck,
  readNetDev,
  resetSelfHwm,
  type NetBytes,
  type ProcIo,
  listPids,
  pageSize,
  readChildren,
  readHwmBytes,
  readIo,
  readStat,
  readThreadChildren,
  readTids,
  releaseProcFds,
  retainProcFds,
  type ProcStat,
} from './procfs.js';

export interface TrackedProcess {
  pid: number;
  starttime: number;
  ppid: number;
  /** last readings, clock ticks */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  cminflt: number;
  rssBytes: number;
  /** highest VmHWM read while it was alive, bytes */
  hwmBytes: number;
  /** last /proc/<pid>/io readings (read once the process is orphaned) */
  readBytes: number;
  writeBytes: number;
  /** its parent is neither us nor a live member of the tree, so the kernel will not give us its CPU and I/O */
  orphaned: boolean;
  alive: boolean;
}

export interface ProcSamplerOptions {
  intervalMs: number;
  /** count this process itself (in-process workflows) */
  includeSelf: boolean;
  /** sample every fastIntervalMs during the first fastPhaseMs (short-lived peaks) */
  fastIntervalMs?: number;
  fastPhaseMs?: number;
}

export interface ProcSamplerResult {
  /** max over samples of the summed RSS of the live tree, bytes */
  peakRssSumBytes: number;
  /** max over processes of their VmHWM (self excluded; the caller reads its own after a reset), bytes */
  peakHwmBytes: number;
  /** sum over tracked processes of their own utime+stime at their last reading, seconds (a lower bound) */
  sampledOwnCpuSeconds: number;
  /** CPU seconds (incl. their reaped children) of orphaned processes, which our cutime will never include */
  orphanCpuSeconds: number;
  orphanReadBytes: number;
  orphanWriteBytes: number;
  processes: TrackedProcess[];
  timeline: TimelinePoint[];
  samples: number;
}

/** (pid, starttime) as one number (pids < 2^22, starttime in ticks < 2^31 for 248 days of uptime at 100 Hz… and
 * exact up to 2^53 anyway): no string per process per sample for the GC. */
const keyOf = (pid: number, starttime: number): number => starttime * 4194304 + pid;
/**
 * In-process workflows may spawn children without ctx.exec: every SELF_SCAN_EVERY samples the main thread's children
 * are listed (child_process.spawn runs on the JS thread), every SELF_FULL_SCAN_EVERY samples those of all our threads
 * (worker threads). Listing all ~11 threads of a Node process every sample would be most of the sampler's cost.
 */
const SELF_SCAN_EVERY = 5;
const SELF_FULL_SCAN_EVERY = 25;
/**
 * VmHWM is a high-water mark: it keeps a process's peak until the process ends, so it need not be read at every
 * sample. After the fast phase it is read every HWM_EVERY samples (and at the end of the iteration); a peak is lost
 * only when a process dies less than HWM_EVERY intervals after its last reading, and even then the RSS sums of the
 * samples it was seen in still count.
 */
const HWM_EVERY = 4;
/**
 * A descendant that is orphaned before any sample saw it (`(cmd &)`, a double fork) is no longer reachable through
 * children files. It still belongs to the root's session (commands are spawned detached, i.e. as session leaders,
 * and only descendants can be forked into a session), so the new pids of /proc are checked for membership. A process
 * can only be orphaned when its parent exits, and that parent is then reaped by a tracked process (whose cminflt,
 * the minor faults of reaped children, grows) or by us, or it was tracked and vanished: the scan runs on those
 * samples only, plus every SESSION_SCAN_EVERY samples as a safety net and at the end. Processes that call setsid()
 * themselves (daemons) are found only while still attached.
 */
const SESSION_SCAN_EVERY = 40;

export class ProcTreeSampler {
  private readonly opts: Required<ProcSamplerOptions>;
  private readonly preexisting = new Set<number>();
  /** pid → starttime of the processes spawned by ctx.exec */
  private readonly roots = new Map<number, number>();
  /** session id → starttime of its leader (a root) */
  private readonly sessions = new Map<number, number>();
  /** pids of /proc already classified by the session scan (only new pids need a stat read) */
  private readonly scanned = new Set<number>();
  private readonly procs = new Map<number, TrackedProcess>();
  private readonly timeline: TimelinePoint[] = [];
  private readonly cores: number;
  private readonly page = pageSize();
  private readonly tck = clkTck();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private lastT = 0;
  private lastCpuTicks = 0;
  private peakRssSum = 0;
  private samples = 0;
  private selfCpuBase = 0;
  /** our cutime+cstime (ticks) at the last read; it only changes when a child is reaped */
  private selfChildTicks = 0;
  private cpuUsageBase: NodeJS.CpuUsage = { user: 0, system: 0 };
  /** smoothed wall time of one sample, ms: keeps the sampler within its CPU budget on large trees */
  private sampleCostMs = 0;
  private stopped = false;

  constructor(opts: ProcSamplerOptions, cores: number) {
    this.opts = { fastIntervalMs: 20, fastPhaseMs: 300, ...opts };
    this.cores = cores;
  }

  /** Remembers which children already exist (not part of the iteration) and takes the first sample. */
  start(): void {
    retainProcFds();
    for (const pid of selfChildren()) {
      const s = readStat(pid);
      if (s) this.preexisting.add(keyOf(s.pid, s.starttime));
    }
    const self = readStat('self');
    this.selfCpuBase = self ? self.cutime + self.cstime : 0;
    this.selfChildTicks = this.selfCpuBase;
    this.cpuUsageBase = process.cpuUsage();
    this.t0 = performance.now();
    this.lastT = this.t0;
    this.sample();
    this.schedule();
  }

  /** A process spawned by ctx.exec: part of the tree from now on, sampled at once. */
  addRoot(pid: number): void {
    const s = readStat(pid);
    if (!s) return;
    this.roots.set(pid, s.starttime);
    if (s.session === pid) this.sessions.set(pid, s.starttime);
  }

  /** New pids of /proc that belong to a root's session (see SESSION_SCAN_EVERY). */
  private scanSessions(queue: number[]): void {
    if (this.sessions.size === 0) return;
    const present = listPids();
    const now = new Set(present);
    for (const pid of this.scanned) if (!now.has(pid)) this.scanned.delete(pid);
    for (const pid of present) {
      if (this.scanned.has(pid)) continue;
      this.scanned.add(pid);
      const s = readStat(pid, false);
      if (!s) continue;
      const leaderStart = this.sessions.get(s.session);
      if (leaderStart !== undefined && s.starttime >= leaderStart) queue.push(pid);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const elapsed = performance.now() - this.t0;
    // Budget: after the fast phase, sampling may use at most ~1% of one core (a sample of a big tree can take
    // milliseconds; then the interval stretches rather than the sampler distorting what it measures).
    const delay =
      elapsed < this.opts.fastPhaseMs
        ? Math.min(this.opts.fastIntervalMs, this.opts.intervalMs)
        : Math.max(this.opts.intervalMs, Math.round(this.sampleCostMs * 100));
    this.timer = setTimeout(() => {
      this.sample();
      this.schedule();
    }, delay);
    // The sampler must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Takes one sample now (also called by the executor when the workload ends, before leftovers are killed). */
  sample(final = false): void {
    const started = performance.now();
    this.samples++;
    const fast = started - this.t0 < this.opts.fastPhaseMs;
    const readHwm = final || fast || this.samples % HWM_EVERY === 1;
    const seen = new Set<number>();
    const queue: number[] = [];
    let reaped = false;
    if (this.opts.includeSelf && this.samples % SELF_SCAN_EVERY === 1) {
      const all = this.samples % SELF_FULL_SCAN_EVERY === 1;
      for (const c of all ? selfChildren() : readThreadChildren('self', process.pid)) queue.push(c);
    }
    let rssSum = 0;
    let cpuTicks = 0;

    const visit = (s: ProcStat): void => {
      const key = keyOf(s.pid, s.starttime);
      if (seen.has(key) || this.preexisting.has(key)) return;
      seen.add(key);
      let p = this.procs.get(key);
      if (!p) {
        p = {
          pid: s.pid,
          starttime: s.starttime,
          ppid: s.ppid,
          utime: 0,
          stime: 0,
          cutime: 0,
          cstime: 0,
          // 0, not the current value: a process first seen after it reaped a child triggers a session scan
          cminflt: 0,
          rssBytes: 0,
          hwmBytes: 0,
          readBytes: 0,
          writeBytes: 0,
          orphaned: false,
          alive: true,
        };
        this.procs.set(key, p);
      }
      const zombie = s.state === 'Z' || s.state === 'X';
      p.ppid = s.ppid;
      p.utime = s.utime;
      p.stime = s.stime;
      p.cutime = s.cutime;
      p.cstime = s.cstime;
      if (s.cminflt !== p.cminflt) {
        p.cminflt = s.cminflt;
        reaped = true;
      }
      p.rssBytes = zombie ? 0 : s.rssPages * this.page;
      if (!zombie) {
        // A process seen for the first time is read at once: it may be short-lived.
        if (readHwm || p.hwmBytes === 0) {
          const hwm = readHwmBytes(s.pid);
          if (hwm !== null && hwm > p.hwmBytes) p.hwmBytes = hwm;
        }
        if (p.orphaned) this.readOrphanIo(p);
      }
      rssSum += p.rssBytes;
      cpuTicks += s.utime + s.stime + s.cutime + s.cstime;
      if (!zombie) for (const c of readChildren(s.pid, s.numThreads)) queue.push(c);
    };

    const walk = (): void => {
      while (queue.length > 0) {
        const pid = queue.pop() as number;
        const s = readStat(pid);
        if (s) visit(s);
      }
    };
    // Roots are checked by starttime: after a root's exit its pid may name an unrelated process.
    for (const [pid, starttime] of this.roots) {
      const s = readStat(pid);
      if (s && s.starttime === starttime) visit(s);
    }
    walk();

    // Processes seen before that the walk did not reach: dead, or alive but re-parented away from us.
    let vanished = false;
    for (const p of this.procs.values()) {
      if (!p.alive || seen.has(keyOf(p.pid, p.starttime))) continue;
      const s = readStat(p.pid);
      if (s && s.starttime === p.starttime && s.state !== 'Z' && s.state !== 'X') {
        visit(s);
        walk();
      } else {
        vanished = true;
        p.alive = false;
        p.rssBytes = 0;
      }
    }

    // Someone in the tree (or we) reaped a child, or a tracked process ended: its children may have been orphaned
    // before we ever saw them.
    if (final || reaped || vanished || this.samples % SESSION_SCAN_EVERY === 0) {
      this.scanSessions(queue);
      walk();
    }

    // Orphaned = its parent is neither us nor a live member of the tree (re-parented to init or a subreaper).
    // Only such top-level orphans are flagged: the CPU of their own children still flows into their cutime.
    const livePids = new Set<number>();
    for (const k of seen) {
      const p = this.procs.get(k);
      if (p) livePids.add(p.pid);
    }
    for (const k of seen) {
      const p = this.procs.get(k);
      if (p && !p.orphaned && p.ppid !== process.pid && !livePids.has(p.ppid)) {
        p.orphaned = true;
        this.readOrphanIo(p);
      }
    }

    // CPU consumed so far by the tree: live processes (own + reaped children), what the kernel already handed to us
    // (our cutime; our own CPU for in-process workflows), and the last readings of dead orphans.
    // Our cutime only changes when a child is reaped, i.e. when a tracked process vanished; in-process workflows
    // need our RSS every time anyway.
    if (vanished || this.opts.includeSelf || this.samples === 1) {
      const self = readStat('self');
      if (self) {
        this.selfChildTicks = self.cutime + self.cstime;
        if (this.opts.includeSelf) rssSum += self.rssPages * this.page;
      }
    }
    cpuTicks += this.selfChildTicks - this.selfCpuBase;
    if (this.opts.includeSelf) {
      const u = process.cpuUsage(this.cpuUsageBase);
      cpuTicks += ((u.user + u.system) / 1e6) * this.tck;
    }
    for (const p of this.procs.values())
      if (!p.alive && p.orphaned) cpuTicks += p.utime + p.stime + p.cutime + p.cstime;

    if (rssSum > this.peakRssSum) this.peakRssSum = rssSum;
    const now = performance.now();
    const dt = (now - this.lastT) / 1000;
    if (this.samples === 1) {
      this.timeline.push({ t: 0, cpu: 0, mem: round(rssSum / 1048576, 2) });
      this.lastCpuTicks = cpuTicks;
    } else if (dt > 0.002) {
      const dCpu = Math.max(0, cpuTicks - this.lastCpuTicks) / this.tck;
      this.timeline.push({
        t: round((now - this.t0) / 1000, 3),
        cpu: round(Math.min(100, (dCpu / (dt * this.cores)) * 100), 2),
        mem: round(rssSum / 1048576, 2),
      });
      this.lastT = now;
      this.lastCpuTicks = cpuTicks;
    }
    const cost = performance.now() - started;
    this.sampleCostMs = this.samples === 1 ? cost : this.sampleCostMs * 0.8 + cost * 0.2;
  }

  private readOrphanIo(p: TrackedProcess): void {
    const io = readIo(p.pid);
    if (io) {
      p.readBytes = io.read_bytes;
      p.writeBytes = io.write_bytes;
    }
  }

  /** Processes of the tree believed alive, for killing leftovers. */
  alive(): TrackedProcess[] {
    return [...this.procs.values()].filter((p) => p.alive);
  }

  /**
   * Leftovers about to be killed: their parents die with them and may never reap them, so their CPU and I/O are
   * taken from these last readings instead of our cutime.
   */
  markLeftoversOrphaned(): void {
    for (const p of this.procs.values()) {
      if (p.alive) {
        p.orphaned = true;
        this.readOrphanIo(p);
      }
    }
  }

  stop(): ProcSamplerResult {
    if (!this.stopped) releaseProcFds();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let peakHwm = 0;
    let own = 0;
    let orphanCpu = 0;
    let orphanRead = 0;
    let orphanWrite = 0;
    for (const p of this.procs.values()) {
      if (p.hwmBytes > peakHwm) peakHwm = p.hwmBytes;
      own += p.utime + p.stime;
      if (p.orphaned) {
        orphanCpu += p.utime + p.stime + p.cutime + p.cstime;
        orphanRead += p.readBytes;
        orphanWrite += p.writeBytes;
      }
    }
    return {
      peakRssSumBytes: this.peakRssSum,
      peakHwmBytes: peakHwm,
      sampledOwnCpuSeconds: own / this.tck,
      orphanCpuSeconds: orphanCpu / this.tck,
      orphanReadBytes: orphanRead,
      orphanWriteBytes: orphanWrite,
      processes: [...this.procs.values()],
      timeline: this.timeline,
      samples: this.samples,
    };
  }
}

/** Children of every thread of this process. */
function selfChildren(): number[] {
  const out: number[] = [];
  for (const tid of readTids('self')) for (const c of readThreadChildren('self', tid)) out.push(c);
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * TreeSampler of Linux: the /proc tree sampler plus the kernel accounting of this process (cutime/cstime of reaped
 * children, /proc/self/io, /proc/self/net/dev), read as baselines at start() and as totals at workloadEnded().
 */
export class ProcSampler implements TreeSampler {
  private readonly tree: ProcTreeSampler;
  private readonly tck = clkTck();
  private selfHwmReset = false;
  private stat0: ProcStat | null = null;
  private io0: ProcIo | null = null;
  private net0: NetBytes | null = null;
  private stat1: ProcStat | null = null;
  private io1: ProcIo | null = null;
  private net1: NetBytes | null = null;
  private selfHwm = 0;

  constructor(private readonly opts: SamplerOptions) {
    this.tree = new ProcTreeSampler({ intervalMs: opts.intervalMs, includeSelf: opts.includeSelf }, opts.cores);
  }

  start(): Promise<void> {
    this.selfHwmReset = this.opts.includeSelf ? resetSelfHwm() : false;
    this.tree.start();
    this.stat0 = readStat('self');
    this.io0 = readIo('self');
    this.net0 = readNetDev('self');
    return Promise.resolve();
  }

  addRoot(pid: number): void {
    this.tree.addRoot(pid);
  }

  alive(): KnownProcess[] {
    return this.tree.alive().map((p) => ({ pid: p.pid, starttime: p.starttime }));
  }

  workloadEnded(): Promise<KnownProcess[]> {
    this.stat1 = readStat('self');
    this.io1 = readIo('self');
    this.net1 = readNetDev('self');
    this.selfHwm = this.selfHwmReset ? (readHwmBytes('self') ?? 0) : 0;
    this.tree.sample(true);
    const alive = this.alive();
    // Leftovers about to be killed may never be reaped by their dying parents: take their CPU and I/O from their
    // last readings instead of our cutime.
    if (alive.length > 0) this.tree.markLeftoversOrphaned();
    return Promise.resolve(alive);
  }

  stop(ownCpu: number): Promise<TreeFigures> {
    const r = this.tree.stop();
    const { stat0, stat1, io0, io1, net0, net1 } = this;
    const isFn = this.opts.includeSelf;
    const reaped = stat1 && stat0 ? (stat1.cutime + stat1.cstime - stat0.cutime - stat0.cstime) / this.tck : 0;
    const figures: TreeFigures = {
      cpu_seconds: Math.max(reaped + ownCpu + r.orphanCpuSeconds, r.sampledOwnCpuSeconds + ownCpu),
      memory_bytes: Math.max(r.peakRssSumBytes, r.peakHwmBytes, this.selfHwm),
      disk_read_bytes: io0 && io1 ? Math.max(0, io1.read_bytes - io0.read_bytes) + r.orphanReadBytes : 0,
      disk_write_bytes: io0 && io1 ? Math.max(0, io1.write_bytes - io0.write_bytes) + r.orphanWriteBytes : 0,
      network_rx_bytes: net0 && net1 ? Math.max(0, net1.rx - net0.rx) : 0,
      network_tx_bytes: net0 && net1 ? Math.max(0, net1.tx - net0.tx) : 0,
      timeline: r.timeline,
      methods: {
        cpu: isFn ? 'process-cpuusage+proc-stat-reaped' : 'proc-stat-reaped',
        memory: isFn && !this.selfHwmReset ? 'rss-sum-sampled+proc-vmhwm-children' : 'proc-vmhwm+rss-sum-sampled',
        disk: io0 && io1 ? 'proc-io' : 'unavailable',
        network: net0 && net1 ? 'proc-net-dev' : 'unavailable',
        network_scope: net0 && net1 ? 'network-namespace' : 'unavailable',
      },
      measurement: {},
    };
    return Promise.resolve(figures);
  }
}
