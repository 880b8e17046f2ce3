import { defineConfig } from 'tsup';

// Jest loads CommonJS without transforms, so this package ships CJS only.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['@lanebench/core'],
});
