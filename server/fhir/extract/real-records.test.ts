/**
 * Real EHR record shapes (issue 7): each test is one cause seen on Epic, Oracle Health, US Core, CARIN or Synthea
 * shaped records, and fails without its fix. The shapes follow the public examples named in DESIGN.md
 * ("Reading real EHR records"); the resources here are small hand-made ones with those shapes.
 */
import { describe, expect, it } from 'vitest';
import { LAUNCH_ENCOUNTER_TAG } from '../../contracts/index.js';
import { coverageMatchInputFromFacts, resolveMapping, defaultMappingsAsStored } from '../../mappings/index.js';
import { loadFixtures } from '../testing.js';
import { coverageMatchInputFromRecord } from './coverage.js';
import { localDateOf } from './dates.js';
import { extractVisit } from './index.js';
import { htmlToText, readDoseChange, readInterrogationReason, readPhysicianSkill, readPurchaser, readSupervision, rtfToText, sentencesOf } from './notes.js';
import { ResourceIndex } from './record.js';

type R = Record<string, unknown> & { resourceType: string; id?: string };
const CPT = 'http://www.ama-assn.org/go/cpt';
const SCT = 'http://snomed.info/sct';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const bundle = (...resources: R[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ fullUrl: `https://ehr.example/fhir/${resource.resourceType}/${resource.id}`, resource })) });
const patient: R = { resourceType: 'Patient', id: 'p1', address: [{ use: 'home', state: 'CA' }] };
const caLocation: R = { resourceType: 'Location', id: 'loc1', name: 'Pain Clinic', address: { state: 'CA' } };
const encounter = (id: string, start: string, extra: Record<string, unknown> = {}): R => ({
  resourceType: 'Encounter', id, status: 'finished', period: { start }, location: [{ location: { reference: 'Location/loc1' } }], ...extra,
});
const launch = (e: R): R => ({ ...e, meta: { tag: [{ ...LAUNCH_ENCOUNTER_TAG }] } });
const proc = (id: string, when: string, code: Record<string, unknown>, extra: Record<string, unknown> = {}): R => ({
  resourceType: 'Procedure', id, status: 'completed', performedDateTime: when, code, ...extra,
});
const cpt = (code: string, display = '') => ({ coding: [{ system: CPT, code, display }] });
const sentences = (...texts: string[]) => texts.flatMap((t) => sentencesOf(t, { resourceType: 'Procedure', id: 'x' }));

describe('references: one resolver for every shape', () => {
  const org: R = { resourceType: 'Organization', id: 'o1', name: 'Acme Health', identifier: [{ system: 'urn:x', value: 'A1' }] };
  const idx = new ResourceIndex([
    { fullUrl: 'urn:uuid:9b1d', resource: { resourceType: 'Practitioner', id: 'ignored-id', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], name: [{ family: 'Lee', given: ['Ana'] }] } },
    { resource: org },
    { resource: { resourceType: 'Organization', id: `o${'x'.repeat(100)}`, name: 'Long Id Org' } },
  ]);
  it('relative, absolute with _history, urn:uuid, long ids (Epic: 66–110 characters)', () => {
    expect(idx.resolve({ reference: 'Organization/o1' })?.id).toBe('o1');
    expect(idx.resolve({ reference: 'https://other.example/fhir/Organization/o1/_history/3' })?.id).toBe('o1');
    expect(idx.resolve({ reference: 'urn:uuid:9b1d' })?.resourceType).toBe('Practitioner');
    expect(idx.resolve({ reference: `https://ehr.example/fhir/Organization/o${'x'.repeat(100)}` })?.name).toBe('Long Id Org');
  });
  it('#contained, conditional Type?identifier=, Reference.identifier, display-only — and the type must fit', () => {
    const container: R = { resourceType: 'MedicationAdministration', id: 'ma', contained: [{ resourceType: 'Medication', id: 'med1', code: { text: 'Baclofen' } }] };
    expect(idx.resolve({ reference: '#med1' }, 'Medication', container)?.id).toBe('med1');
    expect(idx.resolve({ reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893' })?.resourceType).toBe('Practitioner');
    expect(idx.resolve({ reference: 'Practitioner?identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi%7C1234567893' })?.resourceType).toBe('Practitioner');
    expect(idx.resolve({ type: 'Practitioner', identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } })?.resourceType).toBe('Practitioner');
    expect(idx.resolve({ display: 'Acme Health' }, 'Organization')?.id).toBe('o1');
    expect(idx.resolve({ display: 'Ana Lee' }, 'Practitioner')?.resourceType).toBe('Practitioner');
    expect(idx.resolve({ reference: 'Organization/o1' }, 'Practitioner')).toBeUndefined();
  });
  it('an identifier or a name shared by two resources resolves to nothing (never a guess)', () => {
    const twin = new ResourceIndex([
      { resource: { resourceType: 'Organization', id: 'a', name: 'Same Name' } },
      { resource: { resourceType: 'Organization', id: 'b', name: 'Same Name' } },
    ]);
    expect(twin.resolve({ display: 'Same Name' }, 'Organization')).toBeUndefined();
  });
});

describe('local dates', () => {
  it('an offset keeps its offset; a UTC instant takes the state zone; a bare date stands', () => {
    expect(localDateOf('2026-11-20T18:30:00-08:00', 'NY')?.date).toBe('2026-11-20');
    expect(localDateOf('2026-11-21T02:30:00Z', 'CA')).toEqual({ date: '2026-11-20', converted: true });
    expect(localDateOf('2026-11-21T02:30:00Z', 'NY')?.date).toBe('2026-11-20');
    expect(localDateOf('2026-11-21T06:30:00Z', 'NY')?.date).toBe('2026-11-21');
    expect(localDateOf('2026-11-21T09:30:00+00:00', 'HI')?.date).toBe('2026-11-20');
    expect(localDateOf('2026-11-20', 'CA')?.date).toBe('2026-11-20');
  });
  it('an evening visit sent as UTC (Epic) and a date-only performedDateTime (Oracle) are the same visit', () => {
    const r = extractVisit(bundle(patient, caLocation,
      encounter('e1', '2026-11-21T01:30:00Z'),
      proc('pr1', '2026-11-20', cpt('62369'), { encounter: { reference: 'Encounter/e1' } })));
    expect(r.facts.serviceDate).toBe('2026-11-20');
    expect(r.facts.services.refill).toBe(true);
    expect(r.facts.proposedCodes).toEqual([{ code: '62369' }]);
  });
});

describe('the visit: launch encounter vs latest pump procedure', () => {
  const old = launch(encounter('e-old', '2026-08-28T16:00:00Z'));
  const today = encounter('e-today', '2026-11-20T17:00:00Z');
  const record = bundle(patient, caLocation, old, today,
    proc('pr-today', '2026-11-20T17:10:00Z', cpt('62370'), { encounter: { reference: 'Encounter/e-today' } }),
    proc('pr-old-visit', '2026-08-28T16:10:00Z', { text: 'Office visit' }, { encounter: { reference: 'Encounter/e-old' } }));
  it('a stale launch encounter: the latest pump visit is reviewed, with a notice offering the launch encounter', () => {
    const r = extractVisit(record);
    expect(r.facts.serviceDate).toBe('2026-11-20');
    expect(r.references.encounter).toBe('Encounter/e-today');
    const n = r.recordNotices?.find((x) => x.id === 'stale-launch-encounter');
    expect(n?.severity).toBe('warning');
    expect(n?.message).toContain('2026-08-28');
    expect(n?.action?.overrides).toEqual({ serviceDate: '2026-08-28' });
  });
  it('the action (serviceDate) re-scopes the visit to the launch encounter, without the notice', () => {
    const r = extractVisit(record, { serviceDate: '2026-08-28' });
    expect(r.references.encounter).toBe('Encounter/e-old');
    expect(r.facts.proposedCodes).toBeUndefined();
    expect(r.recordNotices?.some((x) => x.id === 'stale-launch-encounter')).toBeFalsy();
  });
  it('a current launch encounter with its pump procedure raises nothing', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(today), proc('pr-today', '2026-11-20T17:10:00Z', cpt('62370'), { encounter: { reference: 'Encounter/e-today' } })));
    expect(r.recordNotices?.some((x) => x.id === 'stale-launch-encounter')).toBeFalsy();
    expect(r.facts.serviceDate).toBe('2026-11-20');
  });
  it('a same-day IV drug from another encounter never makes the pump intravenous', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(today), encounter('e-infusion', '2026-11-20T15:00:00Z'),
      proc('pr-today', '2026-11-20T17:10:00Z', cpt('62370'), { encounter: { reference: 'Encounter/e-today' } }),
      { resourceType: 'MedicationAdministration', id: 'ondansetron', status: 'completed', context: { reference: 'Encounter/e-infusion' }, effectiveDateTime: '2026-11-20T15:10:00Z',
        medicationCodeableConcept: { text: 'Ondansetron 4 mg' }, dosage: { route: { coding: [{ system: SCT, code: '47625008' }] }, dose: { value: 4, unit: 'mg' } } },
      { resourceType: 'MedicationAdministration', id: 'morphine', status: 'completed', context: { reference: 'Encounter/e-today' }, effectiveDateTime: '2026-11-20T17:15:00Z',
        medicationCodeableConcept: { text: 'Morphine PF 25 mg/mL' }, dosage: { route: { coding: [{ system: SCT, code: '72607000' }] }, dose: { value: 20, unit: 'mL' } } }));
    expect(r.facts.device.route).toBe('intrathecal');
    expect(r.facts.drugs.map((d) => d.name)).toEqual(['Morphine PF 25 mg/mL']);
    expect(r.facts.drugs[0]?.concentration).toEqual({ amount: 25, unit: 'mg', perMl: 1 });
  });
});

describe('who performed: the performer-role chain', () => {
  const run = (practitioner: R, extra: R[] = [], actor: Record<string, unknown> = { reference: `Practitioner/${practitioner.id}` }) => extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
    proc('pr1', '2026-11-20T17:10:00Z', cpt('62370'), { encounter: { reference: 'Encounter/e1' }, performer: [{ actor }] }), practitioner, ...extra));
  it('Epic: no qualification, the NUCC taxonomy in an Epic-OID identifier', () => {
    const r = run({ resourceType: 'Practitioner', id: 'dr', identifier: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.66', value: '208VP0014X' }] });
    expect(r.facts.performer.role).toBe('physician');
    expect(r.factSources['performer.role']).toMatchObject({ status: 'derived' });
    expect(r.factSources['performer.role']?.note).toContain('208VP0014X');
  });
  it('Epic-OID or Oracle code-set qualification: matched by display or text', () => {
    expect(run({ resourceType: 'Practitioner', id: 'rn', qualification: [{ code: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.4.836982.1040', code: '5', display: 'Registered Nurse' }] } }] }).facts.performer.role).toBe('registered-nurse');
    expect(run({ resourceType: 'Practitioner', id: 'np', qualification: [{ code: { coding: [{ system: 'https://fhir.cerner.com/ec2458f2/codeSet/29600', code: '4040' }], text: 'Nurse Practitioner' } }] }).facts.performer.role).toBe('nurse-practitioner');
  });
  it("Oracle Health's is-physician extension", () => {
    const r = run({ resourceType: 'Practitioner', id: 'dr', extension: [{ url: 'https://fhir-ehr.cerner.com/r4/StructureDefinition/is-physician', valueBoolean: true }] });
    expect(r.facts.performer.role).toBe('physician');
  });
  it('PractitionerRole.code (NUCC) when the Practitioner says nothing', () => {
    const r = run({ resourceType: 'Practitioner', id: 'x' }, [{ resourceType: 'PractitionerRole', id: 'role', practitioner: { reference: 'Practitioner/x' }, code: [{ coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '363A00000X' }] }] }]);
    expect(r.facts.performer.role).toBe('physician-assistant');
  });
  it('US Core / CARIN: only a "Dr" prefix, or a credential suffix', () => {
    expect(run({ resourceType: 'Practitioner', id: 'x', name: [{ family: 'Kim', prefix: ['Dr.'] }] }).facts.performer.role).toBe('physician');
    expect(run({ resourceType: 'Practitioner', id: 'x', name: [{ family: 'Kim', suffix: ['PA-C'] }] }).facts.performer.role).toBe('physician-assistant');
    expect(run({ resourceType: 'Practitioner', id: 'x', name: [{ text: 'Jo Kim, RN' }] }).facts.performer.role).toBe('registered-nurse');
  });
  it('a performer referenced by identifier only, or conditionally', () => {
    const dr: R = { resourceType: 'Practitioner', id: 'dr', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1111111111' }], qualification: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: 'MD' }] } }] };
    expect(run(dr, [], { type: 'Practitioner', identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1111111111' } }).facts.performer.role).toBe('physician');
    expect(run(dr, [], { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1111111111' }).facts.performer.role).toBe('physician');
  });
});

describe('the note reader', () => {
  it('dose changed, and by how much; negations, hedges, questions and blank prompts give no positive fact', () => {
    const yes = readDoseChange(sentences('Daily dose increased from 200 mcg/day to 250 mcg/day for spasticity.'));
    expect(yes).toMatchObject({ value: 'yes', detail: 'from 200 mcg/day to 250 mcg/day' });
    expect(readDoseChange(sentences('No dose change.'))).toMatchObject({ value: 'no' });
    expect(readDoseChange(sentences('The rate was not changed today.'))).toMatchObject({ value: 'no' });
    expect(readDoseChange(sentences('Dose not increased given sedation.'))).toBeUndefined();
    expect(readDoseChange(sentences('Consider increasing the dose at the next refill.'))).toBeUndefined();
    expect(readDoseChange(sentences('Dose changed?'))).toBeUndefined();
    expect(readDoseChange(sentences('Dose changed: ___'))).toBeUndefined();
    expect(readDoseChange(sentences('Dose increased by 10%.', 'No dose change.'))).toHaveProperty('conflict');
  });
  it('physician skill, supervision, purchaser, interrogation reason — each with its sentence', () => {
    expect(readPhysicianSkill(sentences('Physician skill was required because of catheter access troubleshooting.'))?.value).toBe('catheter access troubleshooting');
    expect(readPhysicianSkill(sentences('Physician skill not required.'))).toBeUndefined();
    expect(readSupervision(sentences('Dr. Patel was on site throughout.'))).toMatchObject({ value: true });
    expect(readSupervision(sentences('Supervising physician not on site; available by phone.'))).toMatchObject({ value: false });
    expect(readSupervision(sentences('Will the physician be present?'))).toBeUndefined();
    expect(readPurchaser(sentences('Drug from clinic stock (buy and bill).'))).toMatchObject({ value: 'practice' });
    expect(readPurchaser(sentences('Syringe dispensed by the specialty pharmacy.'))).toMatchObject({ value: 'pharmacy' });
    expect(readPurchaser(sentences('Not purchased by the practice.'))).toBeUndefined();
    expect(readInterrogationReason(sentences('Pump interrogated due to a low reservoir alarm.'))?.value).toBe('a low reservoir alarm');
    expect(readInterrogationReason(sentences('Possible MRI next month.'))).toBeUndefined();
    expect(readInterrogationReason(sentences('No alarm sounded.'))).toBeUndefined();
  });
  it('HTML and RTF become plain text', () => {
    expect(htmlToText('<div><p>Dose&nbsp;increased</p><p>Refilled &amp; checked</p></div>')).toMatch(/Dose increased\s*\n\s*Refilled & checked/);
    expect(rtfToText('{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Pump refilled.\\par Dose increased from 2 mg to 2.5 mg.}').trim()).toBe('Pump refilled.\nDose increased from 2 mg to 2.5 mg.');
  });
  it("Epic: the visit's DocumentReference (inline RTF, or HTML in a Binary by url) gives the facts, derived, with the sentence", () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20T17:10:00Z', cpt('62370'), { encounter: { reference: 'Encounter/e1' } }),
      { resourceType: 'DocumentReference', id: 'doc1', status: 'current', context: { encounter: [{ reference: 'Encounter/e1' }] },
        content: [{ attachment: { contentType: 'text/rtf', data: b64('{\\rtf1 Pump interrogated due to a low reservoir alarm.\\par Physician skill required: catheter access study with fluoroscopy.}') } }] },
      { resourceType: 'DocumentReference', id: 'doc2', status: 'current', context: { encounter: [{ reference: 'Encounter/e1' }] },
        content: [{ attachment: { contentType: 'text/html', url: 'Binary/bin1' } }] },
      { resourceType: 'Binary', id: 'bin1', contentType: 'text/html', data: b64('<p>Daily dose increased from 3.0 mg/day to 3.4 mg/day.</p><p>Drug purchased by the practice.</p>') },
      { resourceType: 'DocumentReference', id: 'other-visit', status: 'current', context: { encounter: [{ reference: 'Encounter/e0' }] },
        content: [{ attachment: { contentType: 'text/plain', data: b64('Dose decreased.') } }] },
      { resourceType: 'MedicationAdministration', id: 'ma', status: 'completed', context: { reference: 'Encounter/e1' }, medicationCodeableConcept: { text: 'Morphine PF 10 mg/mL' }, dosage: { dose: { value: 4, unit: 'mg' } } }));
    expect(r.facts.services.reprogramming).toBe('rate-or-dose-change');
    expect(r.facts.services.doseChangeDetail).toBe('from 3.0 mg/day to 3.4 mg/day');
    expect(r.factSources['services.reprogramming']).toMatchObject({ status: 'derived', resourceType: 'DocumentReference', id: 'doc2' });
    expect(r.factSources['services.reprogramming']?.note).toContain('Daily dose increased from 3.0 mg/day to 3.4 mg/day');
    expect(r.facts.performer.physicianSkillReason).toBe('catheter access study with fluoroscopy');
    expect(r.facts.services.analysisReason).toBe('a low reservoir alarm');
    expect(r.facts.drugs[0]?.purchasedBy).toBe('practice');
  });
});

describe('procedures coded in SNOMED CT or text only', () => {
  it('"Intrathecal pump refill and reprogramming" (text only) gives refill + analysis, reprogramming claimed', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20', { text: 'Intrathecal pump refill and reprogramming' }, { encounter: { reference: 'Encounter/e1' } })));
    expect(r.facts.services).toMatchObject({ refill: true, electronicAnalysis: true, reprogramming: 'settings-update-only' });
    expect(r.factSources['services.refill']).toMatchObject({ status: 'derived' });
    expect(r.factSources['services.reprogramming']?.note).toMatch(/procedure text claims reprogramming/i);
  });
  it('SNOMED-coded earlier refills count as prior services and give the last refill date', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20T17:10:00Z', cpt('62369'), { encounter: { reference: 'Encounter/e1' } }),
      proc('pr0', '2026-08-21', { coding: [{ system: SCT, code: '999999999', display: 'Refill of intrathecal drug delivery pump' }] })));
    expect(r.facts.priorServices).toEqual([{ date: '2026-08-21', code: '95990' }]);
    expect(r.facts.lastRefillDate).toBe('2026-08-21');
  });
});

describe('the device', () => {
  it('a programmable shunt valve never becomes the pump; the pump comes from GMDN/Epic words; "40ML" is the reservoir', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      { resourceType: 'Device', id: 'shunt', status: 'active', type: { text: 'Programmable shunt valve' } },
      { resourceType: 'Device', id: 'pump', status: 'active', type: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.698084', code: '1234', display: 'SynchroMed II programmable pump 40ML' }] } }));
    expect(r.references.device).toBe('Device/pump');
    expect(r.facts.device.kind).toBe('implanted-programmable-pump');
    expect(r.facts.device.reservoirVolumeMl).toBe(40);
    expect(r.factSources['device.reservoirVolumeMl']).toMatchObject({ status: 'derived' });
  });
  it('contained Medication: name and ingredient strength (Oracle Health)', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      { resourceType: 'MedicationAdministration', id: 'ma', status: 'completed', context: { reference: 'Encounter/e1' },
        contained: [{ resourceType: 'Medication', id: 'm', code: { text: 'baclofen intrathecal' }, ingredient: [{ itemCodeableConcept: { text: 'baclofen' }, strength: { numerator: { value: 2000, unit: 'mcg' }, denominator: { value: 1, unit: 'mL' } } }] }],
        medicationReference: { reference: '#m' }, dosage: { dose: { value: 20, unit: 'mL' } } }));
    expect(r.facts.drugs[0]).toMatchObject({ name: 'baclofen intrathecal', amount: 20, unit: 'mL', concentration: { amount: 2000, unit: 'mcg', perMl: 1 } });
  });
});

describe('coverage: one reader, the right Coverage, payer identity', () => {
  const cov = (id: string, payor: Record<string, unknown>, extra: Record<string, unknown> = {}): R => ({ resourceType: 'Coverage', id, status: 'active', payor: [payor], ...extra });
  it('without order: an insurer over a stale SELF PAY, Medicare ahead of Medicaid; ended Coverages are out', () => {
    const r = extractVisit(bundle(patient,
      cov('self', { display: 'SELF PAY' }),
      cov('mcd', { display: 'Medi-Cal' }, { type: { coding: [{ system: 'https://nahdo.org/sopt', code: '2' }] } }),
      cov('old', { display: 'Blue Shield' }, { period: { end: '2025-12-31' } }),
      cov('mcr', { display: 'Medicare Part B' }, { type: { coding: [{ system: 'https://nahdo.org/sopt', code: '1' }] } })), { today: '2026-11-20' });
    expect(r.references.coverage).toBe('Coverage/mcr');
    expect(r.facts.coverage.lineOfBusiness).toBe('medicare');
  });
  it("Oracle Health: the visit encounter's own Coverage (coverage-encounter extension) wins over another active one", () => {
    const enc = launch(encounter('e1', '2026-11-20T17:00:00Z'));
    const r = extractVisit(bundle(patient, caLocation, enc,
      cov('self', { reference: 'Organization/589803', display: 'SELF PAY' }, { class: [{ type: { coding: [{ code: 'plan' }] }, value: '2800235', name: 'Self Pay' }] }),
      cov('visit', { display: 'Aetna' }, { extension: [{ url: 'https://fhir-ehr.cerner.com/r4/StructureDefinition/coverage-encounter', valueReference: { reference: 'Encounter/e1' } }] }),
      cov('other', { display: 'Blue Cross' }, { order: 1 })));
    expect(r.references.coverage).toBe('Coverage/visit');
  });
  it('"Aetna Medicare" and "Humana Gold Plus" are Medicare Advantage, never traditional Medicare', () => {
    for (const name of ['Aetna Medicare', 'Humana Gold Plus HMO', 'Anthem Medicare Advantage', 'UHC MA PPO']) {
      const r = extractVisit(bundle(patient, cov('c', { display: name })), { today: '2026-11-20' });
      expect(r.facts.coverage.lineOfBusiness, name).toBe('medicare-advantage');
      const res = resolveMapping(defaultMappingsAsStored(), coverageMatchInputFromFacts(r.facts));
      expect(res.winner?.lineOfBusiness, name).toBe('medicare-advantage');
    }
    expect(extractVisit(bundle(patient, cov('c', { display: 'Medicare' })), { today: '2026-11-20' }).facts.coverage.lineOfBusiness).toBe('medicare');
  });
  it('plan from any class of type plan/group (any system); payer id from the payer-id identifier, never the NPI', () => {
    const org: R = { resourceType: 'Organization', id: 'o', name: 'Acme Health', identifier: [
      { system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999984' },
      { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NIIP' }], text: 'Payer ID' }, system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.698084', value: '60054' }] };
    const r = extractVisit(bundle(patient, org, cov('c', { reference: 'Organization/o' }, { class: [{ type: { coding: [{ system: 'urn:oid:1.2.3', code: 'group' }] }, value: 'G-77', name: 'Acme Choice PPO' }] })), { today: '2026-11-20' });
    expect(r.facts.coverage).toMatchObject({ payerName: 'Acme Health', payerId: '60054', planName: 'Acme Choice PPO' });
  });
  it('the admin preview reads a Coverage exactly as evaluation does', () => {
    for (const { bundle: b } of loadFixtures()) {
      const r = extractVisit(b, { today: '2026-11-20' });
      const preview = coverageMatchInputFromRecord(b);
      const evaluation = coverageMatchInputFromFacts(r.facts);
      expect({ ...preview, patientState: evaluation.patientState }).toEqual(evaluation);
    }
  });
});

describe('diagnoses: the visit only', () => {
  it('the problem list stays off the claim; a SNOMED-only visit diagnosis raises diagnosis-needs-icd10', () => {
    const r = extractVisit(bundle(patient, caLocation,
      launch(encounter('e1', '2026-11-20T17:00:00Z', { diagnosis: [{ condition: { reference: 'Condition/visit-dx' } }] })),
      proc('pr1', '2026-11-20T17:10:00Z', cpt('62369'), { encounter: { reference: 'Encounter/e1' }, reasonReference: [{ reference: 'Condition/reason-dx' }] }),
      { resourceType: 'Condition', id: 'visit-dx', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G89.4' }] } },
      { resourceType: 'Condition', id: 'reason-dx', code: { coding: [{ system: SCT, code: '230741008', display: 'Spasticity due to multiple sclerosis' }] } },
      { resourceType: 'Condition', id: 'problem-list', category: [{ coding: [{ code: 'problem-list-item' }] }], code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } },
      { resourceType: 'Condition', id: 'other-visit', category: [{ coding: [{ code: 'encounter-diagnosis' }] }], encounter: { reference: 'Encounter/e0' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J06.9' }] } }));
    expect(r.facts.diagnoses).toEqual(['G89.4']);
    expect(r.recordNotices?.find((n) => n.id === 'diagnosis-needs-icd10')?.message).toContain('Spasticity due to multiple sclerosis');
  });
});

describe('shapes found in the corpus records (test/corpus)', () => {
  it('US Core / Synthea: an encounter-diagnosis Condition (category is an array) of this encounter is the visit diagnosis', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      { resourceType: 'Condition', id: 'dx', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        encounter: { reference: 'Encounter/e1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M96.1' }] } },
      { resourceType: 'Condition', id: 'sct', category: [{ coding: [{ code: 'encounter-diagnosis' }] }], encounter: { reference: 'Encounter/e1' },
        code: { coding: [{ system: SCT, code: '82423001', display: 'Chronic pain (finding)' }] } }));
    expect(r.facts.diagnoses).toEqual(['M96.1']);
    expect(r.recordNotices?.some((n) => n.id === 'diagnosis-needs-icd10' && n.message.includes('Chronic pain'))).toBe(true);
  });
  it('Synthea: no Procedure.performer — the encounter participant (PPRF) with a "Dr." prefix is the performer', () => {
    const r = extractVisit(bundle(patient, caLocation,
      launch(encounter('e1', '2026-11-20T17:00:00Z', { participant: [{ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF' }] }], individual: { reference: 'Practitioner/dr' } }] })),
      proc('pr1', '2026-11-20T17:10:00Z', { coding: [{ system: SCT, code: '71388002', display: 'Procedure' }], text: 'Refill and reprogramming of implanted intrathecal drug pump' }, { encounter: { reference: 'Encounter/e1' } }),
      { resourceType: 'Practitioner', id: 'dr', name: [{ family: 'Koch', given: ['Eva'], prefix: ['Dr.'] }] }));
    expect(r.facts.performer.role).toBe('physician');
    expect(r.facts.services).toMatchObject({ refill: true, electronicAnalysis: true });
  });
  it('"Dr. L Chen was present in the suite (direct supervision)" is a supervising physician on site', () => {
    expect(readSupervision(sentences('Dr. L Chen was present in the suite throughout the refill (direct supervision).'))).toMatchObject({ value: true });
    expect(readSupervision(sentences('Direct supervision was not available today.'))).toBeUndefined();
  });
  it("Epic: a note sent as HTML and RTF is read once; the note author's provider type gives the role when nothing else does", () => {
    const note = 'Dose increased from 2 mg/day to 2.2 mg/day.';
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20T17:10:00Z', cpt('62369'), { encounter: { reference: 'Encounter/e1' }, performer: [{ actor: { reference: 'Practitioner/x' } }] }),
      { resourceType: 'Practitioner', id: 'x', name: [{ text: 'Jess Y' }] },
      { resourceType: 'DocumentReference', id: 'd', status: 'current', author: [{ reference: 'Practitioner/x' }],
        context: { encounter: [{ reference: 'Encounter/e1' }], extension: [{ url: 'http://open.epic.com/FHIR/StructureDefinition/extension/clinical-note-author-provider-type',
          valueCodeableConcept: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.283.2.7.4.836982.1040', code: '114', display: 'Medical Assistant' }], text: 'Medical Assistant' } }] },
        content: [{ attachment: { contentType: 'text/html', url: 'Binary/h' } }, { attachment: { contentType: 'text/rtf', url: 'Binary/r' } }] },
      { resourceType: 'Binary', id: 'h', contentType: 'text/html', data: b64(`<p>${note}</p>`) },
      { resourceType: 'Binary', id: 'r', contentType: 'text/rtf', data: b64('{\\rtf1 Dose not changed.}') }));
    expect(r.facts.services.reprogramming).toBe('rate-or-dose-change'); // the RTF copy is not read a second time
    expect(r.facts.performer.role).toBe('medical-assistant');
    expect(r.factSources['performer.role']).toMatchObject({ status: 'derived', resourceType: 'DocumentReference' });
  });
  it('Oracle: a plan class named "… Commercial HMO" with no Coverage.type is commercial (derived)', () => {
    const r = extractVisit(bundle(patient, { resourceType: 'Coverage', id: 'c', status: 'active', payor: [{ display: 'University of Utah Health Plans' }],
      class: [{ type: { coding: [{ system: 'http://hl7.org/fhir/ValueSet/coverage-class', code: 'plan' }] }, value: '729827', name: 'U of U Health Plans Commercial HMO' }] }), { today: '2026-11-20' });
    expect(r.facts.coverage).toMatchObject({ lineOfBusiness: 'commercial', planName: 'U of U Health Plans Commercial HMO' });
    expect(r.factSources['coverage.lineOfBusiness']).toMatchObject({ status: 'derived' });
  });
});

describe('place of service from what vendors send', () => {
  const pos = (enc: Record<string, unknown>, loc: R = caLocation) => extractVisit(bundle(patient, loc, launch(encounter('e1', '2026-11-20T17:00:00Z', enc))));
  it('Encounter.class, Location.type v3 RoleCode, facility names; else 11 as a default', () => {
    expect(pos({ class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HH' } }).facts.placeOfService).toBe('12');
    expect(pos({}, { ...caLocation, type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'HOSP' }] }] }).facts.placeOfService).toBe('22');
    expect(pos({}, { ...caLocation, name: 'Valley Ambulatory Surgery Center' }).facts.placeOfService).toBe('24');
    const office = pos({ class: { code: 'AMB' } }, { ...caLocation, name: 'Suite 4' });
    expect(office.facts.placeOfService).toBe('11');
    expect(office.factSources.placeOfService).toMatchObject({ status: 'default' });
  });
});

describe('the envelope', () => {
  it('an empty searchset is a valid, empty record', () => {
    expect(extractVisit({ resourceType: 'Bundle', type: 'searchset', total: 0 }, { today: '2026-11-20' }).facts.drugs).toEqual([]);
  });
  it('nested Bundles are flattened; OperationOutcome entries and bad entries are skipped with notices', () => {
    const inner = (depth: number): unknown => (depth === 0 ? { resourceType: 'Device', id: 'pump', type: { text: 'SynchroMed II programmable pump' } }
      : { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: inner(depth - 1) }] });
    const r = extractVisit({ resourceType: 'Bundle', type: 'collection', entry: [
      { resource: inner(3) }, {}, { resource: { resourceType: 'not a type' } },
      { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'processing' }] }, search: { mode: 'outcome' } },
    ] }, { today: '2026-11-20' });
    expect(r.facts.device.kind).toBe('implanted-programmable-pump');
    expect(r.recordNotices?.map((n) => n.id)).toEqual(expect.arrayContaining(['entry-skipped', 'nested-bundle']));
  });
  it('ids up to 128 characters (Epic) are kept', () => {
    const id = `e${'x1'.repeat(50)}`;
    const r = extractVisit(bundle({ ...patient, id }), { today: '2026-11-20' });
    expect(r.facts.patient.id).toBe(id);
  });
});

describe('speed (reported, not asserted)', () => {
  it('extraction per record over the sandbox fixtures', () => {
    const fixtures = loadFixtures();
    const n = 40; // small: the machine running CI is shared; `npm run bench` is the place for long runs
    const t0 = performance.now();
    for (let i = 0; i < n; i++) for (const f of fixtures) extractVisit(f.bundle, { today: '2026-11-20' });
    const per = (performance.now() - t0) / (n * fixtures.length);
    console.log(`extractVisit: ${per.toFixed(3)} ms per record (${fixtures.length} fixtures × ${n})`);
    expect(per).toBeGreaterThan(0);
  });
});
