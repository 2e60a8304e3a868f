import { describe, expect, it } from 'vitest';
import { unfinishedWords } from './WritePanel';
import type { VisitVersion } from '../../../server/contracts/index';

const drafted = (plan?: VisitVersion['plan']): VisitVersion => ({
  version: 2, state: 'drafted', createdAt: '2026-12-01T10:00:00Z', createdBy: 'Practitioner/a', codes: ['62370', 'J0475'], ...(plan ? { plan } : {}),
});

describe('an unfinished version says what finishing it writes (its drafted plan and codes, not this launch\'s)', () => {
  it('names the drafted writes and codes', () => {
    const words = unfinishedWords(drafted({ claimToEhr: true, provenanceToEhr: true, supersede: true }), ['J0475', '62370']);
    expect(words).toBe('An earlier write of this visit (version 2) did not finish. Writing again completes it as it was prepared, without a second copy: '
      + 'the note (DocumentReference), the Claim draft to the EHR, a Provenance, the earlier note marked superseded, with the codes 62370, J0475.');
  });
  it('says when the lines shown now are not the ones it writes', () => {
    const words = unfinishedWords(drafted({ claimToEhr: false, provenanceToEhr: false, supersede: false }), ['62369']);
    expect(words).toContain('the Claim draft in the billing worklist, with the codes 62370, J0475.');
    expect(words).toMatch(/Those are not the lines shown now: once it is finished, Update writes the lines shown as a new version\.$/);
  });
});
