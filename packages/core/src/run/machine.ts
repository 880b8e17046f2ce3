/**
 * The machine's state while a run is measured (Run.machine): load average, CPU frequency governor and a busy flag.
 * A run measured on a busy machine is noisier; reports say so through the run's notes.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Run } from '../types.js';

export type MachineState = NonNullable<Run['machine']>;

function governor(): string | undefined {
  try {
    return readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim() || undefined;
  } catch {
    return undefined; // no cpufreq (VMs, containers, macOS): not recorded
  }
}

/**
 * Busy: the 1-minute load average is at least the number of logical cores, i.e. runnable work had to wait for a
 * CPU. loadavg() is [0, 0, 0] on Windows, where nothing is recorded.
 */
export function machineState(cores = availableParallelism()): MachineState {
  const la = loadavg();
  const state: MachineState = {};
  if (la.some((v) => v > 0)) {
    state.load_avg = [round2(la[0]!), round2(la[1]!), round2(la[2]!)];
    state.busy = la[0]! >= cores;
  }
  const g = governor();
  if (g !== undefined) state.governor = g;
  return state;
}

/** The larger of two readings (start and end of a run): a run is busy when it was busy at either end. */
export function mergeMachineStates(a: MachineState, b: MachineState): MachineState {
  const out: MachineState = { ...a };
  if (b.load_avg && (!a.load_avg || b.load_avg[0] > a.load_avg[0])) out.load_avg = b.load_avg;
  if (b.busy !== undefined) out.busy = Boolean(a.busy) || b.busy;
  if (b.governor !== undefined) out.governor = b.governor;
  return out;
}

export function busyNote(state: MachineState, cores = availableParallelism()): string | null {
  if (!state.busy || !state.load_avg) return null;
  return `machine busy: load average ${state.load_avg[0]} on ${cores} logical core(s) during the run; timings are noisier than on an idle machine (compare versions with \`lanebench ab\`)`;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
