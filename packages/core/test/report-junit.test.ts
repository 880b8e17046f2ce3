import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitTime, renderJunit } from '../src/report/junit.js';
import { formatViolation } from '../src/thresholds/violation-text.js';
import { escapeXmlAttr, escapeXmlText } from '../src/report/xml.js';
import { makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';
import { junitSchema } from '../../../test/helpers/tools.js';

const XSD = junitSchema('report-junit: schema validation of the rendered junit.xml');
const hasXmllint = XSD !== null;

function validate(xml: string): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lb-junit-'));
  const file = join(dir, 'junit.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD!, file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const input = () => ({ runs: sessionRuns(), history: [], generated_at: '2026-02-01T10:00:00.000Z' });

function parse(xml: string) {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error'].includes(name),
    processEntities: true,
    htmlEntities: false,
  }).parse(xml);
}

describe('junit report', () => {
  it.skipIf(!hasXmllint)('validates against junit-10.xsd with passing, breaching, failed and timed-out runs', () => {
    const xml = renderJunit(input());
    const r = validate(xml);
    expect(r.out).toContain('validates');
    expect(r.ok).toBe(true);
    // the check is not vacuous: what the schema forbids is rejected
    expect(validate(xml.replace('<testsuites name="lanebench"', '<testsuites skipped="0" name="lanebench"')).ok).toBe(
      false,
    );
    expect(validate(xml.replace(/time="[^"]*"/, 'time="1.5e-7"')).ok).toBe(false);
  });

  it('has one suite per lane, one case per run, failures and errors where they belong', () => {
    const runs = sessionRuns();
    const doc = parse(renderJunit({ runs, history: [], generated_at: 'now' }));
    const root = doc.testsuites;
    expect(root.skipped).toBeUndefined();
    expect(root.tests).toBe(String(runs.length));
    const suites = root.testsuite as any[];
    expect(suites.map((s) => s.name)).toEqual(['docs', 'standard', 'heavy']);
    const docs = suites[0];
    expect(docs.testcase.map((c: any) => c.name)).toEqual(['build site', XSS_NAME, '=1+1']);
    expect(docs.testcase.every((c: any) => c.classname === 'lanebench.docs')).toBe(true);
    expect(docs.failures).toBe('0');
    expect(docs.errors).toBe('0');

    const standardRun = runs[2]!;
    const errorsExpected = standardRun.sla.violations.filter((v) => v.severity === 'error');
    expect(errorsExpected.length).toBeGreaterThan(0);
    const std = suites[1];
    expect(std.failures).toBe('1');
    const failure = std.testcase[0].failure[0];
    expect(failure.type).toBe('SLAViolation');
    for (const v of errorsExpected) {
      expect(failure.message).toContain(v.name);
      // the one violation language, exactly (formatViolation)
      expect(failure['#text']).toContain(`  ${formatViolation(v)}`);
      expect(failure.message).toContain(formatViolation(v));
    }
    // warnings are not failures (not strict) but appear in system-out
    const warnings = standardRun.sla.violations.filter((v) => v.severity === 'warning');
    for (const v of warnings) {
      expect(failure.message).not.toContain(v.name);
      expect(std.testcase[0]['system-out']).toContain(v.name);
    }

    const heavy = suites[2];
    expect(heavy.errors).toBe('2');
    expect(heavy.failures).toBe('0');
    expect(heavy.testcase[0].error[0].type).toBe('RunFailed');
    expect(heavy.testcase[0].error[0].message).toContain('ECONNREFUSED');
    expect(heavy.testcase[0].error[0].message).not.toMatch(/\u001b|\u0000/);
    expect(heavy.testcase[1].error[0].type).toBe('RunTimeout');
    expect(heavy.testcase[1].failure).toBeUndefined();
    expect(root.errors).toBe('2');
    expect(root.failures).toBe('1');

    const props = Object.fromEntries(docs.properties.property.map((p: any) => [p.name, p.value]));
    expect(props['git.sha']).toBe(runs[0]!.git.sha);
    expect(props['env.fingerprint']).toBe(runs[0]!.env.fingerprint);
    expect(props['env.cpu_model']).toBe(runs[0]!.env.cpu_model);
    expect(props['env.node_version']).toBe('v20.19.0');
    expect(props.runner).toBe('vitest 4.1.12');
    // statistics in system-out
    expect(docs.testcase[0]['system-out']).toMatch(/execution_time \[s\]/);
    expect(docs.testcase[0]['system-out']).toContain(runs[0]!.metrics_analysis.execution_time!.mean.toFixed(3));
    expect(docs.testcase[0]['system-out']).toContain('†');
  });

  it('writes times with at most 3 decimals and never in exponent form', () => {
    expect(junitTime(1e-9)).toBe('0.000');
    expect(junitTime(12.34567)).toBe('12.346');
    expect(junitTime(3e21)).toBe('3000000000000000000000');
    expect(junitTime(Number.NaN)).toBe('0.000');
    expect(junitTime(-1)).toBe('0.000');
    const xml = renderJunit(input());
    for (const m of xml.matchAll(/ time="([^"]*)"/g)) expect(m[1]).toMatch(/^\d+\.\d{3}$/);
    expect(xml).not.toMatch(/ (file|line)="/);
  });

  it('escapes markup, quotes and control characters', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttr('"x"\n\'y\'\t')).toBe('&quot;x&quot;&#10;&apos;y&apos;&#9;');
    expect(escapeXmlText('bell\u0007 nul\u0000 esc\u001b ok\u00e9\u{1F600}')).toBe(
      'bell\uFFFD nul\uFFFD esc\uFFFD ok\u00e9\u{1F600}',
    );
    expect(escapeXmlText('lone \uD800 surrogate \uFFFF')).toBe('lone \uFFFD surrogate \uFFFD');
    const hostile = makeRun({
      lane: 'we.ird',
      workflow: 'a]]><x y="1"/>\u0001\u000b',
      exec: 10,
      memory: 10,
      cpu: 1,
      thresholds: [],
    });
    const xml = renderJunit({ runs: [hostile], history: [], generated_at: 'now' });
    const doc = parse(xml);
    expect(doc.testsuites.testsuite[0].testcase[0].name).toBe('a]]><x y="1"/>\uFFFD\uFFFD');
    expect(doc.testsuites.testsuite[0].testcase[0].classname).toBe('lanebench.we_ird');
    if (hasXmllint) expect(validate(xml).ok).toBe(true);
  });

  it('marks strict-mode warnings as failures', () => {
    const run = makeRun({ lane: 'docs', workflow: 'heavy docs', exec: 100, memory: 900, cpu: 10, strict: true });
    expect(run.sla.violations.some((v) => v.severity === 'warning')).toBe(true);
    const doc = parse(renderJunit({ runs: [run], history: [], generated_at: 'now' }));
    expect(doc.testsuites.testsuite[0].testcase[0].failure[0].message).toContain('memory_usage_max');
  });

  it('renders an empty session as a valid document', () => {
    const xml = renderJunit({ runs: [], history: [], generated_at: 'now' });
    expect(xml).toContain('<testsuites name="lanebench" tests="0" failures="0" errors="0" time="0.000"/>');
    if (hasXmllint) expect(validate(xml).ok).toBe(true);
  });
});
