/**
 * The start-up reaper: processes left by an iteration whose owner died.
 *
 * Every iteration's processes carry the cookie LANEBENCH_ITERATION_ID, and the sweep at the end of the iteration
 * kills whatever carries it. When the process that measures the iteration (the owner: lanebench, or a runner's
 * worker) is itself killed mid-iteration (SIGKILL, OOM, a test worker torn down), that sweep never runs and the
 * tree lives on. So each iteration also carries LANEBENCH_ITERATION_OWNER=<pid>:<starttime>:<pid namespace>, and at
 * the start of every run the carriers of a *stale* cookie are killed, with a note in the run.
 *
 * Stale, precisely (so two concurrent lanebench runs never kill each other's processes):
 * - the owner's pid namespace is ours (a pid means nothing across namespaces; a foreign one is left alone), and
 * - no live process has the owner's pid with the owner's starttime (pid reuse cannot fake a live owner), and
 * - the carrier is not this process nor one of its ancestors (a lanebench started by a workflow of a dead run).
 * A carrier without an owner entry (written by an older lanebench) cannot be judged and is left alone.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hasProcfs, listPids, readStat } from './procfs.js';

export const ITERATION_OWNER = 'LANEBENCH_ITERATION_OWNER';

let selfOwner: string | undefined;

function pidNamespace(pid: number | 'self'): string {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`).replace(/^pid:\[(\d+)\]$/, '$1');
  } catch {
    return '?';
  }
}

/** This process as the owner of the iterations it measures: `<pid>:<starttime>:<pid namespace>`. */
export function ownerToken(): string {
  if (selfOwner === undefined) {
    const start = hasProcfs ? (readStat('self', false)?.starttime ?? 0) : 0;
    selfOwner = `${process.pid}:${start}:${hasProcfs ? pidNamespace('self') : '?'}`;
  }
  return selfOwner;
}

export interface ReapedProcess {
  pid: number;
  /** the stale LANEBENCH_ITERATION_ID value it carried */
  cookie: string;
  /** the owner it named */
  owner: string;
}

function environOf(pid: number): Map<string, string> | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
  const out = new Map<string, string>();
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

function ancestorsOfSelf(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    pid = readStat(pid, false)?.ppid ?? 0;
  }
  return out;
}

/** True when `owner` (`pid:starttime:ns`) names a live process of our pid namespace; null when it cannot be judged. */
export function ownerAlive(owner: string, ourNamespace = pidNamespace('self')): boolean | null {
  const m = /^(\d+):(\d+):(\d+)$/.exec(owner);
  if (!m) return null;
  if (m[3] !== ourNamespace) return null;
  const stat = readStat(Number(m[1]), false);
  return stat !== null && stat.state !== 'Z' && stat.starttime === Number(m[2]);
}

/** Carriers of stale cookies, right now (Linux; empty elsewhere). */
export function findStaleCarriers(): ReapedProcess[] {
  if (!hasProcfs) return [];
  const ns = pidNamespace('self');
  const spare = ancestorsOfSelf();
  const verdicts = new Map<string, boolean | null>();
  const out: ReapedProcess[] = [];
  for (const pid of listPids()) {
    if (spare.has(pid)) continue;
    const env = environOf(pid);
    const cookie = env?.get('LANEBENCH_ITERATION_ID');
    const owner = env?.get(ITERATION_OWNER);
    if (cookie === undefined || owner === undefined) continue;
    let alive = verdicts.get(owner);
    if (alive === undefined) {
      alive = ownerAlive(owner, ns);
      verdicts.set(owner, alive);
    }
    if (alive === false) out.push({ pid, cookie, owner });
  }
  return out;
}

/**
 * Kills the carriers of stale cookies (SIGKILL: their run is gone, nobody waits for a clean exit) and returns them.
 * Each pid is re-checked by starttime just before the signal, so a pid reused meanwhile is not hit.
 */
export function reapStaleCarriers(): ReapedProcess[] {
  const found = findStaleCarriers();
  const killed: ReapedProcess[] = [];
  for (const p of found) {
    const before = readStat(p.pid, false);
    if (!before) continue;
    const again = environOf(p.pid)?.get('LANEBENCH_ITERATION_ID');
    if (again !== p.cookie || readStat(p.pid, false)?.starttime !== before.starttime) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p);
    } catch {
      /* exited meanwhile, or not ours to kill */
    }
  }
  return killed;
}

/** The run note for what the reaper killed, or null when it killed nothing. */
export function reaperNote(killed: readonly ReapedProcess[]): string | null {
  if (killed.length === 0) return null;
  const cookies = [...new Set(killed.map((k) => k.cookie))];
  const shown = cookies.slice(0, 3).join(', ') + (cookies.length > 3 ? `, … (${cookies.length} in all)` : '');
  // "measurement: " puts it next to the reports' tables, like the escaped-process notes (report/markdown.ts)
  return `measurement: killed ${killed.length} leftover process(es) of earlier iterations whose owner is gone (LANEBENCH_ITERATION_ID ${shown}; pids ${killed
    .slice(0, 10)
    .map((k) => k.pid)
    .join(', ')}${killed.length > 10 ? ', …' : ''})`;
}
