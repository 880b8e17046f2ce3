import { defineConfig } from 'tsup';

// ESM only: Vitest itself is ESM and loads the worker entries (provider, runner, setup) by path
// from this directory (src/paths.ts). One build with code splitting shares the modules between them.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    provider: 'src/provider.ts',
    runner: 'src/runner.ts',
    setup: 'src/setup.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['vitest', '@lanebench/core'],
});
