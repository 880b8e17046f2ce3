/** The workflow contract: what the executor of one iteration runs and what it hands the workflow (docs/ARCHITECTURE.md, measure/). */

export interface ExecOptions {
  /** working directory (default: the workflow's cwd, else process.cwd()) */
  cwd?: string | undefined;
  /** merged over the workflow's environment */
  env?: Record<string, string | undefined> | undefined;
  /** forward the child's stdout/stderr to ours as well as capturing them (default false) */
  echo?: boolean | undefined;
  /** written to the child's stdin, which is then closed (default: stdin is /dev/null) */
  input?: string | Buffer | undefined;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WorkflowContext {
  /** 1-based; warm-up iterations count separately from 1 */
  iteration: number;
  warmup: boolean;
  lane: string;
  workflow: string;
  /** aborts at the iteration's timeout (and on Ctrl-C / the run's signal) */
  signal: AbortSignal;
  /**
   * Runs a command as part of the measured tree: a string through the shell, an array as argv without a shell.
   * Resolves on exit code 0; rejects with an ExecError (command, exit code, tail of stderr) otherwise.
   * The child and its whole tree are killed when the iteration times out.
   */
  exec(cmd: string | string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Records a custom metric for this iteration (the last value recorded under a name wins). */
  metric(name: string, value: number, unit?: string): void;
}

export type WorkflowFn = (ctx: WorkflowContext) => unknown;
/** A function (measured in-process, with everything it spawns), a shell command, or argv run without a shell. */
export type Workflow = WorkflowFn | string | string[];
