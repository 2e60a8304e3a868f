/**
 * Extraction edges a reviewer found (helper "ex"): code systems by OID, one strength parser, diluents in a
 * Medication's ingredient list, one service-state resolver. Each test failed on the code before its fix.
 * The resources are small hand-made ones shaped as Epic, Oracle Health, US Core and Synthea send them.
 */
import { describe, expect, it } from 'vitest';
import { LAUNCH_ENCOUNTER_TAG } from '../../contracts/index.js';
import { evaluateVisit } from '../../policy/index.js';
import { extractVisit } from './index.js';
import { readDoseChange, readWaste, sentencesOf } from './notes.js';

type R = Record<string, unknown> & { resourceType: string; id?: string };
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
const HCPCS_II_OID = 'urn:oid:2.16.840.1.113883.6.285';
const HCPCS_ALL_OID = 'urn:oid:2.16.840.1.113883.6.14';
const CPT_OID = 'urn:oid:2.16.840.1.113883.6.12';

describe('HCPCS and CPT by OID (C-CDA-derived and Epic records send urn:oid systems)', () => {
  const admin = (system: string, code: string): R => ({
    resourceType: 'MedicationAdministration', id: 'ma1', status: 'completed', effectiveDateTime: '2026-11-20T17:20:00Z',
    context: { reference: 'Encounter/e1' },
    medicationCodeableConcept: { coding: [{ system, code, display: 'Injection, baclofen, 10 mg' }] },
    dosage: { dose: { value: 40, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
  });
  it('HCPCS Level II (6.285) on a drug is read as its HCPCS code', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')), admin(HCPCS_II_OID, 'J0475')));
    expect(r.facts.drugs[0]?.hcpcs).toBe('J0475');
  });
  it('HCPCS all levels (6.14): a Level II code is HCPCS, a five-digit Level I code is CPT', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')), admin(HCPCS_ALL_OID, 'J0475'),
      proc('pr1', '2026-11-20T17:10:00Z', { coding: [{ system: HCPCS_ALL_OID, code: '62369' }] }, { encounter: { reference: 'Encounter/e1' } })));
    expect(r.facts.drugs[0]?.hcpcs).toBe('J0475');
    expect(r.facts.services.refill).toBe(true);
    expect(r.facts.services.electronicAnalysis).toBe(true);
    expect(r.factSources['services.refill']?.status).toBe('record');
    expect(r.facts.proposedCodes).toEqual([{ code: '62369' }]);
  });
  it('CPT by OID (6.12) and a Level II device code under 6.285 on a Procedure are proposed codes', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20T17:10:00Z', { coding: [{ system: CPT_OID, code: '95990' }, { system: HCPCS_II_OID, code: 'A4220' }] }, { encounter: { reference: 'Encounter/e1' } })));
    expect(r.facts.services.refill).toBe(true);
    expect(r.facts.proposedCodes).toEqual([{ code: '95990' }, { code: 'A4220' }]);
  });
  it('a 6.14 code that is neither level (a local code) is not read as either', () => {
    const r = extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
      proc('pr1', '2026-11-20T17:10:00Z', { coding: [{ system: HCPCS_ALL_OID, code: 'REFILL1' }] }, { encounter: { reference: 'Encounter/e1' } })));
    expect(r.facts.proposedCodes ?? []).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------ drugs

const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const q = (value: number, code: string, unit = code) => ({ value, unit, system: UCUM, code });
/** an Oracle-shaped MedicationAdministration with a contained Medication, dose in mL */
const adminOf = (medication: Record<string, unknown>, dose: Record<string, unknown> = q(20, 'mL')): R => ({
  resourceType: 'MedicationAdministration', id: 'ma1', status: 'completed', effectiveDateTime: '2026-11-20T17:20:00Z',
  context: { reference: 'Encounter/e1' }, contained: [{ resourceType: 'Medication', id: 'med1', ...medication }],
  medicationReference: { reference: '#med1' }, dosage: { dose },
});
const visitWith = (...extra: R[]) => extractVisit(bundle(patient, caLocation, launch(encounter('e1', '2026-11-20T17:00:00Z')),
  proc('pr1', '2026-11-20T17:10:00Z', { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '62369' }] }, { encounter: { reference: 'Encounter/e1' } }), ...extra));
const drugLines = (r: ReturnType<typeof extractVisit>) => {
  // the clinician confirms the practice bought the drug (the record here does not say)
  const facts = { ...r.facts, drugs: r.facts.drugs.map((d) => ({ ...d, purchasedBy: 'practice' as const })) };
  return evaluateVisit(facts, { policyId: 'cpt-default', lineOfBusiness: 'commercial', mappingMatched: false })
    .lines.filter((l) => l.system === 'HCPCS').map((l) => ({ code: l.code, units: l.units }));
};
const baclofen = (strength: unknown = { numerator: q(2000, 'ug'), denominator: q(1, 'mL') }) =>
  ({ itemCodeableConcept: { coding: [{ system: RXNORM, code: '1292', display: 'baclofen' }], text: 'baclofen' }, strength });

describe('one strength parser: the extraction reads what the code table reads', () => {
  it('a Ratio with no denominator is not taken as per mL: the concentration is not recorded, and said so', () => {
    const r = visitWith(adminOf({ code: { text: 'Baclofen intrathecal' }, ingredient: [baclofen({ numerator: q(2000, 'ug') })] }));
    expect(r.facts.drugs[0]?.concentration).toBeUndefined();
    expect(r.factSources['drugs.0.concentration']).toMatchObject({ status: 'default' });
    expect(r.factSources['drugs.0.concentration']?.note).toMatch(/denominator/);
    expect(drugLines(r)).toEqual([]);
  });
  it('g per L (UCUM) converts: 2 g/L = 2 mg/mL; 20 mL = 40 mg = 4 units of J0475', () => {
    const r = visitWith(adminOf({ code: { text: 'Baclofen intrathecal' }, ingredient: [baclofen({ numerator: q(2, 'g'), denominator: q(1, 'L') })] }));
    expect(r.facts.drugs[0]?.concentration).toEqual({ amount: 2000, unit: 'mg', perMl: 1000 });
    expect(r.factSources['drugs.0.concentration']?.status).toBe('record');
    expect(drugLines(r)).toEqual([{ code: 'J0475', units: 4 }]);
  });
  it('a decimal comma is not a thousands separator ("2,5 mg/mL" is never 25 mg/mL)', () => {
    const r = visitWith(adminOf({ code: { text: 'morphine PF 2,5 mg/mL' } }));
    expect(r.facts.drugs[0]?.concentration).toBeUndefined();
    expect(r.factSources['drugs.0.concentration']?.note).toMatch(/decimal comma/);
  });
  it('"1,000 mcg/mL" in the display is a thousands separator, read as derived from the words', () => {
    const r = visitWith(adminOf({ code: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.698288', code: '4471', display: 'BACLOFEN 1,000 MCG/ML INTRATHECAL SOLN' }] } }));
    expect(r.facts.drugs[0]?.concentration).toEqual({ amount: 1000, unit: 'mcg', perMl: 1 });
    expect(r.factSources['drugs.0.concentration']?.status).toBe('derived');
    expect(drugLines(r)).toEqual([{ code: 'J0475', units: 2 }]);
  });
  it('a unit text that says mcg under a UCUM code mg is refused, not read as either', () => {
    const r = visitWith(adminOf({ code: { text: 'Baclofen intrathecal' }, ingredient: [baclofen({ numerator: q(2000, 'mg', 'mcg'), denominator: q(1, 'mL') })] }));
    expect(r.facts.drugs[0]?.concentration).toBeUndefined();
    expect(r.factSources['drugs.0.concentration']?.note).toMatch(/disagree/);
  });
  it('the ingredient strength against a different strength in the product name is refused', () => {
    const r = visitWith(adminOf({ code: { text: 'Baclofen 500 mcg/mL intrathecal' }, ingredient: [baclofen()] }));
    expect(r.facts.drugs[0]?.concentration).toBeUndefined();
    expect(r.factSources['drugs.0.concentration']?.note).toMatch(/disagree/);
  });
});

describe('compounded means two or more ACTIVE drugs (diluents and isActive:false do not count)', () => {
  const saline = { itemCodeableConcept: { text: 'sodium chloride 0.9% (preservative-free)' }, strength: { numerator: q(9, 'mg'), denominator: q(1, 'mL') } };
  it('baclofen + sodium chloride 0.9%: the normal baclofen line (J0475, 4 units), not J7999', () => {
    const r = visitWith(adminOf({ code: { text: 'Baclofen in sodium chloride 0.9% intrathecal' }, ingredient: [baclofen(), saline] }));
    expect(r.facts.drugs[0]).toMatchObject({ compounded: false, ingredients: ['baclofen'], concentration: { amount: 2000, unit: 'mcg', perMl: 1 } });
    expect(r.factSources['drugs.0.compounded']?.note).toMatch(/diluent/);
    expect(drugLines(r)).toEqual([{ code: 'J0475', units: 4 }]);
  });
  it('R4 isActive:false (preservative-free saline) and a diluent by Substance reference (sterile water)', () => {
    const water: R = { resourceType: 'Substance', id: 'sub1', code: { text: 'Sterile Water for Injection' } };
    const r1 = visitWith(adminOf({ code: { text: 'Baclofen intrathecal' }, ingredient: [baclofen(), { itemCodeableConcept: { text: 'PF NS' }, isActive: false }] }));
    expect(r1.facts.drugs[0]?.compounded).toBe(false);
    expect(drugLines(r1)).toEqual([{ code: 'J0475', units: 4 }]);
    const r2 = visitWith(water, adminOf({ code: { text: 'Baclofen intrathecal' }, ingredient: [baclofen(), { itemReference: { reference: 'Substance/sub1' } }] }));
    expect(r2.facts.drugs[0]?.compounded).toBe(false);
    expect(drugLines(r2)).toEqual([{ code: 'J0475', units: 4 }]);
  });
  it('morphine + bupivacaine (the word "compounded" nowhere) is compounded: J7999 × 1', () => {
    const r = visitWith(adminOf({ code: { text: 'Morphine/Bupivacaine intrathecal' }, ingredient: [
      { itemCodeableConcept: { text: 'morphine sulfate' }, strength: { numerator: q(20, 'mg'), denominator: q(1, 'mL') } },
      { itemCodeableConcept: { text: 'bupivacaine hydrochloride' }, strength: { numerator: q(10, 'mg'), denominator: q(1, 'mL') } },
      saline,
    ] }));
    expect(r.facts.drugs[0]).toMatchObject({ compounded: true, ingredients: ['morphine sulfate', 'bupivacaine hydrochloride'] });
    expect(drugLines(r)).toEqual([{ code: 'J7999', units: 1 }]);
  });
  it('a mixture named without an ingredient list is compounded; "not compounded" is not', () => {
    const mix = visitWith(adminOf({ code: { text: 'MORPHINE-BUPIVACAINE IT PUMP SYRINGE' } }, q(20, 'mg')));
    expect(mix.facts.drugs[0]?.compounded).toBe(true);
    const plain = visitWith(adminOf({ code: { text: 'Baclofen 2000 mcg/mL (not compounded)' } }));
    expect(plain.facts.drugs[0]?.compounded).toBe(false);
    expect(drugLines(plain)).toEqual([{ code: 'J0475', units: 4 }]);
  });
});

// ------------------------------------------------------------------------------------------------ the service state

describe('one reader of the service state: the visit keeps the clock of the state its serviceState names', () => {
  const nyLocation: R = { resourceType: 'Location', id: 'loc-ny', name: 'Manhattan Spine Center', address: { state: 'NY' } };
  const caLocation2: R = { resourceType: 'Location', id: 'loc-ca', name: 'Bay Pain Clinic', address: { state: 'CA' } };
  const at = (id: string, start: string, loc: string): R => ({ resourceType: 'Encounter', id, status: 'finished', period: { start }, location: [{ location: { reference: `Location/${loc}` } }] });
  // 2026-11-21T05:30Z is 00:30 on the 21st in New York but 21:30 on the 20th in California
  const refill = proc('pr-new', '2026-11-21T05:30:00Z', { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '62369' }] }, { encounter: { reference: 'Encounter/e-new' } });

  it('a stale launch encounter in NY, the pump visit in CA: the date is the California date, the state CA', () => {
    const r = extractVisit(bundle(patient, nyLocation, caLocation2, launch(at('e-old', '2026-08-28T15:00:00Z', 'loc-ny')), at('e-new', '2026-11-21T05:00:00Z', 'loc-ca'), refill));
    expect(r.facts.serviceState).toBe('CA');
    expect(r.facts.serviceDate).toBe('2026-11-20');
    expect(r.references.encounter).toBe('Encounter/e-new');
    expect(r.facts.services.refill).toBe(true);
    expect(r.recordNotices?.map((n) => n.id)).toContain('stale-launch-encounter');
    expect(r.recordNotices?.find((n) => n.id === 'stale-launch-encounter')?.message).toMatch(/2026-11-20/);
  });
  it('untagged: the first Encounter of the Bundle is in NY, the latest (the visit) in CA', () => {
    const r = extractVisit(bundle(patient, nyLocation, caLocation2, at('e-first', '2026-06-01T15:00:00Z', 'loc-ny'), at('e-new', '2026-11-21T05:00:00Z', 'loc-ca'), refill));
    expect(r.facts.serviceState).toBe('CA');
    expect(r.facts.serviceDate).toBe('2026-11-20');
    expect(r.factSources.serviceState?.status).toBe('record');
  });
  it("the visit's Encounter gives no state: every Location in the record agrees → that state, derived; else the patient's", () => {
    const bare: R = { resourceType: 'Encounter', id: 'e1', status: 'finished', period: { start: '2026-11-21T05:00:00Z' } };
    const p1 = proc('pr1', '2026-11-21T05:30:00Z', { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '62369' }] }, { encounter: { reference: 'Encounter/e1' } });
    const one = extractVisit(bundle(patient, nyLocation, launch(bare), p1));
    expect([one.facts.serviceState, one.facts.serviceDate, one.factSources.serviceState?.status]).toEqual(['NY', '2026-11-21', 'derived']);
    const two = extractVisit(bundle(patient, nyLocation, caLocation2, launch(bare), p1));
    expect([two.facts.serviceState, two.facts.serviceDate, two.factSources.serviceState?.status]).toEqual(['CA', '2026-11-20', 'derived']);
    expect(two.factSources.serviceState?.note).toMatch(/patient's state/);
  });
});

describe('a diluent-only administration (Epic charts the saline flush as its own MedicationAdministration)', () => {
  const flush: R = {
    resourceType: 'MedicationAdministration', id: 'ma0', status: 'completed', effectiveDateTime: '2026-11-20T17:05:00Z', context: { reference: 'Encounter/e1' },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '313002', display: 'sodium chloride 9 MG/ML Injectable Solution' }], text: 'SODIUM CHLORIDE 0.9 % IV FLUSH' },
    dosage: { route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous route' }] }, dose: q(10, 'mL') },
  };
  const drug: R = {
    resourceType: 'MedicationAdministration', id: 'ma1', status: 'completed', effectiveDateTime: '2026-11-20T17:20:00Z', context: { reference: 'Encounter/e1' },
    medicationCodeableConcept: { text: 'Baclofen 2000 mcg/mL intrathecal' },
    dosage: { route: { coding: [{ system: 'http://snomed.info/sct', code: '72607000', display: 'Intrathecal route' }] }, dose: q(20, 'mL') },
  };
  it('is not a drug, does not give the pump its route, and is said in the drugs source', () => {
    const r = visitWith(flush, drug);
    expect(r.facts.drugs.map((d) => d.name)).toEqual(['Baclofen 2000 mcg/mL intrathecal']);
    expect(r.facts.device.route).toBe('intrathecal');
    expect(r.factSources.drugs?.note).toMatch(/SODIUM CHLORIDE 0.9 % IV FLUSH: a diluent only/);
    expect(drugLines(r)).toEqual([{ code: 'J0475', units: 4 }]);
  });
  it('a saline-only refill gives no drug, and says so', () => {
    const r = visitWith({ ...flush, dosage: { dose: q(20, 'mL') } });
    expect(r.facts.drugs).toEqual([]);
    expect(r.factSources.drugs).toMatchObject({ status: 'default' });
    expect(r.factSources.drugs?.note).toMatch(/a diluent only/);
  });
});

describe('the dose by the same unit tables', () => {
  it('"cc" and "milligram" unit texts are read; a unit text and code that disagree are not', () => {
    expect(visitWith(adminOf({ code: { text: 'Baclofen 2000 mcg/mL intrathecal' } }, { value: 20, unit: 'cc' })).facts.drugs[0]).toMatchObject({ amount: 20, unit: 'mL' });
    expect(visitWith(adminOf({ code: { text: 'Infumorph 25 mg/mL' } }, { value: 25, unit: 'milligram' })).facts.drugs[0]).toMatchObject({ amount: 25, unit: 'mg' });
    const r = visitWith(adminOf({ code: { text: 'Baclofen intrathecal' } }, q(40, 'mg', 'mcg')));
    expect(r.facts.drugs[0]?.amount).toBe(0);
    expect(r.factSources['drugs.0.amount']).toMatchObject({ status: 'default' });
    expect(r.factSources['drugs.0.amount']?.note).toMatch(/disagree/);
  });
});

describe('amounts in the note: thousands separators', () => {
  const says = (t: string) => sentencesOf(t, { resourceType: 'Procedure', id: 'x' });
  it('"1,000 mcg … discarded" is 1,000 mcg wasted (JW), never 0 (JZ); a decimal comma is not read', () => {
    expect(readWaste(says('1,000 mcg of baclofen was discarded.'))).toMatchObject({ value: { amount: 1000, unit: 'mcg' } });
    expect(readWaste(says('Wasted: 1,500 mcg.'))).toMatchObject({ value: { amount: 1500, unit: 'mcg' } });
    expect(readWaste(says('0 mg discarded.'))).toMatchObject({ value: { amount: 0 } });
    expect(readWaste(says('2,5 mL was discarded.'))).toBeUndefined();
  });
  it('the dose change detail keeps "from 1,000 mcg/day to 1,200 mcg/day"', () => {
    expect(readDoseChange(says('Daily dose increased from 1,000 mcg/day to 1,200 mcg/day.'))).toMatchObject({ value: 'yes', detail: 'from 1,000 mcg/day to 1,200 mcg/day' });
  });
});

describe('one drug listed twice (base and salt) is not a mixture', () => {
  it('morphine + morphine sulfate: J2274, not J7999', () => {
    const r = visitWith(adminOf({ code: { text: 'Infumorph 25 mg/mL' }, ingredient: [
      { itemCodeableConcept: { text: 'morphine' } },
      { itemCodeableConcept: { text: 'morphine sulfate' }, strength: { numerator: q(25, 'mg'), denominator: q(1, 'mL') } },
    ] }));
    expect(r.facts.drugs[0]).toMatchObject({ compounded: false, ingredients: ['morphine sulfate'], concentration: { amount: 25, unit: 'mg', perMl: 1 } });
    expect(drugLines(r)).toEqual([{ code: 'J2274', units: 50 }]);
  });
});

describe('the programmed rate by the same unit tables', () => {
  it('"mL/24 h", a Ratio per day, and mL/hr × 24', () => {
    const withRate = (rate: Record<string, unknown>) => visitWith({ ...adminOf({ code: { text: 'Baclofen 2000 mcg/mL' } }), dosage: { dose: q(20, 'mL'), ...rate } });
    expect(withRate({ rateQuantity: { value: 0.5, unit: 'mL/24 h' } }).facts.dailyVolumeMl).toBe(0.5);
    expect(withRate({ rateRatio: { numerator: q(0.5, 'mL'), denominator: q(1, 'd') } }).facts.dailyVolumeMl).toBe(0.5);
    const hourly = withRate({ rateQuantity: { value: 0.02, unit: 'mL/hr' } });
    expect(hourly.facts.dailyVolumeMl).toBe(0.48);
    expect(hourly.factSources.dailyVolumeMl?.status).toBe('derived');
    expect(withRate({ rateQuantity: q(400, 'ug/d') }).facts.dailyVolumeMl).toBeUndefined();
  });
});
