/**
 * The default workflow name of `measure()` in a Jest test: the test's full title, `describe › test` (the separator Jest
 * itself prints), so two tests never share one history series. A second measure() in the same test gets ` (2)`.
 */
import { jestGlobals } from './jest-globals.js';

/** The parts of jest-circus's test and describe block objects used here. */
interface CircusBlock {
  name: string;
  parent?: CircusBlock | undefined;
}

interface TitleState {
  currentTestName?: string;
  /** jest-circus (Jest 30) hands out the running test object here */
  currentTestIdentity?: () => CircusBlock | undefined;
}

// circus's root block, never a title part
const ROOT_BLOCK = 'ROOT_DESCRIBE_BLOCK';

const callsPerTest = new WeakMap<object, number>();
const callsPerName = new Map<string, number>();

function titleParts(test: CircusBlock): string[] {
  const parts: string[] = [];
  for (let b: CircusBlock | undefined = test; b; b = b.parent) {
    if (b.parent === undefined && b.name === ROOT_BLOCK) break;
    parts.unshift(b.name);
  }
  return parts;
}

/** The name for the next measure() of the running test, or undefined outside a test. */
export function nextMeasureName(): string | undefined {
  let state: TitleState;
  try {
    state = jestGlobals().expect.getState();
  } catch {
    return undefined;
  }
  const test = typeof state.currentTestIdentity === 'function' ? state.currentTestIdentity() : undefined;
  const title = test ? titleParts(test).join(' › ') : state.currentTestName;
  if (!title) return undefined;
  let n: number;
  if (test) {
    n = (callsPerTest.get(test) ?? 0) + 1;
    callsPerTest.set(test, n);
  } else {
    // without the test object (another test runner than circus) count per name
    n = (callsPerName.get(title) ?? 0) + 1;
    callsPerName.set(title, n);
  }
  return n === 1 ? title : `${title} (${n})`;
}
