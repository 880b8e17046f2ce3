export { describe } from './describe.js';
export { percentile, PERCENTILE_MIN_SAMPLES } from './percentile.js';
export { analyzeIterations, metricSamples } from './analyze.js';
