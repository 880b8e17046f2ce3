// Deterministic pseudo-random numbers (mulberry32), so every machine builds the same corpus and
// the heavy job hashes the same data: the lanes' workloads stay comparable run to run.

/** Unsigned 32-bit integers. */
export function uint32s(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform numbers in [0, 1). */
export function rng(seed) {
  const next = uint32s(seed);
  return () => next() / 4294967296;
}
