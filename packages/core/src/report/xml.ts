/**
 * A minimal XML 1.0 writer for the JUnit report.
 *
 * Why not junit-report-builder: its output does not validate against Jenkins' junit-10.xsd as is — it
 * always writes a `skipped` attribute on <testsuites>, writes `time` as the raw number (exponent form
 * for tiny/huge values, unbounded decimals), and its XML layer throws on control characters instead of
 * replacing them, so a workflow's colored error output could abort the whole report. Adjusting that
 * would mean post-processing its XML; the subset we need (elements, attributes, text) is small enough
 * to write carefully here.
 */

/** Characters allowed by XML 1.0 (§2.2); anything else (C0 controls, lone surrogates, U+FFFE/F) is replaced. */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const REPLACEMENT_CHAR = '\uFFFD';

/** Replaces characters that cannot appear in an XML 1.0 document with U+FFFD. */
export function sanitizeXmlChars(s: string): string {
  return s.replace(INVALID_XML_CHARS, REPLACEMENT_CHAR);
}

/** Escapes character data (element text). */
export function escapeXmlText(value: string | number | boolean | null | undefined): string {
  return sanitizeXmlChars(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value (double-quoted). Tab, LF and CR are written as character references so
 * attribute-value normalization does not turn them into spaces.
 */
export function escapeXmlAttr(value: string | number | boolean | null | undefined): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export type XmlAttrs = Record<string, string | number | boolean | null | undefined>;

export interface XmlNode {
  name: string;
  attrs?: XmlAttrs;
  children?: XmlNode[];
  /** text content (escaped on output); an element has either children or text */
  text?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid XML name: ${JSON.stringify(name)}`);
  return name;
}

function renderAttrs(attrs: XmlAttrs | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    out += ` ${checkName(k)}="${escapeXmlAttr(v)}"`;
  }
  return out;
}

/** Serializes a tree with two-space indentation; text content is written verbatim (escaped), never re-indented. */
export function renderXml(root: XmlNode): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const walk = (node: XmlNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const open = `${pad}<${checkName(node.name)}${renderAttrs(node.attrs)}`;
    if (node.text !== undefined && node.text !== '') {
      lines.push(`${open}>${escapeXmlText(node.text)}</${node.name}>`);
    } else if (node.children && node.children.length > 0) {
      lines.push(`${open}>`);
      for (const c of node.children) walk(c, depth + 1);
      lines.push(`${pad}</${node.name}>`);
    } else {
      lines.push(`${open}/>`);
    }
  };
  walk(root, 0);
  return lines.join('\n') + '\n';
}
