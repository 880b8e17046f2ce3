/**
 * Structural escaping for the dashboard: every `${…}` in an `markup` tagged template is escaped unless it
 * is already markup built by this module (a nested `markup` fragment) or explicitly marked trusted with
 * `raw()`. Nothing is concatenated into the page as a plain string, so forgetting to escape a name or a
 * unit is not possible by construction; `raw()` is reserved for text lanebench itself wrote (its CSS,
 * its boot script, Chart.js, JSON made safe for a script element).
 */
import { stripAnsi } from '../format.js';
import { sanitizeXmlChars } from '../xml.js';

/** Markup that is safe to insert as is. Only `markup` and `raw` create it. */
export class SafeHtml {
  readonly #markup: string;
  constructor(markup: string, token: symbol) {
    // a constructor token keeps other modules from wrapping arbitrary strings without `raw()`
    if (token !== TOKEN) throw new TypeError('SafeHtml is created by markup`` or raw() only');
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

const TOKEN = Symbol('lanebench.SafeHtml');

/** What an interpolation may be: text and numbers are escaped, fragments inserted, arrays joined, false/null/undefined omitted. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

/** Escapes text for HTML element content and (quoted) attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return sanitizeXmlChars(stripAnsi(String(value ?? '')))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Array.isArray does not narrow readonly arrays
function isList(value: HtmlValue): value is readonly HtmlValue[] {
  return Array.isArray(value);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (isList(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(value);
}

/**
 * The tagged template: markup`<td>${name}</td>` escapes `name`. (Not named `html`: Prettier reformats
 * templates of that name as HTML, which re-indents script elements and breaks their CSP hashes.)
 */
export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out, TOKEN);
}

/** Trusted markup or script text written by lanebench itself. Never pass user data. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted, TOKEN);
}

/** Joins fragments with a separator (escaped like any other text). */
export function join(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const parts: HtmlValue[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(separator);
    parts.push(item);
  });
  return markup`${parts}`;
}

/** JSON that is safe inside a <script> element: no `</script>`, `<!--`, `]]>` or JS line terminators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
