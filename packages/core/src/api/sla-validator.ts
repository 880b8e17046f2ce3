import { validateLane, type LaneValidation } from '../analysis/validate.js';
import type { LanebenchConfig, ResolvedConfig } from '../config/index.js';
import { evaluateRun, type SlaExpectation } from '../run/index.js';
import type { Run, SlaResult } from '../types.js';
import { toResolvedConfig } from './resolve.js';

/**
 * SLA checks (the guide's `SLAValidator`).
 *
 * @example
 * const v = new SLAValidator(config);
 * const result = v.validateLane('docs', history.runs); // latest run per workflow
 * if (!result.compliant) console.log(result.violations.map((x) => x.message));
 */
export class SLAValidator {
  readonly config: ResolvedConfig;

  constructor(config?: ResolvedConfig | LanebenchConfig) {
    this.config = toResolvedConfig(config);
  }

  /**
   * Validates a lane on its recorded runs: per workflow, the latest `window` runs (default 1)
   * against the lane's configured thresholds.
   */
  validateLane(
    lane: string,
    runs: Run | readonly Run[],
    opts: { strict?: boolean; window?: number } = {},
  ): LaneValidation {
    return validateLane(Array.isArray(runs) ? runs : [runs as Run], lane, { config: this.config, ...opts });
  }

  /** Evaluates one run against a lane name (default: the run's lane), a threshold spec or a lane config. */
  validateRun(run: Run, expectation: SlaExpectation = run.lane, opts: { strict?: boolean } = {}): SlaResult {
    return evaluateRun(run, expectation, { config: this.config, ...opts });
  }
}
