import { describe, expect, it } from 'vitest';
import { fieldIssues, realDate, safeLine, safeText } from './safe';

describe('safe scalars', () => {
  it('refuse what a store or a log line cannot hold: NUL, control characters, lone surrogates', () => {
    for (const bad of ['a\u0000b', '\u0001', 'Peach\uD800State', '\uDC00', 'x\u007f']) {
      expect(safeLine(50).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(safeText(50).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(safeLine(50).safeParse('line\nbreak').success).toBe(false);
    expect(safeText(50).safeParse('line\nbreak\tand tab').success).toBe(true);
    // a real astral character is a surrogate pair, not a broken one
    expect(safeLine(50).safeParse('Dr 😀 Chen — Medicaid').success).toBe(true);
  });

  it('a date must exist on the calendar, and a bad one gets one message', () => {
    expect(realDate().safeParse('2024-02-29').success).toBe(true);
    expect(realDate().safeParse('2026-02-30').success).toBe(false);
    const wrongFormat = realDate().safeParse('20/11/2026');
    expect(wrongFormat.success).toBe(false);
    if (!wrongFormat.success) expect(fieldIssues(wrongFormat.error)).toHaveLength(1);
  });
});
