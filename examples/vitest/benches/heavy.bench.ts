import { workflow } from '@lanebench/vitest';
import { commands } from 'lanebench-example-workloads/lanes';

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// The heavy lane: two worker processes sorting and hashing data while holding ~150 MB each.
workflow('heavy', 'integration job (vitest)', commands.heavy);
