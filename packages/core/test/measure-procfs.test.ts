// /proc readers against independent sources: getconf, ps, process.cpuUsage().
import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { downsampleTimeline } from '../src/measure/index.js';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { chargeWithoutPss, watcherSource } from '../src/measure/blocked-watch.js';
import {
  clkTck,
  pageSize,
  readChildren,
  readHwmBytes,
  readIo,
  readNetDev,
  readRunNs,
  readStat,
} from '../src/measure/procfs.js';
import { isLinux } from './measure-helpers.js';

describe.runIf(isLinux)('procfs readers', () => {
  test('CLK_TCK and page size from the auxiliary vector match getconf', () => {
    expect(clkTck()).toBe(Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })));
    expect(pageSize()).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
  });

  test('readStat parses the fields ps reports, also for a comm with spaces and parentheses', () => {
    const self = readStat('self')!;
    expect(self.pid).toBe(process.pid);
    expect(self.ppid).toBe(process.ppid);
    const ps = execFileSync('ps', ['-o', 'pgid=,nlwp=,rss=', '-p', String(process.pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(self.pgrp).toBe(ps[0]);
    expect(self.numThreads).toBeGreaterThan(0);
    expect(Math.abs(self.rssPages * pageSize() - ps[2]! * 1024)).toBeLessThan(64 * 1048576);
    const cpu = process.cpuUsage();
    expect((self.utime + self.stime) / clkTck()).toBeCloseTo((cpu.user + cpu.system) / 1e6, 0);

    // A process whose name is ") x (": the parser must count fields after the last ')'.
    const out = execFileSync(
      'bash',
      ['-c', `cp /bin/sleep '/tmp/) x (' && ('/tmp/) x (' 5 >/dev/null 2>&1 & echo $!); sleep 0.2`],
      { encoding: 'utf8' },
    );
    const pid = Number(out.trim());
    try {
      const s = readStat(pid)!;
      expect(s.ppid).toBeGreaterThan(0);
      expect(s.state).toMatch(/[SR]/);
      expect(s.starttime).toBeGreaterThan(self.starttime);
      expect(s.numThreads).toBe(1);
    } finally {
      process.kill(pid);
      execFileSync('rm', ['-f', '/tmp/) x (']);
    }
  });

  test('readStat reads every field it returns where proc(5) puts it (split of the same file as reference)', () => {
    const out = execFileSync('sh', ['-c', 'sleep 5 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const pid = Number(out.trim());
    try {
      execFileSync('sleep', ['0.2']);
      // a sleeping process: its stat does not change between the two reads
      const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const field = (n: number): number => Number(f[n - 3]);
      const s = readStat(pid)!;
      expect(s).toEqual({
        pid,
        state: f[0],
        ppid: field(4),
        pgrp: field(5),
        session: field(6),
        minflt: field(10),
        cminflt: field(11),
        majflt: field(12),
        utime: field(14),
        stime: field(15),
        cutime: field(16),
        cstime: field(17),
        numThreads: field(20),
        starttime: field(22),
        rssPages: field(24),
        startcode: field(26),
        startstack: field(28),
        exitSignal: field(38),
      });
      expect(s.exitSignal).toBe(constants.signals.SIGCHLD); // a process, not a thread (-1)
      expect(s.minflt).toBeGreaterThan(0);
      expect(s.startstack).toBeGreaterThan(1);
      // it sleeps: its run time stands still
      const ns = readRunNs(pid);
      expect(ns).toBeGreaterThan(0);
      execFileSync('sleep', ['0.1']);
      expect(readRunNs(pid)).toBe(ns);
    } finally {
      process.kill(pid);
    }
    expect(readRunNs(2 ** 22 + 12345)).toBe(-1);
  });

  test("a forked child keeps its parent's address-space lineage (startstack), an exec'd one gets its own", async () => {
    // sh → ( sleep; : ) is a fork of sh that stays sh; `sleep` is exec'd
    const sh = spawn('sh', ['-c', '(sleep 3; :) & sleep 3'], { stdio: 'ignore', detached: true });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const parent = readStat(sh.pid!)!;
      const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
      const kids = readChildren(sh.pid!, parent.numThreads).map((pid) => ({ pid, comm: comm(pid) }));
      const fork = kids.find((k) => k.comm === 'sh');
      const exec = kids.find((k) => k.comm === 'sleep');
      expect(fork && exec).toBeTruthy();
      expect(parent.startstack).toBeGreaterThan(1);
      expect(readStat(fork!.pid)!.startstack).toBe(parent.startstack);
      expect(readStat(exec!.pid)!.startstack).not.toBe(parent.startstack);
    } finally {
      process.kill(-sh.pid!, 'SIGKILL');
    }
  });

  test('VmHWM, io, children and net/dev readers', () => {
    expect(readHwmBytes('self')).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.5);
    expect(readIo('self')).toMatchObject({ read_bytes: expect.any(Number), write_bytes: expect.any(Number) });
    expect(readChildren(process.pid)).toEqual(expect.any(Array));
    const net = readNetDev('self');
    expect(net).not.toBeNull();
    expect(net!.rx).toBeGreaterThanOrEqual(0);
    expect(readStat(2 ** 22 + 12345)).toBeNull();
  });
});

describe('PSS that cannot be read: one rule for both samplers', () => {
  test('an exited process is charged 0, a live one its last PSS, else its RSS', () => {
    const MB = 1048576;
    expect(chargeWithoutPss(null, 40 * MB, 200 * MB)).toBe(0); // gone
    expect(chargeWithoutPss('Z', 40 * MB, 200 * MB)).toBe(0); // zombie: its pages are freed
    expect(chargeWithoutPss('X', -1, 200 * MB)).toBe(0);
    expect(chargeWithoutPss('S', 40 * MB, 200 * MB)).toBe(40 * MB);
    expect(chargeWithoutPss('R', -1, 200 * MB)).toBe(200 * MB);
  });

  test('the worker thread runs the same function (its program starts with its source)', () => {
    const src = watcherSource();
    expect(src.startsWith(chargeWithoutPss.toString())).toBe(true);
    // and calls it where a PSS reading fails, instead of an RSS fallback of its own
    expect(src).toMatch(new RegExp(`${chargeWithoutPss.name}\\(`));
    expect(src).not.toMatch(/pss >= 0 \? pss : p\.rss/);
  });
});

describe('downsampleTimeline', () => {
  test('keeps at most max points, memory peaks survive, time stays ordered', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({
      t: i / 100,
      cpu: i % 2 ? 50 : 0,
      mem: i === 333 ? 999 : 10,
    }));
    const d = downsampleTimeline(pts, 200);
    expect(d).toHaveLength(200);
    expect(Math.max(...d.map((p) => p.mem))).toBe(999);
    expect(d.every((p, i) => i === 0 || p.t > d[i - 1]!.t)).toBe(true);
    // first bucket = first 5 points: its CPU is their mean
    expect(d[0]!.cpu).toBeCloseTo(pts.slice(0, 5).reduce((a, p) => a + p.cpu, 0) / 5, 5);
    expect(downsampleTimeline(pts.slice(0, 5), 200)).toHaveLength(5);
  });
});
