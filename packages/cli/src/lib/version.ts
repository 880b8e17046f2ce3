/** The CLI's version, injected at build time by tsup (see tsup.config.ts). */
declare const __LANEBENCH_VERSION__: string | undefined;

export function cliVersion(): string {
  return typeof __LANEBENCH_VERSION__ === 'string' ? __LANEBENCH_VERSION__ : '0.0.0';
}
