/**
 * @lanebench/jest. `require('@lanebench/jest')` is both the reporter Jest loads (the default
 * export: Jest's interop takes `default` from a module marked __esModule) and the authoring API
 * test files use: `const { workflow, measure } = require('@lanebench/jest')`.
 */
// the toMeetSla types (no runtime code), so importing the package types the matcher
import './matchers.js';
import { LanebenchReporter } from './reporter.js';

export default LanebenchReporter;
export { LanebenchReporter, type ReporterGlobalConfig } from './reporter.js';
export { workflow } from './workflow.js';
export { measure } from './measure.js';
export { runJest, type RunJestOptions, type RunJestResult } from './run-jest.js';
export type { LanebenchJestOptions } from './options.js';
export { SIDECAR_ENV } from './sidecar.js';
export { CLI_OVERRIDES_ENV } from './options.js';
export type { ToMeetSlaOptions } from './matchers.js';
export type { Workflow, WorkflowContext, WorkflowOptions, Run, LanebenchConfig, SlaExpectation } from '@lanebench/core';
export { defineConfig } from '@lanebench/core';
