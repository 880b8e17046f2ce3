/** The plugin's payload as a worker sees it (see payload.ts). */
import { inject } from 'vitest';
import { PAYLOAD_KEY, type WorkerPayload } from './payload.js';

/** undefined when the plugin is not in the Vitest config */
export function workerPayload(): WorkerPayload | undefined {
  // `inject` is typed by ProvidedContext, which this package does not augment globally.
  return (inject as (key: string) => unknown)(PAYLOAD_KEY) as WorkerPayload | undefined;
}

/** The payload, or an error that tells the user how to wire the plugin. */
export function requirePayload(): WorkerPayload {
  const payload = workerPayload();
  if (!payload) {
    throw new Error(
      "lanebench: the plugin is not configured. Add `plugins: [lanebench()]` (import { lanebench } from '@lanebench/vitest') to the Vitest config.",
    );
  }
  return payload;
}
