/**
 * Linux sampler of the process tree of one iteration.
 *
 * The tree is every descendant of this process that did not exist when the iteration started (so a workflow's
 * children are found whether they were spawned through ctx.exec or directly), plus, for in-process workflows,
 * this process itself. Each sample walks /proc/<pid>/task/<tid>/children from here, reads stat (CPU, RSS),
 * status (VmHWM) and io of every process, and re-reads processes seen before that the walk no longer reaches
 * (their parent died and they were re-parented to init): such "orphans" keep being measured, and since their CPU
 * and I/O will never reach our cutime/io when they exit, their last readings are added to the kernel totals.
 *
 * Processes are keyed by (pid, starttime) so that a reused pid is never mistaken for a process seen before.
 * Limits: a process that lives and dies between two samples is missed by memory (its CPU and I/O are still counted
 * by kernel accounting when it is reaped); VmHWM can only be read while a process is alive, which is why the first
 * 0.5 s are sampled every 10 ms.
 */
import type { TimelinePoint } from '../types.js';
import {
  clkTck,
  pageSize,
  readChildren,
  readHwmBytes,
  readIo,
  readOwnThreadChildren,
  readStat,
  readThreadChildren,
  readTids,
  type ProcStat,
} from './procfs.js';

export interface TrackedProcess {
  pid: number;
  starttime: number;
  ppid: number;
  pgrp: number;
  /** last readings, clock ticks */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  rssBytes: number;
  /** highest VmHWM read while it was alive, bytes */
  hwmBytes: number;
  readBytes: number;
  writeBytes: number;
  /** reached only by re-reading it: its parent chain no longer leads to us, so the kernel will not give us its CPU */
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

const keyOf = (pid: number, starttime: number): string => `${pid}:${starttime}`;

export class ProcTreeSampler {
  private readonly opts: Required<ProcSamplerOptions>;
  private readonly preexisting = new Set<string>();
  private readonly procs = new Map<string, TrackedProcess>();
  private readonly timeline: TimelinePoint[] = [];
  private readonly cores: number;
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private lastT = 0;
  private lastCpuTicks = 0;
  private peakRssSum = 0;
  private samples = 0;
  private selfCpuBase = 0;
  private stopped = false;

  constructor(opts: ProcSamplerOptions, cores: number) {
    this.opts = { fastIntervalMs: 10, fastPhaseMs: 500, ...opts };
    this.cores = cores;
  }

  /** Remembers which children already exist (not part of the iteration) and takes the first sample. */
  start(): void {
    for (const pid of selfChildren(true)) {
      const s = readStat(pid);
      if (s) this.preexisting.add(keyOf(s.pid, s.starttime));
    }
    const self = readStat('self');
    this.selfCpuBase = self ? self.cutime + self.cstime + (this.opts.includeSelf ? self.utime + self.stime : 0) : 0;
    this.t0 = performance.now();
    this.lastT = this.t0;
    this.lastCpuTicks = 0;
    this.sample();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const elapsed = performance.now() - this.t0;
    const delay = elapsed < this.opts.fastPhaseMs ? Math.min(this.opts.fastIntervalMs, this.opts.intervalMs) : this.opts.intervalMs;
    this.timer = setTimeout(() => {
      this.sample();
      this.schedule();
    }, delay);
    // The sampler must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Takes one sample now. Also called by the executor right when the root exits and before killing leftovers. */
  sample(): void {
    this.samples++;
    const page = pageSize();
    // Every 10th sample (and the first) reads the children of all our threads; otherwise only of the thread
    // running this code, which is the one that spawns through child_process (reading ~10 threads every time would
    // double the sampler's cost).
    const full = this.samples % 10 === 1;
    const seen = new Set<string>();
    const queue: number[] = selfChildren(full);
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
          pgrp: s.pgrp,
          utime: 0,
          stime: 0,
          cutime: 0,
          cstime: 0,
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
      p.rssBytes = zombie ? 0 : s.rssPages * page;
      if (!zombie) {
        const hwm = readHwmBytes(s.pid);
        if (hwm !== null && hwm > p.hwmBytes) p.hwmBytes = hwm;
        const io = readIo(s.pid);
        if (io) {
          p.readBytes = io.read_bytes;
          p.writeBytes = io.write_bytes;
        }
      }
      rssSum += p.rssBytes;
      cpuTicks += s.utime + s.stime + s.cutime + s.cstime;
      for (const c of readChildren(s.pid)) queue.push(c);
    };

    const walk = (): void => {
      while (queue.length > 0) {
        const pid = queue.pop() as number;
        const s = readStat(pid);
        if (s) visit(s);
      }
    };
    walk();

    // Processes seen before that the walk did not reach: dead, or alive but re-parented away from us.
    for (const p of this.procs.values()) {
      if (!p.alive || seen.has(keyOf(p.pid, p.starttime))) continue;
      const s = readStat(p.pid);
      if (s && s.starttime === p.starttime && s.state !== 'Z' && s.state !== 'X') {
        visit(s);
        walk();
      } else {
        p.alive = false;
        p.rssBytes = 0;
      }
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
      if (p && p.ppid !== process.pid && !livePids.has(p.ppid)) p.orphaned = true;
    }

    // CPU consumed so far by the tree: live processes (own + reaped children), plus what the kernel already
    // handed to us (our cutime; our own CPU for in-process workflows), plus the last readings of dead orphans.
    const self = readStat('self');
    if (self) {
      cpuTicks += self.cutime + self.cstime - this.selfCpuBase;
      if (this.opts.includeSelf) {
        cpuTicks += self.utime + self.stime;
        rssSum += self.rssPages * page;
      }
    }
    for (const p of this.procs.values()) if (!p.alive && p.orphaned) cpuTicks += p.utime + p.stime + p.cutime + p.cstime;

    if (rssSum > this.peakRssSum) this.peakRssSum = rssSum;
    const now = performance.now();
    const dt = (now - this.lastT) / 1000;
    if (this.samples === 1 || dt > 0.002) {
      const dCpu = Math.max(0, cpuTicks - this.lastCpuTicks) / clkTck();
      this.timeline.push({
        t: round((now - this.t0) / 1000, 3),
        cpu: this.samples === 1 || dt <= 0 ? 0 : round(Math.min(100, (dCpu / (dt * this.cores)) * 100), 2),
        mem: round(rssSum / 1048576, 2),
      });
      this.lastT = now;
      this.lastCpuTicks = cpuTicks;
    }
  }

  /** Processes of the tree believed alive, for killing leftovers. */
  alive(): TrackedProcess[] {
    return [...this.procs.values()].filter((p) => p.alive);
  }

  stop(): ProcSamplerResult {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const tck = clkTck();
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
      sampledOwnCpuSeconds: own / tck,
      orphanCpuSeconds: orphanCpu / tck,
      orphanReadBytes: orphanRead,
      orphanWriteBytes: orphanWrite,
      processes: [...this.procs.values()],
      timeline: this.timeline,
      samples: this.samples,
    };
  }

  /** Marks every still-alive tracked process as orphaned (called for leftovers that are about to be killed). */
  markLeftoversOrphaned(): void {
    for (const p of this.procs.values()) if (p.alive) p.orphaned = true;
  }
}

/** Children of this process: of every thread, or only of the calling thread. */
function selfChildren(allThreads: boolean): number[] {
  if (!allThreads) return readOwnThreadChildren();
  const out: number[] = [];
  for (const tid of readTids('self')) for (const c of readThreadChildren('self', tid)) out.push(c);
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
