import { workflow } from '@lanebench/vitest';
import { commands, pagesBuilt } from 'lanebench-example-workloads/lanes';

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// ctx.exec runs a shell command whose whole process tree is measured (and killed at the timeout).
// ctx.metric records a custom metric that the lane's thresholds check: pages_built >= 300.
workflow('docs', 'build site (vitest)', async (ctx) => {
  const { stdout } = await ctx.exec(commands.docs);
  ctx.metric('pages_built', pagesBuilt(stdout), 'pages');
});
