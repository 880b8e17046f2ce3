/**
 * Absolute paths of the modules Vitest loads by path inside its workers: the Vitest 5 benchmark
 * provider, the Vitest 4 bench-mode runner and the setup file that registers `toMeetSla`.
 * They are built next to this module (see tsup.config.ts).
 */
import { fileURLToPath } from 'node:url';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export const PROVIDER_PATH = here('./provider.js');
export const RUNNER_PATH = here('./runner.js');
export const SETUP_PATH = here('./setup.js');
