import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCsv, parseCsv } from '../src/csv.mjs';

describe('csv', () => {
  it('quotes fields that need it', () => {
    assert.equal(formatCsv([['a', 'b,c', 'say "hi"', 'x\r\ny', null]]), 'a,"b,c","say ""hi""","x\r\ny",');
  });
  it('rejects an unterminated quote', () => {
    assert.throws(() => parseCsv('"abc'), /unterminated/);
  });
  it('round-trips a large table of awkward cells', () => {
    const pieces = ['plain', 'com,ma', 'quo"te', 'line\r\nbreak', '', ' spaced ', 'é→✓', '=1+1'];
    const rows = [];
    for (let r = 0; r < 4000; r++) {
      rows.push(Array.from({ length: 8 }, (_, c) => pieces[(r * 7 + c * 3) % pieces.length] + (r % 13)));
    }
    const text = formatCsv(rows);
    assert.deepEqual(parseCsv(text), rows);
  });
});
