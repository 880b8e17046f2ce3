import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';

// ESM for Vitest and the CLI, CJS for Jest (which cannot require ESM from node_modules).
// chalk is ESM-only, so it is bundled rather than required at run time.
export default defineConfig({
  // sanitize: a small entry the CLI's output module loads without the rest of core (`--help` stays light)
  // atomic-write: the Jest sidecar's writer, without loading the rest of core into every worker that records a run
  entry: { index: 'src/index.ts', sanitize: 'src/output/index.ts', 'atomic-write': 'src/history/atomic-write.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  noExternal: ['chalk'],
  shims: true,
  esbuildPlugins: [
    {
      // `import css from './dashboard.css?raw'` (the dashboard's stylesheet and boot script live in real
      // .css/.js files): the suffix is Vite's, so Vitest runs the sources unchanged; here it selects
      // esbuild's 'text' loader, which inlines the file as a string.
      name: 'raw-text',
      setup(build) {
        // the path keeps its suffix so tsup's own .css handling does not claim it
        build.onResolve({ filter: /\?raw$/ }, (args) => ({
          path: resolve(args.resolveDir, args.path),
          namespace: 'raw-text',
        }));
        build.onLoad({ filter: /\?raw$/, namespace: 'raw-text' }, async (args) => ({
          contents: await readFile(args.path.slice(0, -'?raw'.length), 'utf8'),
          loader: 'text',
        }));
      },
    },
  ],
});
