import { randomBytes } from 'node:crypto';

/**
 * A unique id that sorts by start time: `20261128T110203Z-docs-build-site-a1b2c3`
 * (UTC timestamp, lane and workflow as slugs, 6 random hex digits).
 */
export function newRunId(lane: string, workflow: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return [stamp, slug(lane, 24), slug(workflow, 40), randomBytes(3).toString('hex')].filter(Boolean).join('-');
}

function slug(text: string, max: number): string {
  return String(text)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}
