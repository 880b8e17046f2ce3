/**
 * How much of the machine's CPU other processes used while an iteration ran (`measurement.machine_contention`,
 * docs/metrics.md "Machine contention").
 *
 * /proc/stat's first line counts, in clock ticks summed over all CPUs, the time the whole machine spent busy
 * (user, nice, system, irq, softirq, steal) and in total. Across the iteration, busy time minus the measured tree's
 * own CPU is what everything else took: neighbours on a shared runner, other jobs, the hypervisor's steal. Divided
 * by the total it is a share of the machine in [0, 1]. The regression gate uses it to tell "this run was slower"
 * from "this run shared its machine with a busier neighbour" (analysis/regression.ts).
 *
 * Our own process counts as "other" for command workflows (the sampler and the event loop: ~1 % of a core).
 * Where /proc/stat is unreadable (macOS, Windows, a restricted container) nothing is recorded.
 */
import { readFileSync } from 'node:fs';
import type { Iteration } from '../types.js';
import { clkTck } from './procfs.js';

export interface MachineCpuTicks {
  busy: number;
  total: number;
}

/** The machine's busy and total CPU ticks so far, or null when /proc/stat cannot be read. */
export function readMachineCpu(
  read: () => string = () => readFileSync('/proc/stat', 'latin1'),
): MachineCpuTicks | null {
  let text: string;
  try {
    text = read();
  } catch {
    return null;
  }
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  if (!line.startsWith('cpu ')) return null;
  // user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is already inside user/nice
  const f = line.slice(4).trim().split(/\s+/).map(Number);
  if (f.length < 8 || f.slice(0, 8).some((v) => !Number.isFinite(v))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * Share of the machine's CPU time used by processes outside the tree between two readings, in [0, 1] rounded to
 * three decimals; null when either reading is missing or no tick elapsed.
 */
export function machineContention(
  start: MachineCpuTicks | null,
  end: MachineCpuTicks | null,
  treeCpuSeconds: number,
  ticksPerSecond = clkTck(),
): number | null {
  if (!start || !end) return null;
  const total = end.total - start.total;
  if (!(total > 0)) return null;
  const others = end.busy - start.busy - treeCpuSeconds * ticksPerSecond;
  return Math.round(Math.min(1, Math.max(0, others / total)) * 1000) / 1000;
}

/** Median of `measurement.machine_contention` over the passed iterations; null when none recorded it. */
export function medianContention(iterations: readonly Iteration[]): number | null {
  const v = iterations
    .filter((i) => i.status === 'passed')
    .map((i) => i.measurement?.machine_contention)
    .filter((c): c is number => typeof c === 'number')
    .sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
