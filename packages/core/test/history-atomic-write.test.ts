/** core's atomic replacement, asynchronous (history, reports) and synchronous (the Jest sidecar). */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../src/history/atomic-write.js';

const writers = {
  writeFileAtomic,
  // a throw in the executor becomes a rejection: the same assertions serve both
  writeFileAtomicSync: (file: string, text: string) =>
    new Promise<void>((done) => done(writeFileAtomicSync(file, text))),
};

describe.each(Object.entries(writers))('%s', (_name, write) => {
  it('creates or replaces the file and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanebench-atomic-'));
    const file = join(dir, 'run.json');
    await write(file, '{"a":1}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    writeFileSync(file, 'old and longer than the new text');
    await write(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('removes its temp file when the rename fails, and keeps what was there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanebench-atomic-'));
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    await expect(write(target, 'text')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['inside']);
  });

  it('fails, writing nothing, when the directory does not exist', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lanebench-atomic-')), 'missing', 'run.json');
    await expect(write(file, 'text')).rejects.toThrow(/ENOENT/);
  });
});

describe('writeFileAtomic in pieces (a history past one string)', () => {
  it('writes every piece in order, multi-byte characters included, and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanebench-atomic-'));
    const file = join(dir, 'metrics.json');
    const pieces = ['{"a":"ä', '€"}', '\n', 'x'.repeat(3 << 20), '🙂'];
    await writeFileAtomic(file, pieces.values());
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
    expect(readdirSync(dir)).toEqual(['metrics.json']);
  });

  it('a piece that throws leaves the old file as it was and no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanebench-atomic-'));
    const file = join(dir, 'metrics.json');
    writeFileSync(file, 'old');
    function* failing(): Generator<string> {
      yield 'new, half';
      throw new Error('serializer broke');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('serializer broke');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['metrics.json']);
  });
});
