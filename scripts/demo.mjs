#!/usr/bin/env node
// `pnpm demo` = `pnpm build && node scripts/demo.mjs`
//
// Runs the example lanes (docs, standard, heavy) under both runners, then regenerates every report
// from the merged history and prints where to look:
//   1. examples/vitest: vitest bench --run
//   2. examples/jest:   jest
//   3. lanebench report --output-format all --output-dir .benchmark_results
// Both examples write to <repo>/.benchmark_results, so the dashboard shows all lanes of both runners.
//
// Options: --clean (start from an empty .benchmark_results), --skip-vitest, --skip-jest.
// Exits non-zero when a step fails (a runner exits non-zero, e.g. an SLA error; a report is missing);
// the later steps still run so whatever was measured is reported.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.benchmark_results');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'cli.js');
const STEP_TIMEOUT_MS = 10 * 60_000;

const { values: opts } = parseArgs({
  options: {
    clean: { type: 'boolean', default: false },
    'skip-vitest': { type: 'boolean', default: false },
    'skip-jest': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: node scripts/demo.mjs [--clean] [--skip-vitest] [--skip-jest]');
  process.exit(0);
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const red = (s) => (color ? `\x1b[31m${s}\x1b[0m` : s);
const green = (s) => (color ? `\x1b[32m${s}\x1b[0m` : s);

/** Runs one step with inherited stdio; resolves to { code, seconds }. Kills the step at the timeout. */
function step(title, command, args, cwd) {
  console.log(`\n${bold(`▶ ${title}`)}\n  $ ${[command, ...args].join(' ')}   (in ${relative(ROOT, cwd) || '.'})\n`);
  const started = Date.now();
  return new Promise((resolveStep) => {
    const child = spawn(command, args, {
      cwd,
      stdio: 'inherit',
      // The step's own process group, so a timeout can end every process it started.
      detached: process.platform !== 'win32',
      shell: process.platform === 'win32',
      env: process.env,
    });
    const timer = setTimeout(() => {
      console.error(red(`\n✗ ${title}: still running after ${STEP_TIMEOUT_MS / 60000} min; stopping it`));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, STEP_TIMEOUT_MS);
    const forward = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      clearTimeout(timer);
      console.error(red(`✗ ${title}: could not start ${command}: ${err.message}`));
      resolveStep({ code: 127, seconds: (Date.now() - started) / 1000 });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const seconds = (Date.now() - started) / 1000;
      const ok = code === 0;
      console.log(
        (ok ? green('✓') : red('✗')) +
          ` ${title} ${ok ? 'finished' : `failed (${signal ? `signal ${signal}` : `exit code ${code}`})`} in ${seconds.toFixed(1)} s`,
      );
      resolveStep({ code: code ?? 1, seconds, signal });
    });
  });
}

function localBin(pkgDir, name) {
  const bin = join(pkgDir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  return existsSync(bin) ? bin : null;
}

async function main() {
  const missing = [CLI, join(ROOT, 'packages', 'core', 'dist', 'index.js')].filter((f) => !existsSync(f));
  if (missing.length) {
    console.error(
      red(
        `The packages are not built (missing ${missing.map((f) => relative(ROOT, f)).join(', ')}). Run: pnpm demo (it builds first) or pnpm build.`,
      ),
    );
    process.exit(2);
  }
  const examples = { vitest: join(ROOT, 'examples', 'vitest'), jest: join(ROOT, 'examples', 'jest') };
  for (const [name, dir] of Object.entries(examples)) {
    if (!existsSync(join(dir, 'node_modules'))) {
      console.error(red(`examples/${name} has no node_modules. Run pnpm install at the repository root first.`));
      process.exit(2);
    }
  }
  if (opts.clean) rmSync(OUT, { recursive: true, force: true });

  const failures = [];
  const started = Date.now();
  // The demo prints plain progress lines and writes no GitHub job summary unless asked to.
  if (!opts['skip-vitest']) {
    const vitest = localBin(examples.vitest, 'vitest');
    const r = await step(
      'Vitest example: docs, standard, heavy lanes',
      vitest ?? 'pnpm',
      vitest ? ['bench', '--run'] : ['exec', 'vitest', 'bench', '--run'],
      examples.vitest,
    );
    if (r.signal === 'SIGINT') process.exit(130);
    if (r.code !== 0) failures.push('vitest example');
  }
  if (!opts['skip-jest']) {
    const jest = localBin(examples.jest, 'jest');
    const r = await step(
      'Jest example: docs, standard, heavy lanes',
      jest ?? 'pnpm',
      jest ? [] : ['exec', 'jest'],
      examples.jest,
    );
    if (r.signal === 'SIGINT') process.exit(130);
    if (r.code !== 0) failures.push('jest example');
  }
  const report = await step(
    'Reports from the merged history',
    process.execPath,
    // the examples' config holds the demo SLAs the recommendations are judged against (the
    // defaults in docs/configuration.md are for real lanes)
    [
      CLI,
      'report',
      '--output-format',
      'all',
      '--output-dir',
      '.benchmark_results',
      '--config',
      'examples/vitest/lanebench.config.mjs',
    ],
    ROOT,
  );
  if (report.code !== 0) failures.push('lanebench report');

  const expected = ['metrics.json', 'performance_dashboard.html', 'performance_metrics.csv', 'junit.xml', 'summary.md'];
  const absent = expected.filter((f) => !existsSync(join(OUT, f)));
  if (absent.length) failures.push(`missing outputs: ${absent.join(', ')}`);

  console.log(`\n${bold('Where to look')}  (${relative(process.cwd(), OUT) || '.'}/)`);
  const describe = {
    'performance_dashboard.html': 'HTML dashboard (self-contained, open it in a browser)',
    'metrics.json': 'history of every run (schema_version 1)',
    'performance_metrics.csv': 'one row per run, for spreadsheets',
    'junit.xml': 'JUnit XML for CI test reporting',
    'summary.md': 'Markdown job summary',
  };
  const files = existsSync(OUT)
    ? readdirSync(OUT)
        .filter((f) => statSync(join(OUT, f)).isFile())
        .sort()
    : [];
  const ordered = [...expected.filter((e) => files.includes(e)), ...files.filter((f) => !expected.includes(f))];
  const width = Math.max(0, ...ordered.map((f) => join(OUT, f).length));
  for (const f of ordered) {
    const p = join(OUT, f);
    const kb = (statSync(p).size / 1024).toFixed(1).padStart(8);
    console.log(`  ${p.padEnd(width)} ${kb} KB  ${describe[f] ?? ''}`);
  }
  // From an example's folder the CLI reads that example's lanebench.config.mjs: the demo SLAs and
  // outputDir ../../.benchmark_results (from the root it would judge against the default SLAs).
  const lb = 'pnpm --dir examples/vitest exec lanebench';
  console.log(`\n${bold('Next')} (from the repository root):`);
  for (const cmd of [
    `${lb} analyze --lane docs`,
    `${lb} validate-sla --lane docs`,
    `${lb} optimize --lane heavy`,
    `${lb} trends --lane docs --metric execution_time`,
    `${lb} run --lane heavy   # one lane again, through Vitest`,
    'pnpm demo   # again: the history grows and regressions are checked against earlier runs',
  ]) {
    console.log(`  ${cmd}`);
  }
  const total = ((Date.now() - started) / 1000).toFixed(0);
  if (failures.length) {
    console.error(red(`\n✗ demo finished in ${total} s with failures: ${failures.join('; ')}`));
    process.exit(1);
  }
  console.log(green(`\n✓ demo finished in ${total} s`));
}

main().catch((err) => {
  console.error(red(`demo: ${err?.stack ?? err}`));
  process.exit(1);
});
