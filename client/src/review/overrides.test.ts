/** Typing codes to check them: well-formed codes join the proposed codes; malformed ones get words, not a request. */
import { describe, expect, it } from 'vitest';
import { addProposedCode, removeProposedCode } from './overrides';

const onRecord = [{ code: '62369' }];

describe('codes the clinician types', () => {
  it('adds a CPT or HCPCS code with its modifiers to the codes on the record', () => {
    const r = addProposedCode({}, onRecord, ' 62370 ');
    expect(r).toEqual({ overrides: { proposedCodes: [{ code: '62369' }, { code: '62370' }] } });
    const em = addProposedCode({}, onRecord, '99213', '25');
    expect('overrides' in em && em.overrides.proposedCodes).toEqual([{ code: '62369' }, { code: '99213', modifiers: ['25'] }]);
    const drug = addProposedCode({}, [], 'j2274', 'jw');
    expect('overrides' in drug && drug.overrides.proposedCodes).toEqual([{ code: 'J2274', modifiers: ['JW'] }]);
  });

  it('explains a malformed code or modifier instead of sending it', () => {
    expect(addProposedCode({}, onRecord, '6237')).toEqual({ error: expect.stringMatching(/not a CPT or HCPCS code/) });
    expect(addProposedCode({}, onRecord, '<img>')).toEqual({ error: expect.stringMatching(/not a CPT or HCPCS code/) });
    expect(addProposedCode({}, onRecord, '99213', '255')).toEqual({ error: expect.stringMatching(/not a modifier/) });
  });

  it('removes one code, keeping the others, and builds on earlier edits', () => {
    const added = addProposedCode({}, onRecord, '62370');
    if (!('overrides' in added)) throw new Error('expected overrides');
    expect(removeProposedCode(added.overrides, onRecord, 0)).toEqual({ proposedCodes: [{ code: '62370' }] });
    expect(removeProposedCode({}, onRecord, 0)).toEqual({ proposedCodes: [] });
  });
});
