/**
 * The published types on real runner projects (Vitest 4.1, Vitest 5 on Node 22, Jest 30): a fresh TypeScript project
 * per runner installs the packed packages, and its lane, config and test files (`workflow`, `measure`, `toMeetSla`,
 * `ctx.exec`, `ctx.metric`, `defineConfig`) compile with `tsc --noEmit` and `skipLibCheck: false`, so the packages'
 * own declarations are checked too. Negative cases carry `// @ts-expect-error NEG`: with the markers they compile; with
 * them blanked out, tsc must fail on exactly those lines, so each case proves the wrong call is rejected.
 */
import { describe, expect, it } from 'vitest';
import { createProject, type Project } from './helpers/project.js';

const MARK = '// @ts-expect-error NEG';

const TSCONFIG = (include: string, module: 'NodeNext', types: string[]) =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module,
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types,
      },
      include: [include],
    },
    null,
    2,
  );

const CONFIG = (from: string) => `import { defineConfig } from '${from}';
export default defineConfig({ lanes: { docs: { iterations: 3, sla: { p95: '20m', memory_max: 512 } } } });
export const misspelt = defineConfig({
  lanes: {
    ${MARK} misspelt lane option
    docs: { iteratons: 3 },
  },
});
`;

const LANE = (from: string) => `import { workflow, type WorkflowContext } from '${from}';
workflow('docs', 'build site', async (ctx: WorkflowContext) => {
  const r = await ctx.exec(['node', '-e', 'console.log(1)']);
  ctx.metric('pages', r.stdout.length, 'count');
  ctx.metric('bytes', 12);
});
workflow('docs', 'shell', 'node -e "1"', { iterations: 2, timeout: '5m' });
${MARK} a metric value is a number
workflow('docs', 'bad metric', (ctx) => ctx.metric('pages', '12'));
${MARK} misspelt workflow option
workflow('docs', 'bad option', 'true', { iteratons: 2 });
`;

/** Positive and negative uses of measure() and toMeetSla, the same on every runner (`expect` in scope). */
const ASSERTIONS = `  const run = await measure(() => undefined, { iterations: 2 });
  expect(run).toMeetSla('docs');
  expect(run).toMeetSla({ execution_time: ['p(95) < 20m'] }, { strict: true });
  expect(run).toMeetSla({ sla: { p95: '20m' } });
  expect(run).not.toMeetSla('docs');
  await expect(Promise.resolve(run)).resolves.toMeetSla('docs');
  const byName = await measure('node -e 1', { name: 'node boot', lane: 'docs' });
  expect(byName.workflow).toBe('node boot');
  ${MARK} a number is not an SLA
  expect(run).toMeetSla(42);
  ${MARK} misspelt matcher option
  expect(run).toMeetSla('docs', { strikt: true });
  ${MARK} misspelt measure option
  await measure(() => undefined, { iteratons: 2 });
  ${MARK} the matcher returns what the assertion returns: a promise after .resolves
  const notVoid: void = expect(Promise.resolve(run)).resolves.toMeetSla('docs');
  void notVoid;
`;

interface Runner {
  title: string;
  name: string;
  type: 'module' | 'commonjs';
  dependencies: Record<string, string>;
  lanebench: 'vitest' | 'jest';
  types: string[];
  files: Record<string, string>;
}

const vitestFiles = (major: 4 | 5): Record<string, string> => ({
  'src/lanebench.config.ts': CONFIG('@lanebench/vitest'),
  'src/docs.bench.ts': LANE('@lanebench/vitest'),
  'src/sla.test.ts': `import { describe, expect, test } from 'vitest';
import { measure } from '@lanebench/vitest';
describe('search', () => {
  test('is fast', async () => {
${ASSERTIONS}  });
});
`,
  ...(major === 5
    ? {
        // Vitest 5's own bench API: the result of bench().run() is what toMeetSla reads on that major
        'src/native.test.ts': `import { expect, test } from 'vitest';
test('sort', async ({ bench }) => {
  const result = await bench('sort 2k', () => [...Array(2000).keys()].sort()).run({ iterations: 3 });
  expect(result).toMeetSla('docs');
  ${MARK} a number is not an SLA
  expect(result).toMeetSla(42);
});
`,
      }
    : {}),
});

const runners: Runner[] = [
  {
    title: 'Vitest 4.1',
    name: 'types-vitest4',
    type: 'module',
    dependencies: { vitest: '4.1.12', typescript: '5.9.3', '@types/node': '^20.19.0' },
    lanebench: 'vitest',
    types: ['node'],
    files: vitestFiles(4),
  },
  {
    title: 'Vitest 5 (Node 22)',
    name: 'types-vitest5',
    type: 'module',
    // Vitest 5's optional peer @types/node is ^22 || >=24
    dependencies: { vitest: '5.1.2', node: '22', typescript: '5.9.3', '@types/node': '^22.0.0' },
    lanebench: 'vitest',
    types: ['node'],
    files: vitestFiles(5),
  },
  {
    title: 'Jest 30',
    name: 'types-jest',
    type: 'commonjs',
    dependencies: {
      jest: '30.5.2',
      '@jest/globals': '30.5.2',
      '@types/jest': '30.0.0',
      typescript: '5.9.3',
      '@types/node': '^20.19.0',
    },
    lanebench: 'jest',
    types: ['node', 'jest'],
    files: {
      'src/lanebench.config.ts': CONFIG('@lanebench/jest'),
      'src/docs.test.ts': LANE('@lanebench/jest'),
      // expect from @jest/globals: typed by the `expect` package
      'src/sla.test.ts': `import { describe, expect, test } from '@jest/globals';
import { measure } from '@lanebench/jest';
describe('search', () => {
  test('is fast', async () => {
${ASSERTIONS}  });
});
`,
      // the global expect of @types/jest: typed by its jest namespace
      'src/globals.test.ts': `import { measure } from '@lanebench/jest';
test('globals', async () => {
  const run = await measure(() => undefined, { iterations: 2 });
  expect(run).toMeetSla('docs');
  ${MARK} a number is not an SLA
  expect(run).toMeetSla(42);
});
`,
    },
  },
];

/** 1-based line numbers (in `file`) right after each NEG marker: where the blanked-out variant must fail. */
function negativeLines(files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    text.split('\n').forEach((line, i) => {
      if (line.includes(MARK)) out.push(`${file.replace(/^src\//, 'blanked/')}(${i + 2})`);
    });
  }
  return out.sort();
}

function tsc(project: Project, tsconfig: string) {
  const res = project.run('npx', ['tsc', '-p', tsconfig], { timeoutMs: 240_000 });
  return { status: res.status, out: `${res.stdout}\n${res.stderr}` };
}

describe.each(runners)('types on $title', (runner) => {
  it('lane, config and test files compile with skipLibCheck: false; each negative case fails without its marker', () => {
    const project = createProject({
      name: runner.name,
      lanebench: [runner.lanebench],
      dependencies: runner.dependencies,
      type: runner.type,
    });
    project.write('tsconfig.json', TSCONFIG('src', 'NodeNext', runner.types));
    project.write('tsconfig.blanked.json', TSCONFIG('blanked', 'NodeNext', runner.types));
    for (const [file, text] of Object.entries(runner.files)) {
      project.write(file, text);
      // the same file with every marker replaced by a plain comment: line numbers stay
      project.write(file.replace(/^src\//, 'blanked/'), text.replaceAll(MARK, '//'));
    }

    const ok = tsc(project, 'tsconfig.json');
    expect(ok.out).not.toMatch(/error TS/);
    expect(ok.status, ok.out).toBe(0);

    const blanked = tsc(project, 'tsconfig.blanked.json');
    expect(blanked.status, blanked.out).not.toBe(0);
    // every error is on a negative line, and every negative line has one (no unrelated breakage)
    const errorLines = [
      ...new Set(
        [...blanked.out.matchAll(/^(blanked\/\S+?)\((\d+),\d+\): error TS\d+/gm)].map((m) => `${m[1]}(${m[2]})`),
      ),
    ].sort();
    expect(errorLines, blanked.out).toEqual(negativeLines(runner.files));
  });
});
