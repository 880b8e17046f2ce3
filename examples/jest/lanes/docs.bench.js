const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { workflow } = require('@lanebench/jest');

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// ctx.exec runs a shell command whose whole process tree is measured (and killed at the timeout).
// ctx.metric records a custom metric that the lane's thresholds check: pages_built >= 300.
workflow('docs', 'build site (jest)', async (ctx) => {
  await ctx.exec('node scripts/build-docs.mjs --clean');
  const pages = readdirSync(join(__dirname, '..', '.cache', 'site'), { recursive: true }).filter((f) => String(f).endsWith('.html'));
  ctx.metric('pages_built', pages.length, 'pages');
});
