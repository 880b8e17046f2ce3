/** Helpers for the CLI end-to-end tests: run the built CLI (packages/cli/dist/cli.js) in temp dirs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './helpers/project.js';
import type { HistoryFile } from '../packages/core/src/types.js';

export const CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node cli.js …args` in `cwd`, not a TTY, without colors, outside CI detection quirks. */
export function lanebench(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      CI: 'true',
      GITHUB_ACTIONS: '',
      GITHUB_STEP_SUMMARY: '',
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `lanebench-cli-${name}-`));
}

export function writeFile(dir: string, file: string, content: string): void {
  const p = join(dir, file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
}

export function readHistoryFile(dir: string, outputDir = '.benchmark_results'): HistoryFile {
  return JSON.parse(readFileSync(join(dir, outputDir, 'metrics.json'), 'utf8')) as HistoryFile;
}

/** A short CPU-bound command: node busy-looping for about `ms` milliseconds. */
export function busyCommand(ms: number): string[] {
  return ['node', '-e', `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;`];
}

/** Records `count` real runs of a lane with an ad-hoc command. */
export function recordRuns(cwd: string, count: number, args: string[], command: string[]): CliResult[] {
  const out: CliResult[] = [];
  for (let i = 0; i < count; i++) {
    const r = lanebench(cwd, ['run', ...args, '--', ...command]);
    if (r.code !== 0) throw new Error(`lanebench run failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    out.push(r);
  }
  return out;
}
