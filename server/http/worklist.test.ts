/** CSV neutralising (OWASP "CSV Injection"): every cell a spreadsheet would run as a formula starts with a quote. */
import { describe, expect, it } from 'vitest';
import { csvCell } from './worklist';

describe('csvCell', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '\n=1', ' =1', '＝1+1', '＋1', '－1', '＠SUM(A1)'])('neutralises %j', (v) => {
    const cell = csvCell(v);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(unquoted.startsWith("'")).toBe(true);
    expect(unquoted.slice(1)).toBe(v);
  });
  it('leaves ordinary text alone and quotes per RFC 4180', () => {
    expect(csvCell('62370 x1')).toBe('62370 x1');
    expect(csvCell('Doe, "Jo"')).toBe('"Doe, ""Jo"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});
