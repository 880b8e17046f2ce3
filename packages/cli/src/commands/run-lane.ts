/**
 * Driving the lane's runner (Vitest or Jest) for `lanebench run --lane L` without `--`, so that a signal stops the
 * whole tree and keeps what finished (issue 11 item 2, runner-driven lanes).
 *
 * The runner runs in a child process (runner-host.ts) in a session of its own: a Ctrl-C at the terminal reaches
 * only us, never the runner's workers directly (they would die with the partial run in memory). On SIGINT, SIGTERM
 * or SIGHUP we write the signal's name into the stop file every runWorkflow of the launch watches
 * (LANEBENCH_STOP_FILE): the running workflow's iteration tree is killed (SIGTERM, grace, SIGKILL), its finished
 * iterations are recorded as a partial run, no further workflow starts, and the runner's reporter writes the history
 * and the reports as usual. A second signal adds `now` (skip the grace); a third SIGKILLs everything of the launch
 * and quits without saving. Whatever of the launch is still alive when the runner has exited is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRESS_EVENTS_ENV, STOP_FILE_ENV, type ProgressEventRecord } from '@lanebench/core';
import { colors } from '../lib/colors.js';
import { UsageError } from '../lib/errors.js';
import { err } from '../lib/output.js';
import { createProgress, type Progress } from '../lib/progress.js';
import { onStopSignals, signalExitCode } from '../lib/stop-signals.js';
import type { RunnerLaunch } from '../runners/types.js';

export interface LaneRunnerResult {
  /** the runner's exit code */
  code: number;
  /** the signal that stopped the lane, if one did */
  received: NodeJS.Signals | undefined;
}

/** Live pids (not this one) whose environment carries `entry` exactly. */
function carriersOf(entry: string): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) out.push(Number(name));
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

function killAll(pids: number[]): number {
  let n = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch {
      /* already gone */
    }
  }
  return n;
}

export async function driveLaneRunner(
  runner: 'vitest' | 'jest',
  launch: RunnerLaunch,
  opts: {
    env?: Record<string, string> | undefined;
    quiet?: boolean | undefined;
    /** draw the live progress line on this terminal (the runner's output then passes through us) */
    live?: boolean | undefined;
  } = {},
): Promise<LaneRunnerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-lane-'));
  const stopFile = join(dir, `stop-${randomBytes(6).toString('hex')}`);
  const resultFile = join(dir, 'result.json');
  const inputFile = join(dir, 'input.json');
  writeFileSync(inputFile, JSON.stringify({ runner, launch, resultFile }));
  const launchEntry = `${STOP_FILE_ENV}=${stopFile}`;
  const live = Boolean(opts.live) && !opts.quiet;
  const eventsFile = join(dir, 'progress.jsonl');
  if (live) writeFileSync(eventsFile, '');

  const host = spawn(process.execPath, [fileURLToPath(new URL('./runner-host.js', import.meta.url)), inputFile], {
    cwd: launch.cwd,
    // a session of its own: the terminal's Ctrl-C is ours to handle
    detached: true,
    // quiet (ab, calibrate: one short launch per side and pair): the runner's summaries would drown the table
    // live: the runner's output comes through us, so that it is written above the live line, never through it
    stdio: ['ignore', opts.quiet ? 'ignore' : live ? 'pipe' : 'inherit', live ? 'pipe' : 'inherit'],
    env: {
      ...process.env,
      ...opts.env,
      [STOP_FILE_ENV]: stopFile,
      // the workers send their progress events to the file instead of printing lines; the pipe would turn the
      // runner's colors off, though the terminal at its end shows them
      ...(live ? { [PROGRESS_EVENTS_ENV]: eventsFile } : {}),
      ...(live && colors().level > 0 && process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: '1' } : {}),
    },
  });
  const progress = live ? followLane(host, eventsFile, Boolean(launch.verbose)) : undefined;

  const stop = onStopSignals({
    what: ` lane '${launch.lane}'`,
    stop: (sig) => writeFileSync(stopFile, `${sig}\n`),
    killNow: () => appendFileSync(stopFile, 'now\n'),
    beforeQuit: () => {
      killAll(carriersOf(launchEntry));
      rmSync(dir, { recursive: true, force: true });
    },
  });

  try {
    const code = await new Promise<number>((resolve, reject) => {
      host.on('error', reject);
      host.on('exit', (c, s) => resolve(c ?? (s ? signalExitCode(s) : 1)));
    });
    // workers or workflow processes the runner left behind are orphans now
    const left = killAll(carriersOf(launchEntry));
    // the rest of the runner's output (an orphan killed above may have held the pipe open)
    await progress?.drained(2000);
    progress?.stop();
    if (left > 0)
      err(`lanebench: killed ${left} process(es) of lane '${launch.lane}' still running after the runner exited`);
    let failure: { usage: boolean; name: string; message: string } | undefined;
    try {
      failure = JSON.parse(readFileSync(resultFile, 'utf8')) as typeof failure;
    } catch {
      failure = undefined;
    }
    if (failure?.usage) throw Object.assign(new UsageError(failure.message), { name: failure.name });
    if (failure) throw new Error(failure.message);
    return { code, received: stop.received };
  } finally {
    progress?.stop();
    stop.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The ad-hoc mode's live line (lib/progress.ts) for a lane the runner measures: the workers' events from the
 * events file (read every 200 ms), the runner's stdout and stderr written above the line, whole lines at a time.
 */
function followLane(
  host: ChildProcess,
  eventsFile: string,
  verbose: boolean,
): { drained(ms: number): Promise<void>; stop(): void } {
  const progress: Progress = createProgress({ interactive: true, verbose });
  const fd = openSync(eventsFile, 'r');
  let pending = '';
  const buf = Buffer.alloc(64 * 1024);
  const readEvents = (): void => {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) pending += buf.toString('utf8', 0, n);
    const end = pending.lastIndexOf('\n');
    if (end < 0) return;
    const lines = pending.slice(0, end).split('\n');
    pending = pending.slice(end + 1);
    for (const line of lines) {
      try {
        const { at, event } = JSON.parse(line) as ProgressEventRecord;
        progress.onProgress(event, at);
      } catch {
        /* a line a worker wrote half of as it was killed */
      }
    }
  };
  const poll = setInterval(readEvents, 200);
  const forwards = [
    [host.stdout, process.stdout],
    [host.stderr, process.stderr],
  ] as const;
  const flushers: Array<() => void> = [];
  for (const [from, to] of forwards) {
    if (!from) continue;
    let partial = '';
    from.setEncoding('utf8');
    from.on('data', (chunk: string) => {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n');
      partial = text.slice(end + 1);
      if (end >= 0) progress.above(to, text.slice(0, end + 1));
    });
    flushers.push(() => {
      if (partial) progress.above(to, `${partial}\n`);
      partial = '';
    });
  }
  const ended = forwards.map(
    ([from]) => new Promise<void>((resolve) => (from && !from.readableEnded ? from.on('end', resolve) : resolve())),
  );
  let stopped = false;
  return {
    async drained(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([Promise.all(ended), timeout]);
      clearTimeout(timer);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      readEvents();
      closeSync(fd);
      for (const flush of flushers) flush();
      progress.done();
    },
  };
}
