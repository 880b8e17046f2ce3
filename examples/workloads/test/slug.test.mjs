import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify, uniqueSlugger } from '../src/slug.mjs';

describe('slugify', () => {
  it('lower-cases and joins words with dashes', () => {
    assert.equal(slugify('Getting Started'), 'getting-started');
    assert.equal(slugify('  CI / CD: GitHub Actions  '), 'ci-cd-github-actions');
  });
  it('strips accents and punctuation', () => {
    assert.equal(slugify('Café déjà vu!'), 'cafe-deja-vu');
    assert.equal(slugify('---'), '');
  });
  it('is idempotent over many generated titles', () => {
    const alphabet = 'abcXYZ 0123-_/:é!?';
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      let title = '';
      for (let j = 0; j < 24; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        title += alphabet[seed % alphabet.length];
      }
      const once = slugify(title);
      assert.equal(slugify(once), once);
      assert.match(once, /^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/);
    }
  });
});

describe('uniqueSlugger', () => {
  it('numbers repeated headings', () => {
    const slug = uniqueSlugger();
    assert.deepEqual(['Intro', 'Intro', 'intro!', 'Usage', '', ''].map(slug), [
      'intro',
      'intro-1',
      'intro-2',
      'usage',
      'section',
      'section-1',
    ]);
  });
});
