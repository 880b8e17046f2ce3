/** Parsers for option values: each rejects with a message naming the value and the accepted range. */
import { visible } from '@lanebench/core/sanitize';
import { InvalidArgumentError } from 'commander';

/** An integer in [min, max]; `what` names the option, e.g. '--iterations'. */
export function intInRange(what: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    // decimal digits only: Number() would also take '0x10', '1e1', ' 5' and '0b11'
    const v = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}; got '${visible(raw)}'.`);
    }
    return v;
  };
}

/** A number of seconds in [min, max]. */
export function secondsInRange(what: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const v = /^[0-9]+(?:\.[0-9]+)?$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(v) || v < min || v > max) {
      throw new InvalidArgumentError(
        `${what} must be a number of seconds from ${min} to ${max}; got '${visible(raw)}'.`,
      );
    }
    return v;
  };
}
