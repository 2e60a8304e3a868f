import { describe, expect, it } from 'vitest';
import { diffLines } from './changes';

const L = (code: string, system: 'CPT' | 'HCPCS' = 'CPT', units = 1, modifiers: string[] = []) => ({ code, system, units, modifiers });

describe('what a re-evaluation changed in the lines', () => {
  it('a replaced code reads as "old → new" and is highlighted', () => {
    expect(diffLines([L('62370'), L('J2274', 'HCPCS', 20)], [L('62369'), L('J2274', 'HCPCS', 20)]))
      .toEqual({ words: 'Lines changed: 62370 → 62369.', changedCodes: ['62369'] });
  });
  it('added, removed and re-counted lines are each said', () => {
    const d = diffLines([L('62369'), L('J0475', 'HCPCS', 2)], [L('95990'), L('J0475', 'HCPCS', 3), L('J2274', 'HCPCS', 20)]);
    expect(d?.words).toBe('Lines changed: 62369 → 95990; J2274 ×20 added; J0475 ×2 → J0475 ×3.');
    expect(d?.changedCodes.sort()).toEqual(['95990', 'J0475', 'J2274'].sort());
    expect(diffLines([L('62369'), L('J2274', 'HCPCS')], [L('62369')])?.words).toBe('Lines changed: J2274 removed.');
    expect(diffLines([L('99213')], [L('99213', 'CPT', 1, ['25'])])?.words).toBe('Lines changed: 99213 → 99213-25.');
  });
  it('no change → nothing to announce', () => {
    expect(diffLines([L('62369')], [L('62369')])).toBeUndefined();
  });
});
