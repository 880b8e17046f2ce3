const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { workflow } = require('@lanebench/jest');

// ctx.exec runs a shell command whose whole process tree is measured (and killed at the timeout).
// ctx.metric records a custom metric that the lane's thresholds check: pages_built >= 300.
workflow('docs', 'build site', async (ctx) => {
  await ctx.exec('node scripts/build-docs.mjs --clean');
  const pages = readdirSync(join(__dirname, '..', '.cache', 'site'), { recursive: true }).filter((f) => String(f).endsWith('.html'));
  ctx.metric('pages_built', pages.length, 'pages');
});
