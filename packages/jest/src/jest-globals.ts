/**
 * Access to the Jest globals of the test file that is running. Our module is evaluated inside
 * Jest's per-file sandbox, so `globalThis.test` is that file's `test`; with `injectGlobals: false`
 * the same functions come from `@jest/globals`, which the Jest runtime serves per file.
 */
export interface JestTestFn {
  (name: string, fn: () => Promise<void>, timeout?: number): void;
  skip(name: string, fn: () => void): void;
}

export interface JestExpectState {
  testPath?: string;
  currentTestName?: string;
}

export interface JestExpect {
  getState(): JestExpectState;
  extend(matchers: Record<string, (this: unknown, received: unknown, ...args: never[]) => unknown>): void;
}

interface JestGlobals {
  test: JestTestFn;
  expect: JestExpect;
}

export function jestGlobals(): JestGlobals {
  const g = globalThis as unknown as Partial<JestGlobals>;
  if (typeof g.test === 'function' && g.expect) return { test: g.test, expect: g.expect };
  try {
    const mod = require('@jest/globals') as Partial<JestGlobals>;
    if (typeof mod.test === 'function' && mod.expect) return { test: mod.test, expect: mod.expect };
  } catch {
    // fall through to the explanation below
  }
  throw new Error(
    '@lanebench/jest: workflow() and toMeetSla must be used inside a Jest test file (no Jest `test`/`expect` found).',
  );
}

/** Jest's version as seen from the test file, for the Run's runner info. */
export function jestVersion(): string | null {
  try {
    return (require('jest/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}
