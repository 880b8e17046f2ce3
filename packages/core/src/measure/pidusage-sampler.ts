/**
 * Fallback sampler for platforms without /proc (macOS, Windows): pidusage readings of every process of the tree.
 *
 * CPU is the sum over processes of their cumulative CPU time (pidusage `ctime`) at their last reading, so CPU of a
 * process after its last sample, and of processes that lived between two samples, is missed; memory is the peak of
 * the summed RSS over samples. Both are recorded with method 'pidusage-sampled'. The tree is found with `ps` on
 * Unix; on Windows only the processes spawned by ctx.exec are seen (not their descendants).
 */
import pidusage from 'pidusage';
import type { TimelinePoint } from '../types.js';
import { psTable, type KnownProcess } from './kill.js';
import type { SamplerOptions, TreeFigures, TreeSampler } from './sampler.js';

export interface PidusageResult {
  peakRssSumBytes: number;
  cpuSeconds: number;
  timeline: TimelinePoint[];
  samples: number;
}

export class PidusageTreeSampler {
  private readonly roots = new Set<number>();
  private readonly preexisting = new Set<number>();
  /** last cumulative CPU (ms) per pid */
  private readonly ctime = new Map<number, number>();
  private readonly live = new Set<number>();
  private readonly timeline: TimelinePoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private t0 = 0;
  private lastT = 0;
  private lastCpuMs = 0;
  private peak = 0;
  private samples = 0;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly includeSelf: boolean,
    private readonly cores: number,
  ) {}

  async start(): Promise<void> {
    if (process.platform !== 'win32') {
      const table = await psTable();
      for (const [pid, ppid] of table) if (ppid === process.pid) this.preexisting.add(pid);
    }
    this.t0 = performance.now();
    this.lastT = this.t0;
    this.tick();
  }

  /** A process spawned by ctx.exec: sampled at once so short commands get at least one reading. */
  addRoot(pid: number): void {
    this.roots.add(pid);
    void this.sample();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sample().then(() => this.tick());
    }, this.intervalMs);
    this.timer.unref();
  }

  sample(): Promise<void> {
    // pidusage is asynchronous; one sample at a time.
    if (this.busy) return this.busy;
    this.busy = this.sampleOnce().finally(() => {
      this.busy = undefined;
    });
    return this.busy;
  }

  private async sampleOnce(): Promise<void> {
    this.samples++;
    const pids = new Set<number>(this.roots);
    if (process.platform !== 'win32') {
      const table = await psTable();
      for (const r of this.roots) if (!table.has(r)) pids.delete(r);
      // Descendants of us (minus children that existed before the iteration) and of the roots.
      const visited = new Set<number>();
      const queue = [process.pid, ...pids];
      while (queue.length > 0) {
        const p = queue.pop() as number;
        if (visited.has(p)) continue;
        visited.add(p);
        for (const [child, parent] of table) {
          if (parent === p && !this.preexisting.has(child)) {
            pids.add(child);
            queue.push(child);
          }
        }
      }
    }
    if (this.includeSelf) pids.add(process.pid);
    const stats = await Promise.allSettled([...pids].map((p) => pidusage(p)));
    let rss = 0;
    this.live.clear();
    for (const r of stats) {
      if (r.status !== 'fulfilled') continue;
      const s = r.value;
      rss += s.memory;
      this.live.add(s.pid);
      const prev = this.ctime.get(s.pid) ?? 0;
      if (s.ctime > prev) this.ctime.set(s.pid, s.ctime);
    }
    if (rss > this.peak) this.peak = rss;
    const now = performance.now();
    const cpuMs = this.totalCpuMs();
    const dt = (now - this.lastT) / 1000;
    this.timeline.push({
      t: Math.round(now - this.t0) / 1000,
      cpu:
        dt > 0 ? Math.round(Math.min(100, ((cpuMs - this.lastCpuMs) / 1000 / (dt * this.cores)) * 100) * 100) / 100 : 0,
      mem: Math.round((rss / 1048576) * 100) / 100,
    });
    this.lastT = now;
    this.lastCpuMs = cpuMs;
  }

  private totalCpuMs(): number {
    let ms = 0;
    for (const [pid, v] of this.ctime) if (pid !== process.pid) ms += v;
    return ms;
  }

  /** Processes believed alive (for killing leftovers). */
  alive(): number[] {
    return [...this.live].filter((p) => p !== process.pid);
  }

  async stop(): Promise<PidusageResult> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.busy) await this.busy;
    try {
      pidusage.clear();
    } catch {
      /* older pidusage */
    }
    return {
      peakRssSumBytes: this.peak,
      cpuSeconds: this.totalCpuMs() / 1000,
      timeline: this.timeline,
      samples: this.samples,
    };
  }
}

/** TreeSampler of platforms without /proc: everything comes from pidusage samples. */
export class PidusageSampler implements TreeSampler {
  private readonly tree: PidusageTreeSampler;
  constructor(private readonly opts: SamplerOptions) {
    this.tree = new PidusageTreeSampler(opts.intervalMs, opts.includeSelf, opts.cores);
  }
  start(): Promise<void> {
    return this.tree.start();
  }
  addRoot(pid: number): void {
    this.tree.addRoot(pid);
  }
  alive(): KnownProcess[] {
    return this.tree.alive().map((pid) => ({ pid }));
  }
  async workloadEnded(): Promise<KnownProcess[]> {
    await this.tree.sample();
    return this.alive();
  }
  sweep(): Promise<KnownProcess[]> {
    return this.workloadEnded();
  }
  async stop(ownCpu: number): Promise<TreeFigures> {
    const r = await this.tree.stop();
    return {
      cpu_seconds: r.cpuSeconds + ownCpu,
      memory_bytes: r.peakRssSumBytes,
      disk_read_bytes: 0,
      disk_write_bytes: 0,
      network_rx_bytes: 0,
      network_tx_bytes: 0,
      timeline: r.timeline,
      methods: {
        cpu: this.opts.includeSelf ? 'process-cpuusage+pidusage-sampled' : 'pidusage-sampled',
        memory: 'pidusage-sampled',
        disk: 'unavailable',
        network: 'unavailable',
        network_scope: 'unavailable',
      },
      measurement: { memory_method: 'pidusage-rss-sum-sampled' },
    };
  }
}
