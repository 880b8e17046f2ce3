import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReportFormat } from '../config/index.js';
import { writeFileAtomic } from '../history/index.js';
import { REPORT_WRITERS } from '../report/index.js';
import type { ReportInput } from '../report/types.js';
import type { Run } from '../types.js';

/**
 * Report files from runs (the guide's `ReportGenerator`), over the report/ writers.
 * Each `generate…Report(path?)` writes one file atomically (default: its usual name in
 * `outputDir`) and resolves to the path written.
 *
 * @example
 * const gen = new ReportGenerator({ runs, history }, { outputDir: '.benchmark_results' });
 * await gen.generateHtmlReport(); // .benchmark_results/performance_dashboard.html
 */
export class ReportGenerator {
  readonly input: ReportInput;
  readonly outputDir: string;

  constructor(input: Partial<ReportInput> & { runs: Run[] }, opts: { outputDir?: string } = {}) {
    this.input = { history: input.runs, generated_at: new Date().toISOString(), ...input };
    this.outputDir = opts.outputDir ?? '.benchmark_results';
  }

  /** The text of one format without writing it. */
  render(format: Exclude<ReportFormat, 'json'>): string {
    return REPORT_WRITERS[format].render(this.input);
  }

  private async write(format: Exclude<ReportFormat, 'json'>, file?: string): Promise<string> {
    const target = file ?? join(this.outputDir, REPORT_WRITERS[format].fileName ?? `report.${format}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, this.render(format));
    return target;
  }

  /** Self-contained HTML dashboard (charts included, works offline). */
  generateHtmlReport(file?: string): Promise<string> {
    return this.write('html', file);
  }

  /** CSV, one row per run (formula-injection safe). */
  generateCsvReport(file?: string): Promise<string> {
    return this.write('csv', file);
  }

  /** JUnit XML valid against Jenkins' junit-10.xsd. */
  generateJunitReport(file?: string): Promise<string> {
    return this.write('junit', file);
  }

  /** Markdown summary (the GitHub job summary form). */
  generateMarkdownReport(file?: string): Promise<string> {
    return this.write('markdown', file);
  }
}
