/** Hands a Run measured in a test file to the reporter (when one is configured). */
import type { Run } from '@lanebench/core';
import { jestGlobals } from './jest-globals.js';
import { sidecarDir, writeRunFile } from './sidecar.js';

export function recordRun(run: Run): void {
  const dir = sidecarDir();
  if (!dir) return;
  const state = jestGlobals().expect.getState();
  writeRunFile(dir, run, { testPath: state.testPath, testName: state.currentTestName });
}
