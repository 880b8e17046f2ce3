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
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STOP_FILE_ENV } from '@lanebench/core';
import { UsageError } from '../lib/errors.js';
import { err } from '../lib/output.js';
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
  opts: { env?: Record<string, string> | undefined; quiet?: boolean | undefined } = {},
): Promise<LaneRunnerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-lane-'));
  const stopFile = join(dir, `stop-${randomBytes(6).toString('hex')}`);
  const resultFile = join(dir, 'result.json');
  const inputFile = join(dir, 'input.json');
  writeFileSync(inputFile, JSON.stringify({ runner, launch, resultFile }));
  const launchEntry = `${STOP_FILE_ENV}=${stopFile}`;

  const host = spawn(process.execPath, [fileURLToPath(new URL('./runner-host.js', import.meta.url)), inputFile], {
    cwd: launch.cwd,
    // a session of its own: the terminal's Ctrl-C is ours to handle
    detached: true,
    // quiet (ab, calibrate: one short launch per side and pair): the runner's summaries would drown the table
    stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'],
    env: { ...process.env, ...opts.env, [STOP_FILE_ENV]: stopFile },
  });

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
    stop.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
