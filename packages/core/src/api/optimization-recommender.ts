import type { LanebenchConfig, ResolvedConfig } from '../config/index.js';
import { recommend } from '../recommend/recommend.js';
import type { Recommendation } from '../recommend/types.js';
import type { Run } from '../types.js';
import { toResolvedConfig } from './resolve.js';

/**
 * Optimization suggestions from a run's measured profile (the guide's `OptimizationRecommender`).
 *
 * @example
 * new OptimizationRecommender(config).getRecommendations(run, history.runs)[0]?.title;
 */
export class OptimizationRecommender {
  readonly config: ResolvedConfig;

  constructor(config?: ResolvedConfig | LanebenchConfig) {
    this.config = toResolvedConfig(config);
  }

  /** Most urgent first; `history` adds trend-based advice. */
  getRecommendations(run: Run, history: readonly Run[] = []): Recommendation[] {
    return recommend(run, this.config.lanes[run.lane], history);
  }
}
