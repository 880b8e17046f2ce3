/** Progress lines inside test runners: throttling of short iterations, "still running" lines, the ad-hoc name. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  formatProgressLine,
  progressIntervalSeconds,
  progressLines,
  type ProgressEvent,
} from '../src/index.js';

const event = (e: Partial<ProgressEvent>): ProgressEvent => ({
  lane: 'docs',
  workflow: 'build',
  iteration: 1,
  total: 5,
  warmup: false,
  status: 'passed',
  elapsed_s: 0,
  eta_s: null,
  execution_time: 0.01,
  ...e,
});

/** Events of `n` iterations of `ms` each, as runWorkflow emits them, at times read from the clock. */
function iterations(n: number, ms: number, clock: { t: number }, on: (e: ProgressEvent) => void): void {
  for (let i = 1; i <= n; i++) {
    on(event({ iteration: i, total: n, status: 'running', elapsed_s: clock.t / 1000, execution_time: undefined }));
    clock.t += ms;
    on(event({ iteration: i, total: n, status: 'passed', elapsed_s: clock.t / 1000, execution_time: ms / 1000 }));
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress lines', () => {
  it('throttled: at most one line a second for short iterations, plus the last', () => {
    const clock = { t: 0 };
    const lines: string[] = [];
    const on = progressLines({ throttle: true, heartbeatS: 0, write: (l) => lines.push(l), now: () => clock.t });
    iterations(100, 50, clock, on); // 5 s of 50 ms iterations
    // one line per second of run time (the first at once), and the 100th iteration's line
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(lines.at(-1)).toBe(
      formatProgressLine(event({ iteration: 100, total: 100, elapsed_s: 5, execution_time: 0.05 })),
    );
  });

  it('throttled: long iterations keep their lines; failures are never dropped', () => {
    const clock = { t: 0 };
    const lines: string[] = [];
    const on = progressLines({ throttle: true, heartbeatS: 0, write: (l) => lines.push(l), now: () => clock.t });
    iterations(3, 1500, clock, on);
    // every finished iteration (a start right after the previous end is the one line dropped)
    expect(lines.filter((l) => l.includes(' passed '))).toHaveLength(3);
    expect(lines[0]).toContain('iteration 1/3 running');
    const fails: string[] = [];
    const onFail = progressLines({ throttle: true, heartbeatS: 0, write: (l) => fails.push(l), now: () => 0 });
    onFail(event({ iteration: 1, status: 'passed' }));
    onFail(event({ iteration: 2, status: 'failed' }));
    onFail(event({ iteration: 3, status: 'timeout' }));
    onFail(event({ iteration: 4, status: 'passed' }));
    expect(fails.map((l) => l.match(/(passed|failed|timeout)/)?.[1])).toEqual(['passed', 'failed', 'timeout']);
  });

  it('unthrottled: every event', () => {
    const clock = { t: 0 };
    const lines: string[] = [];
    iterations(20, 10, clock, progressLines({ heartbeatS: 0, write: (l) => lines.push(l), now: () => clock.t }));
    expect(lines).toHaveLength(40);
  });

  it('while an iteration runs: a line with elapsed and ETA every interval, until it ends', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const on = progressLines({
      heartbeatS: 30,
      finishedOnly: true,
      write: (l) => lines.push(l),
      now: () => Date.now(),
    });
    on(event({ iteration: 2, total: 3, status: 'running', elapsed_s: 300, eta_s: 600, execution_time: undefined }));
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(65_000);
    expect(lines).toEqual([
      '[lanebench] docs › build: iteration 2/3 running (elapsed 330.0s, ETA 570s)',
      '[lanebench] docs › build: iteration 2/3 running (elapsed 360.0s, ETA 540s)',
    ]);
    on(event({ iteration: 2, total: 3, status: 'passed', elapsed_s: 370, eta_s: 300, execution_time: 70 }));
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('iteration 2/3 passed');
  });

  it('the interval comes from LANEBENCH_PROGRESS_INTERVAL; 0 turns the lines off', () => {
    vi.useFakeTimers();
    for (const [value, expected] of [
      ['2', 5],
      ['0', 0],
      [undefined, 0], // default 30 s
    ] as const) {
      vi.stubEnv('LANEBENCH_PROGRESS_INTERVAL', value);
      const lines: string[] = [];
      const on = progressLines({ write: (l) => lines.push(l), now: () => Date.now() });
      on(event({ status: 'running', execution_time: undefined }));
      vi.advanceTimersByTime(10_500);
      on(event({}));
      expect(lines.filter((l) => l.includes('running (elapsed'))).toHaveLength(expected + 1);
    }
    vi.unstubAllEnvs();
  });

  it('LANEBENCH_PROGRESS_INTERVAL takes 0, or seconds from 1 to 3600; anything else names the value and the range', () => {
    const of = (v: string | undefined) => progressIntervalSeconds({ LANEBENCH_PROGRESS_INTERVAL: v });
    expect(of(undefined)).toBe(30);
    expect(of('')).toBe(30);
    expect(of('0')).toBe(0);
    expect(of('1')).toBe(1);
    expect(of('2.5')).toBe(2.5);
    expect(of('3600')).toBe(3600);
    for (const bad of ['abc', '30s', '0.5', '-1', '3601', 'Infinity', 'NaN']) {
      expect(() => of(bad), bad).toThrow(ConfigError);
      expect(() => of(bad), bad).toThrow(
        `LANEBENCH_PROGRESS_INTERVAL='${bad}' is not valid; expected seconds from 1 to 3600, or 0 for no progress lines while an iteration runs (default 30)`,
      );
    }
  });

  it('a bad LANEBENCH_PROGRESS_INTERVAL fails the first event, not silently the default', () => {
    vi.stubEnv('LANEBENCH_PROGRESS_INTERVAL', 'abc');
    const on = progressLines({ write: () => {} });
    expect(() => on(event({ status: 'running', execution_time: undefined }))).toThrow(
      /LANEBENCH_PROGRESS_INTERVAL='abc'/,
    );
    vi.unstubAllEnvs();
  });

  it('a run of the provisional ad-hoc lane is shown by its workflow name alone', () => {
    expect(formatProgressLine(event({ lane: 'adhoc', workflow: 'sort 200k' }))).toBe(
      '[lanebench] sort 200k: iteration 1/5 passed 0.01s (elapsed 0.0s)',
    );
  });
});
