const { workflow } = require('@lanebench/jest');

// The standard lane runs the project's unit tests (node's test runner starts one child per file).
workflow('standard', 'unit tests', async (ctx) => {
  await ctx.exec('node --test test/');
});
