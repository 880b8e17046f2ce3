import { defineConfig } from 'tsup';

// Jest loads CommonJS without transforms (it cannot require ESM from node_modules), so this
// package ships CJS only. Files end in .cjs so they stay CJS whatever the consumer's
// "type" is, matching the "exports" map in package.json.
export default defineConfig({
  entry: { index: 'src/index.ts', setup: 'src/setup.ts' },
  format: ['cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['@lanebench/core', 'jest', '@jest/globals'],
  outExtension: () => ({ js: '.cjs' }),
});
