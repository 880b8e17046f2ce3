/** `lanebench optimize --lane L [--json]`: recommendations for the latest run of each workflow of the lane. */
import { latestPerWorkflow, recommend, visible, type Recommendation } from '@lanebench/core';
import { checkWorkflow, loadContext, loadRuns, requireLaneRuns, type CommonOptions } from '../lib/context.js';
import { EXIT_OK } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { out } from '../lib/output.js';

export interface OptimizeOptions extends CommonOptions {
  lane: string;
  json?: boolean;
  workflow?: string;
}

function render(recs: Recommendation[]): string {
  const c = colors();
  return recs
    .map((r, i) => {
      const evidence = Object.entries(r.evidence)
        .filter(([k]) => k !== 'metric')
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const metric = typeof r.evidence.metric === 'string' ? ` (${r.evidence.metric})` : '';
      return [
        `${i + 1}. ${c.bold(visible(r.title))} (priority ${r.priority}/5)`,
        `   ${visible(r.description)}`,
        `   Estimated improvement: ${r.estimated_improvement_pct}%${metric}`,
        `   Effort: ${r.effort}`,
        '   Steps:',
        ...r.steps.map((s) => `     - ${visible(s)}`),
        `   Evidence: ${visible(evidence)}`,
      ].join('\n');
    })
    .join('\n\n');
}

export async function optimizeAction(opts: OptimizeOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const runs = await loadRuns(ctx);
  const all = requireLaneRuns(ctx, runs, opts.lane);
  checkWorkflow(all, opts.lane, opts.workflow);
  const laneRuns = all.filter((r) => opts.workflow === undefined || r.workflow === opts.workflow);
  const lane = ctx.config.lanes[opts.lane];
  const latest = latestPerWorkflow(laneRuns);
  const recs = latest.flatMap((run) => recommend(run, lane, runs));
  if (opts.json) {
    out(JSON.stringify(recs, null, 2));
    return EXIT_OK;
  }
  const blocks = latest.map((run) => {
    const mine = recs.filter((r) => r.workflow === run.workflow);
    const head = colors().bold(
      `Optimization recommendations: ${visible(opts.lane)} › ${visible(run.workflow)} (run ${visible(run.id)})`,
    );
    return mine.length
      ? `${head}\n\n${render(mine)}`
      : `${head}\n\nNo recommendation: the measured profile shows nothing to improve.`;
  });
  out(blocks.join('\n\n'));
  return EXIT_OK;
}
