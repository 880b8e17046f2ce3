import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// One chunk per command, loaded on demand, so `lanebench --help` does not load @lanebench/core.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'runner-host': 'src/runner-host.ts' },
  format: ['esm'],
  target: 'node20',
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: { entry: { index: 'src/index.ts' } },
  // dependencies (commander, chalk, @lanebench/core) stay external: resolved at run time
  // Node ignores a hashbang in any module, so putting it on every chunk is harmless
  banner: { js: '#!/usr/bin/env node' },
  define: { __LANEBENCH_VERSION__: JSON.stringify(version) },
});
