import { describe, expect, it } from 'vitest';
import { evaluateVisit } from './index.js';
import { SCENARIOS } from './scenarios.js';

describe('policy scenarios from the seeds', () => {
  it('has at least 45 scenarios, each naming its source passage', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(45);
    for (const s of SCENARIOS) {
      expect(s.source.file).toMatch(/^00[0-4]_[0-9a-f]{16}\.txt$/);
      expect(s.source.quote.length).toBeGreaterThan(10);
    }
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const d = evaluateVisit(s.facts, s.context);
    const lines = d.lines.map((l) => ({ code: l.code, modifiers: l.modifiers, units: l.units }));
    expect(lines.map((l) => l.code).sort()).toEqual(s.expect.lines.map((l) => l.code).sort());
    for (const want of s.expect.lines) {
      const match = lines.find((l) => l.code === want.code
        && (want.modifiers === undefined || JSON.stringify(l.modifiers) === JSON.stringify(want.modifiers))
        && (want.units === undefined || l.units === want.units));
      expect(match, `line ${JSON.stringify(want)} in ${JSON.stringify(lines)}`).toBeDefined();
    }
    const warningIds = d.warnings.map((w) => w.id);
    for (const id of s.expect.warnings ?? []) expect(warningIds, `warning ${id}`).toContain(id);
    for (const id of s.expect.absentWarnings ?? []) expect(warningIds, `no warning ${id}`).not.toContain(id);
    const items = new Map(d.checklist.map((c) => [c.id, c]));
    for (const id of s.expect.checklist ?? []) expect(items.has(id), `checklist ${id}`).toBe(true);
    for (const id of s.expect.requiredChecklist ?? []) expect(items.get(id)?.required, `required checklist ${id}`).toBe(true);
    for (const id of s.expect.optionalChecklist ?? []) expect(items.get(id)?.required, `optional checklist ${id}`).toBe(false);
    for (const id of s.expect.absentChecklist ?? []) expect(items.has(id), `no checklist ${id}`).toBe(false);
    for (const code of s.expect.notCovered ?? []) expect(d.notCovered.map((n) => n.code)).toContain(code);
    if (s.expect.jurisdiction === null) expect(d.policy.jurisdiction).toBeUndefined();
    else if (s.expect.jurisdiction) expect(d.policy.jurisdiction).toEqual(s.expect.jurisdiction);
  });
});
