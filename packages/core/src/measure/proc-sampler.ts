/**
 * Linux sampler of the process tree of one iteration.
 *
 * Membership. The tree is every process spawned through ctx.exec (registered as roots) and their descendants; for
 * in-process workflows also this process and the children it starts. Descendants are found by walking
 * /proc/<pid>/task/<tid>/children of known processes at every sample (cheap: one read per process). Processes that
 * left the tree before any sample saw them — a double fork re-parented to init, a `setsid` daemon — are found by the
 * iteration's environment cookie (LANEBENCH_ITERATION_ID=…, inherited by every descendant unless it clears its
 * environment) or by the session id of a root: at every sample the ids the kernel handed out since the last one
 * are probed (their number from /proc/loadavg; one read when nothing new started), each id once. Where that count
 * is unavailable, a scan of the *new* pids of /proc runs instead when a process of the tree reaped a child or
 * vanished, every COOKIE_SCAN_EVERY samples, and at the end.
 *
 * Readings per process and sample: stat (CPU, RSS, faults, state) and children. VmHWM (status) is read when the
 * process faulted since its last reading (resident memory cannot grow otherwise) and it is young (YOUNG_MS:
 * short-lived processes are where peaks are lost), its RSS grew, or every HWM_EVERY samples. PSS (smaps_rollup,
 * dear) only while the tree has more than one live process: on first sight, when a process's RSS moved, and for
 * every sharer when any process of the tree appeared, exec'd or ended (see pssOf() and lineageChanged()). A resting process (unchanged for STEADY_AFTER readings) is looked at every REST_EVERY
 * samples, and then only through its run time (schedstat) when it has one thread: if it did not run, nothing of it
 * changed.
 * The interval does not stretch when processes appear (discovery is incremental); it stretches only if one sample
 * costs more than a fifth of the interval (a huge tree), so the sampler never takes more than ~20 % of one core,
 * and doubles while the tree is quiet (QUIET_STRETCH: nothing created, reaped, ended or changed).
 *
 * Processes are keyed by (pid, starttime) so that a reused pid is never mistaken for a process seen before.
 * Limits: a process that lives and dies between two samples is missed by memory (its CPU and I/O are still counted
 * by kernel accounting when it is reaped); such misses are detected (a reaped child no sample saw) and flagged as
 * memory below resolution.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { TimelinePoint } from '../types.js';
import type { KnownProcess } from './kill.js';
import type { SamplerOptions, TreeFigures, TreeSampler } from './sampler.js';
import { BlockedWatch, chargeWithoutPss } from './blocked-watch.js';
import {
  clkTck,
  environHas,
  lastPid,
  listPids,
  pidMax,
  pageSize,
  readChildren,
  readHwmBytes,
  readIo,
  readNetDev,
  readPssBytes,
  readRunNs,
  readProcFile,
  readStat,
  readThreadChildren,
  readTids,
  releaseProcFds,
  resetSelfHwm,
  retainProcFds,
  type NetBytes,
  type ProcIo,
  type ProcStat,
} from './procfs.js';
import { machineContention, readMachineCpu, type MachineCpuTicks } from './machine-cpu.js';

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
  /** last PSS reading and the RSS at that moment (-1: never read) */
  pssBytes: number;
  rssAtPss: number;
  pssSample: number;
  /** performance.now() when first seen */
  firstSeen: number;
  /** last /proc/<pid>/io readings (read once the process is orphaned) */
  readBytes: number;
  writeBytes: number;
  cancelledBytes: number;
  /** its parent is neither us nor a live member of the tree, so the kernel will not give us its CPU and I/O */
  orphaned: boolean;
  /** consecutive readings without any change (see REST_EVERY) */
  steady: number;
  /** performance.now() when its VmHWM was last known while alive (read, or its page faults unchanged since) */
  lastHwmRead: number;
  /** number of threads at the last reading; run time (ns) of its only thread at its last resting turn (-1: none) */
  threads: number;
  runNs: number;
  /** minflt + majflt at the last VmHWM reading (-1: never read) */
  faultsAtHwm: number;
  /** its address space's start of stack (procfs.ts ProcStat.startstack): equal within a fork lineage until exec */
  lineage: number;
  /** it left the tree while alive (re-parented away from it, or in a session of its own found by the cookie) */
  escaped: boolean;
  alive: boolean;
}

export interface ProcSamplerOptions {
  intervalMs: number;
  /** count this process itself (in-process workflows) */
  includeSelf: boolean;
  /** `NAME=value` in the environment of every process of the iteration ('' = none) */
  cookie?: string;
  /** sample every fastIntervalMs during the first fastPhaseMs (short-lived peaks) */
  fastIntervalMs?: number;
  fastPhaseMs?: number;
  /** called at every sample (the blocked-thread watcher's heartbeat, blocked-watch.ts) */
  onSample?: () => void;
}

export interface ProcSamplerResult {
  /** max over samples of the summed PSS (RSS where PSS is unknown) of the live tree, bytes */
  peakPssSumBytes: number;
  /** max over processes of their VmHWM (self excluded), bytes */
  peakHwmBytes: number;
  /** max over samples of our own RSS above its level at start (in-process workflows) */
  peakSelfGrowthBytes: number;
  /** sum over tracked processes of their own utime+stime at their last reading, seconds (a lower bound) */
  sampledOwnCpuSeconds: number;
  /** CPU seconds (incl. their reaped children) of orphaned processes, which our cutime will never include */
  orphanCpuSeconds: number;
  orphanReadBytes: number;
  orphanWriteBytes: number;
  orphanCancelledBytes: number;
  /** a process of the tree lived and died between two samples (seen only through a reap) or was never read */
  memoryUnresolved: boolean;
  /** PSS was read at least once (else the sum is of RSS) */
  pssUsed: boolean;
  processes: TrackedProcess[];
  timeline: TimelinePoint[];
  samples: number;
}

/** (pid, starttime) as one number (pids < 2^22; exact up to 2^53): no string per process per sample for the GC. */
const keyOf = (pid: number, starttime: number): number => starttime * 4194304 + pid;
/**
 * In-process workflows may spawn children without ctx.exec: every SELF_SCAN_EVERY samples the main thread's children
 * are listed (child_process.spawn runs on the JS thread), every SELF_FULL_SCAN_EVERY samples those of all our threads
 * (worker threads). The cookie scan finds the rest.
 */
const SELF_SCAN_EVERY = 2;
const SELF_FULL_SCAN_EVERY = 25;
/** VmHWM of processes older than YOUNG_MS whose RSS did not grow: every HWM_EVERY samples (it is a high-water mark). */
const HWM_EVERY = 4;
const YOUNG_MS = 2000;
/** Safety net of the cookie/session scan (readdir of /proc costs ~0.1–0.6 ms). */
const COOKIE_SCAN_EVERY = 20;
const SCAN_BUDGET = 8;
/** More ids handed out since the last probe than this: list /proc rather than probe each id. */
const PROBE_MAX = 64;
/** When /proc is listed instead of probing: how many of the newest ids are read again at the next sample. */
const IN_FLIGHT_IDS = 8;
/** PSS is re-read when RSS moved by more than this share (or 2 MiB), and at least every PSS_REFRESH_EVERY samples. */
const PSS_RSS_CHANGE = 0.05;
const PSS_REFRESH_EVERY = 20;
/** A process unchanged for STEADY_AFTER readings is read every REST_EVERY samples (see sample()). */
const STEADY_AFTER = 4;
const REST_EVERY = 8;
/**
 * A quiet tree (every live process resting, no id handed out by the kernel since the last sample, nothing reaped or
 * ended) is sampled every QUIET_STRETCH intervals. On this kind of VM a bare timer wake-up costs ~0.15 ms of CPU,
 * so 20 wake-ups a second of a tree that only sleeps were a third of the sampler's budget. Nothing is lost that a
 * sample would catch: a new process ends the quiet at the next sample (its id is in /proc/loadavg), and a resting
 * process that starts to allocate is caught by its VmHWM (a high-water mark) when it is next read.
 */
const QUIET_STRETCH = 2;

export class ProcTreeSampler {
  private readonly opts: Required<ProcSamplerOptions>;
  private readonly preexisting = new Set<number>();
  /** pid → starttime of the processes spawned by ctx.exec */
  private readonly roots = new Map<number, number>();
  /** session id → starttime of its leader (a root) */
  private readonly sessions = new Map<number, number>();
  /** pids of /proc already classified by the scan (only new pids are read; used when ids cannot be probed) */
  private readonly scanned = new Set<number>();
  /** next process id to probe (the scan of ids handed out since the iteration started; -1: list /proc instead) */
  private nextId = -1;
  /**
   * Ids the last probe could not read: a fork's id is handed out (and shown by /proc/loadavg) a moment before the
   * process appears in /proc, so a probe in between sees nothing. Read once more at the next sample; without that
   * such a process was never seen (a setsid child forked just before the last sweep outlived its iteration).
   */
  private unsure: number[] = [];
  /** the last probe found ids handed out since the one before (a process or thread was created meanwhile) */
  private idsHandedOut = true;
  /** the last sample found the tree quiet (see QUIET_STRETCH) */
  private quiet = false;
  private idMax = 0;
  private readonly procs = new Map<number, TrackedProcess>();
  private readonly timeline: TimelinePoint[] = [];
  private readonly cores: number;
  private readonly page = pageSize();
  private readonly tck = clkTck();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  /** our starttime in ticks: nothing that started before the iteration's first sample can be part of it */
  private startTicks = 0;
  /** clock ticks after boot when the iteration started (0: unknown) */
  private nowTicks = 0;
  private lastT = 0;
  private lastCpuTicks = 0;
  private peakPssSum = 0;
  private peakSelfGrowth = 0;
  private selfRssBase = 0;
  private samples = 0;
  private selfCpuBase = 0;
  /** our cutime+cstime (ticks) at the last read; it only changes when a child is reaped */
  private selfChildTicks = 0;
  private selfCminflt = 0;
  private cpuUsageBase: NodeJS.CpuUsage = { user: 0, system: 0 };
  private sampleCostMs = 0;
  private unresolved = false;
  /** samples at which we had reaped a child no sample saw (spawnSync: another sampler may have seen it) */
  private unseenSelfReaps = 0;
  private scanWanted = false;
  /** pids of the last listing of /proc not examined yet (SCAN_BUDGET) */
  private backlog: number[] = [];
  /** a process first seen had reaped children before: whoever they orphaned must be looked for in a new listing */
  private freshScanWanted = false;
  /**
   * Address-space lineages (startstack) in which a process appeared, exec'd or ended since the last sum: only their
   * members can share copy-on-write pages with it, so only their PSS moved. `allLineages`: one was unknown.
   */
  private readonly changedLineages = new Set<number>();
  private allLineages = false;
  private pssUsed = false;
  private stopped = false;
  /** pids of the resting processes a sample skips (reused across samples: no allocation per sample) */
  private readonly resting = new Set<number>();
  private readonly scratch = {
    seen: new Set<number>(),
    queue: [] as number[],
    reapers: new Set<number>(),
    vanishedParents: new Set<number>(),
    livePids: new Set<number>(),
  };

  constructor(opts: ProcSamplerOptions, cores: number) {
    this.opts = { fastIntervalMs: 20, fastPhaseMs: 300, cookie: '', onSample: () => undefined, ...opts };
    this.cores = cores;
  }

  /** Remembers which processes already exist (not part of the iteration) and takes the first sample. */
  start(): void {
    retainProcFds();
    // Our children before the iteration are not part of it; only in-process workflows walk our children (a
    // command's tree is walked from its roots), so only they need to know them.
    if (this.opts.includeSelf) {
      for (const pid of selfChildren()) {
        const s = readStat(pid);
        if (s) this.preexisting.add(keyOf(s.pid, s.starttime));
      }
    }
    // Everything created from now on has an id handed out after this one: the scan probes those ids only, and no
    // listing of /proc is needed. Without that reading, every pid present now is remembered instead (it started
    // before the iteration: the scan never needs to read it).
    const last = lastPid();
    const max = pidMax();
    if (last !== null && max !== null && last < max) {
      this.idMax = max;
      this.nextId = this.idAfter(last);
    } else for (const pid of listPids()) this.scanned.add(pid);
    const self = readStat('self');
    this.selfCpuBase = self ? self.cutime + self.cstime : 0;
    this.selfChildTicks = this.selfCpuBase;
    this.selfCminflt = self ? self.cminflt : 0;
    this.selfRssBase = self ? self.rssPages * this.page : 0;
    // Nothing that started before this iteration can belong to it: new pids of other users of the machine are
    // then dismissed by one stat read, without reading their environment.
    const up = uptimeTicks(this.tck);
    this.nowTicks = up ?? 0;
    this.startTicks =
      up !== null && up > this.tck ? Math.max(self ? self.starttime : 0, up - this.tck) : (self?.starttime ?? 0);
    this.cpuUsageBase = process.cpuUsage();
    this.t0 = performance.now();
    this.lastT = this.t0;
    this.sample();
    this.schedule();
  }

  /** A process spawned by ctx.exec: part of the tree from now on; its VmHWM is read at once (it may be `true`). */
  addRoot(pid: number): void {
    const s = readStat(pid);
    if (!s) {
      this.unresolved = true; // it already ended: we will never see its memory
      return;
    }
    this.roots.set(pid, s.starttime);
    if (s.session === pid) this.sessions.set(pid, s.starttime);
    this.visitNew(s);
  }

  private visitNew(s: ProcStat): void {
    const key = keyOf(s.pid, s.starttime);
    if (this.procs.has(key)) return;
    const p = this.track(s, performance.now());
    this.update(p, s, true);
  }

  /**
   * New pids of /proc carrying the cookie or belonging to a root's session. `fresh`: list /proc again; otherwise
   * only the backlog of the last listing is worked off (on a busy machine more new pids appear than one sample's
   * budget: listing /proc at every sample for them cost more than all other readings of a resting tree).
   */
  private scan(queue: number[], final: boolean, fresh = true): void {
    if (this.sessions.size === 0 && !this.opts.cookie) return;
    let present: number[];
    if (fresh || final) {
      present = listPids();
      const now = new Set(present);
      for (const pid of this.scanned) if (!now.has(pid)) this.scanned.delete(pid);
    } else present = this.backlog;
    this.backlog = [];
    const tracked = new Set<number>();
    for (const p of this.procs.values()) if (p.alive) tracked.add(p.pid);
    // On a busy machine hundreds of unrelated processes start per second; reading each blocks our event loop
    // (and so delays the 'exit' we time). At most SCAN_BUDGET new pids per sample; the rest wait for the next one.
    let budget = final ? Infinity : SCAN_BUDGET;
    for (const pid of present) {
      if (this.scanned.has(pid)) continue;
      if (tracked.has(pid)) {
        this.scanned.add(pid);
        continue;
      }
      if (budget-- <= 0) {
        this.scanWanted = true;
        for (let i = present.indexOf(pid); i < present.length; i++) this.backlog.push(present[i] as number);
        break;
      }
      this.scanned.add(pid);
      this.examine(pid, tracked, queue);
    }
  }

  /** The id the kernel hands out after `id` (they wrap at pid_max; the lowest ids are reserved but probing is harmless). */
  private idAfter(id: number): number {
    return id + 1 >= this.idMax ? 1 : id + 1;
  }

  /**
   * The scan by ids: every id handed out since the last probe (processes and threads; a thread is dismissed by its
   * stat). One read of /proc/loadavg when nothing was created, so it runs at every sample. When more ids were handed
   * out than PROBE_MAX (a busy machine), /proc is listed instead and only its pids among those ids are read.
   */
  private probe(queue: number[]): void {
    // nothing to look for: new processes are then not known to be absent (no quiet stretch)
    this.idsHandedOut = true;
    if (this.sessions.size === 0 && !this.opts.cookie) return;
    const retry = this.unsure;
    this.unsure = [];
    const tracked = new Set<number>();
    if (retry.length > 0) {
      for (const p of this.procs.values()) if (p.alive) tracked.add(p.pid);
      for (const pid of retry) this.examine(pid, tracked, queue, false);
    }
    const last = lastPid();
    if (last === null || last >= this.idMax) return;
    const end = this.idAfter(last);
    let id = this.nextId;
    if (id === end) {
      this.idsHandedOut = false;
      return;
    }
    this.nextId = end;
    this.idsHandedOut = true;
    if (retry.length === 0) for (const p of this.procs.values()) if (p.alive) tracked.add(p.pid);
    const span = end > id ? end - id : this.idMax - id + end;
    if (span > PROBE_MAX) {
      // ids in [id, end) modulo the wrap
      const listed = new Set<number>();
      for (const pid of listPids())
        if (end > id ? pid >= id && pid < end : pid >= id || pid < end) {
          listed.add(pid);
          this.examine(pid, tracked, queue);
        }
      // a fork in flight has one of the newest ids and is not listed yet: those are read again next time
      for (let k = 0, newest = last; k < IN_FLIGHT_IDS; k++, newest = newest > 1 ? newest - 1 : this.idMax - 1)
        if (!listed.has(newest)) this.unsure.push(newest);
      return;
    }
    for (; id !== end; id = this.idAfter(id)) this.examine(id, tracked, queue, true);
  }

  /** Whether the last probe left ids to read again (see `unsure`). */
  hasUnsureIds(): boolean {
    return this.unsure.length > 0;
  }

  /**
   * One new id: tracked when it is a process of the tree (cookie, or a root's session). `retryUnread`: an id with
   * nothing in /proc yet is kept for the next probe.
   */
  private examine(pid: number, tracked: Set<number>, queue: number[], retryUnread = false): void {
    if (tracked.has(pid) || pid === process.pid) return;
    const s = readStat(pid, false);
    if (!s && retryUnread) this.unsure.push(pid);
    // exit_signal -1: a thread of some process, not a process
    if (!s || s.exitSignal === -1 || s.starttime < this.startTicks) return;
    if (this.procs.has(keyOf(s.pid, s.starttime))) return;
    const leaderStart = this.sessions.get(s.session);
    const inSession = leaderStart !== undefined && s.starttime >= leaderStart;
    if (inSession || (this.opts.cookie !== '' && environHas(pid, this.opts.cookie))) {
      const p = this.track(s, performance.now());
      // Only the cookie reached it and it is in a session of its own: it left the tree (setsid). Re-parented
      // members of a root's session are flagged when the orphan check sees them.
      if (!inSession && !this.aliveChildOfTree(s.ppid)) p.escaped = true;
      queue.push(pid);
    }
  }

  /** True when pid is a live process of the tree (its children are descendants, not escapees). */
  private aliveChildOfTree(pid: number): boolean {
    if (pid === process.pid) return true;
    for (const p of this.procs.values()) if (p.alive && p.pid === pid) return true;
    return false;
  }

  private schedule(): void {
    if (this.stopped) return;
    const elapsed = performance.now() - this.t0;
    const base =
      elapsed < this.opts.fastPhaseMs
        ? Math.min(this.opts.fastIntervalMs, this.opts.intervalMs)
        : this.opts.intervalMs * (this.quiet ? QUIET_STRETCH : 1);
    // Only a tree so large that one sample costs more than a fifth of the interval stretches it.
    const delay = Math.max(base, Math.round(this.sampleCostMs * 5));
    this.timer = setTimeout(() => {
      this.sample();
      this.schedule();
    }, delay);
    // The sampler must never keep the process alive on its own.
    this.timer.unref();
  }

  private track(s: ProcStat, now: number): TrackedProcess {
    const key = keyOf(s.pid, s.starttime);
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
        // 0, not the current value: a process first seen after it reaped a child triggers a scan
        cminflt: 0,
        rssBytes: 0,
        hwmBytes: 0,
        pssBytes: -1,
        rssAtPss: 0,
        pssSample: 0,
        firstSeen: now,
        readBytes: 0,
        writeBytes: 0,
        cancelledBytes: 0,
        orphaned: false,
        escaped: false,
        steady: 0,
        lastHwmRead: 0,
        faultsAtHwm: -1,
        threads: s.numThreads,
        runNs: -1,
        lineage: s.startstack,
        alive: true,
      };
      this.procs.set(key, p);
      this.lineageChanged(s.startstack);
    }
    return p;
  }

  /** Applies a stat reading; returns true when the process reaped a child since its last reading. */
  private update(p: TrackedProcess, s: ProcStat, readHwm: boolean): boolean {
    const zombie = s.state === 'Z' || s.state === 'X';
    let reaped = false;
    const ticks = s.utime + s.stime + s.cutime + s.cstime;
    const unchanged =
      ticks === p.utime + p.stime + p.cutime + p.cstime &&
      s.cminflt === p.cminflt &&
      s.rssPages * this.page === p.rssBytes;
    p.steady = unchanged && !zombie ? p.steady + 1 : 0;
    p.ppid = s.ppid;
    p.threads = s.numThreads;
    p.utime = s.utime;
    p.stime = s.stime;
    p.cutime = s.cutime;
    p.cstime = s.cstime;
    if (s.cminflt !== p.cminflt) {
      // on first sight it only says the process reaped someone before we saw it: a scan, not a missed process
      reaped = p.cminflt !== 0 || p.hwmBytes !== 0;
      p.cminflt = s.cminflt;
      if (!reaped) this.freshScanWanted = true;
    }
    const rss = zombie ? 0 : s.rssPages * this.page;
    const grew = rss > p.rssBytes;
    // It freed its memory (exit) or exec'd (a new address space): the PSS of its former sharers moved.
    if ((zombie && p.rssBytes > 0) || (!zombie && s.startstack !== p.lineage)) {
      this.lineageChanged(p.lineage);
      if (!zombie) {
        p.lineage = s.startstack;
        this.lineageChanged(p.lineage);
      }
    }
    p.rssBytes = rss;
    if (!zombie) {
      // Resident memory grows only through the process's own page faults, so while minflt + majflt stand still its
      // VmHWM cannot have risen: it is known as of now without reading status.
      const faults = s.minflt + s.majflt;
      const now = performance.now();
      if (faults === p.faultsAtHwm && p.hwmBytes > 0) p.lastHwmRead = now;
      else if (readHwm || grew || p.hwmBytes === 0 || (p.steady === 0 && now - p.firstSeen < YOUNG_MS)) {
        const hwm = readHwmBytes(s.pid);
        if (hwm !== null) {
          p.lastHwmRead = now;
          p.faultsAtHwm = faults;
          if (hwm > p.hwmBytes) p.hwmBytes = hwm;
        }
      }
      if (p.orphaned) this.readOrphanIo(p);
    }
    return reaped;
  }

  /** True when p's only thread has not run since the last call (its run time, read before any stat of this turn). */
  private didNotRun(p: TrackedProcess): boolean {
    const ns = readRunNs(p.pid);
    if (ns >= 0 && ns === p.runNs) return true;
    p.runNs = ns;
    return false;
  }

  private lineageChanged(lineage: number): void {
    // Any fork, exec or exit re-reads the PSS of every sharer, as before the lineages: telling lineages apart by
    // startstack missed sharers now and then (the copy-on-write probe overcounted by ~60 MB about 1 run in 12).
    // The per-lineage set is kept so that a sounder lineage test can be put back here.
    this.allLineages = true;
    if (lineage > 1) this.changedLineages.add(lineage);
  }

  /** PSS of p for the tree sum, read only when it can differ from what we know (see the file comment). */
  private pssOf(p: TrackedProcess, shared: boolean): number {
    if (p.rssBytes === 0) return 0;
    if (!shared) return p.rssBytes; // a lone process: nothing of the tree shares its pages, RSS is its charge
    const moved = Math.abs(p.rssBytes - p.rssAtPss) > Math.max(2 * 1048576, p.rssAtPss * PSS_RSS_CHANGE);
    // A fork or an exit changes every sharer's PSS without changing its RSS: a cached value would then overcount.
    const stale = p.steady < STEADY_AFTER && this.samples - p.pssSample >= PSS_REFRESH_EVERY;
    // A fork, exec or exit in its lineage changes its PSS without changing its RSS: a cached value would then
    // overcount. (Pages shared across lineages — libraries, shared memory files — move it too, by a share that a
    // fresh reading at the next change or refresh corrects.)
    const sharers = this.allLineages || p.lineage <= 1 || this.changedLineages.has(p.lineage);
    if (p.pssBytes < 0 || moved || sharers || stale) {
      const pss = readPssBytes(p.pid);
      if (pss === null) {
        // Exited between the listing and this read: its pages are freed, and counting its RSS (the shared pages
        // in full) would overcount a copy-on-write tree by a whole copy. Otherwise (not readable): the last
        // PSS, else RSS.
        const now = readStat(p.pid, false);
        return chargeWithoutPss(now && now.starttime === p.starttime ? now.state : null, p.pssBytes, p.rssBytes);
      }
      this.pssUsed = true;
      p.pssBytes = pss;
      p.rssAtPss = p.rssBytes;
      p.pssSample = this.samples;
    }
    return p.pssBytes;
  }

  /** Takes one sample now (also called when the workload ends, before leftovers are killed). */
  sample(final = false): void {
    const started = performance.now();
    this.samples++;
    const fast = started - this.t0 < this.opts.fastPhaseMs;
    const readHwm = final || fast || this.samples % HWM_EVERY === 1;
    // Scratch collections reused from sample to sample (fewer allocations: less work for the GC's helper threads).
    const { seen, queue, reapers } = this.scratch;
    seen.clear();
    queue.length = 0;
    reapers.clear();
    if (this.opts.includeSelf && this.samples % SELF_SCAN_EVERY === 1) {
      const all = this.samples % SELF_FULL_SCAN_EVERY === 1;
      if (all) for (const c of selfChildren()) queue.push(c);
      else readThreadChildren('self', process.pid, queue);
    }

    const visit = (s: ProcStat): void => {
      const key = keyOf(s.pid, s.starttime);
      if (seen.has(key) || this.preexisting.has(key)) return;
      seen.add(key);
      const p = this.track(s, started);
      if (this.update(p, s, readHwm)) reapers.add(p.pid);
      if (s.state !== 'Z' && s.state !== 'X') readChildren(s.pid, s.numThreads, queue);
    };
    const walk = (): void => {
      while (queue.length > 0) {
        const pid = queue.pop() as number;
        // a resting process whose turn this is not: its stat would only be parsed to be skipped
        if (resting.has(pid)) continue;
        const s = readStat(pid);
        if (s) visit(s);
      }
    };
    // Resting processes (unchanged for STEADY_AFTER readings, CPU ticks included — a sleeping daemon, a parent
    // waiting for its children; a process cannot touch memory without using CPU) are read every REST_EVERY samples only, staggered by pid; their last readings
    // stand in between. A change (CPU, RSS, a reap) makes a process busy again at its next reading, and a child it
    // starts meanwhile is found then or by the scan. This keeps a tree of many idle processes cheap to watch.
    const resting = this.resting;
    resting.clear();
    if (!final) {
      for (const p of this.procs.values()) {
        if (!p.alive || p.steady < STEADY_AFTER) continue;
        // At its turn a single-threaded process that has not run since its last turn (schedstat) is unchanged:
        // its readings stand, and its VmHWM is known as of now.
        const turn = (this.samples + p.pid) % REST_EVERY === 0;
        if (turn && !(p.threads === 1 && this.didNotRun(p))) continue;
        if (turn) p.lastHwmRead = started;
        seen.add(keyOf(p.pid, p.starttime));
        resting.add(p.pid);
      }
    }
    // Roots are checked by starttime: after a root's exit its pid may name an unrelated process. A root seen
    // gone is not read again (a failed open costs more than a read).
    for (const [pid, starttime] of this.roots) {
      if (resting.has(pid)) continue;
      const s = readStat(pid);
      if (s && s.starttime === starttime) visit(s);
      else if (!this.procs.get(keyOf(pid, starttime))?.alive) this.roots.delete(pid);
    }
    walk();

    // Processes seen before that the walk did not reach: dead, or alive but re-parented away from us.
    const vanishedParents = this.scratch.vanishedParents;
    vanishedParents.clear();
    let vanished = false;
    const settle = (): void => {
      for (;;) {
        // A fork, exec or exit in a lineage moves the PSS of all its members, so its resting members are read now
        // too: one that ended meanwhile would otherwise still count with its last PSS while its sharers, read
        // afresh, already count its pages.
        if (this.allLineages || this.changedLineages.size > 0) {
          for (const p of this.procs.values()) {
            if (!p.alive || !resting.has(p.pid)) continue;
            if (this.allLineages || p.lineage <= 1 || this.changedLineages.has(p.lineage)) {
              resting.delete(p.pid);
              seen.delete(keyOf(p.pid, p.starttime));
            }
          }
        }
        let more = false;
        for (const p of this.procs.values()) {
          if (!p.alive || seen.has(keyOf(p.pid, p.starttime))) continue;
          more = true;
          const s = readStat(p.pid);
          if (s && s.starttime === p.starttime && s.state !== 'Z' && s.state !== 'X') {
            visit(s);
            walk();
          } else {
            vanished = true;
            p.alive = false;
            if (p.rssBytes > 0) this.lineageChanged(p.lineage);
            p.rssBytes = 0;
            vanishedParents.add(p.ppid);
          }
        }
        if (!more) return;
      }
    };
    settle();

    // Our own reaps: cutime and cminflt change only when we reap a child.
    const self = readStat('self');
    let selfReaped = false;
    if (self) {
      selfReaped = self.cminflt !== this.selfCminflt;
      this.selfCminflt = self.cminflt;
      this.selfChildTicks = self.cutime + self.cstime;
    }
    if (selfReaped) reapers.add(process.pid);

    // A reap of a child no sample ever saw: a process of the tree lived between two samples, memory unresolved.
    for (const r of reapers) {
      if (vanishedParents.has(r)) continue;
      if (r === process.pid) this.unseenSelfReaps++;
      else this.unresolved = true;
    }

    // Someone in the tree (or we) reaped a child, or a tracked process ended: its children may have been orphaned
    // before we ever saw them; setsid daemons are found by the cookie.
    const fresh =
      final || reapers.size > 0 || vanished || this.freshScanWanted || this.samples % COOKIE_SCAN_EVERY === 0;
    if (this.nextId >= 0) {
      this.probe(queue);
      walk();
      settle();
    } else if (fresh || this.scanWanted) {
      this.scanWanted = false;
      this.freshScanWanted = false;
      this.scan(queue, final, fresh);
      walk();
    }

    // Orphaned = its parent is neither us nor a live member of the tree (re-parented to init or a subreaper).
    // Only such top-level orphans are flagged: the CPU of their own children still flows into their cutime.
    const livePids = this.scratch.livePids;
    livePids.clear();
    for (const k of seen) {
      const p = this.procs.get(k);
      if (p) livePids.add(p.pid);
    }
    let rssSum = 0;
    let live = 0;
    let cpuTicks = 0;
    // Quiet (QUIET_STRETCH): only the probe tells that no process was created, so no stretch without it.
    let quiet =
      !final &&
      !fast &&
      !this.opts.includeSelf &&
      this.nextId >= 0 &&
      !this.idsHandedOut &&
      this.unsure.length === 0 &&
      reapers.size === 0 &&
      !vanished;
    for (const k of seen) {
      const p = this.procs.get(k);
      if (!p) continue;
      if (p.steady < STEADY_AFTER) quiet = false;
      if (!p.orphaned && p.ppid !== process.pid && !livePids.has(p.ppid)) {
        p.orphaned = true;
        // alive and re-parented away from the tree (to init or a subreaper): it escaped, and is still measured
        if (p.rssBytes > 0) p.escaped = true;
        this.readOrphanIo(p);
      }
      if (p.rssBytes > 0) live++;
      cpuTicks += p.utime + p.stime + p.cutime + p.cstime;
    }
    const shared = live + (this.opts.includeSelf ? 1 : 0) > 1;
    for (const k of seen) {
      const p = this.procs.get(k);
      if (p) rssSum += this.pssOf(p, shared);
    }
    this.quiet = quiet && live > 0;
    this.changedLineages.clear();
    this.allLineages = false;
    if (this.opts.includeSelf && self) {
      // Our own growth since the iteration started: the runner's resident size is not the function's memory.
      const growth = Math.max(0, self.rssPages * this.page - this.selfRssBase);
      if (growth > this.peakSelfGrowth) this.peakSelfGrowth = growth;
      rssSum += growth;
    }

    // CPU consumed so far by the tree: live processes (own + reaped children), what the kernel already handed to us
    // (our cutime; our own CPU for in-process workflows), and the last readings of dead orphans.
    cpuTicks += this.selfChildTicks - this.selfCpuBase;
    if (this.opts.includeSelf) {
      const u = process.cpuUsage(this.cpuUsageBase);
      cpuTicks += ((u.user + u.system) / 1e6) * this.tck;
    }
    for (const p of this.procs.values())
      if (!p.alive && p.orphaned) cpuTicks += p.utime + p.stime + p.cutime + p.cstime;

    if (rssSum > this.peakPssSum) this.peakPssSum = rssSum;
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
    this.opts.onSample();
    const cost = performance.now() - started;
    this.sampleCostMs = this.samples === 1 ? cost : this.sampleCostMs * 0.8 + cost * 0.2;
  }

  private readOrphanIo(p: TrackedProcess): void {
    const io = readIo(p.pid);
    if (io) {
      p.readBytes = io.read_bytes;
      p.writeBytes = io.write_bytes;
      p.cancelledBytes = io.cancelled_write_bytes;
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

  /** What the blocked-thread watcher needs to know: our RSS at the start and the children that are not ours. */
  watchBaseline(): { selfRssBaseBytes: number; preexisting: string[]; startTicks: number } {
    return {
      selfRssBaseBytes: this.selfRssBase,
      // one tick of margin: /proc/uptime and starttime round differently
      startTicks: Math.max(0, this.nowTicks - 1),
      preexisting: [...this.preexisting].map((k) => `${k % 4194304}:${Math.floor(k / 4194304)}`),
    };
  }

  /** "pid:starttime" of every process this sampler tracked. */
  knownKeys(): string[] {
    return [...this.procs.values()].map((p) => `${p.pid}:${p.starttime}`);
  }

  /** `otherSeen`: children of ours that another sampler (the blocked-thread watcher) saw and this one did not. */
  stop(otherSeen = 0): ProcSamplerResult {
    if (!this.stopped) releaseProcFds();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let peakHwm = 0;
    let own = 0;
    let orphanCpu = 0;
    let orphanRead = 0;
    let orphanWrite = 0;
    let orphanCancelled = 0;
    for (const p of this.procs.values()) {
      if (p.hwmBytes > peakHwm) peakHwm = p.hwmBytes;
      // Never read, or every reading fell within one interval of its first sight (it lived shorter than the
      // sampling interval, e.g. read right after its exec): its peak is unknown.
      if (p.hwmBytes === 0 || (!p.alive && p.lastHwmRead - p.firstSeen < this.opts.intervalMs)) this.unresolved = true;
      own += p.utime + p.stime;
      if (p.orphaned) {
        orphanCpu += p.utime + p.stime + p.cutime + p.cstime;
        orphanRead += p.readBytes;
        orphanWrite += p.writeBytes;
        orphanCancelled += p.cancelledBytes;
      }
    }
    return {
      peakPssSumBytes: this.peakPssSum,
      peakHwmBytes: peakHwm,
      peakSelfGrowthBytes: this.peakSelfGrowth,
      sampledOwnCpuSeconds: own / this.tck,
      orphanCpuSeconds: orphanCpu / this.tck,
      orphanReadBytes: orphanRead,
      orphanWriteBytes: orphanWrite,
      orphanCancelledBytes: orphanCancelled,
      memoryUnresolved: this.unresolved || this.unseenSelfReaps > otherSeen,
      pssUsed: this.pssUsed,
      processes: [...this.procs.values()],
      timeline: this.timeline,
      samples: this.samples,
    };
  }
}

/**
 * Clock ticks after boot now (the unit of /proc starttime), from /proc/uptime (time namespaces shift both alike);
 * null if it cannot be read. Read through the descriptor cache: this runs at every iteration's start.
 */
function uptimeTicks(tck: number): number | null {
  const text = readProcFile('/proc/uptime');
  const up = text === null ? NaN : parseFloat(text);
  return Number.isFinite(up) ? Math.floor(up * tck) : null;
}

/** Children of every thread of this process. */
function selfChildren(): number[] {
  const out: number[] = [];
  for (const tid of readTids('self')) for (const c of readThreadChildren('self', tid)) out.push(c);
  return out;
}

interface EarlierChild {
  pid: number;
  starttime: number;
  /** utime + stime + cutime + cstime when the iteration started (a zombie's are final) */
  ticks: number;
}

/**
 * Our children before the iteration: a runner's other children, a test's earlier processes, a killed child not yet
 * reaped. If we reap one during the iteration the kernel adds its CPU to our cutime, but it is not the
 * iteration's: the CPU it had at the start is taken out again (what it ran during the iteration stays counted; a
 * zombie's figure is final, so a child killed just before the iteration is taken out whole).
 */
function childrenWithTicks(): EarlierChild[] {
  const out: EarlierChild[] = [];
  for (const pid of selfChildren()) {
    const s = readStat(pid, false);
    if (s) out.push({ pid, starttime: s.starttime, ticks: s.utime + s.stime + s.cutime + s.cstime });
  }
  return out;
}

/** CPU ticks of the earlier children that are gone now (reaped by us: only a parent reaps its child). */
function goneTicks(children: readonly EarlierChild[]): number {
  let ticks = 0;
  for (const c of children) {
    const s = readStat(c.pid, false);
    if (s === null || s.starttime !== c.starttime) ticks += c.ticks;
  }
  return ticks;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export class ProcSampler implements TreeSampler {
  private readonly tree: ProcTreeSampler;
  private readonly tck = clkTck();
  private selfHwmReset = false;
  private selfBase = 0;
  private stat0: ProcStat | null = null;
  private machine0: MachineCpuTicks | null = null;
  /** our children from before the iteration, with their CPU then (see childrenWithTicks) */
  private earlierChildren: EarlierChild[] = [];
  private earlierReapedTicks = 0;
  private io0: ProcIo | null = null;
  private net0: NetBytes | null = null;
  private stat1: ProcStat | null = null;
  private io1: ProcIo | null = null;
  private net1: NetBytes | null = null;
  private selfHwm = 0;
  private leftovers: KnownProcess[] = [];
  private escapedLeft: KnownProcess[] = [];
  private watch: BlockedWatch | null = null;

  constructor(private readonly opts: SamplerOptions) {
    this.tree = new ProcTreeSampler(
      {
        intervalMs: opts.intervalMs,
        includeSelf: opts.includeSelf,
        cookie: opts.cookie,
        onSample: () => this.watch?.heartbeat(),
      },
      opts.cores,
    );
  }

  async start(): Promise<void> {
    // Only a function workflow can block the thread we sample on (a command runs beside it while we await its exit;
    // under load our timers are late, not blocked, and a second sampler would only double the cost of a big tree).
    // Before the baselines: on first use the watcher's start-up (a thread, its heap) happens here, not in the workload.
    if (this.opts.includeSelf) this.watch = await BlockedWatch.get(pageSize());
    if (this.opts.includeSelf) {
      // The function's memory is its growth above our level now: collect earlier garbage first where V8 allows, so
      // that neither an earlier iteration's garbage nor its collection during this one distorts the figure.
      collectGarbage();
      this.selfHwmReset = resetSelfHwm();
      this.selfBase = this.selfHwmReset ? (readHwmBytes('self') ?? 0) : 0;
    }
    this.tree.start();
    this.watch?.arm({
      intervalMs: this.opts.intervalMs,
      includeSelf: this.opts.includeSelf,
      ...this.tree.watchBaseline(),
    });
    this.earlierChildren = childrenWithTicks();
    this.stat0 = readStat('self');
    this.io0 = readIo('self');
    this.net0 = readNetDev('self');
    this.machine0 = readMachineCpu();
  }

  addRoot(pid: number): void {
    this.tree.addRoot(pid);
  }

  alive(): KnownProcess[] {
    // Asked for at a kill (timeout, abort): escaped processes alive now are about to be killed.
    const alive = this.tree.alive();
    this.noteEscaped(alive);
    return alive.map((p) => ({ pid: p.pid, starttime: p.starttime }));
  }

  private noteEscaped(alive: TrackedProcess[]): void {
    for (const p of alive) {
      if (p.escaped && !this.escapedLeft.some((k) => k.pid === p.pid && k.starttime === p.starttime))
        this.escapedLeft.push({ pid: p.pid, starttime: p.starttime });
    }
  }

  workloadEnded(): Promise<KnownProcess[]> {
    // Before stat1: a child gone now was reaped before stat1 was read, so its CPU is in stat1's cutime.
    this.earlierReapedTicks = goneTicks(this.earlierChildren);
    this.stat1 = readStat('self');
    this.io1 = readIo('self');
    this.net1 = readNetDev('self');
    this.selfHwm = this.selfHwmReset ? (readHwmBytes('self') ?? 0) : 0;
    this.finalSample();
    const alive = this.tree.alive();
    // Leftovers about to be killed may never be reaped by their dying parents: take their CPU and I/O from their
    // last readings instead of our cutime.
    if (alive.length > 0) this.tree.markLeftoversOrphaned();
    this.leftovers = alive.map((p) => ({ pid: p.pid, starttime: p.starttime }));
    this.noteEscaped(alive);
    return Promise.resolve(this.leftovers);
  }

  /**
   * The last look at the tree: once more at once when the probe met ids with nothing in /proc yet (a fork in
   * flight), so that the kill that follows knows every process the tree has.
   */
  private finalSample(): void {
    this.tree.sample(true);
    for (let again = 0; again < 3 && this.tree.hasUnsureIds(); again++) this.tree.sample(true);
  }

  sweep(): Promise<KnownProcess[]> {
    this.finalSample();
    const alive = this.tree.alive();
    if (alive.length > 0) this.tree.markLeftoversOrphaned();
    this.noteEscaped(alive);
    return Promise.resolve(alive.map((p) => ({ pid: p.pid, starttime: p.starttime })));
  }

  async stop(ownCpu: number): Promise<TreeFigures> {
    const w = this.watch ? this.watch.disarm() : null;
    const known = new Set(this.tree.knownKeys());
    const otherSeen = w ? w.seen.filter((k) => !known.has(k)).length : 0;
    const r = this.tree.stop(otherSeen);
    const { stat0, stat1, io0, io1, net0, net1 } = this;
    const isFn = this.opts.includeSelf;
    const reaped =
      stat1 && stat0
        ? Math.max(0, stat1.cutime + stat1.cstime - stat0.cutime - stat0.cstime - this.earlierReapedTicks) / this.tck
        : 0;
    const treeCpu = Math.max(reaped + r.orphanCpuSeconds, r.sampledOwnCpuSeconds);
    const selfGrowth = Math.max(0, this.selfHwm - this.selfBase, r.peakSelfGrowthBytes);
    // PSS sum (shared pages once) at its peak sample; the largest single VmHWM is a lower bound a sample can miss.
    const ours = Math.max(r.peakPssSumBytes, r.peakHwmBytes, isFn ? selfGrowth : 0);
    // Samples the watcher took while our thread was blocked (spawnSync) or late count like our own.
    const fromWatch = Math.max(w?.peakSumBytes ?? 0, w?.peakHwmBytes ?? 0);
    const memory = Math.max(ours, fromWatch);
    const escaped = r.processes.filter((p) => p.escaped);
    const killed = this.escapedLeft.filter((k) => !isAliveProcess(k)).length;
    const writes = io0 && io1 ? Math.max(0, io1.write_bytes - io0.write_bytes) + r.orphanWriteBytes : 0;
    const cancelled =
      io0 && io1 ? Math.max(0, io1.cancelled_write_bytes - io0.cancelled_write_bytes) + r.orphanCancelledBytes : 0;
    const processes = Math.max(1, r.processes.length);
    const memoryMethod =
      (isFn
        ? `self-growth${this.selfHwmReset ? '-vmhwm' : '-rss-sampled'}+${r.pssUsed ? 'pss' : 'rss'}-sum-children`
        : `${r.pssUsed ? 'pss' : 'rss'}-sum-sampled+vmhwm-lower-bound`) +
      // the peak was one only the worker saw, while the JavaScript thread was blocked (a few % either way is the
      // jitter of two samplers reading the same tree)
      (fromWatch > ours * 1.05 ? '+worker-while-blocked' : '');
    const figures: TreeFigures = {
      cpu_seconds: treeCpu + ownCpu,
      memory_bytes: memory,
      disk_read_bytes: io0 && io1 ? Math.max(0, io1.read_bytes - io0.read_bytes) + r.orphanReadBytes : 0,
      // What reached storage: dirtied page cache that was truncated or deleted before writeback never did.
      disk_write_bytes: Math.max(0, writes - cancelled),
      network_rx_bytes: net0 && net1 ? Math.max(0, net1.rx - net0.rx) : 0,
      network_tx_bytes: net0 && net1 ? Math.max(0, net1.tx - net0.tx) : 0,
      timeline: r.timeline,
      methods: {
        cpu: isFn ? 'process-cpuusage+proc-stat-reaped' : 'proc-stat-reaped',
        memory: isFn ? 'self-growth+proc-pss-children' : 'proc-pss-sum+vmhwm',
        disk: io0 && io1 ? 'proc-io-minus-cancelled' : 'unavailable',
        network: net0 && net1 ? 'proc-net-dev' : 'unavailable',
        network_scope: net0 && net1 ? 'network-namespace' : 'unavailable',
      },
      measurement: {
        memory_method: memoryMethod,
        memory_below_resolution: r.memoryUnresolved,
        // Kernel CPU accounting is in clock ticks per process: at most one tick per process is noise. A command that
        // ended before it was first read still counts as one process; a function's own CPU is exact (cpuUsage).
        cpu_below_resolution: (!isFn || r.processes.length > 0) && treeCpu <= processes / this.tck,
      },
    };
    // After the kill of leftovers, like the tree's CPU it is compared with (machine-cpu.ts).
    const contention = machineContention(this.machine0, readMachineCpu(), treeCpu + ownCpu);
    if (contention !== null) figures.measurement.machine_contention = contention;
    if (net0 && net1) figures.network_loopback_bytes = Math.max(0, net1.lo - net0.lo);
    if (escaped.length > 0 || this.escapedLeft.length > 0)
      figures.measurement.escaped_processes = { found: escaped.length, killed };
    return Promise.resolve(figures);
  }
}

function isAliveProcess(k: KnownProcess): boolean {
  const s = readStat(k.pid, false);
  return s !== null && s.starttime === k.starttime && s.state !== 'Z' && s.state !== 'X';
}

let gc: (() => void) | null | undefined;
/** A full GC where V8 allows it (`--expose-gc` set at run time; the function is fetched from a fresh context). */
function collectGarbage(): void {
  if (gc === undefined) {
    gc = null;
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      /* not available: the baseline then includes earlier garbage */
    }
  }
  try {
    gc?.();
  } catch {
    /* ignore */
  }
}
