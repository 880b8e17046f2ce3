// `pnpm depcheck`: the rules are built from docs/ARCHITECTURE.md's stage-order block (scripts/dependency-rules.cjs).
const { join } = require('node:path');
const { dependencyConfig } = require('./scripts/dependency-rules.cjs');

module.exports = dependencyConfig(join(__dirname, 'docs', 'ARCHITECTURE.md'));
