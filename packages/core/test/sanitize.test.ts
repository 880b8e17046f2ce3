import { describe, expect, it } from 'vitest';
import { safeOutput, visible, workflowCommandLine } from '../src/output/sanitize.js';

describe('output sanitizer', () => {
  it('visible: controls, ESC, C1, bidi and separators become \\uXXXX escapes', () => {
    expect(visible('a\nb\tc\u001b[2J\u009b\u202e\u2066\u2028')).toBe(
      'a\\u000ab\\u0009c\\u001b[2J\\u009b\\u202e\\u2066\\u2028',
    );
    expect(visible('plain name ✓ é')).toBe('plain name ✓ é');
  });

  it('safeOutput: no line may start a workflow command, after any leading whitespace', () => {
    expect(safeOutput('::error::x\n  ::add-mask::s\n\u00a0::stop-commands::t\nok ::not-at-start::')).toBe(
      '\\u003a:error::x\n  \\u003a:add-mask::s\n\u00a0\\u003a:stop-commands::t\nok ::not-at-start::',
    );
    expect(safeOutput('x ##[add-mask]y')).toBe('x ##\\u005badd-mask]y');
  });

  it('safeOutput keeps only allowed color codes when asked, and is idempotent', () => {
    const text = '\u001b[32mok\u001b[39m \u001b[8mhidden\u001b[0m \u001b]0;title\u0007';
    expect(safeOutput(text, { keepSgr: true })).toBe(
      '\u001b[32mok\u001b[39m \\u001b[8mhidden\u001b[0m \\u001b]0;title\\u0007',
    );
    expect(safeOutput(text)).not.toContain('\u001b');
    const once = safeOutput(text);
    expect(safeOutput(once)).toBe(once);
    // a color code in front of `::` does not hide the command from the check
    expect(safeOutput('\u001b[31m::error::x', { keepSgr: true })).toBe('\u001b[31m\\u003a:error::x');
  });

  it('safeOutput on JSON keeps it valid and equal', () => {
    const value = { name: 'x\u202ey\u0085z' };
    expect(JSON.parse(safeOutput(JSON.stringify(value)))).toEqual(value);
  });

  it('workflowCommandLine: one line, only for a real command', () => {
    expect(workflowCommandLine('::error title=a::b\n::add-mask::c')).toBe('::error title=a::b%0A::add-mask::c');
    expect(() => workflowCommandLine('hello')).toThrow(/not a lanebench workflow command/);
  });
});
