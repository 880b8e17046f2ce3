/**
 * `lanebench run --lane <lane> [-- <command…>]`.
 *
 * With a command: the command is the lane's workflow; core runWorkflow measures it N times and
 * publishRuns appends it to the history and writes the reports. Without one: the configured
 * runner (Vitest or Jest) runs the lane's workflow files, its lanebench plugin/reporter records
 * the runs, and we summarise the runs it added to the history.
 */
import {
  analyzeSession,
  confirmCount,
  detectRegressions,
  exitCodeFor,
  publishRuns,
  killTreesNow,
  progressIntervalSeconds,
  regressionOptions,
  resolveLane,
  runWorkflow,
  visible,
  type ResolvedConfig,
  type Run,
  type RunnerInfo,
  type WorkflowOverrides,
} from '@lanebench/core';
import { loadContext, loadRuns, type CommonOptions, type Context } from '../lib/context.js';
import { EXIT_FAILURE, UsageError } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { err, out } from '../lib/output.js';
import { createProgress, interactiveTerminal } from '../lib/progress.js';
import { onStopSignals, signalExitCode } from '../lib/stop-signals.js';
import { driveLaneRunner } from './run-lane.js';
import { confirmLaneRegressions } from './run-lane-confirm.js';
import { cliVersion } from '../lib/version.js';

export interface RunOptions extends CommonOptions {
  lane: string;
  name?: string;
  iterations?: number;
  timeout?: number;
  verbose?: boolean;
  strict?: boolean;
  failOnRegression?: boolean;
  /** re-run a workflow the gate flagged this many times; it fails only when every re-run regresses too */
  confirm?: number;
  runner?: 'vitest' | 'jest';
}

function overridesOf(opts: RunOptions): WorkflowOverrides {
  return {
    ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.strict ? { strict: true } : {}),
  };
}

/** A single argument is a shell command line; several are argv run without a shell. */
function targetOf(command: string[]): string | string[] {
  return command.length === 1 ? command[0]! : command;
}

function commandLabel(command: string[]): string {
  return command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** `--fail-on-regression` beats the config's failOnRegression (it can only turn it on). */
function withFailOnRegression(config: ResolvedConfig, opts: RunOptions): ResolvedConfig {
  return opts.failOnRegression ? { ...config, failOnRegression: true } : config;
}

async function runCommand(ctx: Context, opts: RunOptions, command: string[]): Promise<number> {
  if (opts.name !== undefined && opts.name.trim() === '') {
    throw new UsageError(`--name: '${opts.name}' is empty; expected a workflow name (default: the command line)`);
  }
  if (command[0]!.trim() === '') {
    throw new UsageError(
      `the command after -- is empty ('${command[0]}'); expected a command line, e.g. -- 'npm run docs:build'`,
    );
  }
  const overrides = overridesOf(opts);
  resolveLane(ctx.config, opts.lane, overrides); // validates lane and overrides (exit 2 on a bad one)
  const progress = createProgress({ interactive: interactiveTerminal(), verbose: Boolean(opts.verbose) });
  const abort = new AbortController();
  const stop = onStopSignals({
    stop: (sig) => abort.abort(new Error(`interrupted by ${sig}`)),
    killNow: killTreesNow,
  });
  const runner: RunnerInfo = { name: 'cli', version: cliVersion() };
  let run: Run;
  try {
    run = await runWorkflow({
      lane: opts.lane,
      workflow: opts.name ?? commandLabel(command),
      target: targetOf(command),
      options: { ...overrides, cwd: ctx.cwd },
      config: ctx.config,
      runner,
      onProgress: (e) => progress.onProgress(e),
      signal: abort.signal,
    });
  } finally {
    progress.done();
  }
  // the handlers stay until the run is saved: a signal now must not cut the history write short
  let result: Awaited<ReturnType<typeof publishRuns>>;
  try {
    // publishRuns colors the summary by the same rule as colors() (core's shouldColor); the summary ends
    // with the regression verdicts, and its exit code counts them when failOnRegression is on
    result = await publishRuns([run], { config: withFailOnRegression(ctx.config, opts) });
  } finally {
    stop.dispose();
  }
  out(result.summary);
  if (opts.verbose) for (const [format, path] of Object.entries(result.reports)) err(`  ${format}: ${path}`);
  else out(colors().dim(`Reports written to ${ctx.config.outputDir}`));
  let code: number = result.exitCode;
  const confirmN = confirmCount(ctx.config, opts.lane, opts.confirm);
  if (result.analysis.regressed && confirmN > 0 && !abort.signal.aborted) {
    const confirmed = await confirmRegression(ctx, opts, command, run, result.regressions, abort.signal, confirmN);
    // an unconfirmed regression does not fail the run; failures, partial runs and SLA violations still do
    if (!confirmed) code = exitCodeFor([run]);
  }
  if (abort.signal.aborted) code = Math.max(code, EXIT_FAILURE);
  // ended by a signal: the shell convention 128 + signal number (SIGHUP 129, SIGINT 130, SIGTERM 143)
  if (stop.received) code = signalExitCode(stop.received);
  return code;
}

/**
 * --confirm N: re-runs the flagged workflow N times, each recorded with `confirm: { of, attempt, of_attempts,
 * reason }` and judged against the same baseline as the flagged run (the flagged run itself left out). The
 * regression stands only when every re-run shows it on every flagged metric.
 */
async function confirmRegression(
  ctx: Context,
  opts: RunOptions,
  command: string[],
  flagged: Run,
  regressions: ReadonlyArray<{ status: string; metric: string; message: string }>,
  signal: AbortSignal,
  n: number,
): Promise<boolean> {
  const metrics = regressions.filter((r) => r.status === 'regression').map((r) => r.metric);
  const reason = regressions
    .filter((r) => r.status === 'regression')
    .map((r) => r.message)
    .join('; ');
  out(`Confirming: re-running '${flagged.workflow}' ${n} time(s) because ${metrics.join(', ')} regressed`);
  let agreed = 0;
  for (let attempt = 1; attempt <= n && !signal.aborted; attempt++) {
    const rerun = await runWorkflow({
      lane: opts.lane,
      workflow: flagged.workflow,
      target: targetOf(command),
      options: { ...overridesOf(opts), cwd: ctx.cwd },
      config: ctx.config,
      runner: { name: 'cli', version: cliVersion() },
      signal,
    });
    if (signal.aborted) break;
    rerun.confirm = { of: flagged.id, attempt, of_attempts: n, reason };
    // through the configured store (file or PostgreSQL), like the flagged run itself
    const store = ctx.openStore();
    try {
      await store.append([rerun]);
    } finally {
      await store.close();
    }
    const history = (await loadRuns(ctx)).filter((r) => r.id !== flagged.id);
    const verdicts = detectRegressions(rerun, history, regressionOptions(ctx.config, { metrics }));
    const still = verdicts.every((v) => v.status === 'regression');
    if (still) agreed++;
    out(`  re-run ${attempt}/${n}: ${still ? 'regression again' : verdicts.map((v) => v.message).join('; ')}`);
  }
  const confirmed = agreed === n;
  out(
    confirmed
      ? `Regression confirmed by ${n} re-run(s).`
      : `Regression not confirmed: ${agreed} of ${n} re-run(s) agreed; not failing on it.`,
  );
  return confirmed;
}

async function runRunner(ctx: Context, opts: RunOptions): Promise<number> {
  const overrides = overridesOf(opts);
  resolveLane(ctx.config, opts.lane, overrides);
  const runnerName = opts.runner ?? ctx.config.runner;
  const confirmN = confirmCount(ctx.config, opts.lane, opts.confirm);
  const before = new Set((await loadRuns(ctx)).map((r) => r.id));
  const launch = {
    cwd: ctx.cwd,
    lane: opts.lane,
    ...(ctx.config.configFile ? { configFile: ctx.config.configFile } : {}),
    // the runner's reporter publishes, so it must know to fail on a regression too (with confirm, we decide)
    config: {
      outputDir: ctx.config.outputDir,
      ...(confirmN > 0 ? { failOnRegression: false } : opts.failOnRegression ? { failOnRegression: true } : {}),
    },
    overrides,
    verbose: Boolean(opts.verbose),
  };
  if (opts.verbose) err(`lanebench: running lane '${opts.lane}' with ${runnerName} in ${ctx.cwd}`);
  // in a child process, so that a signal stops the whole tree and keeps the finished iterations (run-lane.ts)
  const driven = await driveLaneRunner(runnerName, launch, { live: interactiveTerminal() });
  const runnerCode = driven.code;
  let received = driven.received;

  const history = await loadRuns(ctx);
  const added = history.filter((r) => !before.has(r.id) && r.lane === opts.lane);
  if (added.length === 0) {
    if (received) return signalExitCode(received);
    if (runnerCode !== 0) return EXIT_FAILURE;
    throw new UsageError(
      `no run of lane '${opts.lane}' was recorded in ${ctx.historyFile}: check that ${
        runnerName === 'jest'
          ? "the @lanebench/jest reporter is in Jest's reporters"
          : 'the lanebench() plugin is in the Vitest config'
      } and that workflow files of lane '${opts.lane}' exist`,
    );
  }
  // the runner's lanebench reporter already printed the full summary (publishRuns); close with the verdict
  const session = analyzeSession({
    runs: added,
    history,
    config: ctx.config,
    // --fail-on-regression can only turn it on; without it the config's failOnRegression applies
    failOnRegression: opts.failOnRegression ? true : undefined,
    recommendations: false,
    changePoints: false,
  });
  const bad = session.runs.filter((v) => !v.passed).map((v) => v.run);
  const c = colors();
  out(
    `lanebench: lane ${opts.lane}: ${added.length} run(s) recorded in ${ctx.historyFile}, ` +
      (bad.length === 0
        ? c.green('all passed')
        : c.red(`${bad.length} failed or not compliant (${bad.map((r) => visible(r.workflow)).join(', ')})`)),
  );
  // the runner's reporter already printed the regression verdicts with its summary
  let code: number = runnerCode === 0 ? session.exitCode : EXIT_FAILURE;
  if (session.regressed && confirmN > 0 && !received) {
    // re-runs of the flagged workflows only (run-lane-confirm.ts); an unconfirmed regression does not fail
    const confirmation = await confirmLaneRegressions(ctx, runnerName, launch, session.regressions, added, confirmN);
    received = confirmation.received;
    const confirmedWorkflows = new Set(
      added.filter((r) => confirmation.confirmed.has(r.id)).map((r) => `${r.lane}\u0000${r.workflow}`),
    );
    const confirmed = session.regressions.filter((g) => confirmedWorkflows.has(`${g.lane}\u0000${g.workflow}`));
    if (runnerCode === 0) code = exitCodeFor(added, confirmed, session.failOnRegression);
  }
  if (received) code = signalExitCode(received);
  return code;
}

export async function runCommandAction(command: string[], opts: RunOptions): Promise<number> {
  const ctx = await loadContext(opts);
  // a bad LANEBENCH_PROGRESS_INTERVAL is a configuration error (exit 2) before anything runs
  progressIntervalSeconds();
  // a corrupt, newer or unwritable history stops the run before anything is measured (exit 2)
  const store = ctx.openStore();
  try {
    await store.check();
  } finally {
    await store.close();
  }
  return command.length > 0 ? runCommand(ctx, opts, command) : runRunner(ctx, opts);
}
