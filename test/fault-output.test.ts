/**
 * Hostile names on the terminal and in GitHub Actions logs (docs/SECURITY.md, issue 11 #9): a workflow name carrying
 * workflow commands (`::error`, `::add-mask::`, `::stop-commands::`, legacy `##[…]`), OSC 8 links, clear-screen,
 * title-setting escapes and bidi overrides reaches every line lanebench prints as visible escapes. Checked on the
 * raw bytes of the real CLI (run, validate-sla, trends, optimize, compare, errors) and of a real Vitest run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lanebench, readHistoryFile, tempDir } from './cli-helpers.js';
import { createProject, type Project } from './helpers/project.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** One name that attacks the terminal and the GitHub runner at once. */
const HOSTILE =
  `deploy\n::error file=app.js,line=1::pwned\n  ::add-mask::secret\n::stop-commands::tok\r\n` +
  `${ESC}]8;;https://evil.invalid${BEL}click${ESC}]8;;${BEL} ${ESC}[2J${ESC}[H${ESC}]0;owned title${BEL}` +
  `${ESC}[8mhidden${ESC}[0m \u202eevil\u202c \u2066iso\u2069 ##[add-mask]legacy \u009b31m c1`;

/** Every byte lanebench printed is inert: only its own annotations start with `::`, no control reaches the tty. */
function expectInert(text: string, opts: { colors?: boolean; annotations?: number } = {}): void {
  const lines = text.split('\n');
  const commands = lines.filter((l) => /^\s*::/.test(l));
  for (const l of commands) {
    // lanebench's own annotations: a known command, escaped properties, a lanebench title
    expect(l, 'only lanebench annotations may start with ::').toMatch(
      /^::(error|warning|notice) (file=[^,:\n]*,)?title=lanebench[^:\n]*::[^\n]*$/,
    );
  }
  if (opts.annotations !== undefined) expect(commands).toHaveLength(opts.annotations);
  expect(text).not.toContain('##[');

  const controls = text.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? [];
  if (!opts.colors) expect(controls, 'no control characters').toEqual([]);
  else {
    // with colors on, only SGR color sequences of lanebench's own styling, never conceal (8)

    const rest = text.replace(/\u001b\[(?:(?:[0-79]|[1-9][0-9]|10[0-7])(?:;(?:[0-79]|[1-9][0-9]|10[0-7]))*)?m/g, '');

    expect(rest.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? [], 'only color sequences').toEqual([]);
  }
  expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
}

/** The escapes a reader sees instead of the attack. */
function expectVisible(text: string): void {
  expect(text).toContain('\\u001b]8;;https://evil.invalid\\u0007');
  expect(text).toContain('\\u202e');
  // the whole name stays on one line (its line breaks shown as escapes or ' — ')
  expect(text.split('\n').some((l) => l.includes('deploy') && l.includes('legacy') && l.includes('c1'))).toBe(true);
}

const GH = { GITHUB_ACTIONS: 'true', CI: 'true' };

describe('CLI output with a hostile workflow name', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('hostile-out');
    // one passing run and one failing run (error annotation that names the workflow)
    const ok = lanebench(dir, ['run', '--lane', 'docs', '--iterations', '1', '--name', HOSTILE, '--', 'true'], GH);
    expect(ok.code, ok.stderr).toBe(0);
    expectInert(ok.stdout + ok.stderr, { annotations: 0 });
    expectVisible(ok.stdout);
  });

  it('run: no annotations when the CI detection (ci-info) is switched off by CI=false', () => {
    // a history of its own: the other tests count the runs of theirs
    const r = lanebench(
      tempDir('ci-false-out'),
      ['run', '--lane', 'docs', '--iterations', '1', '--name', 'plain', '--', 'false'],
      { ...GH, CI: 'false' },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/plain/);
    expectInert(r.stdout + r.stderr, { annotations: 0 });
  });

  it('run: progress lines, summary and annotations under GITHUB_ACTIONS=true', () => {
    const r = lanebench(
      dir,
      ['run', '--lane', 'docs', '--iterations', '1', '--verbose', '--name', HOSTILE, '--', 'false'],
      GH,
    );
    expect(r.code, r.stderr).toBe(1);
    expectInert(r.stdout, { annotations: 1 });
    expectInert(r.stderr, { annotations: 0 });
    // progress lines (stderr, plain in CI) and the summary (stdout) show the escapes
    expect(r.stderr).toMatch(/iteration 1\/1 failed/);
    expectVisible(r.stderr);
    expectVisible(r.stdout);
    // the annotation carries the name percent-encoded in its title, as data
    const annotation = r.stdout.split('\n').find((l) => l.startsWith('::error '))!;
    expect(annotation).toContain('%0A%3A%3Aerror file=app.js%2Cline=1%3A%3Apwned');
    expect(readHistoryFile(dir).runs.map((x) => x.workflow)).toEqual([HOSTILE, HOSTILE]);
  });

  it('run with colors forced on: only lanebench color codes pass, the name’s own escapes do not', () => {
    const r = lanebench(dir, ['run', '--lane', 'docs', '--iterations', '1', '--name', HOSTILE, '--', 'true'], {
      ...GH,
      NO_COLOR: undefined,
      FORCE_COLOR: '1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${ESC}[32m`); // our green
    expectInert(r.stdout + r.stderr, { colors: true, annotations: 0 });
    expect(r.stdout).not.toContain(`${ESC}[8m`);
    expect(r.stdout).toContain('\\u001b[8mhidden');
  });

  it('validate-sla, trends, optimize, compare: every line inert', () => {
    for (const args of [
      ['validate-sla', '--lane', 'docs'],
      ['trends', '--lane', 'docs', '--metric', 'execution_time'],
      ['optimize', '--lane', 'docs'],
      ['analyze', '--lane', 'docs'],
      ['compare', readHistoryFile(dir).runs[0]!.id, readHistoryFile(dir).runs.at(-1)!.id],
    ]) {
      const r = lanebench(dir, args, GH);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
      expectInert(r.stdout + r.stderr, { annotations: 0 });
      expect(r.stdout, args.join(' ')).toContain('\\u001b]8;;');
    }
  });

  it('analyze --json stays valid JSON and decodes to the real name', () => {
    const r = lanebench(dir, ['trends', '--lane', 'docs', '--metric', 'execution_time', '--json'], GH);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    const json = JSON.parse(r.stdout) as { workflows: Array<{ workflow: string }> };
    expect(json.workflows[0]!.workflow).toBe(HOSTILE);
  });

  it('error messages that quote a bad value (lanebench’s and commander’s)', () => {
    for (const args of [
      ['trends', '--lane', 'docs', '--metric', 'execution_time', '--workflow', `${HOSTILE} nosuch`],
      ['validate-sla', '--lane', HOSTILE],
      ['run', '--lane', 'docs', `--${HOSTILE}`],
      ['run', '--lane', 'docs', '--iterations', HOSTILE],
    ]) {
      const r = lanebench(dir, args, GH);
      expect(r.code, r.stderr).toBe(2);
      expectInert(r.stdout + r.stderr, { annotations: 0 });
      expect(r.stderr).toContain('\\u001b]8;;');
    }
  });
});

describe('a Vitest run with a hostile workflow name (Vitest 4.1.12, lanebench run driving it)', () => {
  let project: Project;
  beforeAll(() => {
    project = createProject({
      name: 'hostile-vitest',
      lanebench: ['vitest', 'cli'],
      dependencies: { vitest: '4.1.12' },
    });
    project.write(
      'vitest.config.ts',
      `import { defineConfig } from 'vitest/config';\nimport { lanebench } from '@lanebench/vitest';\nexport default defineConfig({ plugins: [lanebench({ outputDir: 'out', lanes: { docs: { iterations: 2, timeout: '30s' } } })] });\n`,
    );
    project.write(
      'docs.bench.ts',
      `import { workflow } from '@lanebench/vitest';\nworkflow('docs', ${JSON.stringify(HOSTILE)}, 'true');\nworkflow('docs', ${JSON.stringify(`${HOSTILE} crash`)}, 'false');\n`,
    );
  }, 600_000);

  it('vitest bench: Vitest’s lines and lanebench’s progress, summary and annotations are inert', () => {
    const r = project.run('npx', ['vitest', 'bench', '--run'], { env: GH, timeoutMs: 240_000 });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    // one error annotation for the crashing workflow; GitHub reads stdout
    expectInert(r.stdout, { annotations: 1 });
    expectInert(r.stderr, { annotations: 0 });
    expect(r.stdout + r.stderr).toContain('\\u001b]8;;https://evil.invalid');
    const history = JSON.parse(project.read('out/metrics.json')) as { runs: Array<{ workflow: string }> };
    expect(history.runs.map((x) => x.workflow).sort()).toEqual([HOSTILE, `${HOSTILE} crash`].sort());
  });

  it('lanebench run --lane docs (runner-driven): the same', () => {
    const r = project.run('npx', ['lanebench', 'run', '--lane', 'docs'], { env: GH, timeoutMs: 240_000 });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expectInert(r.stdout, { annotations: 1 });
    expectInert(r.stderr, { annotations: 0 });
  });
});
