import { defineConfig } from 'tsup';

// ESM for Vitest and the CLI, CJS for Jest (which cannot require ESM from node_modules).
// chalk is ESM-only, so it is bundled rather than required at run time.
export default defineConfig({
  // sanitize: a small entry the CLI's output module loads without the rest of core (`--help` stays light)
  entry: { index: 'src/index.ts', sanitize: 'src/output/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  noExternal: ['chalk'],
  shims: true,
});
