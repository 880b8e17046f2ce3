/** Parsers for option values: each rejects with a message naming the value and the accepted range. */
import { InvalidArgumentError } from 'commander';

/** An integer in [min, max]; `what` names the option, e.g. '--iterations'. */
export function intInRange(what: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}; got '${raw}'.`);
    }
    return v;
  };
}

/** A number of seconds in [min, max]. */
export function secondsInRange(what: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
      throw new InvalidArgumentError(`${what} must be a number of seconds from ${min} to ${max}; got '${raw}'.`);
    }
    return v;
  };
}
