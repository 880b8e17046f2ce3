/**
 * Ending a whole process tree: SIGTERM, a grace period, then SIGKILL for whatever is still alive.
 *
 * Workflow commands are spawned with `detached: true`, so each is the leader of its own process group and the
 * group can be signalled at once (that also reaches descendants that re-parented themselves away from the tree but
 * stayed in the group). Descendants that left the group (setsid, e.g. daemons) are reached through the tree walk
 * and through the pids the sampler saw, each checked by (pid, starttime) so a reused pid is never signalled.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { hasProcfs, readChildren, readStat } from './procfs.js';

export interface KnownProcess {
  pid: number;
  /** /proc starttime; when given, the pid is only signalled if it still names that process */
  starttime?: number;
}

export interface KillTreeOptions {
  /** time between SIGTERM and SIGKILL, ms (default 2000) */
  graceMs?: number;
  /** processes known to belong to the tree (e.g. seen by the sampler), signalled too */
  known?: KnownProcess[];
  /** signal the process group whose id is `pid` as well (default true: lanebench spawns group leaders) */
  group?: boolean;
}

/**
 * Escalation for an impatient user (a second Ctrl-C while lanebench stops a run): every pending grace period ends
 * at once and what is left is SIGKILLed, and later kills in this process skip the grace too.
 */
let graceSkipped = false;
const waiting = new Set<() => void>();
export function killTreesNow(): void {
  graceSkipped = true;
  for (const wake of [...waiting]) wake();
}

/** SIGTERM the tree of `pid`, wait up to graceMs for it to exit, SIGKILL what is left. Resolves when it is gone. */
export async function killTree(pid: number, opts: KillTreeOptions = {}): Promise<void> {
  const graceMs = opts.graceMs ?? 2000;
  if (process.platform === 'win32') return killTreeWindows(pid);
  const group = opts.group ?? true;

  const members = new Map<number, KnownProcess>();
  const collect = async (): Promise<void> => {
    for (const k of opts.known ?? []) members.set(k.pid, k);
    for (const k of await collectTree(pid)) members.set(k.pid, k);
  };

  await collect();
  signalAll(pid, group, members, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let woken = false;
  const wake = (): void => {
    woken = true;
  };
  waiting.add(wake);
  try {
    while (!woken && !graceSkipped && Date.now() < deadline && anyAlive(pid, group, members)) await sleep(20);
  } finally {
    waiting.delete(wake);
  }

  // Re-walk: the tree may have forked during the grace period.
  await collect();
  if (anyAlive(pid, group, members)) {
    signalAll(pid, group, members, 'SIGKILL');
    const hard = Date.now() + 2000;
    while (Date.now() < hard && anyAlive(pid, group, members)) await sleep(10);
  }
}

/** The tree rooted at pid (pid included), with starttimes where /proc is available. */
export async function collectTree(pid: number): Promise<KnownProcess[]> {
  if (hasProcfs) {
    const out: KnownProcess[] = [];
    const seen = new Set<number>();
    const queue = [pid];
    while (queue.length > 0) {
      const p = queue.pop() as number;
      if (seen.has(p)) continue;
      seen.add(p);
      const s = readStat(p);
      if (!s) continue;
      out.push({ pid: p, starttime: s.starttime });
      for (const c of readChildren(p)) queue.push(c);
    }
    return out;
  }
  // macOS and other Unixes: one `ps` listing gives every parent link.
  const table = await psTable();
  const out: KnownProcess[] = [{ pid }];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop() as number;
    for (const [child, parent] of table) {
      if (parent === p && !out.some((k) => k.pid === child)) {
        out.push({ pid: child });
        queue.push(child);
      }
    }
  }
  return out;
}

/** pid → ppid of every process, from `ps` (non-Linux Unix). */
export function psTable(): Promise<Map<number, number>> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid='], { timeout: 5000 }, (err, stdout) => {
      const m = new Map<number, number>();
      if (!err) {
        for (const line of stdout.split('\n')) {
          const [a, b] = line.trim().split(/\s+/);
          if (a && b) m.set(Number(a), Number(b));
        }
      }
      resolve(m);
    });
  });
}

function signalAll(pid: number, group: boolean, members: Map<number, KnownProcess>, sig: NodeJS.Signals): void {
  if (group) trySignal(-pid, sig);
  for (const k of members.values()) if (matches(k)) trySignal(k.pid, sig);
}

function anyAlive(pid: number, group: boolean, members: Map<number, KnownProcess>): boolean {
  // Signal 0 to the group tells whether any member is left (zombies count until reaped, so check states too).
  for (const k of members.values()) if (liveProcess(k)) return true;
  if (group && groupExists(pid)) return hasProcfs ? groupHasLiveMember(pid) : true;
  return false;
}

function matches(k: KnownProcess): boolean {
  if (!hasProcfs || k.starttime === undefined) return true;
  const s = readStat(k.pid);
  return s !== null && s.starttime === k.starttime;
}

function liveProcess(k: KnownProcess): boolean {
  if (!hasProcfs) {
    try {
      process.kill(k.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  const s = readStat(k.pid);
  if (!s || s.state === 'Z' || s.state === 'X') return false;
  return k.starttime === undefined || s.starttime === k.starttime;
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A group whose members are all zombies is done: their parents will reap them. */
function groupHasLiveMember(pgid: number): boolean {
  // Without a member list the only way is to scan /proc; it runs only while a kill is pending.
  try {
    for (const name of readdirProc()) {
      const s = readStat(Number(name));
      if (s && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X') return true;
    }
  } catch {
    return true;
  }
  return false;
}

function readdirProc(): string[] {
  return readdirSync('/proc').filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57);
}

function trySignal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone, or not ours */
  }
}

function killTreeWindows(pid: number): Promise<void> {
  return new Promise((resolve) => {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { timeout: 10000 }, () => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
