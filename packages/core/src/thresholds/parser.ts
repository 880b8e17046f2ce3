import type { Aggregation, Operator } from '../types.js';
import { ThresholdError } from './errors.js';
import { tokenize, type Token } from './tokenizer.js';

export const OPERATORS: readonly Operator[] = ['<', '<=', '>', '>=', '==', '!='];

/** Aggregation words and their canonical names (violation names use the canonical one). */
export const AGGREGATION_ALIASES: Readonly<Record<string, Aggregation>> = {
  avg: 'mean',
  mean: 'mean',
  med: 'median',
  median: 'median',
  min: 'min',
  max: 'max',
  stdev: 'stdev',
};

export const AGGREGATION_CHOICES = 'avg, mean, med, median, min, max, stdev, p(N) with 0 < N ≤ 100';
export const OPERATOR_CHOICES = OPERATORS.join(' ');

/** The syntax of one threshold, before its unit is checked against a metric. */
export interface ParsedExpression {
  aggregation: Aggregation;
  operator: Operator;
  /** the number as written */
  value: number;
  /** the unit as written, '' when none */
  unit: string;
}

/**
 * Grammar (whitespace between tokens is free):
 *   expression  := aggregation operator number unit? END
 *   aggregation := WORD                      (avg mean med median min max stdev, or pN shorthand)
 *                | 'p' '(' number ')'        (0 < N ≤ 100, decimals allowed: p(99.9))
 *   unit        := WORD | '%'
 */
export function parseExpression(expr: string): ParsedExpression {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw new ThresholdError(
      `empty threshold expression; expected e.g. 'p(95) < 20m' (aggregation operator value[unit])`,
    );
  }
  const tokens = tokenize(expr);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const describe = (t: Token | undefined): string => (t ? `'${t.text}'` : 'the end of the expression');

  const aggregation = parseAggregation();
  const operator = parseOperator();
  const valueToken = peek();
  if (valueToken?.kind !== 'number') {
    throw new ThresholdError(
      `expected a number after '${operator}' in threshold '${expr}', found ${describe(valueToken)}`,
    );
  }
  i++;
  const value = Number(valueToken.text);
  let unit = '';
  const unitToken = peek();
  if (unitToken && (unitToken.kind === 'word' || unitToken.kind === 'percent')) {
    unit = unitToken.text;
    i++;
  }
  const rest = peek();
  if (rest) {
    throw new ThresholdError(
      `unexpected ${describe(rest)} at position ${rest.pos + 1} in threshold '${expr}'; expected the end of the expression after the value`,
    );
  }
  return { aggregation, operator, value, unit };

  function parseAggregation(): Aggregation {
    const t = peek();
    if (t?.kind !== 'word') {
      throw new ThresholdError(
        `threshold '${expr}' must start with an aggregation, found ${describe(t)}; valid aggregations: ${AGGREGATION_CHOICES}`,
      );
    }
    i++;
    const alias = AGGREGATION_ALIASES[t.text];
    if (alias) return alias;
    if (t.text === 'p' && peek()?.kind === 'lparen') {
      i++;
      const n = peek();
      if (n?.kind !== 'number') {
        throw new ThresholdError(
          `expected a percentile number inside p( ) in threshold '${expr}', found ${describe(n)}; valid: p(N) with 0 < N ≤ 100`,
        );
      }
      i++;
      const close = peek();
      if (close?.kind !== 'rparen') {
        throw new ThresholdError(`expected ')' after p(${n.text} in threshold '${expr}', found ${describe(close)}`);
      }
      i++;
      return percentileAggregation(n.text, expr);
    }
    const shorthand = /^p(\d+)$/.exec(t.text);
    if (shorthand) return percentileAggregation(shorthand[1]!, expr);
    throw new ThresholdError(
      `unknown aggregation '${t.text}' in threshold '${expr}'; valid aggregations: ${AGGREGATION_CHOICES}`,
    );
  }

  function parseOperator(): Operator {
    const t = peek();
    if (t?.kind !== 'operator') {
      throw new ThresholdError(
        `expected an operator after the aggregation in threshold '${expr}', found ${describe(t)}; valid operators: ${OPERATOR_CHOICES}`,
      );
    }
    if (!(OPERATORS as readonly string[]).includes(t.text)) {
      throw new ThresholdError(
        `unknown operator '${t.text}' in threshold '${expr}'; valid operators: ${OPERATOR_CHOICES}`,
      );
    }
    i++;
    return t.text as Operator;
  }
}

function percentileAggregation(text: string, expr: string): Aggregation {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 100) {
    throw new ThresholdError(`percentile p(${text}) out of range in threshold '${expr}'; valid: p(N) with 0 < N ≤ 100`);
  }
  // canonical spelling: p(95.0) and p95 both become p95
  return `p${String(n)}` as Aggregation;
}
