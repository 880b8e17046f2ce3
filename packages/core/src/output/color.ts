/**
 * Whether lanebench colors what it prints (the console summary, the CLI): FORCE_COLOR first (Node's precedence:
 * it wins over NO_COLOR), then NO_COLOR (any non-empty value disables), TERM=dumb, then whether stdout is a TTY.
 * Here, with the sanitizer, so that the print boundary knows whether color sequences are lanebench's own.
 */
/** Whether to color output, following FORCE_COLOR / NO_COLOR conventions. */
export function shouldColor(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout?.isTTY)): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** The level a colored terminal gets: FORCE_COLOR=2/3 ask for 256 colors / truecolor, else basic. */
export function forcedLevel(env: NodeJS.ProcessEnv): 1 | 2 | 3 {
  const f = env.FORCE_COLOR;
  if (f === '2') return 2;
  if (f === '3') return 3;
  return 1;
}

/** A chalk color level (0 = none) following shouldColor, for the CLI's own output. */
export function colorLevel(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout?.isTTY),
): 0 | 1 | 2 | 3 {
  return shouldColor(env, isTTY) ? forcedLevel(env) : 0;
}
