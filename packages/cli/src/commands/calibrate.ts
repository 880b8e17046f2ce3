/**
 * `lanebench calibrate --lane L [--rounds R] [--pairs P] [--json] [-- <command>]`: A/A noise of this machine.
 * Without a command, the lane's workflow files run through the configured runner (ab-lane.ts), figures per workflow.
 * R rounds of an interleaved A/B session whose two sides are the same command (each iteration measured as `run`
 * measures it); per metric the iteration and run-to-run variation and the pairs needed for 5/10/20 % changes at
 * 90 % power (docs/ANALYSIS.md). Nothing is written to the history: A/A runs are not measurements of a version.
 */
import {
  calibrationRow,
  resolveLane,
  runAbSession,
  visible,
  type AbSession,
  type CalibrationRow,
  type Run,
} from '@lanebench/core';
import { colors } from '../lib/colors.js';
import { loadContext, type CommonOptions } from '../lib/context.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../lib/errors.js';
import { err, out, table } from '../lib/output.js';
import { signalExitCode } from '../lib/stop-signals.js';
import { cliVersion } from '../lib/version.js';
import { runLaneAb } from './ab-lane.js';

export interface CalibrateOptions extends CommonOptions {
  lane: string;
  rounds?: number;
  pairs?: number;
  json?: boolean;
}

const METRICS = ['execution_time', 'cpu_seconds', 'memory_usage'] as const;

function values(run: Run, metric: string): number[] {
  return run.iterations
    .filter((it) => it.status === 'passed')
    .map((it) => (it as unknown as Record<string, number>)[metric])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

export async function calibrateAction(command: string[], opts: CalibrateOptions): Promise<number> {
  const ctx = await loadContext(opts);
  resolveLane(ctx.config, opts.lane, {});
  const rounds = opts.rounds ?? 5;
  const pairs = opts.pairs ?? 5;
  const abort = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    received ??= sig;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // per workflow (the command form has one, 'calibrate'): its A/A runs and pairs
  const byWorkflow = new Map<string, { runs: Run[]; pairValues: Record<string, Array<[number, number]>> }>();
  const add = (s: AbSession): void => {
    const entry = byWorkflow.get(s.base.workflow) ?? { runs: [], pairValues: {} };
    entry.runs.push(s.base, s.head);
    for (const m of METRICS) {
      const a = values(s.base, m);
      const b = values(s.head, m);
      for (let i = 0; i < Math.min(a.length, b.length); i++) (entry.pairValues[m] ??= []).push([a[i]!, b[i]!]);
    }
    byWorkflow.set(s.base.workflow, entry);
  };
  try {
    for (let r = 1; r <= rounds && !abort.signal.aborted; r++) {
      err(`lanebench calibrate: round ${r}/${rounds} (${pairs} A/A pairs)`);
      if (command.length === 0) {
        // the lane's workflow files through the configured runner, both sides in this checkout (ab-lane.ts)
        const side = { cwd: ctx.cwd, label: 'this checkout' };
        const lane = await runLaneAb({
          config: ctx.config,
          cwd: ctx.cwd,
          lane: opts.lane,
          runner: ctx.config.runner,
          base: side,
          head: side,
          pairs,
          signal: abort.signal,
        });
        received ??= lane.received;
        const complete = lane.sessions.filter((x) => x.pairs > 0);
        if (complete.length === 0) break;
        complete.forEach(add);
        if (received) break;
        continue;
      }
      const target = command.length === 1 ? command[0]! : command;
      const s = await runAbSession({
        lane: opts.lane,
        workflow: 'calibrate',
        base: { target, cwd: ctx.cwd },
        head: { target, cwd: ctx.cwd },
        pairs,
        config: ctx.config,
        runner: { name: 'cli', version: cliVersion() },
        signal: abort.signal,
      });
      if (s.pairs === 0) break;
      add(s);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (byWorkflow.size === 0) {
    if (command.length === 0 && !received)
      throw new UsageError(
        `calibrate: no workflow of lane '${opts.lane}' was measured through ${ctx.config.runner}; check the lane's workflow files and the runner, or calibrate with a command: lanebench calibrate --lane ${opts.lane} -- <command>`,
      );
    return EXIT_FAILURE;
  }
  const tables = [...byWorkflow].map(([workflow, { runs, pairValues }]) => ({
    workflow,
    runs,
    rows: METRICS.map((m) =>
      calibrationRow(
        m,
        runs.map((r) => values(r, m)),
        pairValues[m] ?? [],
        ctx.config.regressionThreshold,
      ),
    ),
  }));
  const runs = tables.flatMap((t) => t.runs);
  const busy = runs.some((r) => r.machine?.busy);
  const roundsDone = tables[0]!.runs.length / 2;
  if (opts.json) {
    const doc =
      command.length > 0
        ? { lane: opts.lane, rounds: roundsDone, pairs_per_round: pairs, busy, metrics: tables[0]!.rows }
        : {
            lane: opts.lane,
            rounds: roundsDone,
            pairs_per_round: pairs,
            busy,
            workflows: tables.map((t) => ({ workflow: t.workflow, metrics: t.rows })),
          };
    out(JSON.stringify(doc, null, 2));
  } else {
    const c = colors();
    const f = (v: number | null, d = 1) => (v === null ? '—' : v.toFixed(d));
    const p = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
    const tableOf = (rows: CalibrationRow[]) =>
      table(
        [
          ['metric', 'iteration CV', 'run-to-run CV', 'pair log-sd', 'pairs for 5%', '10%', '20%', 'history gate MDE'],
          ...rows.map((r) => [
            r.metric,
            p(r.iteration_cv_pct),
            p(r.run_cv_pct),
            f(r.pair_log_sd, 3),
            String(r.pairs_needed['5%'] ?? '—'),
            String(r.pairs_needed['10%'] ?? '—'),
            String(r.pairs_needed['20%'] ?? '—'),
            r.history_gate_mde_pct === null ? '—' : `${r.history_gate_mde_pct.toFixed(1)}%`,
          ]),
        ],
        '  ',
      );
    out(
      [
        c.bold(`Calibration: ${opts.lane}, ${roundsDone} round(s) × ${pairs} interleaved A/A pairs`),
        ...(command.length > 0
          ? [tableOf(tables[0]!.rows)]
          : tables.flatMap((t) => [`  workflow ${visible(t.workflow)}:`, tableOf(t.rows)])),
        c.dim(
          '  pairs: `lanebench ab --pairs N` needed to detect the change with 90% power (α = 0.05); history gate MDE: smallest change one run can show against 10 earlier runs',
        ),
        ...(busy
          ? [c.yellow('  machine busy during calibration (load average ≥ cores): figures describe a loaded machine')]
          : []),
      ].join('\n'),
    );
  }
  return received ? signalExitCode(received) : abort.signal.aborted ? 130 : EXIT_OK;
}
