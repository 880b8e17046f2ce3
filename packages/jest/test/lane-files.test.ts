/** Which test files belong to a lane (runner: 'jest' lanes run only those), and how a failed Jest run is explained. */
import { describe, expect, it } from 'vitest';
import { failureLines, mentionsLane } from '../src/lane-files.js';

describe('mentionsLane', () => {
  it('a literal lane in workflow() or a lane option', () => {
    expect(mentionsLane(`workflow('docs', 'build', 'npm run docs')`, ['docs'])).toBe(true);
    expect(mentionsLane(`workflow( "docs" ,'build', fn)`, ['docs'])).toBe(true);
    expect(mentionsLane('await measure(fn, { lane: `docs` })', ['docs'])).toBe(true);
    expect(mentionsLane(`workflow('heavy', 'build', fn); workflow('docs', 'x', fn)`, ['docs'])).toBe(true);
  });

  it('other lanes and ordinary tests do not belong', () => {
    expect(mentionsLane(`workflow('heavy', 'build', fn)`, ['docs'])).toBe(false);
    expect(mentionsLane(`workflow('docs-extra', 'build', fn)`, ['docs'])).toBe(false);
    expect(mentionsLane(`test('adds', () => expect(1 + 1).toBe(2))`, ['docs'])).toBe(false);
    expect(mentionsLane(`const { workflow } = require('@lanebench/jest');`, ['docs'])).toBe(false);
    expect(mentionsLane(`measure(fn, { lane: 'heavy' })`, ['docs'])).toBe(false);
  });

  it('a computed lane may be this one: the file is kept', () => {
    expect(mentionsLane(`workflow(LANE, 'build', fn)`, ['docs'])).toBe(true);
    expect(mentionsLane('workflow(`${x}`, "build", fn)', ['docs'])).toBe(true);
  });
});

describe('failureLines', () => {
  it('names failed tests and files that failed to run, relative to the project', () => {
    const lines = failureLines(
      {
        numFailedTests: 1,
        testResults: [
          {
            testFilePath: '/p/unit.test.js',
            testResults: [
              { fullName: 'math adds', status: 'failed' },
              { fullName: 'math subtracts', status: 'passed' },
            ],
          },
          { testFilePath: '/p/lanes/broken.test.js', testExecError: { message: 'SyntaxError' }, testResults: [] },
        ],
      },
      '/p',
    );
    expect(lines).toEqual(['unit.test.js: math adds', 'lanes/broken.test.js: test file failed to run']);
  });

  it('caps the list', () => {
    const testResults = [
      {
        testFilePath: '/p/a.test.js',
        testResults: Array.from({ length: 12 }, (_, i) => ({ fullName: `t${i}`, status: 'failed' })),
      },
    ];
    const lines = failureLines({ numFailedTests: 12, testResults }, '/p', 10);
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('… and 2 more');
  });
});
