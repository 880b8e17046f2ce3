/** The major version of the running Vitest; the plugin branches on it (4 → custom runner, 5+ → provider). */
export function vitestMajor(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isFinite(major)) throw new Error(`lanebench: cannot read the Vitest version '${version}'`);
  return major;
}
