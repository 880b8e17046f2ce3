/**
 * Small synchronous readers of Linux /proc files.
 *
 * The sampler calls these many times per second, so they avoid readFileSync (which fstat()s and allocates per
 * call): each read is open + one pread into a shared buffer + close, about 15 µs. Every reader returns null
 * (or an empty result) when the process is gone or the file is unreadable: processes exit between any two reads.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';

/** /proc/<pid>/stat fields we use. CPU times are in clock ticks (see clkTck()), rss in pages. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** session id: lanebench spawns commands detached, so each is the leader of its own session */
  session: number;
  /** minor faults of reaped children: changes whenever this process reaps a child (any process that ran faults) */
  cminflt: number;
  utime: number;
  stime: number;
  /** CPU of reaped (waited-for) children, which already include their own reaped descendants */
  cutime: number;
  cstime: number;
  /** clock ticks after boot; (pid, starttime) identifies a process across pid reuse */
  starttime: number;
  rssPages: number;
  numThreads: number;
}

export interface ProcIo {
  read_bytes: number;
  write_bytes: number;
  /** bytes of dirtied page cache that never reached storage (truncated or deleted before writeback) */
  cancelled_write_bytes: number;
}

export interface NetBytes {
  rx: number;
  tx: number;
  /** bytes sent over loopback (each byte is also received there, so one direction is the traffic) */
  lo: number;
}

export const hasProcfs: boolean = process.platform === 'linux' && existsSync('/proc/self/stat');

// 16 KiB: /proc/<pid>/status of a process with many threads/groups is ~1.5 KiB, net/dev grows with interfaces.
const buf = Buffer.allocUnsafe(16384);

/**
 * Open descriptors of /proc files read at every sample. A /proc file can be re-read with pread at offset 0 (the
 * kernel regenerates it), which saves the path lookup of open() and the close(); that is a third of a read's cost.
 * A descriptor stays bound to the process it was opened for: once that process is gone, reads fail with ESRCH and
 * the entry is dropped, so a reused pid is never read through a stale descriptor.
 */
const fdCache = new Map<string, number>();
const FD_CACHE_MAX = 512;
let fdCaching = 0;

/** Sampler start/stop: descriptors are kept only while at least one sampler runs. */
export function retainProcFds(): void {
  fdCaching++;
}
export function releaseProcFds(): void {
  fdCaching = Math.max(0, fdCaching - 1);
  if (fdCaching > 0) return;
  // Our own files stay open for the next iteration (a handful, never stale): reopening them each iteration was a
  // measurable part of the per-iteration overhead.
  for (const [path, fd] of fdCache) {
    if (path.startsWith('/proc/self/') || path === '/proc/uptime') continue;
    safeClose(fd);
    fdCache.delete(path);
  }
}

function safeClose(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}

function readFd(fd: number): number {
  let len = 0;
  // /proc files are generated on read (seq_file): a read fills the buffer as far as the content goes, so a short
  // read is the end and saves the extra read() that would only return 0.
  for (;;) {
    const want = buf.length - len;
    const n = readSync(fd, buf, len, want, len);
    if (n <= 0) break;
    len += n;
    if (n < want || len >= buf.length) break;
  }
  return len;
}

/** Reads a /proc file into the shared buffer; returns its text or null when it cannot be read. */
export function readProcFile(path: string, cache = true): string | null {
  const len = readProcBytes(path, cache);
  return len < 0 ? null : buf.toString('latin1', 0, len);
}

/** Reads a /proc file into the shared buffer; returns its length, or -1 when it cannot be read. */
function readProcBytes(path: string, cache = true): number {
  if (fdCaching > 0 && cache) {
    const cached = fdCache.get(path);
    if (cached !== undefined) {
      try {
        return readFd(cached);
      } catch {
        fdCache.delete(path);
        safeClose(cached);
        // the process is gone (ESRCH): fall through to a fresh open, which finds a reused pid's new process or nothing
      }
    }
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  let keep = false;
  try {
    const len = readFd(fd);
    if (cache && fdCaching > 0 && fdCache.size < FD_CACHE_MAX) {
      fdCache.set(path, fd);
      keep = true;
    }
    return len;
  } catch {
    return -1;
  } finally {
    if (!keep) safeClose(fd);
  }
}

/**
 * Parses /proc/<pid>/stat. `comm` may contain spaces and parentheses, so fields are counted after the last ')'.
 * Scans once and converts only the fields used (this runs for every process at every sample).
 */
export function readStat(pid: number | 'self', cache = true): ProcStat | null {
  const text = readProcFile(`/proc/${pid}/stat`, cache);
  if (!text) return null;
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Field numbers of proc(5): 3 state, 4 ppid, 5 pgrp, 6 session, 11 cminflt, 14 utime, 15 stime, 16 cutime,
  // 17 cstime, 20 num_threads, 22 starttime, 24 rss.
  const out: ProcStat = {
    pid: parseInt(text, 10),
    state: text.charAt(close + 2),
    ppid: 0,
    pgrp: 0,
    session: 0,
    cminflt: 0,
    utime: 0,
    stime: 0,
    cutime: 0,
    cstime: 0,
    starttime: 0,
    rssPages: 0,
    numThreads: 0,
  };
  let field = 3;
  let pos = close + 2;
  while (field < 24) {
    const next = text.indexOf(' ', pos);
    if (next < 0) return null;
    pos = next + 1;
    field++;
    switch (field) {
      case 4:
        out.ppid = parseInt(text.slice(pos, pos + 12), 10);
        break;
      case 5:
        out.pgrp = parseInt(text.slice(pos, pos + 12), 10);
        break;
      case 6:
        out.session = parseInt(text.slice(pos, pos + 12), 10);
        break;
      case 11:
        out.cminflt = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 14:
        out.utime = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 15:
        out.stime = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 16:
        out.cutime = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 17:
        out.cstime = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 20:
        out.numThreads = parseInt(text.slice(pos, pos + 12), 10);
        break;
      case 22:
        out.starttime = parseInt(text.slice(pos, pos + 24), 10);
        break;
      case 24:
        out.rssPages = parseInt(text.slice(pos, pos + 24), 10);
        break;
    }
  }
  return out;
}

const VMHWM = Buffer.from('VmHWM:');
/** VmHWM (peak resident set) of a live process, in bytes; null for zombies and kernel threads. */
export function readHwmBytes(pid: number | 'self'): number | null {
  // Searched in the raw bytes: decoding the whole ~1.5 KB status file into a string at every sample feeds the GC.
  const len = readProcBytes(`/proc/${pid}/status`);
  if (len < 0) return null;
  let i = buf.indexOf(VMHWM);
  if (i < 0 || i + VMHWM.length > len) return null; // beyond len is an older file's content
  i += VMHWM.length;
  while (i < len && (buf[i] === 32 || buf[i] === 9)) i++; // spaces, tabs
  let kb = 0;
  let digits = 0;
  while (i < len) {
    const c = buf[i] as number;
    if (c < 48 || c > 57) break;
    kb = kb * 10 + (c - 48);
    digits++;
    i++;
  }
  return digits > 0 ? kb * 1024 : null;
}

/** Block I/O of a process (its threads plus its reaped children), from /proc/<pid>/io. */
export function readIo(pid: number | 'self'): ProcIo | null {
  const text = readProcFile(`/proc/${pid}/io`);
  if (!text) return null;
  const field = (name: string): number => {
    const i = text.indexOf(`\n${name}: `);
    return i < 0 ? 0 : Number(text.slice(i + name.length + 3, text.indexOf('\n', i + 1)));
  };
  return {
    read_bytes: field('read_bytes'),
    write_bytes: field('write_bytes'),
    cancelled_write_bytes: field('cancelled_write_bytes'),
  };
}

/** Thread ids of a process (empty when it is gone). */
export function readTids(pid: number | 'self'): number[] {
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

/**
 * Children of every thread of a process. With `numThreads` 1 (from its stat) the only thread is the process itself,
 * which saves listing /proc/<pid>/task.
 */
export function readChildren(pid: number, numThreads?: number): number[] {
  if (numThreads === 1) return readThreadChildren(pid, pid);
  const out: number[] = [];
  for (const tid of readTids(pid)) for (const c of readThreadChildren(pid, tid)) out.push(c);
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
  let lo = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const v = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (line.slice(0, colon).trim() === 'lo') {
      lo += Number(v[8] ?? 0);
      continue;
    }
    rx += Number(v[0] ?? 0);
    tx += Number(v[8] ?? 0);
  }
  return { rx, tx, lo };
}

const PSS = Buffer.from('\nPss:');
/**
 * Proportional set size of a process (/proc/<pid>/smaps_rollup, Linux ≥ 4.14): each resident page divided by the
 * number of processes mapping it, so summing it over processes counts a shared (copy-on-write) page once. Dearer
 * than statm (the kernel walks the page tables: ~0.1–2 ms for a big process), so the sampler reads it sparingly.
 * Null when unavailable (old kernel, zombie, gone).
 */
export function readPssBytes(pid: number | 'self'): number | null {
  const len = readProcBytes(`/proc/${pid}/smaps_rollup`, false);
  if (len < 0) return null;
  let i = buf.indexOf(PSS);
  if (i < 0 || i + PSS.length > len) return null;
  i += PSS.length;
  while (i < len && (buf[i] === 32 || buf[i] === 9)) i++;
  let kb = 0;
  let digits = 0;
  while (i < len) {
    const c = buf[i] as number;
    if (c < 48 || c > 57) break;
    kb = kb * 10 + (c - 48);
    digits++;
    i++;
  }
  return digits > 0 ? kb * 1024 : null;
}

/**
 * Whether a process no longer holds an address space: gone from /proc, or a zombie / dead task (its memory is freed
 * before it is reaped). Used when its PSS cannot be read, to tell "exited meanwhile" (charge 0) from "not readable".
 */
export function processMemoryGone(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return true;
  }
  // the state follows the command name, which is in parentheses and may itself contain ')'
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X' || state === 'x';
}

/** Our own current RSS in bytes (VmRSS of /proc/self/status). */
export function readSelfRssBytes(): number | null {
  const s = readStat('self');
  return s ? s.rssPages * pageSize() : null;
}

/**
 * True when the environment of `pid` (/proc/<pid>/environ: NUL-separated, as it was at exec) contains `entry`
 * (`NAME=value`) exactly. Read in chunks, so a large environment is searched to its end. False when unreadable
 * (another user's process, gone).
 */
export function environHas(pid: number, entry: string): boolean {
  const needle = Buffer.from(`${entry}\0`);
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false;
  }
  try {
    const chunk = Buffer.allocUnsafe(65536 + needle.length);
    let carry = 0;
    let pos = 0;
    let first = true;
    for (;;) {
      const n = readSync(fd, chunk, carry, 65536, pos);
      if (n <= 0) return false;
      const end = carry + n;
      const view = chunk.subarray(0, end);
      // match at the very start, or after a NUL (so OTHER_LANEBENCH_ITERATION_ID=… does not count)
      if (first && view.subarray(0, needle.length).equals(needle)) return true;
      first = false;
      const sep = Buffer.concat([Buffer.from([0]), needle]);
      if (view.indexOf(sep) >= 0) return true;
      pos += n;
      carry = Math.min(sep.length - 1, end);
      chunk.copy(chunk, 0, end - carry, end);
    }
  } catch {
    return false;
  } finally {
    safeClose(fd);
  }
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

let auxv: Map<number, number> | null | undefined;
/**
 * Our ELF auxiliary vector (/proc/self/auxv): the kernel passes AT_CLKTCK and AT_PAGESZ to every process there, so
 * no `getconf` child is needed (spawning one would cost more CPU than hundreds of samples).
 */
function readAuxv(): Map<number, number> | null {
  if (auxv !== undefined) return auxv;
  auxv = null;
  try {
    const b = readFileSync('/proc/self/auxv');
    const word = /64/.test(process.arch) || process.arch === 's390x' ? 8 : 4;
    const le = endianness() === 'LE';
    const m = new Map<number, number>();
    for (let off = 0; off + 2 * word <= b.length; off += 2 * word) {
      const read = (o: number): number =>
        word === 8
          ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o))
          : le
            ? b.readUInt32LE(o)
            : b.readUInt32BE(o);
      const type = read(off);
      if (type === 0) break; // AT_NULL
      m.set(type, read(off + word));
    }
    auxv = m;
  } catch {
    /* fall back to getconf */
  }
  return auxv;
}

const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

let tck: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc (100 on every mainstream Linux). */
export function clkTck(): number {
  if (tck === undefined) tck = fromAuxv(AT_CLKTCK) ?? getconfNumber('CLK_TCK', 100);
  return tck;
}

let pagesz: number | undefined;
export function pageSize(): number {
  if (pagesz === undefined) pagesz = fromAuxv(AT_PAGESZ) ?? getconfNumber('PAGESIZE', 4096);
  return pagesz;
}

function fromAuxv(type: number): number | undefined {
  const v = hasProcfs ? readAuxv()?.get(type) : undefined;
  return v !== undefined && v > 0 ? v : undefined;
}

function getconfNumber(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Pids of every process (the numeric entries of /proc). */
export function listPids(): number[] {
  const out: number[] = [];
  try {
    for (const name of readdirSync('/proc')) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) out.push(Number(name));
    }
  } catch {
    /* no /proc */
  }
  return out;
}
