// `pnpm depcheck` (scripts/dependency-rules.cjs): the stage order is read from docs/ARCHITECTURE.md, and the real
// dependency-cruiser run fails on a planted upward import, a planted cycle and a folder the doc does not place.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { scratch } from './measure-helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rulesModule = path.join(repo, 'scripts', 'dependency-rules.cjs');
const { readLayers } = createRequire(import.meta.url)(rulesModule) as { readLayers: (doc: string) => string[][] };
const depcruise = path.join(repo, 'node_modules', '.bin', 'depcruise');

const tmp = scratch();
afterAll(() => tmp.cleanup());

const DOC = `# Architecture

<!-- stage-order -->
\`\`\`text
upper           # imports everything below
middle peer     # peers may import each other
lower types.ts  # the bottom
\`\`\`
<!-- /stage-order -->
`;

let trees = 0;
/** A repo-shaped tree: the doc above, a tsconfig, the real rules, and these files under packages/core/src. */
function tree(files: Record<string, string>): string {
  const root = path.join(tmp.dir, `tree-${++trees}`);
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write('docs/ARCHITECTURE.md', DOC);
  write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  write(
    '.dependency-cruiser.cjs',
    `module.exports = require(${JSON.stringify(rulesModule)}).dependencyConfig(require('node:path').join(__dirname, 'docs', 'ARCHITECTURE.md'));\n`,
  );
  for (const [rel, text] of Object.entries(files)) write(`packages/core/src/${rel}`, text);
  return root;
}

function check(root: string): { code: number | null; output: string } {
  const r = spawnSync(depcruise, ['packages', '--config', '.dependency-cruiser.cjs'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

const GOOD = {
  'types.ts': 'export interface Rec { n: number }\n',
  'lower/a.ts': "import type { Rec } from '../types.js';\nexport const lower = (r: Rec): number => r.n;\n",
  'middle/b.ts':
    "import { lower } from '../lower/a.js';\nimport { peer } from '../peer/c.js';\nexport const middle = () => lower({ n: peer });\n",
  'peer/c.ts': 'export const peer = 1;\n',
  'upper/d.ts': "import { middle } from '../middle/b.js';\nexport const upper = middle;\n",
  'index.ts': "export * from './upper/d.js';\n",
};

describe('the dependency rule (pnpm depcheck)', () => {
  test('a tree that follows the stage order passes', () => {
    const r = check(tree(GOOD));
    expect(r.output).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  test('an upward import fails, naming the layer and the import', () => {
    const r = check(
      tree({
        ...GOOD,
        'lower/a.ts': "import { upper } from '../upper/d.js';\nexport const lower = (): unknown => upper;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/error stage-order-lower-types: packages\/core\/src\/lower\/a\.ts → .*upper\/d\.ts/);
  });

  test('an upward type-only import fails too (a contract belongs to the layer that owns it)', () => {
    const r = check(
      tree({
        ...GOOD,
        'upper/d.ts':
          "import { middle } from '../middle/b.js';\nexport type Up = { u: 1 };\nexport const upper = middle;\n",
        'peer/c.ts': "import type { Up } from '../upper/d.js';\nexport const peer = 1;\nexport type P = Up;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/error stage-order-middle-peer: packages\/core\/src\/peer\/c\.ts/);
  });

  test('a cycle fails even between peers of one layer', () => {
    const r = check(
      tree({
        ...GOOD,
        'peer/c.ts':
          "import { middle } from '../middle/b.js';\nexport const peer = 1;\nexport const m = () => middle;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('error no-circular');
  });

  test('a folder the doc does not place fails', () => {
    const r = check(
      tree({ ...GOOD, 'stray/e.ts': "import { lower } from '../lower/a.js';\nexport const e = lower;\n" }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('error every-folder-has-a-stage: packages/core/src/stray/e.ts');
  });

  test('docs/ARCHITECTURE.md places every folder and root file of the real packages/core/src', () => {
    const placed = readLayers(path.join(repo, 'docs', 'ARCHITECTURE.md')).flat();
    const src = path.join(repo, 'packages', 'core', 'src');
    const entries = readdirSync(src, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.name.endsWith('.ts') && e.name !== 'index.ts'))
      .map((e) => e.name);
    expect(entries.filter((e) => !placed.includes(e))).toEqual([]);
  });
});
