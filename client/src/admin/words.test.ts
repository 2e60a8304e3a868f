import { describe, expect, it } from 'vitest';
import type { PayerMapping } from '../../../server/contracts/index.js';
import type { AuditEntry } from './api.js';
import { actorLabel, describeAudit, displayUser, mappingChanges, shortUser } from './words.js';
import { filterMappings, noFilters, payerChoices, payerOf } from './mappingForm.js';

const medicaid: PayerMapping = {
  id: 'uuhp-medicaid', version: 2, name: 'U of U Medicaid', priority: 10, enabled: true,
  match: { payerName: 'U*of U* Health Plan*', coverageType: ['2'] }, policyId: 'uuhp', lineOfBusiness: 'medicaid', note: 'n',
};
const peach: PayerMapping = {
  id: '7f3e9a10-5c1b-4d7e-9a1a-0c2b3d4e5f60', version: 1, name: 'Peach State Health Plan (Centene) — Medicaid', priority: 220, enabled: false,
  match: { payerName: 'Peach State Health Plan', coverageType: ['2'], states: ['GA'] }, policyId: 'centene-cp-mp-173', lineOfBusiness: 'medicaid',
};
const policyName = (id: string) => ({ uuhp: 'U of U Health Plans policy', 'cpt-default': 'AMA CPT coding rules only' } as Record<string, string>)[id] ?? id;
const entry = (e: Partial<AuditEntry> & { action: string }): AuditEntry => e as AuditEntry;

describe('audit in words', () => {
  it('a mapping change names the mapping and says what moved', () => {
    const text = describeAudit(entry({ action: 'mapping.update', entityId: medicaid.id, before: medicaid,
      after: { ...medicaid, version: 3, priority: 20, policyId: 'cpt-default', enabled: false, note: 'changed' } }), { policyName });
    expect(text).toBe("changed mapping 'U of U Medicaid': priority 10 → 20; turned off; policy U of U Health Plans policy → AMA CPT coding rules only; note changed");
  });

  it('creates, deletes, imports, drafts, exports — by name, never by id or hash', () => {
    expect(describeAudit(entry({ action: 'mapping.create', entityId: peach.id, after: { ...peach, confirmedTieWith: ['uuhp-medicaid'] } }), { mappings: [medicaid] }))
      .toBe("created mapping 'Peach State Health Plan (Centene) — Medicaid' → centene-cp-mp-173, Medicaid at priority 220, confirming a tie with 'U of U Medicaid'");
    // a delete of a mapping without a stored name: the current list gives its name
    expect(describeAudit(entry({ action: 'mapping.delete', entityId: peach.id }), { mappings: [peach] })).toBe("deleted mapping 'Peach State Health Plan (Centene) — Medicaid'");
    expect(describeAudit(entry({ action: 'mapping.import', entityId: '2 mappings', before: [medicaid, peach], after: [{ ...medicaid, priority: 11 }, { ...peach, id: 'new' }] })))
      .toBe('imported 2 mappings from a file (1 new, 1 changed, 1 removed)');
    expect(describeAudit(entry({ action: 'draft.created', entityId: 'a1b2c3d4e5f6', codes: ['62369', 'J0475'] } as never))).toBe('wrote a claim draft (62369, J0475)');
    expect(describeAudit(entry({ action: 'worklist.export', entityId: '3 items', resourceIds: ['v1', 'v2', 'v3'] } as never))).toBe('exported 3 worklist items');
    expect(describeAudit(entry({ action: 'writeback.completed', entityType: 'claim' }))).toBe('wrote back to the EHR: the Claim draft');
    expect(describeAudit(entry({ action: 'something.new' }))).toBe('something new');
  });

  it('lists only the fields that changed', () => {
    expect(mappingChanges(medicaid, { ...medicaid, version: 9 })).toEqual([]);
    expect(mappingChanges(medicaid, { ...medicaid, match: { ...medicaid.match, states: ['UT'] } })).toEqual(['states none → UT']);
  });
});

describe('people, not FHIR URLs', () => {
  it('shows the name from the id_token, else the user id without the server address', () => {
    expect(displayUser({ source: 'ehr', name: 'Avery Administrator', fhirUser: 'https://ehr.example/fhir/Practitioner/sandbox-admin' })).toBe('Avery Administrator');
    expect(displayUser({ source: 'ehr', fhirUser: 'https://ehr.example/fhir/Practitioner/sandbox-admin' })).toBe('Practitioner sandbox-admin');
    expect(displayUser({ source: 'admin-token' })).toBe('Admin token');
    expect(shortUser('admin-token')).toBe('Automation (admin token)');
    expect(actorLabel('https://ehr.example/fhir/Practitioner/a1', { fhirUser: 'Practitioner/a1', name: 'Avery' })).toBe('Avery (you)');
    expect(actorLabel('https://ehr.example/fhir/Practitioner/b2', { fhirUser: 'Practitioner/a1', name: 'Avery' })).toBe('Practitioner b2');
  });
});

describe('mapping list filters', () => {
  const list = [medicaid, peach];
  it('by payer, policy, state (mappings for every state count) and on/off, with the search', () => {
    expect(payerChoices(list)).toEqual(['Peach State Health Plan', 'U of U Health Plan']);
    expect(payerOf(medicaid)).toBe('U of U Health Plan');
    const ids = (f: Partial<typeof noFilters>) => filterMappings(list, { ...noFilters, ...f }, policyName).map((m) => m.id);
    expect(ids({ payer: 'Peach State Health Plan' })).toEqual([peach.id]);
    expect(ids({ policyId: 'uuhp' })).toEqual(['uuhp-medicaid']);
    expect(ids({ state: 'GA' })).toEqual(['uuhp-medicaid', peach.id]);
    expect(ids({ state: 'UT' })).toEqual(['uuhp-medicaid']);
    expect(ids({ enabled: 'off' })).toEqual([peach.id]);
    expect(ids({ query: 'u of u health plans policy' })).toEqual(['uuhp-medicaid']);
    expect(ids({ query: 'medicaid', enabled: 'on' })).toEqual(['uuhp-medicaid']);
  });
});
