// Shell commands of the example workloads and how to read their output. CommonJS, so Jest lane
// files can require it as they are; ESM files import it too.
const { join } = require('node:path');

const q = (p) => JSON.stringify(p);

/** Absolute paths, so the commands work from either example. */
const commands = {
  docs: `node ${q(join(__dirname, 'scripts', 'build-docs.mjs'))} --clean`,
  standard: `node --test ${q(join(__dirname, 'test'))}/`,
  heavy: `node ${q(join(__dirname, 'scripts', 'heavy-job.mjs'))} --workers 2 --mb 150`,
};

/** build-docs prints "build-docs: <n> pages → …": the docs lane records n as a custom metric. */
function pagesBuilt(stdout) {
  const m = /build-docs: (\d+) pages/.exec(stdout);
  if (!m) throw new Error(`build-docs did not report its page count; output was:\n${stdout}`);
  return Number(m[1]);
}

module.exports = { commands, pagesBuilt };
