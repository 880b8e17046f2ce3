// Measurement truth (issue 13): each probe is checked against what the probe itself controls (bytes it touched or
// wrote, processes it forked) and, where GNU time is the right reference, against /usr/bin/time on the same argv.
// Real processes; Linux /proc only. Tolerances are the targets, not widened for a loaded machine.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { measure } from '../src/run/index.js';
import { toolAvailable } from '../../../test/helpers/tools.js';
import { baseOpts, diskScratchDir, fixture, isLinux, MB, NODE, scratch } from './measure-helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

const hasPython = isLinux && toolAvailable('python3', 'runs the copy-on-write and spike memory probes');
const hasGnuTime = isLinux && toolAvailable('/usr/bin/time', 'GNU time is the reference for the spike probe');

/** Runs argv under GNU time and returns its %M (max RSS, KiB) in MiB; time writes it to stderr. */
function gnuMaxRss(argv: string[]): number {
  const r = execFileSync('sh', ['-c', '/usr/bin/time -f LBMAXRSS=%M "$@" 2>&1 >/dev/null', 'sh', ...argv], {
    encoding: 'utf8',
  });
  const m = /LBMAXRSS=(\d+)/.exec(r);
  if (!m) throw new Error(`no %M in GNU time output: ${r}`);
  return Number(m[1]) / 1024;
}

describe.runIf(isLinux)('tree memory without double counting (PSS)', () => {
  test.runIf(hasPython)(
    'a parent touching 200 MiB that forks 4 copy-on-write readers is ~200 MiB, not 1 GB',
    async () => {
      const it = await measureIteration(['python3', fixture('cow.py'), '200', '4', '1'], baseOpts);
      expect(it.status).toBe('passed');
      // 200 MiB of shared pages counted once, plus five Python interpreters (~8–10 MiB private each)
      expect(it.memory_usage).toBeGreaterThanOrEqual(200);
      expect(it.memory_usage).toBeLessThanOrEqual(260);
      expect(it.measurement?.memory_method).toBe('pss-sum-sampled+vmhwm-lower-bound');
    },
  );
});

describe.runIf(isLinux)('no missed spikes', () => {
  test.runIf(hasPython && hasGnuTime)(
    'sleep 0.5; 300 MiB spike held 0.25 s; sleep 1 — within 5% of GNU time, every one of 10 iterations',
    async () => {
      const argv = ['sh', '-c', `sleep 0.5; python3 "${fixture('spike.py')}" 300 0.25; sleep 1`];
      const ref = gnuMaxRss(argv);
      expect(ref).toBeGreaterThan(300);
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) {
        const it = await measureIteration(argv, baseOpts);
        expect(it.status).toBe('passed');
        seen.push(it.memory_usage);
      }
      for (const m of seen) {
        expect(m).toBeGreaterThanOrEqual(ref * 0.95);
        expect(m).toBeLessThanOrEqual(ref * 1.05);
      }
    },
    120_000,
  );
});

describe.runIf(isLinux)('below resolution is said, never a bare 0', () => {
  test('`true` and `sh -c true`: memory either resolved (> 0.5 MB) or flagged; CPU flagged', async () => {
    for (const argv of [['true'], ['sh', '-c', 'true']]) {
      const it = await measureIteration(argv, baseOpts);
      expect(it.status).toBe('passed');
      const m = it.measurement;
      expect(it.memory_usage > 0.5 || m?.memory_below_resolution === true).toBe(true);
      // `true` uses far less than one 10 ms clock tick
      expect(m?.cpu_below_resolution).toBe(true);
    }
  });

  test('a process that burns 0.5 s is not flagged', async () => {
    const it = await measureIteration([NODE, fixture('burn.cjs'), '0.5'], baseOpts);
    expect(it.status).toBe('passed');
    expect(it.measurement?.cpu_below_resolution).toBe(false);
    expect(it.measurement?.memory_below_resolution).toBe(false);
  });
});

describe.runIf(isLinux)('cpu_usage within its definition', () => {
  test('a same-session background burner that outlives the main process: cpu_usage ≤ 100 %', async () => {
    // The main process exits after 0.1 s; the burner runs on until it is found and killed at the iteration's end.
    const it = await measureIteration(['sh', '-c', `"${NODE}" "${fixture('burn.cjs')}" 5 & sleep 0.1`], {
      ...baseOpts,
      killGraceMs: 500,
    });
    expect(it.status).toBe('passed');
    expect(it.cpu_seconds).toBeGreaterThan(0);
    expect(it.cpu_usage).toBeGreaterThan(0);
    expect(it.cpu_usage).toBeLessThanOrEqual(100);
  });
});

describe.runIf(isLinux)('in-process functions measure the function', () => {
  test('an allocation-free function reports < 5 MB, even after earlier workflows grew the runner', async () => {
    // Grow this process first (as earlier workflows of a suite do) and drop it again.
    let junk: Buffer[] | null = Array.from({ length: 20 }, () => Buffer.alloc(10 * MB, 1));
    expect(junk.length).toBe(20);
    junk = null;
    const run = await measure(() => 1 + 1, { iterations: 3 });
    for (const it of run.iterations) expect(it.memory_usage).toBeLessThan(5);
  });

  test('a function allocating 150 MB (then dropping it) reports 150 MB ± 10% in every iteration', async () => {
    const run = await measure(
      () => {
        const b = Buffer.alloc(150 * MB, 1);
        return b.length;
      },
      { iterations: 5 },
    );
    expect(run.iterations).toHaveLength(5);
    for (const it of run.iterations) {
      expect(it.memory_usage).toBeGreaterThanOrEqual(150 * 0.9);
      expect(it.memory_usage).toBeLessThanOrEqual(150 * 1.1);
    }
  });
});

describe.runIf(isLinux)('disk writes that reached storage', () => {
  test('200 MiB written then deleted before writeback: disk_write_bytes ≈ 0', async () => {
    const dir = diskScratchDir();
    try {
      const it = await measureIteration([NODE, fixture('write-delete.cjs'), `${dir}/gone.bin`, '200'], baseOpts);
      expect(it.status).toBe('passed');
      // dirty pages cancelled by the unlink never reach the disk (a little metadata may)
      expect(it.disk_write_bytes).toBeLessThan(8 * MB);
      expect(it.methods.disk).toBe('proc-io-minus-cancelled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(isLinux)('loopback traffic', () => {
  test('20 MiB sent over 127.0.0.1 shows in network_loopback_bytes, not in network_io', async () => {
    const it = await measureIteration([NODE, fixture('loopback.cjs'), '20'], baseOpts);
    expect(it.status).toBe('passed');
    // namespace-wide: other local traffic can only add to it
    expect(it.network_loopback_bytes).toBeGreaterThanOrEqual(20 * MB);
    // and it is not network traffic: what left the machine stays far below the 20 MiB (other users' downloads may add)
    expect(it.network_io).toBeLessThan(20 * MB);
  });
});
