/**
 * Validation of custom-metric units where they enter lanebench (`ctx.metric`, the `customMetrics`
 * config, merged history files). A unit is data that every report prints next to numbers, so it must
 * be short printable text: a unit like `<meta http-equiv="refresh" …>` or one carrying terminal escapes
 * is refused with an error naming it, instead of relying on each writer to neutralize it.
 */

/** Longest accepted unit, in characters ("requests/s", "µs", "files" fit easily). */
export const MAX_UNIT_LENGTH = 16;

// letters and digits of any script, currency signs, spaces and the punctuation units use
const UNIT_PATTERN = /^[\p{L}\p{N}\p{Sc} %/.,_\-*^()°·²³]*$/u;

export const UNIT_RULE = `at most ${MAX_UNIT_LENGTH} characters: letters, digits, spaces or % / . , _ - * ^ ( ) ° · ² ³`;

/** The value as the error message shows it: quoted, escapes visible, cut to a readable length. */
function show(value: unknown): string {
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Why a unit is refused, or null when it is acceptable. */
export function unitProblem(unit: unknown): string | null {
  if (typeof unit !== 'string') return `unit ${show(unit)} is not a string`;
  if ([...unit].length > MAX_UNIT_LENGTH || !UNIT_PATTERN.test(unit))
    return `unit ${show(unit)} is not valid; expected ${UNIT_RULE}`;
  return null;
}

/** Returns the unit, or throws `make(message)` naming the value and where it came from. */
export function validateUnit<E extends Error>(unit: unknown, where: string, make: (message: string) => E): string {
  const problem = unitProblem(unit);
  if (problem) throw make(`${where}: ${problem}`);
  return unit as string;
}
