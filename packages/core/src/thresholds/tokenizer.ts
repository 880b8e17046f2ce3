import { ThresholdError } from './errors.js';

export type TokenKind = 'word' | 'number' | 'lparen' | 'rparen' | 'operator' | 'percent';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the expression */
  pos: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)/y;
const OPERATOR_CHARS = /[<>=!]+/y;

/** Splits a threshold expression such as `p(95) < 20m` into tokens; whitespace only separates. */
export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < expr.length) {
    const ch = expr[pos]!;
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, pos });
      pos++;
      continue;
    }
    if (ch === '%') {
      tokens.push({ kind: 'percent', text: ch, pos });
      pos++;
      continue;
    }
    const match =
      matchAt(WORD, 'word', expr, pos) ??
      matchAt(NUMBER, 'number', expr, pos) ??
      matchAt(OPERATOR_CHARS, 'operator', expr, pos);
    if (!match) {
      throw new ThresholdError(`unexpected character '${ch}' at position ${pos + 1} in threshold '${expr}'`);
    }
    tokens.push(match);
    pos += match.text.length;
  }
  return tokens;
}

function matchAt(re: RegExp, kind: TokenKind, expr: string, pos: number): Token | null {
  re.lastIndex = pos;
  const m = re.exec(expr);
  return m ? { kind, text: m[0], pos } : null;
}
