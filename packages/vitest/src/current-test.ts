/** The test running in this worker (both majors expose it as a static on TestRunner). */
import { TestRunner } from 'vitest';

export function currentTest(): { meta: Record<string, unknown> } | undefined {
  return (
    TestRunner as unknown as { getCurrentTest(): { meta: Record<string, unknown> } | undefined }
  ).getCurrentTest();
}
