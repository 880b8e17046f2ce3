import { workflow } from '@lanebench/vitest';

// A plain command string is a workflow too: two worker processes, each sorting and hashing ~150 MB.
workflow('heavy', 'integration job', 'node scripts/heavy-job.mjs --workers 2 --mb 150');
