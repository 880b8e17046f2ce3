/** Options of the Jest reporter: the lanebench config shape, merged over lanebench.config.* at rootDir. */
import type { LanebenchConfig } from '@lanebench/core';

export interface LanebenchJestOptions extends LanebenchConfig {
  /** a lanebench config file to read instead of looking for lanebench.config.{ts,mjs,js,json} at rootDir */
  configFile?: string;
}
