/**
 * The file store's layout, used to append, read and window without holding the whole file in one
 * string: `{"schema_version":1,"runs":[` on the first line, one run per line (`,` after all but the
 * last), `]}` on the last. Every earlier reader parses it as plain JSON. A file in any other layout
 * (hand-edited, pretty-printed, empty `{"schema_version":1,"runs":[]}`) is read whole and rewritten
 * in this layout by the next write.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { HISTORY_SCHEMA_VERSION, type Run } from '../types.js';
import { HistoryError } from './errors.js';
import { validateRun } from './schema.js';

export const HEADER = `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[`;
export const HEADER_LINE = Buffer.from(`${HEADER}\n`);
export const TAIL = Buffer.from('\n]}\n');
const NL = 0x0a;

/** A run line: the JSON of one run, with the `,` that separates it from the next removed. */
export function parseRunLine(where: string, text: string, index: number): Run {
  const json = text.endsWith(',') ? text.slice(0, -1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new HistoryError(
      where,
      `history file ${where} is not valid JSON (runs[${index}]: ${(err as Error).message}); it may be corrupt. ` +
        `It was left untouched: repair or move it away to start a new history.`,
      { cause: err },
    );
  }
  return validateRun(where, value, index);
}

/** Whether the file starts with the header line of the line layout (reads 29 bytes). */
export function hasLineLayout(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(HEADER_LINE.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return n === buf.length && buf.equals(HEADER_LINE);
  } finally {
    closeSync(fd);
  }
}

/** Calls `onLine` for every line of `file` with its byte offsets, streaming (no whole-file string). */
export async function forEachLine(
  file: string,
  onLine: (line: Buffer, start: number, end: number) => boolean | void,
): Promise<void> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer[] = [];
  let carryLen = 0;
  let offset = 0; // file offset of the first byte of carry
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(NL, from);
        if (nl < 0) break;
        const piece = chunk.subarray(from, nl);
        const line = carryLen ? Buffer.concat([...carry, piece]) : piece;
        const start = offset;
        const end = start + line.length;
        carry = [];
        carryLen = 0;
        offset = end + 1;
        if (onLine(line, start, end) === false) return;
        from = nl + 1;
      }
      if (from < chunk.length) {
        const rest = chunk.subarray(from);
        carry.push(Buffer.from(rest));
        carryLen += rest.length;
      }
    }
    if (carryLen) {
      const line = Buffer.concat(carry);
      onLine(line, offset, offset + line.length);
    }
  } finally {
    stream.destroy();
  }
}

/** A torn end: the bytes after the last complete run, left by a writer that was interrupted. */
export interface TornTail {
  /** offset just after the last complete run's `}` (or after the header's `[`) */
  goodEnd: number;
  /** the bytes from goodEnd to the end of the file */
  bytes: number;
}

export interface LineScan {
  /** runs in file order (duplicates of an id included) */
  runs: Run[];
  /** null when the file ends with the `]}` line */
  torn: TornTail | null;
  /** offset just after the last complete run's `}`, or after the header's `[` */
  goodEnd: number;
}

/**
 * Reads a file in the line layout, streaming. A bad line followed by more lines is corruption
 * (HistoryError, nothing changed). A bad last line without the closing `]}` is a torn append: it is
 * reported in `torn`, never mistaken for the end of the runs before it. `keep` filters what is kept
 * in memory (a pass that only needs ids, or a window).
 */
export async function scanLineFile(file: string, keep: (run: Run) => boolean = () => true): Promise<LineScan> {
  const runs: Run[] = [];
  const st: {
    first: boolean;
    index: number;
    goodEnd: number;
    ended: boolean;
    pending: { text: string; start: number; index: number } | null;
    corrupt: HistoryError | null;
  } = { first: true, index: 0, goodEnd: HEADER.length, ended: false, pending: null, corrupt: null };
  await forEachLine(file, (line, start) => {
    if (st.first) {
      st.first = false;
      return;
    }
    if (line.length === 0) return;
    const text = line.toString('utf8');
    if (text === ']}') {
      st.ended = true;
      return false;
    }
    if (st.pending) {
      // a bad line with lines after it: not a torn append
      st.corrupt = lineError(file, st.pending.text, st.pending.index);
      return false;
    }
    let run: Run;
    try {
      run = parseRunLine(file, text, st.index);
    } catch (err) {
      if (!(err instanceof HistoryError) || !isJsonError(text)) {
        st.corrupt = err as HistoryError;
        return false;
      }
      st.pending = { text, start, index: st.index };
      return;
    }
    if (keep(run)) runs.push(run);
    st.goodEnd = start + Buffer.byteLength(text.endsWith(',') ? text.slice(0, -1) : text);
    st.index++;
  });
  if (st.corrupt) throw st.corrupt;
  if (st.ended && st.pending) throw lineError(file, st.pending.text, st.pending.index);
  if (st.ended) return { runs, torn: null, goodEnd: st.goodEnd };
  // no closing line: an interrupted append. A complete run may sit before junk on the last line
  // (`{…},]}` when only the separator landed): keep it.
  if (st.pending) {
    const salvaged = salvageRun(file, st.pending.text, st.pending.index);
    if (salvaged) {
      if (keep(salvaged.run)) runs.push(salvaged.run);
      st.goodEnd = st.pending.start + salvaged.bytes;
    }
  }
  const size = fileSize(file);
  return { runs, torn: { goodEnd: st.goodEnd, bytes: size - st.goodEnd }, goodEnd: st.goodEnd };
}

function isJsonError(text: string): boolean {
  try {
    JSON.parse(text.endsWith(',') ? text.slice(0, -1) : text);
    return false;
  } catch {
    return true;
  }
}

function lineError(file: string, text: string, index: number): HistoryError {
  try {
    parseRunLine(file, text, index);
  } catch (err) {
    return err as HistoryError;
  }
  return new HistoryError(file, `history file ${file}: runs[${index}] could not be read`);
}

/** The longest prefix of a torn line that is one complete, valid run (tries the last few `}`). */
function salvageRun(file: string, text: string, index: number): { run: Run; bytes: number } | null {
  let cut = text.length;
  for (let tries = 0; tries < 8; tries++) {
    cut = text.lastIndexOf('}', cut - 1);
    if (cut < 0) return null;
    const prefix = text.slice(0, cut + 1);
    try {
      return { run: validateRun(file, JSON.parse(prefix), index), bytes: Buffer.byteLength(prefix) };
    } catch {
      /* not yet a whole run */
    }
  }
  return null;
}

function fileSize(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads lines from the end of `file` backwards, in 1 MiB blocks, until `onLine` returns false or
 * the header is reached: a window read touches only the runs it needs.
 */
export async function forEachLineBackwards(
  file: string,
  onLine: (text: string) => boolean | void,
  block = 1 << 20,
): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    let pos = size;
    let carry: Buffer = Buffer.alloc(0); // the start of a line whose beginning is in an earlier block
    while (pos > 0) {
      const len = Math.min(block, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      await handle.read(buf, 0, len, pos);
      let data = carry.length ? Buffer.concat([buf, carry]) : buf;
      let end = data.length;
      for (;;) {
        const nl = data.lastIndexOf(NL, end - 1);
        if (nl < 0) break;
        if (end > nl + 1 && onLine(data.toString('utf8', nl + 1, end)) === false) return;
        end = nl;
      }
      carry = Buffer.from(data.subarray(0, end));
      data = Buffer.alloc(0);
    }
    if (carry.length) onLine(carry.toString('utf8'));
  } finally {
    await handle.close();
  }
}
