// The start-up reaper's notion of "stale" (measure/reaper.ts), on real processes: a carrier is reaped only when
// its owner, in our pid namespace, is gone — a reused pid (same number, other starttime) does not count as alive,
// and an owner of another namespace or a carrier without an owner entry is never judged. The end-to-end case (a
// SIGKILLed lanebench, a live concurrent run) is test/fault-reaper.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import {
  ITERATION_COOKIE,
  ITERATION_OWNER,
  findStaleCarriers,
  ownerToken,
  reapStaleCarriers,
  reaperNote,
} from '../src/measure/index.js';
import { readStat } from '../src/measure/procfs.js';
import { isLinux } from './measure-helpers.js';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
});

function carrier(id: string, owner: string | undefined): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, [ITERATION_COOKIE]: id };
  delete env[ITERATION_OWNER];
  if (owner !== undefined) env[ITERATION_OWNER] = owner;
  const c = spawn('sleep', ['300'], { env, stdio: 'ignore' });
  started.push(c);
  return c;
}

const alive = (c: ChildProcess): boolean => {
  const s = readStat(c.pid!, false);
  return s !== null && s.state !== 'Z';
};

describe.skipIf(!isLinux)('reaper: which carriers are stale', () => {
  test('dead or reused owner: reaped; live owner, foreign namespace, no owner: left alone', async () => {
    const ns = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
    const start = readStat('self', false)!.starttime;
    expect(ownerToken()).toBe(`${process.pid}:${start}:${ns}`);
    const tag = `reaper-unit-${process.pid}-${Date.now()}`;
    const reused = carrier(`${tag}-reused.1`, `${process.pid}:${start + 1}:${ns}`);
    // pid 2^22 + 1 is above pid_max's ceiling: no process can have it
    const dead = carrier(`${tag}-dead.1`, `4194305:1:${ns}`);
    const live = carrier(`${tag}-live.1`, ownerToken());
    const foreign = carrier(`${tag}-foreign.1`, `4194305:1:${ns}9`);
    const legacy = carrier(`${tag}-legacy.1`, undefined);
    await new Promise((r) => setTimeout(r, 200));

    const stale = findStaleCarriers().filter((p) => p.cookie.startsWith(tag));
    expect(stale.map((p) => p.cookie).sort()).toEqual([`${tag}-dead.1`, `${tag}-reused.1`]);

    const killed = reapStaleCarriers().filter((p) => p.cookie.startsWith(tag));
    expect(killed.map((p) => p.pid).sort()).toEqual([dead.pid, reused.pid].sort());
    await new Promise((r) => setTimeout(r, 200));
    expect([reused, dead].map(alive)).toEqual([false, false]);
    expect([live, foreign, legacy].map(alive)).toEqual([true, true, true]);
    expect(reaperNote(killed)).toMatch(
      /^measurement: killed 2 leftover process\(es\) of earlier iterations whose owner is gone/,
    );
    expect(reaperNote([])).toBeNull();
  });
});
