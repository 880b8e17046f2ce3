// The rules `pnpm depcheck` enforces (dependency-cruiser): no import cycle anywhere in packages/*/src, and no
// import against the stage order of packages/core/src. The order is not written here: it is read from the
// `<!-- stage-order -->` block of docs/ARCHITECTURE.md, so the documented architecture and the checked one are the
// same text. packages/core/test/dependency-rules.test.ts runs it on planted trees.
const { readFileSync } = require('node:fs');

const CORE = '^packages/core/src/';

/** The layers of the block, top first; each line lists the folders (or root files) of one layer. */
function readLayers(docFile) {
  const doc = readFileSync(docFile, 'utf8');
  const block = /<!-- stage-order -->([\s\S]*?)<!-- \/stage-order -->/.exec(doc);
  if (!block) throw new Error(`${docFile}: no <!-- stage-order --> … <!-- /stage-order --> block`);
  const fence = /```[a-z]*\n([\s\S]*?)```/.exec(block[1]);
  if (!fence) throw new Error(`${docFile}: the stage-order block has no fenced list of layers`);
  const layers = fence[1]
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
  if (layers.length < 2) throw new Error(`${docFile}: the stage-order block lists fewer than two layers`);
  return layers;
}

/** A path pattern matching the modules of these folders (a name ending in .ts is a file at the root of src/). */
function pathOf(names) {
  const alts = names.map((n) => (n.endsWith('.ts') ? `${n.replace(/\./g, '\\.')}$` : `${n}/`));
  return `${CORE}(${alts.join('|')})`;
}

/** The `forbidden` rules of a dependency-cruiser configuration, for the stage order written in docFile. */
function dependencyRules(docFile) {
  const layers = readLayers(docFile);
  const layerRules = layers.slice(1).map((layer, i) => {
    const above = layers.slice(0, i + 1).flat();
    return {
      name: `stage-order-${layer.join('-').replace(/\.ts\b/g, '')}`,
      comment: `${layer.join(', ')} may not import ${above.join(', ')}: the stage order of docs/ARCHITECTURE.md puts them above`,
      severity: 'error',
      from: { path: pathOf(layer) },
      to: { path: pathOf(above) },
    };
  });
  return [
    {
      name: 'no-circular',
      comment: 'an import cycle: the modules of a cycle can only be understood, tested and moved together',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'core-stands-alone',
      comment: '@lanebench/core never imports an adapter or the CLI',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'public-api-only',
      comment: "the adapters and the CLI import '@lanebench/core', never its source files",
      severity: 'error',
      from: { path: '^packages/(?!core/)[^/]+/src/' },
      to: { path: CORE },
    },
    {
      name: 'every-folder-has-a-stage',
      comment: 'a module of packages/core/src in no layer of the stage-order block of docs/ARCHITECTURE.md',
      severity: 'error',
      from: { path: CORE, pathNot: `${pathOf(layers.flat())}|${CORE}index\\.ts$` },
      to: {},
    },
  ];
}

/** The whole dependency-cruiser configuration `pnpm depcheck` runs with (.dependency-cruiser.cjs). */
function dependencyConfig(docFile) {
  return {
    forbidden: dependencyRules(docFile),
    options: {
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '(^|/)(dist|node_modules|test)/' },
      tsConfig: { fileName: 'tsconfig.json' },
      // type-only imports count: a contract imported from the layer above is still an upward dependency
      tsPreCompilationDeps: true,
    },
  };
}

module.exports = { dependencyConfig, dependencyRules, readLayers };
