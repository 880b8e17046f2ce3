/** Downsampling of an iteration's timeline so stored records stay small (at most `max` points). */
import type { TimelinePoint } from '../types.js';

/**
 * Merges consecutive points into `max` buckets of equal count: time and CPU are averaged (CPU of a bucket is the
 * mean share over its intervals), memory keeps the bucket's maximum so that peaks survive.
 */
export function downsampleTimeline(points: TimelinePoint[], max = 200): TimelinePoint[] {
  if (points.length <= max) return points;
  const out: TimelinePoint[] = [];
  const per = points.length / max;
  for (let b = 0; b < max; b++) {
    const from = Math.floor(b * per);
    const to = Math.max(from + 1, Math.floor((b + 1) * per));
    let cpu = 0;
    let mem = 0;
    for (let i = from; i < to; i++) {
      const p = points[i] as TimelinePoint;
      cpu += p.cpu;
      if (p.mem > mem) mem = p.mem;
    }
    const last = points[to - 1] as TimelinePoint;
    out.push({ t: last.t, cpu: Math.round((cpu / (to - from)) * 100) / 100, mem });
  }
  return out;
}
