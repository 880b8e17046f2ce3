/**
 * Terminal output (colors: colors.ts; whether we are in CI: core's isCI). Loaded by `--help`: only core's small sanitize
 * entry here, not @lanebench/core itself. Every line the CLI prints passes the sanitizer (docs/SECURITY.md).
 */
import { colorLevel, safeOutput } from '@lanebench/core/sanitize';

/** Color sequences survive printing only when lanebench colors its output (then they are its own). */
let keepSgr: boolean | undefined;
function sanitized(text: string): string {
  keepSgr ??= colorLevel() > 0;
  const safe = safeOutput(text, { keepSgr });
  return safe.endsWith('\n') ? safe : `${safe}\n`;
}

/**
 * A reader that went away (`lanebench … | head -1`) must not turn into an EPIPE stack or cut the run short: the
 * measuring, history and reports go on, output to the closed stream is dropped, and the exit code is the run's.
 */
export function tolerateClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // EIO: the terminal went away (SIGHUP)
      if (e.code === 'EPIPE' || e.code === 'EIO' || e.code === 'ERR_STREAM_DESTROYED') return;
      throw e;
    });
  }
}

/** Whether a stream can still take output (false once its reader closed it). */
export function writable(stream: NodeJS.WriteStream): boolean {
  return !stream.destroyed && !stream.writableEnded;
}

export function out(text: string): void {
  if (writable(process.stdout)) process.stdout.write(sanitized(text));
}

/** Commander's own messages (they quote the bad argument as given): no colors of ours in them. */
export function errRaw(text: string): void {
  process.stderr.write(safeOutput(text));
}

export function err(text: string): void {
  if (writable(process.stderr)) process.stderr.write(sanitized(text));
}

/** A number for humans: up to 3 significant decimals, no exponent. */
export function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  if (abs >= 100) return v.toFixed(1);
  if (abs >= 1 || abs === 0) return v.toFixed(2);
  return v.toFixed(digits);
}

/** Left-aligned text table with two spaces between columns. */
export function table(rows: string[][], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}
