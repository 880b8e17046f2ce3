/**
 * `lanebench calibrate --lane L [--rounds R] [--pairs P] [--json] -- <command>`: A/A noise of this machine.
 * R rounds of an interleaved A/B session whose two sides are the same command (each iteration measured as `run`
 * measures it); per metric the iteration and run-to-run variation and the pairs needed for 5/10/20 % changes at
 * 90 % power (docs/ANALYSIS.md). Nothing is written to the history: A/A runs are not measurements of a version.
 */
import { calibrationRow, resolveLane, runAbSession, type CalibrationRow, type Run } from '@lanebench/core';
import { colors } from '../lib/colors.js';
import { loadContext, type CommonOptions } from '../lib/context.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../lib/errors.js';
import { err, out, table } from '../lib/output.js';
import { cliVersion } from '../lib/version.js';

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
  if (command.length === 0) {
    throw new UsageError(
      `calibrate: give the command to calibrate with after --, e.g. lanebench calibrate --lane ${opts.lane} -- npm run build (the lane's workflow files through the runner are not supported yet)`,
    );
  }
  const ctx = await loadContext(opts);
  resolveLane(ctx.config, opts.lane, {});
  const rounds = opts.rounds ?? 5;
  const pairs = opts.pairs ?? 5;
  const target = command.length === 1 ? command[0]! : command;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const runs: Run[] = [];
  const pairValues: Record<string, Array<[number, number]>> = {};
  try {
    for (let r = 1; r <= rounds && !abort.signal.aborted; r++) {
      err(`lanebench calibrate: round ${r}/${rounds} (${pairs} A/A pairs)`);
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
      runs.push(s.base, s.head);
      for (const m of METRICS) {
        const a = values(s.base, m);
        const b = values(s.head, m);
        for (let i = 0; i < Math.min(a.length, b.length); i++) (pairValues[m] ??= []).push([a[i]!, b[i]!]);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (runs.length === 0) return EXIT_FAILURE;
  const rows: CalibrationRow[] = METRICS.map((m) =>
    calibrationRow(
      m,
      runs.map((r) => values(r, m)),
      pairValues[m] ?? [],
      ctx.config.regressionThreshold,
    ),
  );
  const busy = runs.some((r) => r.machine?.busy);
  if (opts.json) {
    out(
      JSON.stringify(
        { lane: opts.lane, rounds: runs.length / 2, pairs_per_round: pairs, busy, metrics: rows },
        null,
        2,
      ),
    );
  } else {
    const c = colors();
    const f = (v: number | null, d = 1) => (v === null ? '—' : v.toFixed(d));
    const p = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
    out(
      [
        c.bold(`Calibration: ${opts.lane}, ${runs.length / 2} round(s) × ${pairs} interleaved A/A pairs`),
        table(
          [
            [
              'metric',
              'iteration CV',
              'run-to-run CV',
              'pair log-sd',
              'pairs for 5%',
              '10%',
              '20%',
              'history gate MDE',
            ],
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
        ),
        c.dim(
          '  pairs: `lanebench ab --pairs N` needed to detect the change with 90% power (α = 0.05); history gate MDE: smallest change one run can show against 10 earlier runs',
        ),
        ...(busy
          ? [c.yellow('  machine busy during calibration (load average ≥ cores): figures describe a loaded machine')]
          : []),
      ].join('\n'),
    );
  }
  return abort.signal.aborted ? 130 : EXIT_OK;
}
