/**
 * junit.xml — valid against Jenkins xunit's junit-10.xsd and shaped for the consumers CI systems use:
 * - one <testsuite> per lane (suite-level <properties>: git, environment, runner; GitLab ignores them,
 *   Jenkins shows them), one <testcase> per run with classname `lanebench.<lane>` (Jenkins splits at the
 *   last dot, GitHub actions group by classname) and name = workflow;
 * - SLA breaches as one <failure type="SLAViolation"> per testcase (message attribute and body, since
 *   consumers read one or the other; several <failure> elements per case are shown inconsistently);
 * - runs that could not complete (failed/timeout) as <error>;
 * - statistics in the testcase's <system-out> (GitLab and Jenkins display it);
 * - `time` in seconds with at most 3 decimals, never exponent form; no `skipped` on <testsuites>, no
 *   file/line attributes, no <properties> inside <testcase> (all rejected by the schema).
 */
import type { Run } from '../types.js';
import {
  failedOnStrictWarnings,
  failingViolations,
  fixed,
  groupByLane,
  isIncomplete,
  isNum,
  partialText,
  runErrorMessage,
  runOutcome,
  STRICT_WARNINGS_FAILURE,
  unique,
} from './format.js';
import { runSummaryText, violationFigures } from './stats-text.js';
import type { ReportInput, ReportWriter } from './types.js';
import { renderXml, type XmlNode } from './xml.js';

/** Seconds for a JUnit `time` attribute: ≥ 0, 3 decimals, never exponent form. */
export function junitTime(seconds: number): string {
  if (!isNum(seconds) || seconds < 0) return '0.000';
  return fixed(seconds, 3);
}

/** `lanebench.<lane>` with dots in the lane replaced, so consumers splitting at the last dot get the lane back. */
export function junitClassname(lane: string): string {
  return `lanebench.${lane.replace(/\./g, '_')}`;
}

function suiteProperties(runs: Run[], generatedAt: string): XmlNode {
  const joined = (vals: Array<string | number | boolean | null | undefined>): string | undefined => {
    const u = unique(vals.map((v) => (v === null || v === undefined ? v : String(v))));
    return u.length > 0 ? u.join(', ') : undefined;
  };
  const props: Array<[string, string | undefined]> = [
    ['lanebench.generated_at', generatedAt],
    ['git.sha', joined(runs.map((r) => r.git?.sha))],
    ['git.branch', joined(runs.map((r) => r.git?.branch))],
    ['git.dirty', joined(runs.map((r) => r.git?.dirty))],
    ['env.fingerprint', joined(runs.map((r) => r.env?.fingerprint))],
    ['env.os', joined(runs.map((r) => r.env && `${r.env.os} ${r.env.arch}`))],
    ['env.kernel', joined(runs.map((r) => r.env?.kernel))],
    ['env.cpu_model', joined(runs.map((r) => r.env?.cpu_model))],
    ['env.logical_cores', joined(runs.map((r) => r.env?.logical_cores))],
    ['env.memory_total_mb', joined(runs.map((r) => r.env?.memory_total_mb))],
    ['env.node_version', joined(runs.map((r) => r.env?.node_version))],
    ['env.ci_provider', joined(runs.map((r) => r.env?.ci_provider))],
    [
      'runner',
      joined(runs.map((r) => (r.runner ? `${r.runner.name}${r.runner.version ? ` ${r.runner.version}` : ''}` : null))),
    ],
  ];
  return {
    name: 'properties',
    children: props
      .filter((p): p is [string, string] => p[1] !== undefined)
      .map(([name, value]) => ({ name: 'property', attrs: { name, value } })),
  };
}

function testcase(run: Run): XmlNode {
  const children: XmlNode[] = [];
  if (isIncomplete(run)) {
    const message = `${run.workflow}: ${runErrorMessage(run)}`;
    children.push({
      name: 'error',
      attrs: { type: run.status === 'timeout' ? 'RunTimeout' : 'RunFailed', message },
      text: `${message}\n\n${runSummaryText(run)}`,
    });
  } else {
    const failing = failingViolations(run);
    if (failing.length > 0) {
      const message = failing.map((v) => violationFigures(v, run)).join('; ');
      const body = [
        failedOnStrictWarnings(run)
          ? `SLA of ${run.lane} / ${run.workflow}: ${STRICT_WARNINGS_FAILURE}:`
          : `SLA violated by ${run.lane} / ${run.workflow}${run.sla.strict ? ' (strict mode: warnings fail too)' : ''}:`,
        ...failing.map((v) => `  ${violationFigures(v, run)}`),
      ].join('\n');
      children.push({ name: 'failure', attrs: { type: 'SLAViolation', message }, text: body });
    } else if (runOutcome(run) === 'partial') {
      // fewer iterations than requested and nothing else wrong: the run could not complete, so <error>
      const message = `${run.workflow}: ${partialText(run)} (${runErrorMessage(run)})`;
      children.push({
        name: 'error',
        attrs: { type: 'RunPartial', message },
        text: `${message}\n\n${runSummaryText(run)}`,
      });
    }
  }
  children.push({ name: 'system-out', text: runSummaryText(run) });
  return {
    name: 'testcase',
    attrs: { classname: junitClassname(run.lane), name: run.workflow, time: junitTime(run.duration_s) },
    children,
  };
}

export function renderJunit(input: ReportInput): string {
  const suites: XmlNode[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let total = 0;
  for (const [lane, runs] of groupByLane(input.runs)) {
    const cases = runs.map(testcase);
    const f = runs.filter((r) => !isIncomplete(r) && failingViolations(r).length > 0).length;
    const e = runs.filter(
      (r) => isIncomplete(r) || (runOutcome(r) === 'partial' && failingViolations(r).length === 0),
    ).length;
    const time = runs.reduce((s, r) => s + (isNum(r.duration_s) && r.duration_s > 0 ? r.duration_s : 0), 0);
    const first = runs.reduce((a, b) => (a.started_at <= b.started_at ? a : b));
    tests += runs.length;
    failures += f;
    errors += e;
    total += time;
    suites.push({
      name: 'testsuite',
      attrs: {
        name: lane,
        tests: runs.length,
        failures: f,
        errors: e,
        skipped: 0,
        time: junitTime(time),
        timestamp: first.started_at,
        hostname: first.env?.hostname || undefined,
        package: 'lanebench',
      },
      children: [suiteProperties(runs, input.generated_at), ...cases],
    });
  }
  return renderXml({
    name: 'testsuites',
    attrs: { name: 'lanebench', tests, failures, errors, time: junitTime(total) },
    children: suites,
  });
}

export const junitWriter: ReportWriter = {
  format: 'junit',
  fileName: 'junit.xml',
  render: renderJunit,
};
