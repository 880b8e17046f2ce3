import { workflow } from '@lanebench/vitest';
import { commands } from 'lanebench-example-workloads/lanes';

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// The standard lane runs the project's unit tests (node's test runner starts one child per file).
workflow('standard', 'unit tests (vitest)', commands.standard);
