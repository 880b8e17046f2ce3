/**
 * The channel from Jest workers to the reporter. Jest has no built-in way to hand per-test data
 * from a worker process to a reporter, so the reporter creates a directory before workers start
 * and exports it through an environment variable (workers inherit it); each worker writes one
 * JSON file per Run there and the reporter reads them all when the run completes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig, Run, RunnerInfo, WorkflowOverrides } from '@lanebench/core';
// a reader never sees half a file (core's temp file + rename, synchronous: matchers cannot wait)
import { writeFileAtomicSync } from '@lanebench/core/atomic-write';

/** Directory the reporter created for this Jest run. */
export const SIDECAR_ENV = 'LANEBENCH_JEST_SIDECAR';

const SESSION_FILE = 'session.json';
const RUNS_DIR = 'runs';

/** What the reporter tells every worker: the configuration it resolved, or why it could not. */
export interface Session {
  config?: ResolvedConfig;
  /** a configuration error; workflows fail with it instead of running with a different config */
  error?: string;
  runner: RunnerInfo;
  /** overrides from `lanebench run` (runJest) that beat the options written in test files */
  workflowOverrides?: WorkflowOverrides;
}

export function createSidecarDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lanebench-jest-'));
  mkdirSync(join(dir, RUNS_DIR));
  return dir;
}

export function sidecarDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[SIDECAR_ENV];
  return dir ? dir : undefined;
}

export function writeSession(dir: string, session: Session): void {
  writeFileAtomicSync(join(dir, SESSION_FILE), JSON.stringify(session));
}

export function readSession(dir: string): Session | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, SESSION_FILE), 'utf8')) as Session;
  } catch {
    return undefined;
  }
}

/**
 * One file per Run, named after the test that produced it and the run id: parallel workers never
 * collide, and writing the same run again (toMeetSla adding the asserted SLA) replaces its file.
 */
export function writeRunFile(
  dir: string,
  run: Run,
  key: { testPath?: string | undefined; testName?: string | undefined },
): string {
  const owner = createHash('sha1')
    .update(`${key.testPath ?? ''}\0${key.testName ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  const id = createHash('sha1').update(String(run.id)).digest('hex').slice(0, 16);
  const file = join(dir, RUNS_DIR, `${owner}-${id}.json`);
  writeFileAtomicSync(file, JSON.stringify(run));
  return file;
}

/** Every complete Run file, oldest first; unreadable files are reported, not thrown. */
export function readRunFiles(dir: string): { runs: Run[]; problems: string[] } {
  const runs: Run[] = [];
  const problems: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, RUNS_DIR)).filter((n) => n.endsWith('.json'));
  } catch {
    return { runs, problems };
  }
  for (const name of names) {
    try {
      runs.push(JSON.parse(readFileSync(join(dir, RUNS_DIR, name), 'utf8')) as Run);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  runs.sort((a, b) => a.started_at.localeCompare(b.started_at));
  return { runs, problems };
}

export function removeSidecarDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
