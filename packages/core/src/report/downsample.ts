/**
 * Downsampling for charts: Largest-Triangle-Three-Buckets (Steinarsson, 2013). Keeps the first and last
 * points and, per bucket, the point that forms the largest triangle with the previously kept point and
 * the average of the next bucket — so spikes survive, unlike plain striding.
 */

export interface XY {
  x: number;
  y: number;
}

/** Indices of the points to keep (ascending), at most `max` of them. */
export function lttbIndices(points: readonly XY[], max: number): number[] {
  const n = points.length;
  if (n <= max) return points.map((_, i) => i);
  if (max <= 0) return [];
  if (max === 1) return [n - 1];
  if (max === 2) return [0, n - 1];
  const keep: number[] = [0];
  const bucket = (n - 2) / (max - 2);
  let a = 0;
  for (let i = 0; i < max - 2; i++) {
    const avgStart = Math.floor((i + 1) * bucket) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * bucket) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const count = Math.max(1, avgEnd - avgStart);
    for (let j = avgStart; j < avgEnd; j++) {
      avgX += points[j]!.x;
      avgY += points[j]!.y;
    }
    if (avgEnd <= avgStart) {
      avgX = points[n - 1]!.x;
      avgY = points[n - 1]!.y;
    } else {
      avgX /= count;
      avgY /= count;
    }
    const start = Math.floor(i * bucket) + 1;
    const end = Math.min(Math.floor((i + 1) * bucket) + 1, n - 1);
    const pa = points[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = points[j]!;
      const area = Math.abs((pa.x - avgX) * (p.y - pa.y) - (pa.x - p.x) * (avgY - pa.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    keep.push(best);
    a = best;
  }
  keep.push(n - 1);
  return keep;
}

export function lttb<T extends XY>(points: readonly T[], max: number): T[] {
  return lttbIndices(points, max).map((i) => points[i]!);
}
