import type { ResolvedLane } from '../config/index.js';
import type { Run } from '../types.js';
import { buildProfile } from './profile.js';
import { RULES } from './rules.js';
import type { Recommendation } from './types.js';

/**
 * Optimization recommendations for one run, derived from its measured profile (docs/ANALYSIS.md), most
 * urgent first (priority ascending, then larger estimated improvement). `lane` supplies the SLA
 * limits (default: the built-in lane of the same name); `history` enables trend advice.
 * A run without any passed iteration gets no recommendation beyond fixing its failures.
 */
export function recommend(run: Run, lane?: ResolvedLane, history: readonly Run[] = []): Recommendation[] {
  const profile = buildProfile(run, lane, history);
  if (!profile) {
    const failed = (run.iterations ?? []).length;
    if (failed === 0) return [];
    return [
      {
        id: 'fix-failures',
        title: 'Fix failing or timed-out iterations',
        priority: 1,
        description: `None of the ${failed} iterations passed, so there is no profile to analyse.`,
        estimated_improvement_pct: 100,
        effort: 'medium',
        steps: [
          'Read the error of each iteration in metrics.json (iterations[].error) or the JUnit report',
          'Run the workflow once by hand to reproduce the failure',
        ],
        evidence: { metric: 'failed_iterations', failed_iterations: failed, iterations: failed },
        lane: run.lane,
        workflow: run.workflow,
      },
    ];
  }
  const out: Recommendation[] = [];
  for (const rule of RULES) {
    const draft = rule(profile);
    if (draft) out.push({ ...draft, lane: run.lane, workflow: run.workflow });
  }
  return out.sort(
    (a, b) =>
      a.priority - b.priority || b.estimated_improvement_pct - a.estimated_improvement_pct || a.id.localeCompare(b.id),
  );
}
