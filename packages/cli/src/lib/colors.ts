/**
 * Colors of the CLI's own output, at the level core picks for the console summary (FORCE_COLOR,
 * NO_COLOR, TERM=dumb, TTY), so both always agree. Apart from output.ts because it loads
 * @lanebench/core, which `--help` and `--version` must not.
 */
import { colorLevel } from '@lanebench/core';
import { Chalk, type ChalkInstance } from 'chalk';

let cached: ChalkInstance | undefined;
export function colors(): ChalkInstance {
  cached ??= new Chalk({ level: colorLevel() });
  return cached;
}
