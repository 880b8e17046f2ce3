/**
 * The process that runs Vitest or Jest for `lanebench run --lane L` (no `--`). The CLI starts it in a session of
 * its own, so a Ctrl-C at the terminal reaches only the CLI, which then stops the lane cooperatively through the
 * stop file (core run/stop-request.ts) instead of letting the runner, its workers and the workflows' trees die
 * one by one and lose the finished iterations. Input: argv[2] = a JSON file with { runner, launch }; output: the
 * runner's exit code, or exit 2 with the error written to the result file named in that JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { STOP_FILE_ENV } from '@lanebench/core';
import { isUsageError } from './lib/errors.js';
import { runJestLane } from './runners/jest.js';
import type { RunnerLaunch } from './runners/types.js';
import { runVitest } from './runners/vitest.js';

interface HostInput {
  runner: 'vitest' | 'jest';
  launch: RunnerLaunch;
  resultFile: string;
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HostInput;

// The CLI gone (SIGKILLed, its terminal closed) is a stop request too: the lane must not run on unattended.
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid === parent) return;
  const file = process.env[STOP_FILE_ENV];
  try {
    if (file) writeFileSync(file, 'lanebench exited\n', { flag: 'wx' });
  } catch {
    /* already requested */
  }
  clearInterval(orphanWatch);
}, 500);
orphanWatch.unref();

let code: number;
try {
  code = input.runner === 'jest' ? await runJestLane(input.launch) : await runVitest(input.launch);
} catch (e: unknown) {
  const error = e instanceof Error ? e : new Error(String(e));
  const full = error.stack ?? error.message;
  const usage = isUsageError(error);
  // a usage error is one line for the user (exit 2); anything else keeps its stack
  const message = usage ? error.message : full;
  writeFileSync(input.resultFile, JSON.stringify({ usage, name: error.name, message }));
  code = 2;
}
// flush, then leave even when the runner left handles open (as the CLI does)
for (const stream of [process.stdout, process.stderr]) await new Promise<void>((r) => stream.write('', () => r()));
process.exit(code);
