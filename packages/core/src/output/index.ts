export { safeOutput, visible, workflowCommandLine, type SafeOutputOptions } from './sanitize.js';
export { colorLevel, forcedLevel, shouldColor } from './color.js';
