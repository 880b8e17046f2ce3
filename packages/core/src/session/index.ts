// A session's analysis: run verdicts, regressions, recommendations, change points, exit code (docs/ARCHITECTURE.md, session/).
export {
  analyzeSession,
  exitCodeFor,
  regressionOptions,
  SESSION_CHANGE_POINT_WINDOW,
  type SessionRunVerdict,
  type SessionAnalysis,
  type SessionInput,
} from './analyze.js';
