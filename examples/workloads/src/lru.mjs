/** A least-recently-used cache with a fixed capacity (Map keeps insertion order). */
export class LruCache {
  #max;
  #map = new Map();
  hits = 0;
  misses = 0;

  constructor(max) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`capacity must be a positive integer, got ${max}`);
    this.#max = max;
  }

  get size() {
    return this.#map.size;
  }

  get(key) {
    if (!this.#map.has(key)) {
      this.misses++;
      return undefined;
    }
    const value = this.#map.get(key);
    this.#map.delete(key);
    this.#map.set(key, value);
    this.hits++;
    return value;
  }

  set(key, value) {
    if (this.#map.has(key)) this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value);
    return this;
  }

  keys() {
    return [...this.#map.keys()];
  }
}
