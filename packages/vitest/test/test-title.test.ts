/** measure()'s default name in a Vitest test: the full title, and a count for a second measure() in one test. */
import { describe, expect, it } from 'vitest';
import { fullTitle, nextMeasureName } from '../src/test-title.js';

describe('measure() default name', () => {
  const file = { name: 'search.test.ts', filepath: '/p/search.test.ts' };
  const suite = { name: 'search', suite: file };
  const inner = { name: 'index', suite };

  it('is describe › test, without the file', () => {
    expect(fullTitle({ name: 'is fast', suite: inner })).toBe('search › index › is fast');
    expect(fullTitle({ name: 'top level', suite: file })).toBe('top level');
  });

  it('counts further measure() calls of the same test', () => {
    const test = { name: 'is fast', suite };
    const other = { name: 'is fast', suite };
    expect([nextMeasureName(test), nextMeasureName(test), nextMeasureName(other)]).toEqual([
      'search › is fast',
      'search › is fast (2)',
      'search › is fast',
    ]);
  });
});
