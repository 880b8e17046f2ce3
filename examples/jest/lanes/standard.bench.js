const { workflow } = require('@lanebench/jest');
const { commands } = require('lanebench-example-workloads/commands');

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// The standard lane runs the project's unit tests (node's test runner starts one child per file).
workflow('standard', 'unit tests (jest)', commands.standard);
