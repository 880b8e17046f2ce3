// Sampling while the JavaScript thread is blocked (issue 13 item 3): a workflow that runs a child with spawnSync
// blocks our timers for the child's whole life; the worker-thread watcher (measure/blocked-watch.ts) samples instead.
// Real children; GNU time is the reference for the child's peak. Linux /proc only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { measureIteration } from '../src/measure/index.js';
import { toolAvailable } from '../../../test/helpers/tools.js';
import { baseOpts, fixture, isLinux, NODE } from './measure-helpers.js';

const hasPython = isLinux && toolAvailable('python3', 'runs the spawnSync memory probe');
const hasGnuTime = isLinux && toolAvailable('/usr/bin/time', 'GNU time is the reference for the spawnSync probe');
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Max RSS (MiB) of argv under GNU time. */
function gnuMaxRss(argv: string[]): number {
  const r = execFileSync('sh', ['-c', '/usr/bin/time -f LBMAXRSS=%M "$@" 2>&1 >/dev/null', 'sh', ...argv], {
    encoding: 'utf8',
  });
  const m = /LBMAXRSS=(\d+)/.exec(r);
  if (!m) throw new Error(`no %M in GNU time output: ${r}`);
  return Number(m[1]) / 1024;
}

// The child touches 200 MiB and holds it 1 s while spawnSync blocks the event loop.
const CHILD = ['python3', fixture('spike.py'), '200', '1'];

describe.runIf(isLinux)('spawnSync: the child is measured while the event loop is blocked', () => {
  test.runIf(hasPython && hasGnuTime)(
    'a function running a 200 MiB child with spawnSync reports the child within 10% of GNU time, 3 of 3',
    async () => {
      const ref = gnuMaxRss(CHILD);
      expect(ref).toBeGreaterThan(200);
      for (let i = 1; i <= 3; i++) {
        const it = await measureIteration(
          () => {
            const r = spawnSync(CHILD[0] as string, CHILD.slice(1), { stdio: 'ignore' });
            if (r.status !== 0) throw new Error(`child failed: ${String(r.status)}`);
          },
          { ...baseOpts, iteration: i },
        );
        expect(it.status).toBe('passed');
        // the function's own growth is ~0; the child is the figure
        expect(it.memory_usage).toBeGreaterThanOrEqual(ref * 0.9);
        expect(it.memory_usage).toBeLessThanOrEqual(ref * 1.1);
        expect(it.measurement?.memory_method).toMatch(/\+worker-while-blocked$/);
        // the child lived 1 s, twenty intervals: its memory was resolved
        expect(it.measurement?.memory_below_resolution).toBe(false);
        expect(it.cpu_seconds).toBeGreaterThan(0.01);
      }
    },
    60_000,
  );

  test('a function that does not block: no worker samples, method unchanged', async () => {
    const it = await measureIteration(async () => {
      await new Promise((r) => setTimeout(r, 300));
    }, baseOpts);
    expect(it.status).toBe('passed');
    expect(it.measurement?.memory_method).not.toMatch(/worker/);
    expect(it.memory_usage).toBeLessThan(5);
  });

  // The published builds: Vitest and the CLI load the ESM bundle, Jest the CJS bundle. Each runs the probe in a fresh
  // process, so the worker's first start is part of it (and its start-up memory must not be charged to the function).
  for (const [format, file, args] of [
    ['ESM', 'index.js', ['--input-type=module', '-e']],
    ['CJS', 'index.cjs', ['--input-type=commonjs', '-e']],
  ] as const) {
    const built = existsSync(path.join(DIST, file));
    if (!built) console.warn(`SKIP: ${format} build ${path.join(DIST, file)} missing: run pnpm build`);
    test.runIf(hasPython && hasGnuTime && (built || process.env.LANEBENCH_REQUIRE_TOOLS === '1'))(
      `the ${format} build measures the spawnSync child too`,
      () => {
        const ref = gnuMaxRss(CHILD);
        const load =
          format === 'ESM'
            ? `const core = await import(${JSON.stringify(path.join(DIST, file))});`
            : `const core = require(${JSON.stringify(path.join(DIST, file))});`;
        const script = `${load}
const { spawnSync } = require('node:child_process');
const run = async () => {
  const out = [];
  for (const fn of [() => undefined, () => { spawnSync(${JSON.stringify(CHILD[0])}, ${JSON.stringify(CHILD.slice(1))}, { stdio: 'ignore' }); }]) {
    const it = await core.measureIteration(fn, ${JSON.stringify(baseOpts)});
    out.push({ mem: it.memory_usage, method: it.measurement.memory_method });
  }
  process.stdout.write(JSON.stringify(out));
};
run();`;
        const code =
          format === 'ESM'
            ? `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${script.replace('run();', 'await run();')}`
            : script;
        const r = spawnSync(NODE, [...args, code], { encoding: 'utf8', timeout: 60_000 });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const [idle, child] = JSON.parse(r.stdout) as { mem: number; method: string }[];
        // the first iteration waited for the worker's start: none of its memory is the function's
        expect(idle?.mem).toBeLessThan(5);
        expect(child?.mem).toBeGreaterThanOrEqual(ref * 0.9);
        expect(child?.mem).toBeLessThanOrEqual(ref * 1.1);
        expect(child?.method).toMatch(/\+worker-while-blocked$/);
      },
      60_000,
    );
  }
});
