import { createHash } from 'node:crypto';
import os from 'node:os';
import type { EnvInfo, RunnerInfo } from '../types.js';

/** CI providers by the variable each one sets; the first match wins, plain CI last. */
const CI_PROVIDERS: ReadonlyArray<[variable: string, provider: string]> = [
  ['GITHUB_ACTIONS', 'github-actions'],
  ['GITLAB_CI', 'gitlab'],
  ['JENKINS_URL', 'jenkins'],
  ['CIRCLECI', 'circleci'],
  ['BUILDKITE', 'buildkite'],
  ['TF_BUILD', 'azure-pipelines'],
  ['CI', 'generic'],
];

export function detectCiProvider(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const [variable, provider] of CI_PROVIDERS) {
    const value = env[variable];
    if (value !== undefined && value !== '' && value.toLowerCase() !== 'false' && value !== '0') return provider;
  }
  return null;
}

/** The machine and runtime a run was measured on. */
export function collectEnv(runner?: RunnerInfo, env: NodeJS.ProcessEnv = process.env): EnvInfo {
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
    ci_provider: detectCiProvider(env),
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
