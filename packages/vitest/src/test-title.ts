/**
 * The default workflow name of `measure()` in a Vitest test: the test's full title, `describe › test`, so two tests
 * never share one history series. A second measure() in the same test gets ` (2)`.
 */

/** The parts of Vitest's test and suite tasks used here (both majors). */
interface TaskNode {
  name: string;
  suite?: TaskNode | undefined;
  /** set on the file task, whose name is the file path: not part of the title */
  filepath?: string;
}

const callsPerTest = new WeakMap<object, number>();

export function fullTitle(test: TaskNode): string {
  const parts: string[] = [];
  for (let t: TaskNode | undefined = test; t; t = t.suite) {
    if (t.filepath !== undefined) break;
    parts.unshift(t.name);
  }
  return parts.join(' › ');
}

/** The name for the next measure() of `test`. */
export function nextMeasureName(test: object): string {
  const n = (callsPerTest.get(test) ?? 0) + 1;
  callsPerTest.set(test, n);
  const title = fullTitle(test as TaskNode);
  return n === 1 ? title : `${title} (${n})`;
}
