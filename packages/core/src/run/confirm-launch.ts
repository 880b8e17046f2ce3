/**
 * `--confirm N` / `confirm: N` for runner-driven lanes: the CLI re-runs only the flagged workflows through the
 * runner. Two environment entries travel to the runner's workers: LANEBENCH_WORKFLOWS (a JSON array of workflow
 * names; `workflow()` registrations of other names are skipped, as other lanes are) and LANEBENCH_CONFIRM (which
 * run each re-run re-checks, and why), which runWorkflow copies into the re-run's record (Run.confirm).
 */
import type { Run } from '../types.js';

export const WORKFLOWS_ENV = 'LANEBENCH_WORKFLOWS';
export const CONFIRM_ENV = 'LANEBENCH_CONFIRM';

export interface ConfirmLaunch {
  attempt: number;
  of_attempts: number;
  /** workflow name → the flagged run's id and the verdicts that flagged it */
  runs: Record<string, { of: string; reason: string }>;
}

/** The workflow names LANEBENCH_WORKFLOWS selects, or null when it selects none in particular (all run). */
export function selectedWorkflows(env: NodeJS.ProcessEnv = process.env): string[] | null {
  const raw = env[WORKFLOWS_ENV];
  if (raw === undefined || raw === '') return null;
  try {
    const names: unknown = JSON.parse(raw);
    if (Array.isArray(names) && names.every((n) => typeof n === 'string')) return names;
  } catch {
    /* fall through */
  }
  throw new Error(`${WORKFLOWS_ENV}: ${JSON.stringify(raw)} is not a JSON array of workflow names`);
}

/** True unless LANEBENCH_WORKFLOWS names other workflows only. */
export function workflowSelected(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const names = selectedWorkflows(env);
  return names === null || names.includes(name);
}

/** The Run.confirm tag for a re-run of `workflow` in this launch, or undefined outside a confirmation launch. */
export function confirmTagFor(workflow: string, env: NodeJS.ProcessEnv = process.env): Run['confirm'] {
  const raw = env[CONFIRM_ENV];
  if (!raw) return undefined;
  let launch: ConfirmLaunch;
  try {
    launch = JSON.parse(raw) as ConfirmLaunch;
  } catch {
    return undefined;
  }
  const entry = launch.runs?.[workflow];
  if (!entry) return undefined;
  return { of: entry.of, attempt: launch.attempt, of_attempts: launch.of_attempts, reason: entry.reason };
}
