/**
 * Chart specs: the data the boot script turns into Chart.js charts. Built here (not in the browser) so
 * the scaling decisions are testable: the y axis spans the data, thresholds inside that span are drawn
 * as lines, thresholds outside it become edge markers that state their value instead of stretching the
 * axis (a 2.6 s series on a 0–500 s axis shows no trend).
 */
import { latestPerWorkflow } from '../../analysis/select.js';
import type { Run, Threshold } from '../../types.js';
import { lttb, lttbIndices } from '../downsample.js';
import { fixed, isNum, metricUnit, plainNumber, reportedViolations, stat, unique } from '../format.js';
import type { ReportAbInfo, ReportChangePoint, ReportInput } from '../types.js';

export const TREND_MAX_POINTS = 500;
export const TIMELINE_MAX_POINTS = 200;
export const TIMELINE_MAX_ITERATIONS = 10;
export const TIMELINE_MAX_RUNS = 24;

export interface DatasetSpec {
  label: string;
  data: Array<number | null> | Array<{ x: number; y: number }>;
  color: string;
  points?: boolean;
}

/** A horizontal threshold line (inside the axis range) or an edge marker (outside it). */
export interface ThresholdMark {
  label: string;
  value: number;
  color: string;
  /** 'line': drawn at its value; 'above' / 'below': outside the data, shown at that edge with its value */
  placement: 'line' | 'above' | 'below';
}

/** A vertical marker at a category index: a change point (A/B sessions are bands, see BandMark). */
export interface EventMark {
  index: number;
  label: string;
  kind: 'change-point';
}

/**
 * The runs of one side of an A/B session (`lanebench ab`), as a shaded stretch of the category axis: base and head
 * get different tints and their own legend entry, so a reader sees which points were measured as which side.
 */
export interface BandMark {
  /** first and last category index of the side's runs (inclusive) */
  from: number;
  to: number;
  side: 'base' | 'head';
  session: string;
  label: string;
  /** the tint, and the colour of the side's name drawn at the top of the band */
  color: string;
  textColor: string;
}

/** One entry of a chart's legend (drawn as HTML under the canvas, so it wraps and stays readable on a phone). */
export interface LegendItem {
  label: string;
  color: string;
  /** how the swatch is drawn: the series line, a dashed threshold, a vertical marker, a shaded band */
  swatch: 'line' | 'dashed' | 'marker' | 'dotted' | 'band';
}

export interface ChartSpec {
  id: string;
  xType: 'category' | 'linear';
  labels?: string[];
  datasets: DatasetSpec[];
  xTitle: string;
  yTitle: string;
  yMin?: number;
  yMax?: number;
  thresholds?: ThresholdMark[];
  events?: EventMark[];
  bands?: BandMark[];
}

export const PALETTE = [
  '#2563eb',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ea580c',
  '#0d9488',
  '#9333ea',
  '#ca8a04',
  '#475569',
];
export const SLA_COLORS = { error: '#dc2626', warning: '#d97706' } as const;
/** Tints of the two A/B sides (translucent, so the series stay visible through them) and their label colours. */
export const AB_COLORS = { base: 'rgba(14, 165, 233, 0.16)', head: 'rgba(249, 115, 22, 0.18)' } as const;
export const AB_TEXT_COLORS = { base: '#0369a1', head: '#c2410c' } as const;
export const CHANGE_POINT_COLOR = '#0f172a';

/**
 * The legend of a chart: every series, every threshold (with its value, also when it is an edge marker), and one
 * entry per kind of marker present. Built from the spec, so what the legend says is what the chart draws.
 */
export function legendItems(spec: ChartSpec): LegendItem[] {
  const items: LegendItem[] = spec.datasets.map((d) => ({ label: d.label, color: d.color, swatch: 'line' }));
  for (const t of spec.thresholds ?? [])
    items.push({
      label: t.placement === 'line' ? t.label : `${t.label}, ${t.placement} the data (edge arrow)`,
      color: t.color,
      swatch: 'dashed',
    });
  if ((spec.events ?? []).some((e) => e.kind === 'change-point'))
    items.push({ label: 'change point', color: CHANGE_POINT_COLOR, swatch: 'marker' });
  for (const side of ['base', 'head'] as const)
    if ((spec.bands ?? []).some((b) => b.side === side))
      items.push({ label: `A/B ${side} side (shaded)`, color: AB_COLORS[side], swatch: 'band' });
  return items;
}

/** Contiguous stretches of indices: [3, 4, 5, 9] → [[3, 5], [9, 9]]. */
function stretches(indices: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** The A/B sides among the kept runs of a trend, one band per contiguous stretch of a side's runs. */
export function abBands(kept: readonly Run[]): BandMark[] {
  const bySide = new Map<string, { session: string; side: 'base' | 'head'; indices: number[] }>();
  kept.forEach((r, i) => {
    const ab = abOf(r);
    if (!ab || (ab.side !== 'base' && ab.side !== 'head')) return;
    const key = JSON.stringify([ab.session, ab.side]);
    const entry = bySide.get(key) ?? { session: ab.session, side: ab.side, indices: [] };
    entry.indices.push(i);
    bySide.set(key, entry);
  });
  const bands: BandMark[] = [];
  for (const { session, side, indices } of bySide.values())
    for (const [from, to] of stretches(indices))
      bands.push({
        from,
        to,
        side,
        session,
        label: `A/B ${side} (session ${session.slice(0, 8)})`,
        color: AB_COLORS[side],
        textColor: AB_TEXT_COLORS[side],
      });
  return bands.sort((a, b) => a.from - b.from);
}

/** "2026-02-01 09:00 UTC": the axis says which year and which clock. */
export function axisDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso).slice(0, 16);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

type DrawnThreshold = Pick<Threshold, 'name' | 'operator' | 'value' | 'severity' | 'aggregation'>;

/** Thresholds to draw for a lane/workflow and metric: configured ones, else those carried by violations. */
export function thresholdsFor(input: ReportInput, lane: string, runs: Run[], metric: string): DrawnThreshold[] {
  const configured = input.thresholds?.[lane]?.filter((t) => t.metric === metric);
  if (configured && configured.length > 0) return configured;
  const seen = new Map<string, DrawnThreshold>();
  for (const r of runs) {
    for (const v of reportedViolations(r)) {
      if (v.metric === metric && r.metrics_analysis?.[metric] !== undefined)
        seen.set(v.name, {
          name: v.name,
          operator: v.operator,
          value: v.threshold,
          severity: v.severity,
          aggregation: v.aggregation,
        });
    }
  }
  return [...seen.values()];
}

/**
 * Axis range for a series and its thresholds: the data's span plus 10 % padding; a threshold within a
 * quarter span of the data is drawn as a line (and widens the range to include it); one further away is
 * an edge marker.
 */
export function scaleToData(
  values: readonly number[],
  thresholds: ReadonlyArray<{ label: string; value: number; color: string }>,
): { yMin: number; yMax: number; marks: ThresholdMark[] } {
  const lo0 = Math.min(...values);
  const hi0 = Math.max(...values);
  const span = Math.max(hi0 - lo0, Math.abs(hi0) * 0.1, 1e-9);
  const near = (v: number) => v >= lo0 - span * 0.25 && v <= hi0 + span * 0.25;
  const marks: ThresholdMark[] = thresholds.map((t) => ({
    ...t,
    placement: near(t.value) ? 'line' : t.value > hi0 ? 'above' : 'below',
  }));
  const lines = marks.filter((m) => m.placement === 'line').map((m) => m.value);
  const lo = Math.min(lo0, ...lines);
  const hi = Math.max(hi0, ...lines);
  const pad = Math.max(hi - lo, Math.abs(hi) * 0.1, 1e-9) * 0.1;
  // non-negative measurements keep a non-negative axis
  const yMin = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
  return { yMin: round(yMin, 6), yMax: round(hi + pad, 6), marks };
}

export interface TrendInfo {
  lane: string;
  workflow: string;
  total: number;
  shown: number;
  envs: number;
  changePoints: ReportChangePoint[];
  abSessions: string[];
  charts: Array<{ spec: ChartSpec; title: string }>;
}

const TREND_METRICS: Array<{
  metric: string;
  title: string;
  series: Array<{ key: 'mean' | 'p95' | 'max' | 'median'; label: string }>;
}> = [
  {
    metric: 'execution_time',
    title: 'Execution time',
    series: [
      { key: 'mean', label: 'mean' },
      { key: 'p95', label: 'p95' },
    ],
  },
  {
    metric: 'memory_usage',
    title: 'Peak memory',
    series: [
      { key: 'max', label: 'max' },
      { key: 'mean', label: 'mean' },
    ],
  },
  {
    metric: 'cpu_usage',
    title: 'CPU usage',
    series: [
      { key: 'mean', label: 'mean' },
      { key: 'max', label: 'max' },
    ],
  },
];

export function abOf(run: Run): ReportAbInfo | undefined {
  const ab = run.ab;
  // a history file written by hand may carry anything here
  if (ab && typeof ab === 'object' && typeof ab.session === 'string') return ab;
  return undefined;
}

function byStart(a: Run, b: Run): number {
  return a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0;
}

/** Runs of a lane/workflow from the history (else the session), oldest first, with statistics. */
export function seriesRuns(input: ReportInput, lane: string, workflow: string): Run[] {
  const history = input.history.length > 0 ? input.history : input.runs;
  return history.filter((r) => r.lane === lane && r.workflow === workflow && stat(r, 'execution_time')).sort(byStart);
}

export function buildTrends(input: ReportInput, idPrefix: string): TrendInfo[] {
  const keys = unique(input.runs.map((r) => JSON.stringify([r.lane, r.workflow])));
  const out: TrendInfo[] = [];
  keys.forEach((key, k) => {
    const [lane, workflow] = JSON.parse(key) as [string, string];
    const runs = seriesRuns(input, lane, workflow);
    if (runs.length === 0) return;
    // one set of kept indices per workflow, chosen on mean execution time, so every series shares the x axis
    const keep = lttbIndices(
      runs.map((r, i) => ({ x: i, y: stat(r, 'execution_time')!.mean })),
      TREND_MAX_POINTS,
    );
    const kept = keep.map((i) => runs[i]!);
    const labels = kept.map((r) => `${axisDate(r.started_at)}${r.git?.sha ? ` ${r.git.sha.slice(0, 7)}` : ''}`);
    const changePoints = (input.changePoints ?? []).filter((c) => c.lane === lane && c.workflow === workflow);
    const abSessions = unique(kept.map((r) => abOf(r)?.session));
    const bands = abBands(kept);
    const charts: TrendInfo['charts'] = [];
    TREND_METRICS.forEach((tm, m) => {
      if (!kept.some((r) => stat(r, tm.metric))) return;
      const unit = metricUnit(tm.metric);
      const datasets: DatasetSpec[] = tm.series.map((s, i) => ({
        label: s.label,
        data: kept.map((r) => {
          const v = stat(r, tm.metric)?.[s.key];
          return isNum(v) ? round(v) : null;
        }),
        color: PALETTE[i % PALETTE.length]!,
        points: kept.length <= 60,
      }));
      const values = datasets.flatMap((d) => (d.data as Array<number | null>).filter(isNum));
      const { yMin, yMax, marks } = scaleToData(
        values,
        thresholdsFor(input, lane, runs, tm.metric).map((t) => ({
          label: `SLA ${t.aggregation} ${t.operator} ${plainNumber(t.value)} ${unit} (${t.severity})`,
          value: t.value,
          color: SLA_COLORS[t.severity],
        })),
      );
      const events: EventMark[] = [];
      for (const c of changePoints.filter((c) => c.metric === tm.metric)) {
        const index = kept.findIndex((r) => r.id === c.run_id || r.started_at >= c.started_at);
        if (index >= 0)
          events.push({
            index,
            kind: 'change-point',
            label: `change point: ${fixed(c.before, 2)} → ${fixed(c.after, 2)} ${unit}`,
          });
      }
      charts.push({
        title: tm.title,
        spec: {
          id: `${idPrefix}-trend-${k}-${m}`,
          xType: 'category',
          labels,
          datasets,
          xTitle: 'run start',
          yTitle: `${tm.title} (${unit})`,
          yMin,
          yMax,
          thresholds: marks,
          events,
          bands,
        },
      });
    });
    out.push({
      lane,
      workflow,
      total: runs.length,
      shown: kept.length,
      envs: unique(runs.map((r) => r.env?.fingerprint)).length,
      changePoints,
      abSessions,
      charts,
    });
  });
  return out;
}

export interface TimelineInfo {
  run: Run;
  iterationsShown: number;
  cpu?: ChartSpec;
  mem?: ChartSpec;
}

function evenlyPick<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

export function buildTimelines(input: ReportInput, idPrefix: string): TimelineInfo[] {
  return latestPerWorkflow(input.runs)
    .slice(0, TIMELINE_MAX_RUNS)
    .map((run, k) => {
      const iters = evenlyPick(
        run.iterations.filter((i) => (i.timeline?.length ?? 0) > 0),
        TIMELINE_MAX_ITERATIONS,
      );
      const info: TimelineInfo = { run, iterationsShown: iters.length };
      if (iters.length === 0) return info;
      const series = (field: 'cpu' | 'mem'): DatasetSpec[] =>
        iters.map((it, i) => ({
          label: `iteration #${it.index}${it.status !== 'passed' ? ` (${it.status})` : ''}`,
          data: lttb(
            it.timeline
              .filter((p) => isNum(p.t) && isNum(p[field]))
              .map((p) => ({ x: round(p.t, 3), y: round(p[field], 2) })),
            TIMELINE_MAX_POINTS,
          ),
          color: PALETTE[i % PALETTE.length]!,
        }));
      info.cpu = {
        id: `${idPrefix}-tl-${k}-cpu`,
        xType: 'linear',
        datasets: series('cpu'),
        xTitle: 'seconds since iteration start',
        yTitle: 'CPU (% of machine)',
      };
      info.mem = {
        id: `${idPrefix}-tl-${k}-mem`,
        xType: 'linear',
        datasets: series('mem'),
        xTitle: 'seconds since iteration start',
        yTitle: 'memory (MB)',
      };
      return info;
    });
}
