/**
 * The one sanitizer for text lanebench prints (SPEC §12, issue 11 item 9). Names, units and error texts come
 * from users, workflows and merged files; printed raw they could drive the terminal (ANSI/OSC: clear screen,
 * window title, OSC 8 links), reorder what the reader sees (bidi overrides), or become GitHub workflow
 * commands (`::error …`, `::add-mask::`, `::stop-commands::`, the legacy `##[…]`).
 *
 * Escapes use the `\uXXXX` form on purpose: it is visible on a terminal and, inside a JSON string, decodes to
 * the very character it replaced, so sanitizing `--json` output keeps it valid and equal.
 *
 * Two layers:
 * - `visible(fragment)` for a piece of data composed into a line: every control character (newline and tab
 *   included), ESC, C1 controls, bidi controls and line separators become escapes.
 * - `safeOutput(text)` at every print boundary: per line, the same escapes (tab kept; optionally lanebench's
 *   own color sequences kept), and no line can be read as a workflow command.
 *   Annotations lanebench writes on purpose go through `workflowCommandLine` instead.
 */

/** Bidi embeddings/overrides/isolates and marks, plus line/paragraph separators and the BOM. */
const INVISIBLE_FORMAT = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const CONTROLS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

const CONTROLS_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
/**
 * Color/style sequences (SGR) as chalk writes them: CSI, numeric parameters, `m`. Kept hand-written: this module
 * escapes (makes visible) rather than strips, and keeps a chosen subset of SGR, which util.stripVTControlCharacters
 * (all or nothing, and removing) cannot express.
 */

const SGR = /\u001b\[([0-9;]{0,20})m/g;
/** SGR codes lanebench's own styling uses (chalk's named colors and modifiers); conceal (8) and 38/48 are not. */
const ALLOWED_SGR = new Set([0, 1, 2, 3, 4, 7, 9, 22, 23, 24, 27, 29, 39, 49]);
for (let c = 30; c <= 37; c++) ALLOWED_SGR.add(c);
for (let c = 40; c <= 47; c++) ALLOWED_SGR.add(c);
for (let c = 90; c <= 97; c++) ALLOWED_SGR.add(c);
for (let c = 100; c <= 107; c++) ALLOWED_SGR.add(c);

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A fragment of untrusted text made safe to place inside a printed line: nothing in it acts on the terminal. */
export function visible(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replace(CONTROLS_ALL, escapeChar)
    .replace(INVISIBLE_FORMAT, escapeChar)
    .replace(/##\[/g, '##\\u005b'); // the runner's legacy command form counts anywhere in a line
}

const MARK = '\uE000';

function sgrAllowed(params: string): boolean {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  return codes.every((c) => ALLOWED_SGR.has(c));
}

function sanitizeLine(line: string, keepSgr: boolean): string {
  // a private-use marker stands for each kept color sequence; one already in the text is escaped first
  const kept: string[] = [];
  let s = line.replace(/\uE000/g, escapeChar);
  if (keepSgr) {
    s = s.replace(SGR, (seq: string, params: string) => {
      if (!sgrAllowed(params)) return seq;
      kept.push(seq);
      return MARK;
    });
  }
  s = s.replace(CONTROLS_BUT_TAB, escapeChar).replace(INVISIBLE_FORMAT, escapeChar);
  // the runner trims leading whitespace and then looks for `::`; it accepts the legacy `##[command]` anywhere.
  // Markers count as transparent here (stricter than the runner, which sees the escape bytes).
  s = s.replace(/#((?:\uE000)*)#((?:\uE000)*)\[/g, '#$1#$2\\u005b');
  const lead = /^(?:\s|\uE000)*::/.exec(s);
  if (lead) s = `${s.slice(0, lead[0].length - 2)}\\u003a${s.slice(lead[0].length - 1)}`;
  let i = 0;
  return kept.length > 0 ? s.replace(/\uE000/g, () => kept[i++] ?? '') : s;
}

export interface SafeOutputOptions {
  /** keep lanebench's own color sequences (only when colors are on); everything else is escaped */
  keepSgr?: boolean;
}

/**
 * Text about to be printed, made safe line by line: controls, escape sequences and bidi controls become
 * visible escapes (tabs stay), and no line can start a workflow command. Newlines separate lines; a
 * trailing newline is kept. Idempotent.
 */
export function safeOutput(text: string, opts: SafeOutputOptions = {}): string {
  const keepSgr = opts.keepSgr ?? false;
  return String(text)
    .split(/\r?\n/)
    .map((line) => sanitizeLine(line, keepSgr))
    .join('\n');
}

/**
 * A workflow command lanebench writes on purpose (`::error …::…`, `::notice …`), the one kind of line allowed to
 * start with `::`. Its parts were escaped by report/github.ts; this keeps it one line with nothing else in it that
 * acts on the terminal or opens a second command.
 */
export function workflowCommandLine(line: string): string {
  const one = String(line).replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (!/^::[a-z-]+(?: [^:]*)?::/.test(one)) throw new Error(`not a lanebench workflow command: ${visible(one)}`);
  return one.replace(CONTROLS_BUT_TAB, escapeChar).replace(INVISIBLE_FORMAT, escapeChar).replace(/##\[/g, '##\\u005b');
}
