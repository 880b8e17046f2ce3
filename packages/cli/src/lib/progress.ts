/**
 * Progress of a running lane: one line updated in place on an interactive terminal (iteration
 * i/N, elapsed, ETA, refreshed every second), plain lines per finished iteration when stderr is
 * not a TTY or CI is set. Written to stderr so stdout carries only results.
 */
import { safeOutput, visible, type ProgressEvent } from '@lanebench/core';
import { colors } from './colors.js';

export interface Progress {
  onProgress(e: ProgressEvent): void;
  done(): void;
}

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return m < 60
    ? `${m}m${String(rest).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgress(opts: {
  stream?: NodeJS.WriteStream;
  interactive: boolean;
  verbose: boolean;
}): Progress {
  const stream = opts.stream ?? process.stderr;
  const c = colors();
  let last: { e: ProgressEvent; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const label = (e: ProgressEvent) => `${c.bold(visible(e.lane))} › ${visible(e.workflow)}`;
  const keepSgr = c.level > 0;
  // the CLI's own cursor controls go in front of the sanitized line, never through it
  const safe = (line: string) => safeOutput(line, { keepSgr });
  const kind = (e: ProgressEvent) => (e.warmup ? 'warm-up' : 'iteration');

  function liveLine(): string {
    if (!last) return '';
    const { e, at } = last;
    const elapsed = e.elapsed_s + (Date.now() - at) / 1000;
    const eta = e.eta_s === null ? null : Math.max(0, e.eta_s - (Date.now() - at) / 1000);
    return `${label(e)}  ${kind(e)} ${e.iteration}/${e.total}  elapsed ${formatSeconds(elapsed)}  ETA ${formatSeconds(eta)}`;
  }

  function redraw(): void {
    stream.write(`\r\x1b[2K${safe(liveLine())}`);
  }

  return {
    onProgress(e) {
      last = { e, at: Date.now() };
      const finished = e.status !== 'running';
      const outcome =
        e.status === 'passed'
          ? c.green('passed')
          : e.status === 'running'
            ? 'started'
            : c.red(e.status === 'timeout' ? 'timed out' : 'failed');
      const line = `${label(e)}: ${kind(e)} ${e.iteration}/${e.total} ${outcome}${
        e.execution_time !== undefined ? ` in ${formatSeconds(e.execution_time)}` : ''
      } (elapsed ${formatSeconds(e.elapsed_s)}, ETA ${formatSeconds(e.eta_s)})`;
      if (opts.interactive) {
        // keep finished iterations on screen in verbose mode, and failures always
        if (finished && (opts.verbose || e.status !== 'passed')) stream.write(`\r\x1b[2K${safe(line)}\n`);
        redraw();
        if (!timer) {
          timer = setInterval(redraw, 1000);
          timer.unref();
        }
      } else if (finished || opts.verbose) {
        stream.write(`${safe(line)}\n`);
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (opts.interactive && last) stream.write('\r\x1b[2K');
    },
  };
}
