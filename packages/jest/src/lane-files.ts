/**
 * Which Jest test files belong to a lane, for `lanebench run --lane L` with `runner: 'jest'`. Jest has no bench
 * include of its own, so without this the lane command ran every test file of the project and an unrelated failing
 * unit test failed the lane. Jest lists its test files (`--listTests`, with the project's own config, so testMatch,
 * roots and ignore patterns are Jest's); a file belongs to the lane when it calls `workflow('<lane>', …)` or passes
 * `lane: '<lane>'`, or calls workflow() with a lane that is not a literal (it may be this one).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { createRequire } from 'node:module';

const LITERAL = String.raw`(['"\x60])((?:(?!\1)[^\\\n])*)\1`;
const WORKFLOW_CALL = new RegExp(String.raw`\bworkflow\s*\(\s*(?:${LITERAL})?`, 'g');
const LANE_OPTION = new RegExp(String.raw`\blane\s*:\s*${LITERAL}`, 'g');

/** Whether a test file's source names one of the lanes (or calls workflow() with a computed lane). */
export function mentionsLane(source: string, lanes: readonly string[]): boolean {
  for (const m of source.matchAll(WORKFLOW_CALL)) {
    const lane = m[2];
    if (lane === undefined || m[1] === '`') return true;
    if (lanes.includes(lane)) return true;
  }
  for (const m of source.matchAll(LANE_OPTION)) if (lanes.includes(m[2] ?? '')) return true;
  return false;
}

/**
 * The test files Jest would run with these arguments that belong to the lanes, or undefined when Jest could not
 * list them (the caller then runs as before, with LANEBENCH_LANE selecting the workflows).
 */
export function laneTestFiles(
  req: ReturnType<typeof createRequire>,
  cwd: string,
  lanes: readonly string[],
  argv: { config?: unknown; selectProjects?: unknown },
): string[] | undefined {
  let bin: string;
  try {
    bin = req.resolve('jest/bin/jest');
  } catch {
    return undefined;
  }
  const args = [bin, '--listTests', '--json'];
  if (typeof argv.config === 'string') args.push('--config', argv.config);
  if (Array.isArray(argv.selectProjects)) args.push('--selectProjects', ...argv.selectProjects.map(String));
  const res = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) return undefined;
  let files: unknown;
  try {
    files = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return undefined;
  }
  if (!Array.isArray(files)) return undefined;
  return files
    .filter((f): f is string => typeof f === 'string')
    .filter((f) => {
      try {
        return mentionsLane(readFileSync(f, 'utf8'), lanes);
      } catch {
        return false;
      }
    })
    .sort();
}

/** The parts of Jest's AggregatedResult used to say why a run failed. */
export interface FailureSource {
  numFailedTests: number;
  testResults?: Array<{
    testFilePath: string;
    testExecError?: { message?: string } | null;
    testResults: Array<{ fullName: string; status: string }>;
  }>;
}

/** Lines naming what made Jest fail: failed tests and test files that failed to run. */
export function failureLines(results: FailureSource, cwd: string, max = 10): string[] {
  const rel = (p: string) => (p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
  const lines: string[] = [];
  for (const file of results.testResults ?? []) {
    if (file.testExecError) lines.push(`${rel(file.testFilePath)}: test file failed to run`);
    for (const t of file.testResults) if (t.status === 'failed') lines.push(`${rel(file.testFilePath)}: ${t.fullName}`);
  }
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines;
}
