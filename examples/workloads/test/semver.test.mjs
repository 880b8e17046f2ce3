import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare, parse, satisfies } from '../src/semver.mjs';

describe('semver', () => {
  it('parses versions and rejects junk', () => {
    assert.deepEqual(parse('v1.2.3-rc.1'), { major: 1, minor: 2, patch: 3, pre: ['rc', '1'] });
    assert.throws(() => parse('1.2'), /invalid version '1.2'/);
  });
  it('orders pre-releases before releases', () => {
    const sorted = ['1.0.0', '1.0.0-rc.1', '1.0.0-alpha', '0.9.9', '1.0.0-alpha.2', '1.0.0-beta'].sort(compare);
    assert.deepEqual(sorted, ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.2', '1.0.0-beta', '1.0.0-rc.1', '1.0.0']);
  });
  it('evaluates ranges', () => {
    assert.ok(satisfies('1.4.2', '^1.2.0'));
    assert.ok(!satisfies('2.0.0', '^1.2.0'));
    assert.ok(satisfies('0.2.9', '^0.2.1'));
    assert.ok(!satisfies('0.3.0', '^0.2.1'));
    assert.ok(satisfies('1.2.9', '~1.2.3'));
    assert.ok(!satisfies('1.3.0', '~1.2.3'));
    assert.ok(satisfies('3.0.0', '>=2.0.0'));
    assert.ok(satisfies('1.9.9', '<2.0.0'));
  });
  it('compare is a total order over a large generated set', () => {
    const versions = [];
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < 12; b++)
        for (let c = 0; c < 12; c++) for (const pre of ['', '-alpha', '-rc.2']) versions.push(`${a}.${b}.${c}${pre}`);
    const sorted = [...versions].sort(compare);
    for (let i = 1; i < sorted.length; i++) {
      assert.equal(compare(sorted[i - 1], sorted[i]), -1);
      assert.equal(compare(sorted[i], sorted[i - 1]), 1);
    }
    for (const v of versions.slice(0, 600)) assert.equal(satisfies(v, `^${v}`), true);
  });
});
