import { describe } from '../stats/index.js';
import { METRIC_KEYS, type MetricStats } from '../types.js';

/** One recorded value of a custom metric. */
export interface MetricSnapshot {
  name: string;
  value: number;
  unit: string;
  /** ISO 8601 */
  timestamp: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Collects custom metrics (the guide's `MetricsCollector`): record values, time functions, then
 * hand the latest values to a workflow iteration with `applyTo(ctx)` so they are stored, analysed
 * and thresholded like the built-in metrics.
 *
 * @example
 * workflow('docs', 'build', async (ctx) => {
 *   const m = new MetricsCollector();
 *   await m.time('render_s', () => ctx.exec('npm run docs:build'));
 *   m.record('pages', countPages(), 'count');
 *   m.applyTo(ctx);
 * });
 */
export class MetricsCollector {
  private readonly items: MetricSnapshot[] = [];

  /** Records a value; the name must be an identifier and not a built-in metric. */
  record(name: string, value: number, unit = ''): MetricSnapshot {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new RangeError(
        `metric name ${JSON.stringify(name)} is not valid; expected letters, digits, _ . - starting with a letter or _`,
      );
    }
    if ((METRIC_KEYS as readonly string[]).includes(name)) {
      throw new RangeError(
        `metric name '${name}' is a built-in metric (${METRIC_KEYS.join(', ')}); choose another name`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`metric '${name}': value ${String(value)} is not valid; expected a finite number`);
    }
    const snap: MetricSnapshot = { name, value, unit, timestamp: new Date().toISOString() };
    this.items.push(snap);
    return snap;
  }

  /** Runs `fn` and records its wall time in seconds under `name`. */
  async time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      this.record(name, Number(process.hrtime.bigint() - start) / 1e9, 's');
    }
  }

  /** Every snapshot, in recording order. */
  snapshots(): MetricSnapshot[] {
    return [...this.items];
  }

  /** The last value of each metric. */
  latest(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.items) out[s.name] = s.value;
    return out;
  }

  /** The unit of each metric (last one recorded). */
  units(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of this.items) out[s.name] = s.unit;
    return out;
  }

  /** Statistics of each metric over all its snapshots. */
  summary(): Record<string, MetricStats> {
    const values: Record<string, number[]> = {};
    for (const s of this.items) (values[s.name] ??= []).push(s.value);
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, describe(v)]));
  }

  /** Records the latest value of every metric into a workflow iteration (`ctx.metric`). */
  applyTo(ctx: { metric(name: string, value: number, unit?: string): void }): void {
    const units = this.units();
    for (const [name, value] of Object.entries(this.latest())) ctx.metric(name, value, units[name]);
  }

  clear(): void {
    this.items.length = 0;
  }
}
