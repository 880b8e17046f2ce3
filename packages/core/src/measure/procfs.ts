/**
 * Small synchronous readers of Linux /proc files.
 *
 * The sampler calls these many times per second, so they avoid readFileSync (which fstat()s and allocates per
 * call): each read is open + one pread into a shared buffer + close, about 15 µs. Every reader returns null
 * (or an empty result) when the process is gone or the file is unreadable: processes exit between any two reads.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, readdirSync, writeFileSync } from 'node:fs';

/** /proc/<pid>/stat fields we use. CPU times are in clock ticks (see clkTck()), rss in pages. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  utime: number;
  stime: number;
  /** CPU of reaped (waited-for) children, which already include their own reaped descendants */
  cutime: number;
  cstime: number;
  /** clock ticks after boot; (pid, starttime) identifies a process across pid reuse */
  starttime: number;
  rssPages: number;
}

export interface ProcIo {
  read_bytes: number;
  write_bytes: number;
}

export interface NetBytes {
  rx: number;
  tx: number;
}

export const hasProcfs: boolean = process.platform === 'linux' && existsSync('/proc/self/stat');

// 16 KiB: /proc/<pid>/status of a process with many threads/groups is ~1.5 KiB, net/dev grows with interfaces.
const buf = Buffer.allocUnsafe(16384);

/** Reads a /proc file into the shared buffer; returns its text or null when it cannot be read. */
export function readProcFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let len = 0;
    // /proc files are generated on read; loop until EOF in case one read does not return everything.
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n <= 0) break;
      len += n;
      if (len >= buf.length) break;
    }
    return buf.toString('latin1', 0, len);
  } catch {
    return null;
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/** Parses /proc/<pid>/stat. `comm` may contain spaces and parentheses, so fields are split after the last ')'. */
export function readStat(pid: number | 'self'): ProcStat | null {
  const text = readProcFile(`/proc/${pid}/stat`);
  if (!text) return null;
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state) of proc(5); field N is f[N - 3].
  const num = (i: number): number => Number(f[i] ?? 0);
  return {
    pid: Number(text.slice(0, text.indexOf(' '))),
    state: f[0] ?? '?',
    ppid: num(1),
    pgrp: num(2),
    utime: num(11),
    stime: num(12),
    cutime: num(13),
    cstime: num(14),
    starttime: num(19),
    rssPages: num(21),
  };
}

/** VmHWM (peak resident set) of a live process, in bytes; null for zombies and kernel threads. */
export function readHwmBytes(pid: number | 'self'): number | null {
  const text = readProcFile(`/proc/${pid}/status`);
  if (!text) return null;
  const i = text.indexOf('VmHWM:');
  if (i < 0) return null;
  const kb = parseInt(text.slice(i + 6), 10);
  return Number.isFinite(kb) ? kb * 1024 : null;
}

/** Block I/O of a process (its threads plus its reaped children), from /proc/<pid>/io. */
export function readIo(pid: number | 'self'): ProcIo | null {
  const text = readProcFile(`/proc/${pid}/io`);
  if (!text) return null;
  const field = (name: string): number => {
    const i = text.indexOf(`\n${name}: `);
    return i < 0 ? 0 : Number(text.slice(i + name.length + 3, text.indexOf('\n', i + 1)));
  };
  return { read_bytes: field('read_bytes'), write_bytes: field('write_bytes') };
}

/** Thread ids of a process (empty when it is gone). */
export function readTids(pid: number | 'self' | 'thread-self'): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/** Children of one thread (children are attached to the thread that forked them). */
export function readThreadChildren(pid: number | 'self', tid: number): number[] {
  const text = readProcFile(`/proc/${pid}/task/${tid}/children`);
  if (!text) return [];
  const out: number[] = [];
  for (const s of text.split(' ')) if (s.length > 0 && s !== '\n') out.push(Number(s));
  return out;
}

/** Children of every thread of a process. */
export function readChildren(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readTids(pid)) for (const c of readThreadChildren(pid, tid)) out.push(c);
  return out;
}

/** Children of the calling thread only (/proc/thread-self), the thread that runs child_process.spawn here. */
export function readOwnThreadChildren(): number[] {
  const text = readProcFile('/proc/thread-self/children');
  if (!text) return [];
  const out: number[] = [];
  for (const s of text.split(' ')) if (s.length > 0 && s !== '\n') out.push(Number(s));
  return out;
}

/**
 * Bytes received/sent by the network namespace of `pid`, summed over every interface except loopback
 * (loopback traffic never leaves the machine and would count each byte twice, once per direction).
 */
export function readNetDev(pid: number | 'self' = 'self'): NetBytes | null {
  const text = readProcFile(`/proc/${pid}/net/dev`);
  if (!text) return null;
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (line.slice(0, colon).trim() === 'lo') continue;
    const v = line.slice(colon + 1).trim().split(/\s+/);
    rx += Number(v[0] ?? 0);
    tx += Number(v[8] ?? 0);
  }
  return { rx, tx };
}

/**
 * Resets our own VmHWM to the current RSS (clear_refs "5", Linux ≥ 4.0) so that an in-process workflow's peak
 * is its own. Returns false when the kernel refuses it.
 */
export function resetSelfHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

let tck: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc (100 on every mainstream Linux); asked once from getconf. */
export function clkTck(): number {
  if (tck === undefined) tck = getconfNumber('CLK_TCK', 100);
  return tck;
}

let pagesz: number | undefined;
export function pageSize(): number {
  if (pagesz === undefined) pagesz = getconfNumber('PAGESIZE', 4096);
  return pagesz;
}

function getconfNumber(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** True when (pid, starttime) still names a live, non-zombie process. */
export function isAlive(pid: number, starttime?: number): boolean {
  const s = readStat(pid);
  if (!s) return false;
  if (s.state === 'Z' || s.state === 'X') return false;
  return starttime === undefined || s.starttime === starttime;
}
