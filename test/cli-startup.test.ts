import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from './cli-helpers.js';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of `node …args` over interleaved runs (interleaving spreads machine noise evenly). */
function timeNode(variants: string[][], rounds: number): number[][] {
  const times: number[][] = variants.map(() => []);
  for (let i = 0; i < rounds; i++) {
    variants.forEach((args, v) => {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      times[v]!.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
  }
  return times;
}

describe('CLI cold start', () => {
  it('--version and --help start in less than 3× `node -e 0`', () => {
    timeNode([[CLI, '--version']], 2); // warm the file system cache
    const [baseline, version, help] = timeNode([['-e', '0'], [CLI, '--version'], [CLI, '--help']], 9).map(median);
    expect(version! / baseline!, `node -e 0: ${baseline} ms, --version: ${version} ms`).toBeLessThan(3);
    expect(help! / baseline!, `node -e 0: ${baseline} ms, --help: ${help} ms`).toBeLessThan(3);
  });
});
