/**
 * Type-level check (not bundled): the reporter satisfies Jest's Reporter interface and can be
 * constructed the way Jest constructs custom reporters.
 */
import type { Reporter, ReporterContext } from '@jest/reporters';
import type { Config } from '@jest/types';
import { LanebenchReporter } from './reporter.js';

type Ctor = new (
  globalConfig: Config.GlobalConfig,
  options: Record<string, unknown>,
  context: ReporterContext,
) => Reporter;
export const reporterSatisfiesJest: Ctor = LanebenchReporter;
