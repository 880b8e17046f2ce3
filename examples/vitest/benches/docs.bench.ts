import { readdirSync } from 'node:fs';
import { workflow } from '@lanebench/vitest';

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// ctx.exec runs a shell command whose whole process tree is measured (and killed at the timeout).
// ctx.metric records a custom metric that the lane's thresholds check: pages_built >= 300.
workflow('docs', 'build site (vitest)', async (ctx) => {
  await ctx.exec('node scripts/build-docs.mjs --clean');
  const site = new URL('../.cache/site/', import.meta.url);
  const pages = readdirSync(site, { recursive: true }).filter((f) => String(f).endsWith('.html'));
  ctx.metric('pages_built', pages.length, 'pages');
});
