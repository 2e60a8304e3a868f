import { describe, expect, it } from 'vitest';
import { APP_IDENTIFIER_SYSTEM, DraftRequest, type AcceptedLine } from '../contracts/index.js';
import { appIdentifierValue, buildDrafts, DraftNotBuildableError, visitKeyFor, type BuildOptions } from './drafts.js';
import { applySupersede } from './writeback/index.js';
import { extractVisit } from './extract.js';
import { fhirIssues, loadFixture, loadFixtures } from './testing.js';

const NOW = new Date('2026-11-20T17:05:00Z');
const SECRET = 'a'.repeat(64);
const KEY = 'f'.repeat(32);
const opts = (o: Partial<BuildOptions> = {}): BuildOptions => ({ now: NOW, visitKey: KEY, version: 1, ...o });

const CHECKLIST = [
  { id: 'pump-status-before-after', text: 'Pump status before and after the refill (residual volume, alarms)', required: true, checked: true },
  { id: 'drug-proof-of-purchase', text: 'Proof of purchase of the drug by the practice', required: true, checked: false },
  { id: 'reassessment', text: 'Reassessment plan and next refill date', required: false, checked: false },
];

function requestFor(id: string, lines: AcceptedLine[] = [
  { code: '62370', system: 'CPT', display: 'Electronic analysis of programmable, implanted pump … with reprogramming and refill (physician skill)', modifiers: [], units: 1 },
  { code: 'J2274', system: 'HCPCS', display: 'Injection, morphine sulfate, preservative free for epidural or intrathecal use, 10 mg', modifiers: ['JZ'], units: 20 },
]): DraftRequest {
  const { facts, references } = extractVisit(loadFixture(id), { today: '2026-11-20' });
  return DraftRequest.parse({
    facts,
    acceptedLines: lines,
    checklist: CHECKLIST,
    author: { reference: references.practitioner ?? 'Practitioner/sandbox-admin', display: 'Signed-in clinician' },
    references,
    policy: { id: 'uuhp', name: 'U of U Health Plans', version: '2026.1', lineOfBusiness: facts.coverage.lineOfBusiness },
  });
}

const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');

describe('buildDrafts', () => {
  it('the validator is not a rubber stamp', () => {
    expect(fhirIssues({ resourceType: 'Claim', status: 'bogus' }).length).toBeGreaterThan(0);
  });

  it.each(loadFixtures().map((f) => [f.id] as const))('%s: Claim, DocumentReference and Provenance validate as FHIR R4 in every vendor mode', (id) => {
    for (const vendor of ['generic', 'epic', 'oracle'] as const) {
      const { claim, documentReference, provenance } = buildDrafts(requestFor(id), opts({ vendor }));
      expect(fhirIssues(claim), `${vendor} Claim`).toEqual([]);
      expect(fhirIssues(documentReference), `${vendor} DocumentReference`).toEqual([]);
      if (vendor === 'generic') expect(fhirIssues(provenance), `${vendor} Provenance`).toEqual([]);
    }
  });

  it('builds the Claim draft from the accepted lines', () => {
    const req = requestFor('pt-uuhp-commercial');
    const { claim, visitKey } = buildDrafts(req, opts());
    expect(claim).toMatchObject({
      status: 'draft', use: 'claim',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
      patient: { reference: 'Patient/pt-uuhp-commercial' },
      provider: { reference: 'Practitioner/pract-hale-md' },
      created: '2026-11-20T17:05:00.000Z',
      priority: { coding: [{ code: 'normal' }] },
      insurance: [{ sequence: 1, focal: true, coverage: { reference: 'Coverage/cov-pt-uuhp-commercial' } }],
      identifier: [{ system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, 1, 'claim') }],
    });
    expect(claim.diagnosis?.map((d) => d.diagnosisCodeableConcept?.coding?.[0])).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G89.4' }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M96.1' }]);
    const [pump, drug] = claim.item ?? [];
    expect(pump?.productOrService.coding?.[0]).toMatchObject({ system: 'http://www.ama-assn.org/go/cpt', code: '62370' });
    expect(pump?.udi).toEqual([{ reference: 'Device/dev-pt-uuhp-commercial' }]);
    expect(pump).toMatchObject({ sequence: 1, quantity: { value: 1 }, servicedDate: '2026-11-20', diagnosisSequence: [1, 2] });
    expect(pump?.locationCodeableConcept?.coding?.[0]?.code).toBe('11');
    expect(drug?.productOrService.coding?.[0]).toMatchObject({ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'J2274' });
    expect(drug?.modifier?.[0]?.coding?.[0]).toEqual({ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'JZ' });
    expect(drug?.quantity?.value).toBe(20);
    expect(drug?.udi).toBeUndefined();
    // the Claim points at the note by identifier, so the write order (note first) and EHR-assigned ids don't matter
    expect(claim.supportingInfo?.[0]?.valueReference).toMatchObject({ type: 'DocumentReference', identifier: { system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, 1, 'doc') } });
  });

  it('numeric modifiers go under CPT, alphabetic under HCPCS', () => {
    const req = requestFor('pt-medicare-ca', [{ code: '99213', system: 'CPT', display: 'Office visit', modifiers: ['25'], units: 1 }]);
    const { claim } = buildDrafts(req, opts());
    expect(claim.item?.[0]?.modifier?.[0]?.coding?.[0]).toEqual({ system: 'http://www.ama-assn.org/go/cpt', code: '25' });
    expect(claim.item?.[0]?.udi).toBeUndefined();
  });

  it('builds the DocumentReference with a readable checklist', () => {
    const req = requestFor('pt-icare-ma-wi');
    const { documentReference: doc, visitKey } = buildDrafts(req, opts());
    expect(doc).toMatchObject({
      status: 'current', docStatus: 'preliminary',
      type: { coding: [{ system: 'http://loinc.org', code: '28570-0' }] },
      category: [{ coding: [{ code: 'clinical-note' }] }],
      subject: { reference: 'Patient/pt-icare-ma-wi' },
      author: [{ reference: 'Practitioner/pract-lindqvist-rn' }],
      date: '2026-11-20T17:05:00.000Z',
      context: { encounter: [{ reference: 'Encounter/enc-pt-icare-ma-wi' }] },
      identifier: [{ system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, 1, 'doc') }],
    });
    expect(doc.content).toHaveLength(1);
    expect(doc.content[0]?.attachment.contentType).toBe('text/plain; charset=utf-8');
    const text = decode(doc.content[0]?.attachment.data);
    for (const item of CHECKLIST) expect(text).toContain(item.text);
    expect(text).toContain('[x] Pump status before and after the refill (residual volume, alarms) (required)');
    expect(text).toContain('[ ] Proof of purchase of the drug by the practice (required)');
    expect(text).toContain('[ ] Reassessment plan and next refill date\n');
    expect(text).toContain('Service date: 2026-11-20');
    expect(text).toContain('Patient: Patient/pt-icare-ma-wi');
    expect(text).toMatch(/Policy: U of U Health Plans \[uuhp\] version 2026\.1/);
    expect(text).toContain('J2274 (HCPCS) modifiers JZ × 20');
    expect(text).toContain('iCare Medicare Advantage');
    expect(text).not.toContain('Kowalczyk'); // no patient name in the note the app writes
  });

  it('Epic: text/plain only, one attachment, encounter required', () => {
    const { documentReference } = buildDrafts(requestFor('pt-uuhp-commercial'), opts({ vendor: 'epic' }));
    expect(documentReference.content).toHaveLength(1);
    expect(documentReference.content[0]?.attachment.contentType).toBe('text/plain');
    const req = requestFor('pt-uuhp-commercial');
    const noEncounter = { ...req, references: { ...req.references, encounter: undefined } };
    expect(() => buildDrafts(noEncounter, opts({ vendor: 'epic' }))).toThrow(DraftNotBuildableError);
    expect(() => buildDrafts(noEncounter, opts({ vendor: 'epic' }))).toThrow(/encounter/);
    expect(() => buildDrafts(noEncounter, opts({ vendor: 'generic' }))).not.toThrow();
  });

  it('Oracle: exactly one author and a date with a time', () => {
    const { documentReference } = buildDrafts(requestFor('pt-medicare-ca'), opts({ vendor: 'oracle' }));
    expect(documentReference.author).toHaveLength(1);
    expect(documentReference.date).toMatch(/T\d{2}:\d{2}:\d{2}/);
  });

  it('Provenance targets both drafts, names the policy, and carries no patient name or birth date', () => {
    const { provenance, visitKey } = buildDrafts(requestFor('pt-uuhp-commercial'), opts());
    expect(provenance!.target).toEqual([
      { type: 'Claim', identifier: { system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, 1, 'claim') } },
      { type: 'DocumentReference', identifier: { system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, 1, 'doc') } },
      { type: 'Patient', reference: 'Patient/pt-uuhp-commercial' },
    ]);
    expect(provenance!.recorded).toBe('2026-11-20T17:05:00.000Z');
    expect(provenance!.agent[0]?.who).toEqual({ reference: 'Practitioner/pract-hale-md' });
    expect(provenance!.policy?.[0]).toContain('uuhp:2026.1');
    expect(provenance!.entity?.[0]?.what.display).toContain('version 2026.1');
    const json = JSON.stringify(provenance);
    expect(json).not.toMatch(/Sandoval|Marisol|1968-04-12/);
  });

  it('a request without a patient cannot be built', () => {
    const req = requestFor('pt-uuhp-commercial');
    const bad = { ...req, facts: { ...req.facts, patient: {} }, references: { ...req.references, patient: undefined } };
    expect(() => buildDrafts(bad, opts())).toThrow(DraftNotBuildableError);
  });
});

describe('visitKeyFor', () => {
  const id = { ehrBase: 'https://ehr.example/fhir', patientId: 'pt-uuhp-commercial', serviceDate: '2026-11-20' };
  it('is stable for the same visit whatever the launch or user, and 32 hex chars', () => {
    expect(visitKeyFor(SECRET, id)).toBe(visitKeyFor(SECRET, { ...id }));
    expect(visitKeyFor(SECRET, id)).toMatch(/^[a-f0-9]{32}$/);
    const a = buildDrafts(requestFor('pt-uuhp-commercial'), opts());
    const b = buildDrafts(requestFor('pt-uuhp-commercial'), opts({ now: new Date('2026-11-20T18:00:00Z') }));
    expect(a.claim.identifier).toEqual(b.claim.identifier);
  });
  it('differs for another EHR, patient, date, encounter or secret (not guessable without the secret)', () => {
    const key = visitKeyFor(SECRET, id);
    expect(visitKeyFor(SECRET, { ...id, ehrBase: 'https://other/fhir' })).not.toBe(key);
    expect(visitKeyFor(SECRET, { ...id, patientId: 'other' })).not.toBe(key);
    expect(visitKeyFor(SECRET, { ...id, serviceDate: '2026-11-21' })).not.toBe(key);
    expect(visitKeyFor(SECRET, { ...id, encounterId: 'enc-1' })).not.toBe(key);
    expect(visitKeyFor('b'.repeat(64), id)).not.toBe(key);
  });
});

describe('vendor modules', () => {
  it('Provenance only where the EHR accepts it (generic); Epic and Oracle get none', () => {
    expect(buildDrafts(requestFor('pt-uuhp-commercial'), opts()).provenance).toBeDefined();
    expect(buildDrafts(requestFor('pt-uuhp-commercial'), opts({ vendor: 'epic' })).provenance).toBeUndefined();
    expect(buildDrafts(requestFor('pt-uuhp-commercial'), opts({ vendor: 'oracle' })).provenance).toBeUndefined();
  });
  it('the Claim lists the DocumentReference once', () => {
    const { claim } = buildDrafts(requestFor('pt-uuhp-commercial'), opts());
    expect(claim.supportingInfo?.filter((s) => s.valueReference?.type === 'DocumentReference')).toHaveLength(1);
  });
  it('the note names citation titles, never seed file names', () => {
    const citations = new Map([['62370', [{ source: '000_79e2bd03f86c6506.txt', section: 'Coding' }]]]);
    const { documentReference } = buildDrafts(requestFor('pt-uuhp-commercial'), opts({ citations }));
    const text = decode(documentReference.content[0]?.attachment.data);
    expect(text).toContain('Source: U of U Health Plans — Implanted infusion pump refill policy § Coding');
    expect(text).not.toMatch(/\.txt/);
  });
  it('generic update: the new note replaces the old one and the new Claim names the prior one', () => {
    const built = buildDrafts(requestFor('pt-uuhp-commercial'), opts({ version: 2 }));
    const s = applySupersede(built, { version: 1, documentReferenceId: 'doc-1', claimId: 'claim-1', note: 'replace-new' });
    expect(s.documentReference.relatesTo).toEqual([{ code: 'replaces', target: { reference: 'DocumentReference/doc-1' } }]);
    expect(s.claim.related?.[0]?.claim).toEqual({ reference: 'Claim/claim-1' });
    expect(fhirIssues(s.documentReference)).toEqual([]);
    expect(fhirIssues(s.claim)).toEqual([]);
    expect(s.documentReference.identifier?.[0]?.value).toBe(appIdentifierValue(KEY, 2, 'doc'));
  });
});
