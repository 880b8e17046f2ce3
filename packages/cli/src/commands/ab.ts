/**
 * `lanebench ab`: paired, interleaved A/B of two versions of one workflow (docs/ANALYSIS.md).
 *
 *   lanebench ab --lane L --base-cmd '<cmd>' --head-cmd '<cmd>' [--pairs N] [--name NAME] [--json]
 *   lanebench ab --lane L --base <ref> [--head <ref>] [--prepare '<cmd>'] [--pairs N] [-- <command…>]
 *
 * Without a command the lane's workflow files run through the configured runner in both checkouts, one session per
 * workflow (ab-lane.ts).
 *
 * The ref form checks each ref out into a temporary git worktree (the head defaults to the working tree itself),
 * runs --prepare once per side unmeasured, and measures the command in each. Worktrees are removed afterwards, also
 * when the session fails, is interrupted (SIGINT/SIGTERM/SIGHUP, the escalation of `lanebench run`:
 * lib/stop-signals.ts) or a prepare step fails. Both sides are appended to the
 * history as two runs tagged with Run.ab. Exit 1 on a regression of a gated metric (or an inconclusive one with
 * --fail-on-inconclusive) and on failed iterations; 2 on bad input, bad refs and failing prepare steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AB_GATED_METRICS,
  abOrder,
  analyzeAbRuns,
  customMetrics,
  DEFAULT_AB_ALPHA,
  DEFAULT_AB_PAIRS,
  killTreesNow,
  METRIC_KEYS,
  metricUnit,
  resolveLane,
  runAbSession,
  type AbRow,
  type AbSession,
  type AbSide,
  type Run,
} from '@lanebench/core';
import { colors } from '../lib/colors.js';
import { loadContext, recordRuns, type CommonOptions, type Context } from '../lib/context.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../lib/errors.js';
import { err, num, out, table } from '../lib/output.js';
import { onStopSignals, signalExitCode } from '../lib/stop-signals.js';
import { cliVersion } from '../lib/version.js';
import { Worktrees } from '../lib/worktrees.js';
import { runLaneAb } from './ab-lane.js';

export interface AbOptions extends CommonOptions {
  lane: string;
  baseCmd?: string;
  headCmd?: string;
  base?: string;
  head?: string;
  prepare?: string;
  pairs?: number;
  name?: string;
  json?: boolean;
  failOnInconclusive?: boolean;
  verbose?: boolean;
}

function commandLabel(command: string[]): string {
  return command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function validate(command: string[], opts: AbOptions): 'commands' | 'refs' | 'lane' {
  const cmdForm = opts.baseCmd !== undefined || opts.headCmd !== undefined;
  const refForm = opts.base !== undefined || opts.head !== undefined || opts.prepare !== undefined;
  if (cmdForm && refForm) {
    throw new UsageError('--base-cmd/--head-cmd and --base/--head/--prepare are two different forms of ab; use one');
  }
  if (cmdForm) {
    if (opts.baseCmd === undefined || opts.headCmd === undefined)
      throw new UsageError(
        `${opts.baseCmd === undefined ? '--base-cmd' : '--head-cmd'} is missing: the command form needs both`,
      );
    for (const [o, v] of [
      ['--base-cmd', opts.baseCmd],
      ['--head-cmd', opts.headCmd],
    ] as const)
      if (v.trim() === '') throw new UsageError(`${o}: the command is empty`);
    if (command.length > 0)
      throw new UsageError('a command after -- belongs to the --base <ref> form; with --base-cmd/--head-cmd give none');
    return 'commands';
  }
  if (opts.base === undefined) {
    throw new UsageError(
      'ab needs either --base-cmd and --head-cmd, or --base <git ref> [--head <git ref>] -- <command>',
    );
  }
  // without a command: the lane's workflow files through the configured runner, in both checkouts (ab-lane.ts)
  return command.length === 0 ? 'lane' : 'refs';
}

/**
 * Runs `cmd` through the shell in `cwd`, output to our stderr; resolves to its exit code (signal → 128+n). In a
 * process group of its own, like a measured iteration's tree, so that a stop signal reaches everything it started
 * (`npm ci`'s install scripts, a build's workers) and not only its shell.
 */
function runPrepare(cmd: string, cwd: string, track: (c: ChildProcess | null) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, { cwd, shell: true, stdio: ['ignore', 2, 2], detached: true });
    track(child);
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => {
      track(null);
      resolve(code ?? (signal ? signalExitCode(signal) : 1));
    });
  });
}

function metricsOf(base: Run, head: Run): string[] {
  const present = (m: string) =>
    [base, head].some((r) =>
      r.iterations.some(
        (it) =>
          (it as unknown as Record<string, unknown>)[m] !== undefined &&
          Number((it as unknown as Record<string, number>)[m]) > 0,
      ),
    );
  return [
    ...METRIC_KEYS.filter((m) => (AB_GATED_METRICS as readonly string[]).includes(m) || present(m)),
    ...customMetrics([base, head]),
  ];
}

/** Signals the prepare step's whole process group (its shell alone when the group is gone). */
function signalPrepare(child: ChildProcess | null, sig: NodeJS.Signals): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}

const pct = (r: number | null): string => (r === null ? '—' : `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`);
const pval = (p: number | null): string => (p === null ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3));

function verdictText(r: AbRow): string {
  if (r.verdict !== 'inconclusive') return r.note ? `${r.verdict} (${r.note})` : r.verdict;
  if (r.note) return `inconclusive (${r.note})`;
  return r.pairs_to_decide
    ? `inconclusive (~${r.pairs_to_decide} pairs would decide)`
    : 'inconclusive (more than 10000 pairs)';
}

function markdown(
  lane: string,
  rows: AbRow[],
  pairs: number,
  sides: [string, string],
  alpha: number,
  threshold: number,
): string {
  const lines = [
    `### lanebench ab: ${lane} › ${rows[0]?.workflow ?? ''}`,
    '',
    `Base: \`${sides[0].replace(/`/g, "'")}\` · Head: \`${sides[1].replace(/`/g, "'")}\` · ${pairs} interleaved pairs (ABBA) · threshold ±${threshold * 100}% · ${Math.round((1 - alpha) * 100)}% intervals`,
    '',
    '| Metric | Base | Head | Ratio (head/base) | Interval | p | MDE | Verdict |',
    '|---|---:|---:|---:|---|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.metric}${r.gated ? '' : ' (not gated)'} | ${num(r.base)} ${metricUnit(r.metric)} | ${num(r.head)} ${metricUnit(r.metric)} | ${r.ratio === null ? '—' : r.ratio.toFixed(3)} | ${pct(r.ci_low)} … ${pct(r.ci_high)} | ${pval(r.p_value)} | ${r.mde_pct === null ? '—' : `${r.mde_pct.toFixed(1)}%`} | ${r.verdict === 'regression' ? '🔺 ' : r.verdict === 'improvement' ? '🔻 ' : ''}${verdictText(r).replace(/\|/g, '/')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

export async function abAction(command: string[], opts: AbOptions): Promise<number> {
  const form = validate(command, opts);
  const ctx = await loadContext(opts);
  resolveLane(ctx.config, opts.lane, {}); // unknown lane: exit 2 naming the choices
  const pairs = opts.pairs ?? DEFAULT_AB_PAIRS;
  const threshold = ctx.config.regressionThreshold;
  const alpha = DEFAULT_AB_ALPHA;

  const abort = new AbortController();
  let child: ChildProcess | null = null;
  let worktrees: Worktrees | null = null;
  // the escalation of `lanebench run`: the first signal stops and keeps the complete pairs, a second SIGKILLs the
  // running tree now, a third quits; the temporary worktrees are removed in every case
  const stop = onStopSignals({
    what: ' ab',
    stop: () => {
      if (worktrees) err('lanebench ab: the temporary worktrees are removed afterwards');
      abort.abort();
      signalPrepare(child, 'SIGTERM');
    },
    killNow: () => {
      killTreesNow();
      signalPrepare(child, 'SIGKILL');
    },
    beforeQuit: () => worktrees?.removeAll(),
  });
  const cleanupOnExit = (): void => {
    // a third signal quits at once: what the prepare step started must not outlive us
    signalPrepare(child, 'SIGKILL');
    worktrees?.removeAll();
  };
  process.on('exit', cleanupOnExit);

  try {
    let base: AbSide;
    let head: AbSide;
    let workflow: string;
    if (form === 'commands') {
      base = { target: opts.baseCmd!, cwd: ctx.cwd, label: opts.baseCmd! };
      head = { target: opts.headCmd!, cwd: ctx.cwd, label: opts.headCmd! };
      workflow = opts.name ?? opts.headCmd!;
    } else {
      worktrees = new Worktrees(ctx.cwd);
      // the lane form measures no command of its own: its sides' targets are never run
      const target = command.length === 1 ? command[0]! : command.length > 0 ? command : '';
      const b = worktrees.add('--base', opts.base!);
      const h = opts.head !== undefined ? worktrees.add('--head', opts.head) : null;
      base = { target, cwd: b.cwd, label: `${b.ref} (${b.sha.slice(0, 10)})` };
      head = h
        ? { target, cwd: h.cwd, label: `${h.ref} (${h.sha.slice(0, 10)})` }
        : { target, cwd: ctx.cwd, label: 'working tree' };
      workflow = opts.name ?? (command.length > 0 ? commandLabel(command) : `lane ${opts.lane}`);
      if (opts.prepare !== undefined) {
        for (const [side, s] of [
          ['base', base],
          ['head', head],
        ] as const) {
          if (stop.received) break;
          err(`lanebench ab: prepare (${side}: ${s.label}): ${opts.prepare}`);
          const code = await runPrepare(opts.prepare, s.cwd!, (c) => (child = c));
          if (stop.received) break;
          if (code !== 0)
            throw new UsageError(
              `--prepare failed in the ${side} checkout (${s.label}) with exit code ${code}: ${opts.prepare}`,
            );
        }
      }
    }
    if (stop.received) return signalExitCode(stop.received);

    if (form === 'lane') {
      const lane = await runLaneAb({
        config: ctx.config,
        cwd: ctx.cwd,
        lane: opts.lane,
        runner: ctx.config.runner,
        base: { cwd: base.cwd!, label: base.label! },
        head: { cwd: head.cwd!, label: head.label! },
        pairs,
        signal: abort.signal,
        onPair: (pair, of, side, n) => {
          if (opts.verbose || side === abOrder(pair - 1)[1])
            err(`  pair ${pair}/${of} ${side}: ${n} workflow(s) of lane '${opts.lane}' measured`);
        },
      });
      const sessions = lane.sessions.filter((x) => x.pairs > 0);
      if (sessions.length > 0)
        await recordRuns(
          ctx,
          sessions.flatMap((x) => [x.base, x.head]),
        );
      const stoppedBy = stop.received ?? lane.received;
      if (stoppedBy) {
        err(`lanebench ab: interrupted; ${sessions.length} workflow session(s) with complete pairs were recorded`);
        return signalExitCode(stoppedBy);
      }
      if (sessions.length === 0)
        throw new UsageError(
          `ab: no workflow of lane '${opts.lane}' was measured on both sides through ${ctx.config.runner}; check that both checkouts have the lane's workflow files and the runner installed (--prepare, e.g. 'npm ci')`,
        );
      let code = EXIT_OK;
      const rows: AbRow[] = [];
      for (const [i, x] of sessions.entries()) {
        const c = reportSession(ctx, opts, x, base, head, x.base.workflow, threshold, alpha, i > 0, rows);
        code = Math.max(code, c);
      }
      // one JSON array for all workflows of the lane
      if (opts.json) out(JSON.stringify(rows, null, 2));
      return code;
    }

    const session = await runAbSession({
      lane: opts.lane,
      workflow,
      base,
      head,
      pairs,
      config: ctx.config,
      runner: { name: 'cli', version: cliVersion() },
      signal: abort.signal,
      onProgress: (e) => {
        // one line per finished pair (its second side), every iteration with --verbose
        if (e.status !== undefined && !e.warmup && (opts.verbose || e.side === abOrder(e.pair - 1)[1]))
          err(
            `  pair ${e.pair}/${e.pairs} ${e.side}: ${e.status}${e.execution_time !== undefined ? ` ${num(e.execution_time)} s` : ''}`,
          );
      },
    });
    if (session.pairs > 0) await recordRuns(ctx, [session.base, session.head]);
    if (stop.received) {
      err(
        `lanebench ab: interrupted after ${session.pairs} complete pair(s); they were recorded in ${ctx.historyFile}`,
      );
      return signalExitCode(stop.received);
    }

    return reportSession(ctx, opts, session, base, head, workflow, threshold, alpha, false);
  } finally {
    stop.dispose();
    worktrees?.removeAll();
    process.off('exit', cleanupOnExit);
  }
}

/**
 * The table, Markdown and exit code of one A/B session. `append`: a further workflow of the lane form (its section
 * is added to ab_summary.md); `jsonRows`: with --json, collect the rows there instead of printing them.
 */
function reportSession(
  ctx: Context,
  opts: AbOptions,
  session: AbSession,
  base: AbSide,
  head: AbSide,
  workflow: string,
  threshold: number,
  alpha: number,
  append: boolean,
  jsonRows?: AbRow[],
): number {
  const rows = analyzeAbRuns(session.base, session.head, metricsOf(session.base, session.head), { threshold, alpha });
  const md = markdown(opts.lane, rows, session.pairs, [base.label!, head.label!], alpha, threshold);
  mkdirSync(ctx.config.outputDir, { recursive: true });
  (append ? appendFileSync : writeFileSync)(join(ctx.config.outputDir, 'ab_summary.md'), md);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${md}\n`);

  const failedIterations = [session.base, session.head].filter(
    (r) => r.status === 'failed' || r.status === 'timeout' || r.iterations.some((it) => it.status !== 'passed'),
  );
  if (opts.json) {
    if (jsonRows) jsonRows.push(...rows);
    else out(JSON.stringify(rows, null, 2));
  } else {
    const c = colors();
    const paint = (r: AbRow) =>
      r.verdict === 'regression'
        ? c.red(verdictText(r))
        : r.verdict === 'improvement'
          ? c.green(verdictText(r))
          : r.verdict === 'no-change'
            ? verdictText(r)
            : c.yellow(verdictText(r));
    out(
      [
        c.bold(
          `A/B: ${opts.lane} › ${workflow}: ${session.pairs} interleaved pair(s) (ABBA), threshold ±${threshold * 100}%, ${Math.round((1 - alpha) * 100)}% intervals`,
        ),
        `  base: ${base.label}`,
        `  head: ${head.label}`,
        table(
          [
            ['metric', 'base', 'head', 'ratio', 'interval', 'p', 'MDE', 'verdict'],
            ...rows.map((r) => [
              `${r.metric}${metricUnit(r.metric) ? ` (${metricUnit(r.metric)})` : ''}${r.gated ? '' : '*'}`,
              num(r.base),
              num(r.head),
              r.ratio === null ? '—' : `${r.ratio.toFixed(3)} (${pct(r.ratio)})`,
              `${pct(r.ci_low)} … ${pct(r.ci_high)}`,
              pval(r.p_value),
              r.mde_pct === null ? '—' : `${r.mde_pct.toFixed(1)}%`,
              paint(r),
            ]),
          ],
          '  ',
        ),
        c.dim(
          `  * not gated. Runs recorded in ${ctx.historyFile} (session ${session.session}); Markdown in ${join(ctx.config.outputDir, 'ab_summary.md')}`,
        ),
      ].join('\n'),
    );
  }
  for (const r of failedIterations)
    err(
      `lanebench ab: the ${r.ab?.side} side had failed or timed-out iterations (${r.status}); see ${ctx.historyFile}`,
    );
  const gated = rows.filter((r) => r.gated);
  const bad =
    gated.some((r) => r.verdict === 'regression') ||
    (opts.failOnInconclusive && gated.some((r) => r.verdict === 'inconclusive'));
  return bad || failedIterations.length > 0 ? EXIT_FAILURE : EXIT_OK;
}
