export { ThresholdError } from './errors.js';
export { parseExpression, OPERATORS, type ParsedExpression } from './parser.js';
export { parseThreshold, compileThresholds, compileLaneSla } from './compile.js';
export { evaluateThresholds, type EvaluateOptions } from './evaluate.js';
export { formatViolation, formatThresholdValue, formatMeasured } from './violation-text.js';
export type { ThresholdEntry, ThresholdSpec, CompileOptions } from './types.js';
