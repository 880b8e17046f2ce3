/**
 * The `lanebench` command line. Commands are loaded on demand (each a separate chunk) so that
 * `--help` and cheap commands start without loading the measurement and report code.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_FAILURE, EXIT_USAGE, isUsageError } from './lib/errors.js';
import { visible } from '@lanebench/core/sanitize';
import { err, errRaw } from './lib/output.js';
import { intInRange, secondsInRange } from './lib/parse.js';
import { cliVersion } from './lib/version.js';

const REPORT_CHOICES = ['html', 'csv', 'junit', 'markdown', 'both', 'all'];
const WINDOW = intInRange('--window', 1, 100_000);

function common(cmd: Command): Command {
  return cmd
    .option('--output-dir <dir>', 'history and reports directory (default: config outputDir, else .benchmark_results)')
    .option('--config <file>', 'lanebench config file (default: lanebench.config.{ts,mjs,js,json})');
}

/** Builds the program; `setCode` receives each action's exit code. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('lanebench')
    .description('Benchmark CI lanes, keep a history, assert SLAs, find regressions and suggest optimizations')
    .version(cliVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: errRaw });

  const action =
    <A extends unknown[]>(load: () => Promise<(...args: A) => Promise<number>>) =>
    async (...args: A) => {
      const fn = await load();
      setCode(await fn(...args));
    };

  common(
    program
      .command('run')
      .description('run a lane through the configured runner, or measure a command given after -- as the lane workflow')
      .argument(
        '[command...]',
        'command to measure (after --): one argument runs through the shell, several run without one',
      )
      .requiredOption('--lane <lane>', 'lane to run (docs, standard, heavy or a configured lane)')
      .option('--name <name>', 'workflow name for an ad-hoc command (default: the command line)')
      .option('--iterations <n>', 'measured iterations, 1-100', intInRange('--iterations', 1, 100))
      .option('--timeout <seconds>', 'timeout per iteration in seconds, 60-3600', secondsInRange('--timeout', 60, 3600))
      .option('--verbose', 'show every iteration and where reports went')
      .option('--strict', 'fail on SLA warnings too')
      .option('--fail-on-regression', 'exit 1 when a regression against earlier runs is detected')
      .option(
        '--confirm <n>',
        "re-run a workflow the regression gate flagged N times (0-20; beats the config's confirm) and fail only when every re-run regresses too",
        intInRange('--confirm', 0, 20),
      )
      .addOption(new Option('--runner <runner>', 'override the configured runner').choices(['vitest', 'jest'])),
  ).action(action(async () => (await import('./commands/run.js')).runCommandAction));

  common(
    program
      .command('analyze')
      .description('statistics of each lane over its history, as JSON ({ lane, total_runs, metrics_analysis })')
      .option('--lane <lane>', 'one lane (prints one object; without it, an array of every lane)')
      .option('--window <n>', 'only the last N runs of the lane', WINDOW)
      .option('--workflow <name>', 'only this workflow'),
  ).action(action(async () => (await import('./commands/analyze.js')).analyzeAction));

  common(
    program
      .command('validate-sla')
      .description("check the lane's latest run of each workflow against its SLA")
      .requiredOption('--lane <lane>', 'lane to validate')
      .option('--strict', 'warnings fail too')
      .option('--window <n>', 'pool the last N runs of each workflow (default 1: the latest run)', WINDOW)
      .option('--json', 'print the result as JSON'),
  ).action(action(async () => (await import('./commands/validate-sla.js')).validateSlaAction));

  common(
    program
      .command('optimize')
      .description('optimization recommendations from the measured profile of the latest runs')
      .requiredOption('--lane <lane>', 'lane to analyse')
      .option('--workflow <name>', 'only this workflow')
      .option('--json', 'print the recommendations as JSON'),
  ).action(action(async () => (await import('./commands/optimize.js')).optimizeAction));

  common(
    program
      .command('report')
      .description('regenerate report files from the history')
      .addOption(
        new Option('--output-format <format>', 'html, csv, junit, markdown, both (html+csv) or all')
          .choices(REPORT_CHOICES)
          .default('all'),
      )
      .option('--lane <lane>', 'only this lane'),
  ).action(action(async () => (await import('./commands/report.js')).reportAction));

  common(
    program
      .command('trends')
      .description('the last N values of a metric for a lane, per workflow')
      .requiredOption('--lane <lane>', 'lane')
      .option(
        '--metric <metric>',
        'metric, e.g. execution_time, memory_usage, cpu_usage or a custom metric',
        // as `analyze` needs no metric, trends answers the usual question without one
        'execution_time',
      )
      .option('--window <n>', 'number of runs (default: config historyWindow)', WINDOW)
      .option('--workflow <name>', 'only this workflow')
      .option(
        '--fail-on-regression',
        'exit 1 when the latest run regressed against its baseline: the last historyWindow comparable runs, with the 200 runs before the candidate replayed for how far runs jump by themselves (docs/ANALYSIS.md, "History gate")',
      )
      .option('--json', 'print the trend as JSON'),
  ).action(action(async () => (await import('./commands/trends.js')).trendsAction));

  common(
    program
      .command('compare')
      .description('compare two run ids, git refs or history files side by side')
      .argument('<baseline>', 'run id, git ref, or history file/directory')
      .argument('<candidate>', 'run id, git ref, or history file/directory')
      .option('--lane <lane>', 'only this lane')
      .option('--fail-on-regression', 'exit 1 when a metric regressed significantly')
      .option('--json', 'print the comparison as JSON'),
  ).action(action(async () => (await import('./commands/compare.js')).compareAction));

  common(
    program
      .command('merge')
      .description('combine histories from several machines or shards into --output-dir (every run once)')
      .argument('<inputs...>', 'history files or directories containing metrics.json'),
  ).action(action(async () => (await import('./commands/merge.js')).mergeAction));

  const history = program
    .command('history')
    .description('move runs between history stores (file, PostgreSQL) and prune them');
  common(
    history
      .command('export')
      .description('write the configured history as a schema-v1 file (stdout without --to)')
      .option('--to <file>', 'file to write'),
  ).action(action(async () => (await import('./commands/history.js')).historyExportAction));
  common(
    history
      .command('import')
      .description('add the runs of history files to the configured store (idempotent on run ids)')
      .argument('<files...>', 'schema-v1 history files'),
  ).action(action(async () => (await import('./commands/history.js')).historyImportAction));
  common(
    history
      .command('prune')
      .description('remove old runs from the configured store')
      .option(
        '--keep-runs <n>',
        'keep the newest N runs of each lane/workflow',
        intInRange('--keep-runs', 0, 10_000_000),
      )
      .option('--older-than <age>', 'remove runs started longer ago than this (90d, 12h, 30m)')
      .option('--lane <lane>', 'only this lane'),
  ).action(action(async () => (await import('./commands/history.js')).historyPruneAction));
  common(
    program
      .command('ab')
      .description(
        'paired, interleaved A/B of two versions of a workflow (ABBA pairs); exit 1 on a regression verdict of execution_time, cpu_seconds or memory_usage',
      )
      .argument(
        '[command...]',
        "with --base: the command to measure in both checkouts (after --); none: the lane's workflow files through the runner",
      )
      .requiredOption('--lane <lane>', 'lane whose timeout, warm-up and sampling apply')
      .option('--base-cmd <cmd>', 'command form: the base command (shell command line)')
      .option('--head-cmd <cmd>', 'command form: the head command (shell command line)')
      .option('--base <ref>', 'git form: base ref, checked out into a temporary git worktree')
      .option('--head <ref>', 'git form: head ref (default: the working tree as it is)')
      .option(
        '--prepare <cmd>',
        'git form: run once per side before measuring, unmeasured (e.g. "npm ci && npm run build")',
      )
      .option(
        '--pairs <n>',
        `interleaved pairs, 1-1000 (default ${10}; at least 8 for a 99% interval)`,
        intInRange('--pairs', 1, 1000),
      )
      .option('--name <name>', 'workflow name in the history (default: the head command)')
      .option('--fail-on-inconclusive', 'exit 1 when a gated metric is inconclusive, too')
      .option('--verbose', 'print every measured iteration')
      .option(
        '--json',
        'print one row per metric: { workflow, metric, verdict, ratio, ci_low, ci_high, p_value, pairs, mde_pct }',
      )
      .addHelpText(
        'after',
        `
Statistics (docs/ANALYSIS.md): per metric, the log-ratios head/base of the pairs; ratio = exp(Hodges-Lehmann
estimate), interval = its 99% distribution-free interval, p = Wilcoxon signed-rank. Threshold: config
regressionThreshold (default 10%). Verdicts:
  regression    interval above 0 and ratio above +threshold
  improvement   interval below 0 and ratio below -threshold
  no-change     the whole interval inside ±threshold
  inconclusive  otherwise; the output says about how many pairs would decide it
MDE: the smallest slowdown flagged with 90% power at this noise and pair count.
Both sides are recorded in the history as two runs tagged ab: { session, side, pair_count }.
Git form: temporary worktrees are removed afterwards, also on Ctrl-C/SIGTERM; a bad ref or a failing --prepare
exits 2.`,
      ),
  ).action(action(async () => (await import('./commands/ab.js')).abAction));

  common(
    program
      .command('calibrate')
      .description(
        'A/A noise of this machine: iteration and run-to-run variation, pairs needed to detect 5/10/20% changes',
      )
      .argument(
        '[command...]',
        "the command to calibrate with (after --); none: the lane's workflow files through the runner",
      )
      .requiredOption('--lane <lane>', 'lane whose timeout, warm-up and sampling apply')
      .option('--rounds <n>', 'A/A rounds (default 5), 1-100', intInRange('--rounds', 1, 100))
      .option('--pairs <n>', 'interleaved A/A pairs per round (default 5), 2-100', intInRange('--pairs', 2, 100))
      .option('--json', 'print the figures as JSON'),
  ).action(action(async () => (await import('./commands/calibrate.js')).calibrateAction));

  return program;
}

/** Runs the CLI and resolves to its exit code; never throws. */
export async function main(argv: string[] = process.argv): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are successes; every other commander error is a usage error (exit 2, not commander's 1)
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : EXIT_USAGE;
      return EXIT_USAGE;
    }
    if (isUsageError(e)) {
      // the CLI's own usage errors are one line that may quote a hostile value: keep it one line
      err(`lanebench: ${e.name === 'UsageError' ? visible(e.message) : e.message}`);
      return EXIT_USAGE;
    }
    err(`lanebench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT_FAILURE;
  }
}
