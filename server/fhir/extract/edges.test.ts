/**
 * Extraction edges a reviewer found (helper "ex"): code systems by OID, one strength parser, diluents in a
 * Medication's ingredient list, one service-state resolver. Each test failed on the code before its fix.
 * The resources are small hand-made ones shaped as Epic, Oracle Health, US Core and Synthea send them.
 */
import { describe, expect, it } from 'vitest';
import { LAUNCH_ENCOUNTER_TAG } from '../../contracts/index.js';
import { extractVisit } from './index.js';

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
