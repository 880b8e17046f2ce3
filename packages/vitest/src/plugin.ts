/**
 * `lanebench(options)`: the one line users add to their Vitest config. It wires, per major:
 * Vitest 5 → the benchmark provider; Vitest 4 → a bench-mode runner; both → the reporter that
 * publishes the runs, the setup file that registers `toMeetSla`, and the resolved configuration
 * handed to the workers.
 */
import type { Plugin } from 'vitest/config';
import type { AdapterSession, ResolvedConfig } from '@lanebench/core';
import { resolvePluginConfig } from './config.js';
import type { LanebenchPluginOptions } from './options.js';
import { PROVIDER_PATH, RUNNER_PATH, SETUP_PATH } from './paths.js';
import { PAYLOAD_KEY, type WorkerPayload } from './payload.js';
import { LanebenchReporter } from './reporter.js';
import { vitestMajor } from './version.js';

/** Vitest's default is `**\/*.{bench,benchmark}.?(c|m)[jt]s?(x)`; lanes are `*.bench.ts` files. */
export const DEFAULT_BENCH_INCLUDE = ['**/*.bench.?(c|m)[jt]s?(x)'];

/**
 * Vitest instances that already have our reporter. With `projects` (and `extends: true`) the
 * config, and so this plugin, is evaluated once per project: one reporter per Vitest, not per project.
 */
const reporterFor = new WeakMap<object, LanebenchReporter>();

/** The parts of Vitest's config objects touched here, common to both majors. */
interface UserTestConfig {
  test?: { benchmark?: { include?: string[] } };
}
interface ProjectConfigLike {
  root: string;
  setupFiles: string[];
  runner?: string;
  benchmark?: { provider?: string };
}
interface VitestLike {
  version: string;
  mode: string;
  config: { root: string; reporters: unknown[]; benchmark?: { reporters?: unknown[] } };
  import?: (id: string) => Promise<unknown>;
}
interface ProjectLike {
  config: ProjectConfigLike;
  provide: (key: string, value: unknown) => void;
}

/** Vitest awaits `configureVitest` (Promise.all over every project's hooks) though its type says `void`. */
type AsyncHookPlugin = Omit<Plugin, 'configureVitest'> & {
  configureVitest(context: { vitest: unknown; project: unknown }): Promise<void>;
};

export function lanebench(options: LanebenchPluginOptions = {}): Plugin {
  // One resolution per root, shared by the projects of a run.
  const resolved = new Map<string, Promise<AdapterSession>>();

  const plugin: AsyncHookPlugin = {
    name: 'lanebench',
    config(user) {
      const include = (user as UserTestConfig).test?.benchmark?.include;
      // mergeConfig concatenates arrays: add the default include only when the user set none.
      const benchmark = include && include.length > 0 ? {} : { benchmark: { include: DEFAULT_BENCH_INCLUDE } };
      return { test: { setupFiles: [SETUP_PATH], ...benchmark } };
    },
    async configureVitest(context) {
      const vitest = context.vitest as VitestLike;
      const project = context.project as ProjectLike;
      const major = vitestMajor(vitest.version);
      const root = vitest.config.root;
      let pending = resolved.get(root);
      if (!pending) {
        // core loads lanebench.config.* (TypeScript included) itself, the same way as the CLI and Jest
        pending = resolvePluginConfig(root, options);
        resolved.set(root, pending);
      }
      // a typo in LANEBENCH_LANE or a history that cannot take the runs stops Vitest here, before anything runs
      const { config, workflowOverrides } = await pending;
      const payload: WorkerPayload = {
        config,
        vitestVersion: vitest.version,
        ...(workflowOverrides ? { workflowOverrides } : {}),
      };
      project.provide(PAYLOAD_KEY, payload);

      // Projects that do not inherit the root config still need the matcher.
      if (!project.config.setupFiles.includes(SETUP_PATH)) project.config.setupFiles.push(SETUP_PATH);

      if (major >= 5) {
        // The config hook is too early for inline projects; the resolved project config is not.
        project.config.benchmark ??= {};
        project.config.benchmark.provider = PROVIDER_PATH;
      } else if (vitest.mode === 'benchmark') {
        project.config.runner = RUNNER_PATH;
      }
      registerReporter(vitest, major, config);
    },
  };
  return plugin;
}

function registerReporter(vitest: VitestLike, major: number, config: ResolvedConfig): void {
  if (reporterFor.has(vitest)) return;
  const reporter = new LanebenchReporter(config);
  reporterFor.set(vitest, reporter);
  // Vitest 4 in bench mode builds its reporters from benchmark.reporters only.
  if (major < 5 && vitest.mode === 'benchmark') {
    vitest.config.benchmark ??= {};
    vitest.config.benchmark.reporters ??= [];
    vitest.config.benchmark.reporters.push(reporter);
  } else {
    vitest.config.reporters.push(reporter);
  }
}
