/**
 * The seam between measureIteration and the platform: a TreeSampler measures one iteration's process tree.
 *
 * measureIteration only orchestrates (cookie, timeout, kill of leftovers, status); every figure of the tree comes
 * from the sampler. Implementations: ProcSampler (Linux /proc, proc-sampler.ts), PidusageSampler (portable fallback,
 * pidusage-sampler.ts), FakeSampler (tests of the logic, fake.ts). A third method (eBPF, cgroups) is a new file.
 */
import type { IterationMeasurement, MeasurementMethods, TimelinePoint } from '../types.js';
import type { KnownProcess } from './kill.js';

export interface SamplerOptions {
  intervalMs: number;
  /** in-process workflow: this process belongs to the tree (its own growth and the children it starts) */
  includeSelf: boolean;
  cores: number;
  /** `NAME=value` carried by the environment of every process of this iteration (Linux: escaped daemons) */
  cookie: string;
}

/** Figures of the tree over one iteration (the caller adds wall time, status and custom metrics). */
export interface TreeFigures {
  /** CPU of the tree; for in-process workflows including ownCpuSeconds passed to stop() */
  cpu_seconds: number;
  memory_bytes: number;
  disk_read_bytes: number;
  disk_write_bytes: number;
  network_rx_bytes: number;
  network_tx_bytes: number;
  network_loopback_bytes?: number;
  timeline: TimelinePoint[];
  methods: Omit<MeasurementMethods, 'execution_time' | 'sample_interval_ms'>;
  measurement: IterationMeasurement;
  /** seconds that processes of the tree ran past the end of the workload (killed leftovers): part of the window */
  leftover_seconds?: number;
}

export interface TreeSampler {
  /** Baselines and the first sample; called just before the workload starts. */
  start(): Promise<void>;
  /** A process spawned by ctx.exec: part of the tree from now on. */
  addRoot(pid: number): void;
  /** Processes of the tree believed alive (killed with the tree at a timeout). */
  alive(): KnownProcess[];
  /**
   * The workload just ended: kernel totals are read now (before anything else of ours runs), then a final sample.
   * Returns the processes of the tree still alive (leftovers, escaped daemons), which the caller kills.
   */
  workloadEnded(): Promise<KnownProcess[]>;
  /**
   * After a kill: processes of the tree that are still or newly alive (a TERM-ignoring parent may have forked more
   * during the grace period), for another kill. Their figures are taken from their last readings like leftovers.
   */
  sweep(): Promise<KnownProcess[]>;
  /** After the leftovers were killed: the figures. `ownCpuSeconds`: our own CPU during an in-process workflow. */
  stop(ownCpuSeconds: number): Promise<TreeFigures>;
}

export type SamplerFactory = (opts: SamplerOptions) => TreeSampler;
