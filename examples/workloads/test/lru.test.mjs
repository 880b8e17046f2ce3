import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruCache } from '../src/lru.mjs';

describe('LruCache', () => {
  it('rejects a bad capacity', () => {
    assert.throws(() => new LruCache(0), /positive integer, got 0/);
    assert.throws(() => new LruCache(1.5), RangeError);
  });
  it('evicts the least recently used key', () => {
    const c = new LruCache(2).set('a', 1).set('b', 2);
    assert.equal(c.get('a'), 1);
    c.set('c', 3);
    assert.deepEqual(c.keys(), ['a', 'c']);
    assert.equal(c.get('b'), undefined);
  });
  it('matches a reference model under a long random workload', () => {
    const cap = 64;
    const cache = new LruCache(cap);
    const model = []; // most recent last
    let seed = 42;
    for (let i = 0; i < 150_000; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const key = (seed >>> 16) % 160;
      if ((seed >>> 8) & 1) {
        cache.set(key, i);
        const at = model.findIndex((e) => e.key === key);
        if (at >= 0) model.splice(at, 1);
        model.push({ key, value: i });
        if (model.length > cap) model.shift();
      } else {
        const at = model.findIndex((e) => e.key === key);
        const expected = at >= 0 ? model[at].value : undefined;
        if (at >= 0) model.push(model.splice(at, 1)[0]);
        assert.equal(cache.get(key), expected);
      }
    }
    assert.deepEqual(
      cache.keys(),
      model.map((e) => e.key),
    );
    assert.ok(cache.hits > 0 && cache.misses > 0);
  });
});
