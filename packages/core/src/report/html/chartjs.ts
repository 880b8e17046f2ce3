/** Chart.js, read from the installed `chart.js` package at render time and prepared for inlining. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let chartJsCache: string | undefined;

/** chart.js is a dependency of this package, so it resolves from here (dist/ or src/). */
function chartJsCandidates(): string[] {
  try {
    const req = createRequire(import.meta.url);
    return [join(dirname(req.resolve('chart.js')), 'chart.umd.min.js')];
  } catch {
    return [];
  }
}

/**
 * The Chart.js UMD bundle, prepared for inlining: the source-map comment is dropped (it would make dev
 * tools request a file) and the scheme is taken off the URLs in its license banner lines, so the page
 * contains no external URL at all. Throws a clear error when chart.js cannot be found.
 */
export function loadChartJs(): string {
  if (chartJsCache !== undefined) return chartJsCache;
  const candidates = chartJsCandidates();
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    throw new Error(
      `lanebench: cannot build the HTML dashboard: chart.js (a dependency of @lanebench/core) was not found; looked for ${candidates.join(', ') || 'chart.js/dist/chart.umd.min.js'}. Reinstall @lanebench/core.`,
    );
  }
  // line ends normalized as the HTML parser will, so the CSP hash matches what the browser sees
  let src = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  src = src.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
  src = src.replace(/^(\s*\*\s+)https?:\/\/(\S+)\s*$/gm, '$1$2');
  if (/<\/script|<!--/i.test(src)) {
    throw new Error(`lanebench: ${file} contains "</script" or "<!--" and cannot be inlined safely`);
  }
  chartJsCache = src;
  return src;
}
