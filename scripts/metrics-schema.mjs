#!/usr/bin/env node
// Writes docs/metrics.schema.json, the JSON Schema of metrics.json, from the history zod schema in
// packages/core/src/history/schema.ts (loaded from source through jiti, so no build is needed).
// `--check` exits 1 when the published file is stale instead of writing it;
// packages/core/test/history-json-schema.test.ts runs the same comparison in the unit tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'metrics.schema.json');
// jiti is a dependency of @lanebench/core (its config loader), resolved from there
const { createJiti } = createRequire(join(root, 'packages', 'core', 'package.json'))('jiti');
const jiti = createJiti(import.meta.url);
const { metricsJsonSchema } = await jiti.import(join(root, 'packages', 'core', 'src', 'history', 'schema.ts'));
const text = `${JSON.stringify(metricsJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${out} is stale: run node scripts/metrics-schema.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
