/** Builds the measured profile of a run that the recommendation rules read. */
import { resolveConfig } from '../config/index.js';
import type { ResolvedLane } from '../config/index.js';
import { chronological, fingerprint, mean, metricValues } from '../analysis/select.js';
import { describe } from '../stats/index.js';
import type { Run } from '../types.js';
import type { Profile } from './types.js';

/** The lane's resolved settings: the given ones, else the built-in defaults for docs/standard/heavy. */
function laneSettings(run: Run, lane?: ResolvedLane): ResolvedLane | undefined {
  if (lane) return lane;
  try {
    return resolveConfig(undefined).lanes[run.lane];
  } catch {
    return undefined;
  }
}

export function buildProfile(run: Run, lane?: ResolvedLane, history: readonly Run[] = []): Profile | null {
  const exec = metricValues(run, 'execution_time');
  if (exec.length === 0) return null;
  const e = describe(exec);
  const cpuSeconds = metricValues(run, 'cpu_seconds');
  const cpuUsage = metricValues(run, 'cpu_usage');
  const memory = metricValues(run, 'memory_usage');
  const disk = metricValues(run, 'disk_io');
  const network = metricValues(run, 'network_io');
  // a figure the platform could not measure is not evidence of "no network"
  const networkMeasured = (run.iterations ?? []).some(
    (it) => it.status === 'passed' && it.methods?.network !== undefined && it.methods.network !== 'unavailable',
  );
  const cpuSecondsMean = cpuSeconds.length ? mean(cpuSeconds) : 0;
  const diskMean = disk.length ? mean(disk) : 0;
  const settings = laneSettings(run, lane);
  const fp = fingerprint(run);
  const earlier = chronological(
    history.filter(
      (r) =>
        r.id !== run.id &&
        r.lane === run.lane &&
        r.workflow === run.workflow &&
        fingerprint(r) === fp &&
        Date.parse(r.started_at) < Date.parse(run.started_at),
    ),
  );
  const historyMeans = [...earlier, run]
    .map((r) => metricValues(r, 'execution_time'))
    .filter((v) => v.length > 0)
    .map(mean);
  return {
    lane: run.lane,
    workflow: run.workflow,
    samples: exec.length,
    failed: (run.iterations ?? []).filter((it) => it.status !== 'passed').length,
    exec_mean: e.mean,
    exec_median: e.median,
    exec_p95: e.p95,
    exec_cv: e.mean > 0 ? e.stdev / e.mean : 0,
    cpu_seconds_mean: cpuSecondsMean,
    parallelism: e.mean > 0 ? cpuSecondsMean / e.mean : 0,
    cpu_usage_mean: cpuUsage.length ? mean(cpuUsage) : 0,
    cores: run.env?.logical_cores ?? 1,
    memory_max: memory.length ? Math.max(...memory) : 0,
    disk_io_mean: diskMean,
    disk_rate: e.mean > 0 ? diskMean / e.mean : 0,
    target: settings?.sla?.target,
    memory_limit: settings?.sla?.memory_max,
    cpu_limit: settings?.sla?.cpu_avg,
    history_means: historyMeans,
    requested: run.iterations_requested ?? exec.length,
    warmup: run.warmup ?? 0,
    ...(networkMeasured && network.length ? { network_io_mean: mean(network) } : {}),
  };
}
