/**
 * Progress of a running lane: one line updated in place on an interactive terminal (iteration
 * i/N, elapsed, ETA, refreshed every second), plain lines per finished iteration when stderr is
 * not a TTY or CI is set, plus a line every LANEBENCH_PROGRESS_INTERVAL seconds (30) while an
 * iteration runs. Written to stderr so stdout carries only results. Both forms of `lanebench run`
 * use it: a command measured here, and a lane the runner measures (run-lane.ts feeds it the
 * workers' events and prints the runner's output above the live line).
 */
import { isCI, progressIntervalSeconds, safeOutput, visible, type ProgressEvent } from '@lanebench/core';
import { colors } from './colors.js';

export interface Progress {
  /** `at`: when the event happened (ms since the epoch; default now) */
  onProgress(e: ProgressEvent, at?: number): void;
  /** writes `text` (whole lines) to `stream` above the live line */
  above(stream: NodeJS.WritableStream, text: string): void;
  done(): void;
}

/** The live line is for a person at a terminal; CI logs and pipes get plain lines. */
export function interactiveTerminal(): boolean {
  return Boolean(process.stderr.isTTY) && !isCI();
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
  // not on a terminal: "still running" lines while an iteration runs (0: none)
  const heartbeatMs = opts.interactive ? 0 : progressIntervalSeconds() * 1000;
  let heartbeat: NodeJS.Timeout | undefined;

  const label = (e: ProgressEvent) => `${c.bold(visible(e.lane))} › ${visible(e.workflow)}`;
  const keepSgr = c.level > 0;
  // the CLI's own cursor controls go in front of the sanitized line, never through it
  const safe = (line: string) => safeOutput(line, { keepSgr });
  const kind = (e: ProgressEvent) => (e.warmup ? 'warm-up' : 'iteration');

  /** elapsed and ETA of the last event, moved on to now */
  function clock(): { elapsed: number; eta: number | null } {
    const { e, at } = last!;
    // after a finished iteration the clock stands until the next one starts (or the runner reports)
    const dt = e.status === 'running' ? Math.max(0, (Date.now() - at) / 1000) : 0;
    return { elapsed: e.elapsed_s + dt, eta: e.eta_s === null ? null : Math.max(0, e.eta_s - dt) };
  }

  function liveLine(): string {
    if (!last) return '';
    const { e } = last;
    const { elapsed, eta } = clock();
    return `${label(e)}  ${kind(e)} ${e.iteration}/${e.total}  elapsed ${formatSeconds(elapsed)}  ETA ${formatSeconds(eta)}`;
  }

  function stillRunningLine(): string {
    const { e } = last!;
    const { elapsed, eta } = clock();
    return `${label(e)}: ${kind(e)} ${e.iteration}/${e.total} running (elapsed ${formatSeconds(elapsed)}, ETA ${formatSeconds(eta)})`;
  }

  function redraw(): void {
    stream.write(`\r\x1b[2K${safe(liveLine())}`);
  }

  return {
    onProgress(e, at = Date.now()) {
      last = { e, at };
      const finished = e.status !== 'running';
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      if (!finished && heartbeatMs > 0) {
        heartbeat = setInterval(() => stream.write(`${safe(stillRunningLine())}\n`), heartbeatMs);
        heartbeat.unref();
      }
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
    above(out, text) {
      if (opts.interactive && last) stream.write('\r\x1b[2K');
      out.write(text);
      if (opts.interactive && last) redraw();
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      if (opts.interactive && last) stream.write('\r\x1b[2K');
    },
  };
}
