import { defineConfig } from 'vitest/config';

// The repo's own tests. Files run one at a time: accuracy tests measure wall time and CPU,
// and end-to-end tests install and run real runners; running them side by side on a
// 2-core machine would make both slow and noisy.
export default defineConfig({
  test: {
    fileParallelism: false,
    // Vitest blanks CSS imports by default; the dashboard inlines its real stylesheet (`?raw`)
    css: { include: [/report\/html\/assets\/.*\.css/] },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
