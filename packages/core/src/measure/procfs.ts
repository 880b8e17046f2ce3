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
  /** minor / major page faults of the process itself: its resident memory cannot grow without them */
  minflt: number;
  majflt: number;
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
  /**
   * Start of the text and of the stack of its address space: a forked child keeps its parent's until it execs, when
   * both are placed afresh (address-space randomization). 0 or 1: not known (no address space, or not permitted).
   */
  startcode: number;
  startstack: number;
  /** signal sent to the parent at its exit: -1 for a thread other than a process's main one */
  exitSignal: number;
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
    if (path.startsWith('/proc/self/') || path === '/proc/uptime' || path === '/proc/loadavg') continue;
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
  // Processes exit between any two reads, so failures are routine here: without a stack trace an exception costs
  // about half as much (nothing here ever shows one).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return readProcBytesUnlimited(path, cache);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function readProcBytesUnlimited(path: string, cache: boolean): number {
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
 * Parsed from the raw bytes in one pass (this runs for every process at every sample: decoding to a string and
 * slicing out every field fed the GC, whose helper threads cost as much CPU as the reads).
 */
export function readStat(pid: number | 'self', cache = true): ProcStat | null {
  const len = readProcBytes(`/proc/${pid}/stat`, cache);
  if (len <= 0) return null;
  const close = buf.lastIndexOf(0x29, len - 1); // ')'
  if (close < 0) return null;
  const out: ProcStat = {
    pid: 0,
    state: String.fromCharCode(buf[close + 2] ?? 63),
    ppid: 0,
    pgrp: 0,
    session: 0,
    minflt: 0,
    cminflt: 0,
    majflt: 0,
    utime: 0,
    stime: 0,
    cutime: 0,
    cstime: 0,
    starttime: 0,
    rssPages: 0,
    numThreads: 0,
    startcode: 0,
    startstack: 0,
    exitSignal: 0,
  };
  for (let i = 0; i < close; i++) {
    const c = buf[i] as number;
    if (c < 48 || c > 57) break;
    out.pid = out.pid * 10 + (c - 48);
  }
  // Field numbers of proc(5): 3 state, 4 ppid, 5 pgrp, 6 session, 10 minflt, 11 cminflt, 12 majflt, 14 utime,
  // 15 stime, 16 cutime, 17 cstime, 20 num_threads, 22 starttime, 24 rss, 26 startcode, 28 startstack,
  // 38 exit_signal (the only one we keep that can be negative).
  let field = 3;
  let i = close + 3; // the space after the state
  let v = 0;
  let neg = false;
  while (i < len && field <= 38) {
    const c = buf[i] as number;
    i++;
    if (c === 32 || c === 10) {
      switch (field) {
        case 4:
          out.ppid = v;
          break;
        case 5:
          out.pgrp = v;
          break;
        case 6:
          out.session = v;
          break;
        case 10:
          out.minflt = v;
          break;
        case 11:
          out.cminflt = v;
          break;
        case 12:
          out.majflt = v;
          break;
        case 14:
          out.utime = v;
          break;
        case 15:
          out.stime = v;
          break;
        case 16:
          out.cutime = v;
          break;
        case 17:
          out.cstime = v;
          break;
        case 20:
          out.numThreads = v;
          break;
        case 22:
          out.starttime = v;
          break;
        case 24:
          out.rssPages = v;
          break;
        case 26:
          out.startcode = v;
          break;
        case 28:
          out.startstack = v;
          break;
        case 38:
          out.exitSignal = neg ? -v : v;
          break;
      }
      field++;
      v = 0;
      neg = false;
    } else if (c >= 48 && c <= 57) v = v * 10 + (c - 48);
    else if (c === 45) neg = true;
  }
  if (field < 25) return null; // truncated
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
export function readThreadChildren(pid: number | 'self', tid: number, out: number[] = []): number[] {
  const len = readProcBytes(`/proc/${pid}/task/${tid}/children`);
  // space-separated pids, parsed from the bytes (no string per read)
  let v = -1;
  for (let i = 0; i < len; i++) {
    const c = buf[i] as number;
    if (c >= 48 && c <= 57) v = (v < 0 ? 0 : v * 10) + (c - 48);
    else if (v >= 0) {
      out.push(v);
      v = -1;
    }
  }
  if (v >= 0) out.push(v);
  return out;
}

/**
 * Time the main thread of a process has run, in ns (first field of /proc/<pid>/schedstat), read before its stat:
 * unchanged means it did not run meanwhile, so it cannot have changed its memory, faulted, forked or exited.
 * -1 when unavailable (no schedstat in this kernel, gone).
 */
export function readRunNs(pid: number): number {
  const len = readProcBytes(`/proc/${pid}/schedstat`);
  let v = -1;
  for (let i = 0; i < len; i++) {
    const c = buf[i] as number;
    if (c < 48 || c > 57) break;
    v = (v < 0 ? 0 : v * 10) + (c - 48);
  }
  return v;
}

/**
 * Children of every thread of a process. With `numThreads` 1 (from its stat) the only thread is the process itself,
 * which saves listing /proc/<pid>/task.
 */
export function readChildren(pid: number, numThreads?: number, out: number[] = []): number[] {
  if (numThreads === 1) return readThreadChildren(pid, pid, out);
  for (const tid of readTids(pid)) readThreadChildren(pid, tid, out);
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
let environChunk: Buffer | null = null;
let environEntry = '';
let environNeedle = Buffer.alloc(0);
let environSep = Buffer.alloc(0);
export function environHas(pid: number, entry: string): boolean {
  // The buffers are made once per cookie (every new pid of the machine may be read: no 64 KiB allocation each).
  if (entry !== environEntry || environChunk === null) {
    environEntry = entry;
    environNeedle = Buffer.from(`${entry}\0`);
    environSep = Buffer.concat([Buffer.from([0]), environNeedle]);
    environChunk = Buffer.allocUnsafe(65536 + environSep.length);
  }
  const needle = environNeedle;
  const sep = environSep;
  const chunk = environChunk;
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false;
  }
  try {
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

/**
 * The id most recently handed out in our pid namespace (last field of /proc/loadavg; threads take ids too), null
 * when unknown. Ids are handed out in increasing order up to pid_max, then from the bottom again, so the processes
 * created after a reading are among the ids after it: they can be probed without listing /proc.
 */
export function lastPid(): number | null {
  const len = readProcBytes('/proc/loadavg');
  if (len <= 0) return null;
  let i = len - 1;
  while (i >= 0 && (buf[i] === 10 || buf[i] === 32)) i--;
  let v = 0;
  let mul = 1;
  let digits = 0;
  for (; i >= 0; i--) {
    const c = buf[i] as number;
    if (c < 48 || c > 57) break;
    v += (c - 48) * mul;
    mul *= 10;
    digits++;
  }
  return digits > 0 && i >= 0 && buf[i] === 32 ? v : null;
}

let pidMaxCache: number | null | undefined;
/** /proc/sys/kernel/pid_max (null when unreadable). */
export function pidMax(): number | null {
  if (pidMaxCache === undefined) {
    const v = Number(readProcFile('/proc/sys/kernel/pid_max', false)?.trim());
    pidMaxCache = Number.isInteger(v) && v > 1 ? v : null;
  }
  return pidMaxCache;
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
