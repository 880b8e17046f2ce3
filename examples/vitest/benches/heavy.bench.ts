import { workflow } from '@lanebench/vitest';

// The workflow name carries the runner only because the demo runs the same lanes under Vitest and
// Jest into one history: each keeps its own trend, regression baseline and dashboard entry.
//
// A plain command string is a workflow too: two worker processes, each sorting and hashing ~150 MB.
workflow('heavy', 'integration job (vitest)', 'node scripts/heavy-job.mjs --workers 2 --mb 150');
