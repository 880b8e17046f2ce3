/**
 * `lanebench history export|import|prune`: move runs between stores and bound a history.
 * export: the configured store (file or PostgreSQL) → a schema-v1 file (stdout without --to).
 * import: history files → the configured store, idempotent on run ids.
 * prune: --keep-runs N (per lane/workflow) and/or --older-than 90d, optionally one --lane.
 */
import { readHistory, serializeHistoryChunks, writeFileAtomic } from '@lanebench/core';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { loadContext, type CommonOptions } from '../lib/context.js';
import { EXIT_OK, UsageError } from '../lib/errors.js';
import { out } from '../lib/output.js';

export async function historyExportAction(opts: CommonOptions & { to?: string }): Promise<number> {
  const ctx = await loadContext(opts);
  const store = ctx.openStore();
  try {
    const history = await store.readAll();
    // in pieces: the text of 100,000 runs is past V8's string limit
    const text = serializeHistoryChunks(history);
    if (opts.to === undefined) {
      for (const piece of text) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    } else {
      const file = resolve(ctx.cwd, opts.to);
      await writeFileAtomic(file, text);
      out(`Exported ${history.runs.length} run(s) from ${store.display} to ${file}`);
    }
  } finally {
    await store.close();
  }
  return EXIT_OK;
}

export async function historyImportAction(files: string[], opts: CommonOptions): Promise<number> {
  const ctx = await loadContext(opts);
  // read and validate every file first: a bad file imports nothing
  const inputs = [];
  for (const f of files) inputs.push({ file: resolve(ctx.cwd, f), history: await readHistory(resolve(ctx.cwd, f)) });
  const store = ctx.openStore();
  try {
    for (const { file } of inputs) {
      if (store.kind === 'file' && file === store.display) {
        throw new UsageError(`history import: '${file}' is the configured history itself`);
      }
    }
    const before = new Set((await store.readAll()).runs.map((r) => r.id));
    const seen = new Set<string>();
    const runs = inputs.flatMap((i) => i.history.runs).filter((r) => !seen.has(r.id) && seen.add(r.id));
    if (runs.length > 0) await store.append(runs);
    const added = runs.filter((r) => !before.has(r.id)).length;
    out(`Imported ${files.length} file(s) into ${store.display}: ${runs.length} run(s), ${added} new`);
  } finally {
    await store.close();
  }
  return EXIT_OK;
}

/** `90d`, `12h`, `30m` → milliseconds. */
export function parseAge(raw: string): number {
  const m = /^(\d+)([dhm])$/.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(`--older-than: expected an age like 90d, 12h or 30m; got '${raw}'`);
  }
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

export async function historyPruneAction(
  opts: CommonOptions & { keepRuns?: number; olderThan?: string; lane?: string },
): Promise<number> {
  if (opts.keepRuns === undefined && opts.olderThan === undefined) {
    throw new UsageError('history prune: give --keep-runs N and/or --older-than <age> (e.g. 90d)');
  }
  const olderThan = opts.olderThan !== undefined ? new Date(Date.now() - parseAge(opts.olderThan)) : undefined;
  const ctx = await loadContext(opts);
  const store = ctx.openStore();
  try {
    const removed = await store.prune({
      ...(opts.keepRuns !== undefined ? { keepRuns: opts.keepRuns } : {}),
      ...(olderThan ? { olderThan } : {}),
      ...(opts.lane !== undefined ? { lane: opts.lane } : {}),
    });
    out(`Pruned ${removed} run(s) from ${store.display}`);
  } finally {
    await store.close();
  }
  return EXIT_OK;
}
