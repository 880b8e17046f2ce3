import { createHash } from 'node:crypto';
import os from 'node:os';
import ciInfo from 'ci-info';
import type { EnvInfo, RunnerInfo } from '../types.js';

/**
 * CI detection is ci-info's (about 50 services, `CI=false` turns it off). It reads the environment once,
 * when it is loaded: the answer is the process's, which is what a run and the CLI's progress line need.
 */
export interface CiInfoAnswer {
  isCI: boolean;
  /** ci-info's vendor constant, e.g. GITHUB_ACTIONS; null for an unknown service */
  id: string | null;
}

/** `env.ci_provider` as metrics.json has always spelled these services; others get ci-info's id, kebab-cased. */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  GITHUB_ACTIONS: 'github-actions',
  GITLAB: 'gitlab',
  JENKINS: 'jenkins',
  CIRCLE: 'circleci',
  BUILDKITE: 'buildkite',
  AZURE_PIPELINES: 'azure-pipelines',
};

/** The provider name of a ci-info answer: the service, 'generic' for CI on an unknown service, null outside CI. */
export function ciProviderOf(answer: CiInfoAnswer): string | null {
  if (!answer.isCI) return null;
  if (answer.id === null) return 'generic';
  return PROVIDER_NAMES[answer.id] ?? answer.id.toLowerCase().replace(/_/g, '-');
}

/** Whether this process runs in CI (ci-info). */
export function isCI(): boolean {
  return ciInfo.isCI;
}

/** The CI service this process runs on (see ciProviderOf), or null. */
export function detectCiProvider(): string | null {
  return ciProviderOf(ciInfo);
}

/** Whether this process runs on GitHub Actions, which reads workflow commands (annotations) from stdout. */
export function onGitHubActions(): boolean {
  return detectCiProvider() === 'github-actions';
}

/** The machine and runtime a run was measured on. */
export function collectEnv(runner?: RunnerInfo): EnvInfo {
  const cpus = os.cpus();
  const cpuModel = (cpus[0]?.model ?? 'unknown').trim();
  const logicalCores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  const memoryMb = Math.round(os.totalmem() / 1024 ** 2);
  const info: Omit<EnvInfo, 'fingerprint'> = {
    os: os.type(),
    platform: process.platform,
    arch: process.arch,
    kernel: os.release(),
    cpu_model: cpuModel,
    logical_cores: logicalCores,
    memory_total_mb: memoryMb,
    node_version: process.version,
    runner: runner?.name ?? null,
    runner_version: runner?.version ?? null,
    ci_provider: detectCiProvider(),
    hostname: os.hostname(),
  };
  return { ...info, fingerprint: environmentFingerprint(info) };
}

/**
 * Short hash of what makes timings comparable: CPU model, logical cores, memory rounded to GB,
 * platform, arch and Node major version (not the hostname: identical CI machines compare).
 */
export function environmentFingerprint(
  env: Pick<EnvInfo, 'cpu_model' | 'logical_cores' | 'memory_total_mb' | 'platform' | 'arch' | 'node_version'>,
): string {
  const nodeMajor = env.node_version.replace(/^v/, '').split('.')[0];
  const memoryGb = Math.round(env.memory_total_mb / 1024);
  const key = [env.cpu_model, env.logical_cores, memoryGb, env.platform, env.arch, nodeMajor].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}
