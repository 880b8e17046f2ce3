/**
 * The start-up reaper (issue 11, the gap after item 2): when the process that measures an iteration is killed
 * mid-iteration (SIGKILL: no handler, no sweep), the iteration's tree lives on, carrying its
 * LANEBENCH_ITERATION_ID. The next run kills those carriers and says so in its notes, and leaves a live concurrent
 * run's processes alone. Real processes: a real lanebench killed with SIGKILL, a real concurrent run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, readHistoryFile, tempDir } from './cli-helpers.js';

const linux = process.platform === 'linux';
const markers: string[] = [];

/** Live (not zombie) pids whose environment carries `marker`. */
function carriers(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

afterAll(() => {
  for (const m of markers)
    for (const pid of carriers(m)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
});

function startRun(dir: string, command: string): { child: ChildProcess; marker: string } {
  const marker = `LANEBENCH_REAPER_TEST=${randomUUID()}`;
  markers.push(marker);
  const [key, value] = marker.split('=') as [string, string];
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--lane', 'docs', '--iterations', '1', '--timeout', '300', '--name', 'held', '--', command],
    { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', CI: 'true', [key]: value } },
  );
  return { child, marker };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cookieOf(pid: number): string | undefined {
  return readFileSync(`/proc/${pid}/environ`, 'latin1')
    .split('\0')
    .find((e) => e.startsWith('LANEBENCH_ITERATION_ID='));
}

describe.skipIf(!linux)('start-up reaper of stale LANEBENCH_ITERATION_IDs', () => {
  it('kills what a SIGKILLed run left (a setsid daemon too), notes it, and spares a live concurrent run', async () => {
    // run B: alive and mid-iteration while C starts; its processes are not stale. Started before A dies, so that
    // its own start-up reap does not take A's leftovers away from C.
    const live = startRun(tempDir('reaper-live'), 'sleep 3003');
    await waitFor('run B to be mid-iteration', () => carriers(live.marker).map(cmdline).includes('sleep 3003'));

    // run A: its iteration starts a setsid daemon and a plain child, then A is SIGKILLed mid-iteration
    const dead = startRun(tempDir('reaper-dead'), 'setsid -f sleep 3001; sleep 3002');
    await waitFor('run A to be mid-iteration', () => {
      const cmds = carriers(dead.marker).map(cmdline);
      return cmds.includes('sleep 3001') && cmds.includes('sleep 3002');
    });
    dead.child.kill('SIGKILL');
    await new Promise((r) => dead.child.on('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    const orphans = carriers(dead.marker);
    expect(orphans.map(cmdline).sort(), 'the orphans A left').toEqual(
      expect.arrayContaining(['sleep 3001', 'sleep 3002']),
    );
    const staleCookie = cookieOf(orphans[0]!)!;
    expect(staleCookie).toMatch(/^LANEBENCH_ITERATION_ID=.+\.1$/);

    // run C reaps at its start
    const dir = tempDir('reaper-next');
    const r = spawnSync(process.execPath, [CLI, 'run', '--lane', 'docs', '--iterations', '1', '--', 'true'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      timeout: 120_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(carriers(dead.marker), "A's leftovers are gone").toEqual([]);
    expect(carriers(live.marker).map(cmdline), "B's iteration is untouched").toContain('sleep 3003');
    const notes = readHistoryFile(dir).runs[0]!.notes?.join('\n') ?? '';
    expect(notes).toMatch(/killed \d+ leftover process\(es\) of earlier iterations whose owner is gone/);
    expect(notes).toContain(staleCookie.slice('LANEBENCH_ITERATION_ID='.length));
    expect(readFileSync(`${dir}/.benchmark_results/summary.md`, 'utf8')).toContain('leftover process');

    live.child.kill('SIGTERM');
    await new Promise((res) => live.child.on('exit', res));
    await waitFor("B's tree to end with B", () => carriers(live.marker).length === 0, 20_000);
  }, 240_000);
});
