#!/usr/bin/env node
// The "heavy" lane's workload: a CPU- and memory-heavy job spread over child processes, like an
// integration lane that starts several services or test shards at once.
//
// The parent starts WORKERS child processes (default 2, one per core here). Each child
//   - fills --mb of memory (default 150 MB: a Float64Array of pseudo-random numbers, 20 %,
//     plus a Buffer of pseudo-random bytes, 80 %) and keeps it resident until it is done,
//   - sorts the numbers and verifies the order,
//   - hashes the bytes in 1 MB chunks (SHA-256) and then hashes the chunk digests,
//   - reports its checksums to the parent over IPC.
// The parent waits for every child and fails (exit 1) if any child fails or reports a bad result.
//
// Usage: node scripts/heavy-job.mjs [--workers N] [--mb N]
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { uint32s } from './prng.mjs';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: process.env.HEAVY_WORKERS ?? '2' },
    mb: { type: 'string', default: process.env.HEAVY_MB ?? '150' },
    child: { type: 'string' },
  },
});

function work(id, mb) {
  const started = process.hrtime.bigint();
  // ~20% of the budget as numbers to sort, the rest as bytes to hash.
  const numbers = new Float64Array(Math.floor((mb * 0.2 * 1048576) / 8));
  const bytes = Buffer.allocUnsafe(Math.floor(mb * 0.8 * 1048576));
  const next = uint32s(0x9e3779b9 ^ id);
  for (let i = 0; i < numbers.length; i++) numbers[i] = next() / 4294967296;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = next();

  numbers.sort();
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i - 1] > numbers[i]) throw new Error(`worker ${id}: not sorted at ${i}`);
  }

  const outer = createHash('sha256');
  for (let off = 0; off < bytes.length; off += 1048576) {
    outer.update(
      createHash('sha256')
        .update(bytes.subarray(off, off + 1048576))
        .digest(),
    );
  }
  return {
    id,
    numbers: numbers.length,
    median: numbers[numbers.length >> 1],
    digest: outer.digest('hex').slice(0, 16),
    rss_mb: Math.round(process.memoryUsage().rss / 1048576),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

if (values.child !== undefined) {
  try {
    process.send({ ok: true, result: work(Number(values.child), Number(values.mb)) });
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
  process.disconnect();
} else {
  const workers = Number(values.workers);
  const mb = Number(values.mb);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    console.error(`heavy-job: --workers must be an integer 1–64, got '${values.workers}'`);
    process.exit(2);
  }
  if (!Number.isFinite(mb) || mb < 1 || mb > 4096) {
    console.error(`heavy-job: --mb must be a number 1–4096, got '${values.mb}'`);
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const runs = Array.from(
    { length: workers },
    (_, id) =>
      new Promise((resolve, reject) => {
        const child = fork(self, ['--child', String(id), '--mb', String(mb)], { stdio: 'inherit' });
        let message;
        child.on('message', (m) => (message = m));
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          if (message?.ok && code === 0) resolve(message.result);
          else
            reject(new Error(`worker ${id} failed (exit ${code}, signal ${signal}): ${message?.error ?? 'no result'}`));
        });
      }),
  );
  Promise.all(runs).then(
    (results) => {
      const median = results.reduce((s, r) => s + r.median, 0) / results.length;
      if (!(median > 0.45 && median < 0.55)) {
        console.error(`heavy-job: implausible median ${median}`);
        process.exit(1);
      }
      console.log(
        `heavy-job: ${workers} workers × ${mb} MB: ` +
          results.map((r) => `#${r.id} ${r.digest} rss ${r.rss_mb} MB ${r.seconds.toFixed(2)} s`).join('; '),
      );
    },
    (err) => {
      console.error(`heavy-job: ${err.message}`);
      process.exit(1);
    },
  );
}
