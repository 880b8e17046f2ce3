// /proc readers against independent sources: getconf, ps, process.cpuUsage().
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { downsampleTimeline } from '../src/measure/index.js';
import { clkTck, pageSize, readChildren, readHwmBytes, readIo, readNetDev, readStat } from '../src/measure/procfs.js';
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
