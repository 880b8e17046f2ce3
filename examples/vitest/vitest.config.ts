import { defineConfig } from 'vitest/config';
import { lanebench } from '@lanebench/vitest';

// One Vitest project per lane, so the runner's own filter picks lanes:
//   vitest bench --run --project 'heavy*'      (Vitest 5 names the bench project "heavy (bench)")
// Everything else (iterations, SLAs, output directory) comes from lanebench.config.mjs.
export default defineConfig({
  plugins: [lanebench()],
  test: {
    projects: [
      { extends: true, test: { name: 'docs', benchmark: { include: ['benches/docs.bench.ts'] } } },
      { extends: true, test: { name: 'standard', benchmark: { include: ['benches/standard.bench.ts'] } } },
      { extends: true, test: { name: 'heavy', benchmark: { include: ['benches/heavy.bench.ts'] } } },
    ],
  },
});
