export { recommend } from './recommend.js';
export type { Recommendation, RecommendationEffort } from './types.js';
