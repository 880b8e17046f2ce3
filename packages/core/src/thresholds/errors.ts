import { ConfigError } from '../base/errors.js';

/** A threshold expression or spec that cannot be compiled; a kind of configuration error. */
export class ThresholdError extends ConfigError {
  override name = 'ThresholdError';
}
