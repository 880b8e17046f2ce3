/**
 * The test timeout a runner should give one workflow test: every iteration (warm-up included) may
 * take its full per-iteration timeout plus a grace, so the runner never cuts a run that core's
 * runWorkflow would still finish and record.
 */
import { resolveConfig, resolveLane, type ResolvedConfig, type WorkflowOverrides } from '../config/index.js';

/** Time allowed per iteration on top of its own timeout: killing the tree and sampling. */
const GRACE_S = 15;
/** Loading modules and the config, writing the Run: once per test. */
const SETUP_S = 30;
/** setTimeout's limit; the runners' test timeouts are setTimeouts. */
export const MAX_TEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * iterations × (timeout + grace) + setup, in ms. Without a config (adapter not wired) the defaults
 * give a first estimate; an unknown lane or bad option gives the maximum, so the test body reports
 * that error instead of the runner timing out first.
 */
export function workflowTestTimeoutMs(lane: string, options: WorkflowOverrides, config?: ResolvedConfig): number {
  try {
    const resolved = resolveLane(config ?? resolveConfig(undefined), lane, options);
    const seconds = (resolved.iterations + resolved.warmup) * (resolved.timeout_s + GRACE_S) + SETUP_S;
    return Math.min(Math.ceil(seconds * 1000), MAX_TEST_TIMEOUT_MS);
  } catch {
    return MAX_TEST_TIMEOUT_MS;
  }
}
