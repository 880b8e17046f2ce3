#!/usr/bin/env node
// The "docs" lane's workload: a static documentation site build.
//
// 1. Makes sure a Markdown corpus exists (PAGES generated pages in sections, with headings, prose,
//    lists, tables, code blocks and cross-links; deterministic, generated once into .cache/docs-src).
// 2. Renders every page with markdown-it into a full HTML page (layout, sidebar navigation,
//    table of contents, previous/next links) under .cache/site/, plus a search index.
//
// Usage: node scripts/build-docs.mjs [--pages N] [--out DIR] [--clean]
// Prints one summary line; exits non-zero on any error, as a real docs build would.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import MarkdownIt from 'markdown-it';
import { rng } from './prng.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: process.env.DOCS_PAGES ?? '300' },
    src: { type: 'string', default: join(ROOT, '.cache', 'docs-src') },
    out: { type: 'string', default: join(ROOT, '.cache', 'site') },
    clean: { type: 'boolean', default: false },
  },
});
const PAGES = Number(values.pages);
if (!Number.isInteger(PAGES) || PAGES < 1 || PAGES > 100_000) {
  console.error(`build-docs: --pages must be an integer 1–100000, got '${values.pages}'`);
  process.exit(2);
}
const SRC = resolve(values.src);
const OUT = resolve(values.out);
const SECTIONS = ['guide', 'reference', 'tutorials', 'operations', 'api', 'faq'];
const CORPUS_VERSION = `v1-${PAGES}`;

// ---------------------------------------------------------------- corpus generation (once)

const WORDS = (
  'lane pipeline build cache artifact runner worker shard deploy release config option value ' +
  'latency throughput memory process thread queue event stream buffer request response handler ' +
  'module package bundle compile render template schema record index search query filter sort ' +
  'metric sample percentile threshold budget baseline regression trend history report summary ' +
  'the a of to and in is for with on by that this as from at be are it can when each every'
).split(' ');

function pagePath(i) {
  return `${SECTIONS[i % SECTIONS.length]}/page-${String(i).padStart(4, '0')}.md`;
}

function generatePage(i) {
  const r = rng(1000 + i);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const sentence = (min, max) => {
    const n = min + Math.floor(r() * (max - min));
    const words = Array.from({ length: n }, () => pick(WORDS));
    if (r() < 0.3) words[Math.floor(r() * n)] = `**${pick(WORDS)}**`;
    if (r() < 0.3) words[Math.floor(r() * n)] = `\`${pick(WORDS)}()\``;
    if (r() < 0.25) words[Math.floor(r() * n)] = `[${pick(WORDS)}](../${pagePath(Math.floor(r() * PAGES))})`;
    const s = words.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(r() * 5) }, () => sentence(6, 18)).join(' ');
  const title = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase());
  const out = [`# ${title} (${i})`, '', paragraph(), ''];
  const sections = 4 + Math.floor(r() * 4);
  for (let s = 0; s < sections; s++) {
    out.push(`## ${pick(WORDS)} ${pick(WORDS)} ${s + 1}`, '', paragraph(), '');
    const kind = Math.floor(r() * 4);
    if (kind === 0) {
      out.push('```js');
      for (let l = 0; l < 6 + Math.floor(r() * 10); l++) {
        out.push(
          `const ${pick(WORDS)}${l} = await ${pick(WORDS)}.${pick(WORDS)}({ ${pick(WORDS)}: ${Math.floor(r() * 1000)} });`,
        );
      }
      out.push('```', '');
    } else if (kind === 1) {
      out.push('| option | default | description |', '|---|---|---|');
      for (let l = 0; l < 4 + Math.floor(r() * 8); l++) {
        out.push(`| \`${pick(WORDS)}\` | ${Math.floor(r() * 100)} | ${sentence(4, 10)} |`);
      }
      out.push('');
    } else if (kind === 2) {
      for (let l = 0; l < 3 + Math.floor(r() * 6); l++) out.push(`- ${sentence(4, 12)}`);
      out.push('');
    } else {
      out.push(`> **Note:** ${sentence(8, 20)}`, '');
      for (let l = 0; l < 2 + Math.floor(r() * 4); l++) out.push(`${l + 1}. ${sentence(4, 12)}`);
      out.push('');
    }
    out.push(`### ${pick(WORDS)} details`, '', paragraph(), '');
  }
  return out.join('\n');
}

function ensureCorpus() {
  const stamp = join(SRC, '.corpus');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === CORPUS_VERSION) return false;
  rmSync(SRC, { recursive: true, force: true });
  for (const section of SECTIONS) mkdirSync(join(SRC, section), { recursive: true });
  for (let i = 0; i < PAGES; i++) writeFileSync(join(SRC, pagePath(i)), generatePage(i));
  writeFileSync(stamp, CORPUS_VERSION);
  return true;
}

// ---------------------------------------------------------------- the build

function listMarkdown(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listMarkdown(p));
    else if (entry.name.endsWith('.md')) files.push(p);
  }
  return files.sort();
}

const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const slugify = (s) =>
  s
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function build() {
  const generated = ensureCorpus();
  if (values.clean) rmSync(OUT, { recursive: true, force: true });
  const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
  // Rewrite links to .md pages into .html, as a docs generator does.
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, opts, env, self) => self.renderToken(tokens, idx, opts));
  md.renderer.rules.link_open = (tokens, idx, opts, env, self) => {
    const href = tokens[idx].attrGet('href');
    if (href && href.endsWith('.md')) tokens[idx].attrSet('href', href.replace(/\.md$/, '.html'));
    return defaultLinkOpen(tokens, idx, opts, env, self);
  };

  const files = listMarkdown(SRC);
  const pages = files.map((file) => {
    const source = readFileSync(file, 'utf8');
    const tokens = md.parse(source, {});
    const headings = [];
    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t];
      if (tok.type === 'heading_open') {
        const text = tokens[t + 1].content;
        const id = slugify(text);
        tok.attrSet('id', id);
        headings.push({ level: Number(tok.tag.slice(1)), text, id });
      }
    }
    const rel = relative(SRC, file).replace(/\\/g, '/');
    return { rel, html: md.renderer.render(tokens, md.options, {}), headings, source };
  });

  const nav = SECTIONS.map((section) => {
    const items = pages
      .filter((p) => p.rel.startsWith(`${section}/`))
      .map(
        (p) =>
          `<li><a href="../${p.rel.replace(/\.md$/, '.html')}">${escapeHtml(p.headings[0]?.text ?? p.rel)}</a></li>`,
      );
    return `<details><summary>${section}</summary><ul>${items.join('')}</ul></details>`;
  }).join('\n');

  const searchIndex = [];
  let bytes = 0;
  pages.forEach((page, i) => {
    const toc = page.headings
      .filter((h) => h.level === 2)
      .map((h) => `<li><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`)
      .join('');
    const prev = pages[i - 1];
    const next = pages[i + 1];
    const link = (p, label) =>
      p
        ? `<a class="${label}" href="../${p.rel.replace(/\.md$/, '.html')}">${escapeHtml(p.headings[0]?.text ?? '')}</a>`
        : '';
    const title = page.headings[0]?.text ?? page.rel;
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="../style.css"></head>
<body><nav class="sidebar">${nav}</nav>
<main><aside class="toc"><ul>${toc}</ul></aside>
<article>${page.html}</article>
<footer>${link(prev, 'prev')} ${link(next, 'next')}</footer></main></body></html>
`;
    const target = join(OUT, page.rel.replace(/\.md$/, '.html'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, html);
    bytes += html.length;
    const words = page.source
      .replace(/[^a-z ]+/gi, ' ')
      .toLowerCase()
      .split(/\s+/);
    searchIndex.push({
      url: page.rel.replace(/\.md$/, '.html'),
      title,
      terms: [...new Set(words)].filter((w) => w.length > 3),
    });
  });
  const indexJson = JSON.stringify(searchIndex);
  writeFileSync(join(OUT, 'search-index.json'), indexJson);
  writeFileSync(join(OUT, 'style.css'), 'body{font-family:sans-serif;display:flex}.sidebar{width:16rem}\n');
  const digest = createHash('sha256').update(indexJson).digest('hex').slice(0, 12);
  console.log(
    `build-docs: ${pages.length} pages → ${relative(process.cwd(), OUT) || '.'} ` +
      `(${(bytes / 1048576).toFixed(1)} MB HTML, index ${digest}${generated ? ', corpus generated' : ''})`,
  );
}

try {
  build();
} catch (err) {
  console.error(`build-docs: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
}
