import { describe, expect, it } from 'vitest';
import { VisitFacts } from '../contracts/index.js';
import { applyOverrides, BadBundleError, extractVisit, InvalidOverridesError } from './extract.js';
import { fhirIssues, loadFixture, loadFixtures } from './testing.js';

const TODAY = '2026-11-20';

describe('fixtures', () => {
  const fixtures = loadFixtures();
  it('there are at least seven synthetic patients, each a collection Bundle with explicit ids', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
    for (const { id, bundle } of fixtures) {
      expect(bundle.type).toBe('collection');
      expect(bundle.entry?.some((e) => e.resource?.resourceType === 'Patient' && e.resource.id === id)).toBe(true);
      // Epic sends ids of 66–110 characters (FHIR R4 says at most 64); the app reads ids of up to 128
      for (const e of bundle.entry ?? []) expect(e.resource?.id, `${id}: ${e.resource?.resourceType}`).toMatch(/^[A-Za-z0-9\-.]{1,128}$/);
    }
  });

  it.each(fixtures.map((f) => [f.id, f.bundle] as const))('%s validates as FHIR R4 (bundle and every resource)', (_id, bundle) => {
    expect(fhirIssues(bundle)).toEqual([]);
    for (const e of bundle.entry ?? []) expect(fhirIssues(e.resource), `${e.resource?.resourceType}/${e.resource?.id}`).toEqual([]);
  });

  it('shared resources repeated across files are identical', () => {
    const seen = new Map<string, string>();
    for (const { bundle } of fixtures) {
      for (const e of bundle.entry ?? []) {
        const r = e.resource!;
        if (!['Organization', 'Practitioner', 'Location'].includes(r.resourceType)) continue;
        const key = `${r.resourceType}/${r.id}`;
        const json = JSON.stringify(r);
        if (seen.has(key)) expect(json, key).toBe(seen.get(key));
        else seen.set(key, json);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('extractVisit on the fixtures', () => {
  const table = [
    // id, device kind, route, line of business, [analysis, refill, reprogramming], role, state, drug amount (mg) or null
    ['pt-uuhp-commercial', 'implanted-programmable-pump', 'intrathecal', 'commercial', [true, true, 'rate-or-dose-change'], 'physician', 'UT', 200],
    ['pt-healthyu-medicaid', 'implanted-programmable-pump', 'intrathecal', 'medicaid', [true, true, 'rate-or-dose-change'], 'nurse-practitioner', 'UT', 200],
    ['pt-medicare-ca', 'implanted-programmable-pump', 'intrathecal', 'medicare', [true, true, 'rate-or-dose-change'], 'physician', 'CA', 180],
    ['pt-icare-ma-wi', 'implanted-programmable-pump', 'intrathecal', 'medicare-advantage', [true, true, 'settings-update-only'], 'registered-nurse', 'WI', 200],
    ['pt-centene-ga', 'implanted-programmable-pump', 'intrathecal', 'medicaid', [true, false, 'none'], 'physician', 'GA', null],
    ['pt-constant-flow-ut', 'implanted-nonprogrammable-pump', 'intrathecal', 'commercial', [false, true, 'none'], 'physician-assistant', 'UT', 300],
    ['pt-onq-external', 'external-disposable-pump', 'unknown', 'medicare-advantage', [false, false, 'none'], 'registered-nurse', 'WI', null],
  ] as const;

  it.each(table)('%s → %s, %s, %s', (id, kind, route, lob, [analysis, refill, reprogramming], role, state, amount) => {
    const { facts, factSources, references } = extractVisit(loadFixture(id), { today: TODAY });
    expect(VisitFacts.safeParse(facts).success).toBe(true);
    expect(facts.serviceDate).toBe(TODAY);
    expect(facts.device.kind).toBe(kind);
    expect(facts.device.route).toBe(route);
    expect(facts.coverage.lineOfBusiness).toBe(lob);
    expect(facts.services).toMatchObject({ electronicAnalysis: analysis, refill, reprogramming });
    expect(facts.performer.role).toBe(role);
    expect(facts.patient).toEqual({ id, state });
    expect(facts.serviceState).toBe(state);
    if (amount === null) expect(facts.drugs).toEqual([]);
    else expect(facts.drugs[0]).toMatchObject({ amount, unit: 'mg' });
    expect(references.patient).toBe(`Patient/${id}`);
    expect(references.coverage).toBe(`Coverage/cov-${id}`);
    expect(references.device).toBe(`Device/dev-${id}`);
    expect(references.encounter).toBe(`Encounter/enc-${id}`);
    expect(references.procedures).toEqual([`Procedure/proc-${id}-today`]);
    expect(references.practitioner).toMatch(/^Practitioner\//);
    // every top-level fact has a source
    for (const path of ['serviceDate', 'patient.state', 'serviceState', 'coverage.lineOfBusiness', 'device.kind', 'device.route',
      'services.reprogramming', 'performer.role', 'performer.physicianSkillRequired', 'drugs', 'diagnoses', 'separateEvaluation']) {
      expect(factSources[path], path).toBeDefined();
    }
  });

  it('reads the payer, plan and SOPT codes for mapping', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-healthyu-medicaid'));
    expect(facts.coverage).toEqual({
      payerName: 'University of Utah Health Plans', payerId: 'UUHP', payerIdSystem: 'urn:pump-refill-coder:sandbox:payer-id',
      planName: 'Healthy U', typeCodes: ['211'], lineOfBusiness: 'medicaid',
    });
    expect(factSources['coverage.lineOfBusiness']).toMatchObject({ status: 'derived', resourceType: 'Coverage', id: 'cov-pt-healthyu-medicaid' });
  });

  it('takes the service date from the Encounter when no date is given', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-medicare-ca'));
    expect(facts.serviceDate).toBe(TODAY);
    expect(factSources.serviceDate).toMatchObject({ status: 'record', resourceType: 'Encounter' });
    expect(facts.placeOfService).toBe('11');
  });

  it('U of U commercial: documented physician skill, drug bought by the practice, 90-day interval', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-uuhp-commercial'), { today: TODAY });
    expect(facts.performer.physicianSkillRequired).toBe(true);
    expect(facts.performer.physicianSkillReason).toMatch(/flex-dose/);
    expect(facts.drugs[0]).toMatchObject({ purchasedBy: 'practice', compounded: false });
    expect(facts.lastRefillDate).toBe('2026-08-21');
    expect(facts.priorServices).toEqual([{ date: '2026-08-21', code: '62370' }]);
    expect(facts.proposedCodes).toEqual([{ code: '62370' }]);
    expect(facts.device).toMatchObject({ reservoirVolumeMl: 40, model: '8637' });
    expect(facts.dailyVolumeMl).toBe(0.34);
    expect(facts.diagnoses).toEqual(['G89.4', 'M96.1']);
    expect(factSources['drugs.0.purchasedBy']?.status).toBe('derived');
  });

  it('Healthy U: purchaser unknown (default) and a refill only 30 days after the last', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-healthyu-medicaid'), { today: TODAY });
    expect(facts.drugs[0]?.purchasedBy).toBe('unknown');
    expect(factSources['drugs.0.purchasedBy']).toMatchObject({ status: 'default' });
    expect(factSources['drugs.0.purchasedBy']?.note).toMatch(/bought/);
    expect(facts.lastRefillDate).toBe('2026-10-21');
    expect(facts.performer.physicianSkillRequired).toBe(false);
    expect(factSources['performer.physicianSkillRequired']?.status).toBe('default');
  });

  it('iCare: nurse refill, supervising physician on site, settings update only, pharmacy-dispensed drug', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-icare-ma-wi'), { today: TODAY });
    expect(facts.performer).toMatchObject({ role: 'registered-nurse', supervisingPhysicianOnSite: true });
    expect(facts.services.reprogramming).toBe('settings-update-only');
    expect(factSources['services.reprogramming']?.note).toMatch(/settings update/);
    expect(facts.drugs[0]?.purchasedBy).toBe('pharmacy');
  });

  it('Centene: analysis only, after an MRI, G89.4', () => {
    const { facts } = extractVisit(loadFixture('pt-centene-ga'), { today: TODAY });
    expect(facts.services.analysisReason).toMatch(/MRI/);
    expect(facts.diagnoses).toEqual(['G89.4']);
    expect(facts.proposedCodes).toEqual([{ code: '62367' }]);
  });

  it('constant-flow pump: compounded drug', () => {
    const { facts } = extractVisit(loadFixture('pt-constant-flow-ut'), { today: TODAY });
    expect(facts.drugs[0]).toMatchObject({ compounded: true, purchasedBy: 'practice' });
  });

  it('ON-Q: external pump, charted 95990 but the note says nothing was refilled', () => {
    const { facts, factSources } = extractVisit(loadFixture('pt-onq-external'), { today: TODAY });
    expect(facts.proposedCodes).toEqual([{ code: '95990' }]);
    expect(facts.placeOfService).toBe('22');
    expect(factSources['services.refill']?.note).toMatch(/not refilled/);
    expect(factSources['device.route']?.status).toBe('default');
  });
});

describe('lenient reading', () => {
  const base = () => loadFixture('pt-uuhp-commercial');

  it('an empty Bundle yields conservative defaults that parse', () => {
    const { facts, factSources } = extractVisit({ resourceType: 'Bundle', type: 'collection', entry: [] }, { today: TODAY });
    expect(VisitFacts.parse(facts)).toBeTruthy();
    expect(facts).toMatchObject({
      device: { kind: 'unknown', route: 'unknown' },
      coverage: { lineOfBusiness: 'unknown' },
      services: { electronicAnalysis: false, refill: false, reprogramming: 'none' },
      performer: { role: 'other', physicianSkillRequired: false },
      drugs: [], diagnoses: [], separateEvaluation: { performed: false },
    });
    for (const path of ['device.kind', 'device.route', 'coverage.lineOfBusiness', 'performer.role', 'services.reprogramming', 'drugs', 'diagnoses']) {
      expect(factSources[path], path).toMatchObject({ status: 'default' });
      expect(factSources[path]?.note, path).toBeTruthy();
    }
  });

  it('garbage inside resources never throws and leaves defaults', () => {
    const garbage = [
      { resourceType: 'Patient', id: 'p1', address: 'not an array', name: 42 },
      { resourceType: 'Coverage', id: 'c1', status: 'active', type: { coding: 'nope' }, payor: [null, 5], class: [{ type: 7 }] },
      { resourceType: 'Device', id: 'd1', type: { coding: [{ system: 'http://example.org/local', code: 'X1' }] }, property: [{ valueQuantity: 'x' }] },
      { resourceType: 'Procedure', id: 'pr1', status: 'completed', code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: 62369 }] }, performedDateTime: 12, note: 'text' },
      { resourceType: 'MedicationAdministration', id: 'm1', status: 'completed', dosage: { dose: { value: 'ten', unit: 'mg' }, route: 'IT' } },
      { resourceType: 'Practitioner', id: 'x', qualification: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: 'MA' }] } }] },
      { resourceType: 'Condition', id: 'cond', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'not a code!' }] } },
      { resourceType: 'Encounter', id: 'e1', period: { start: 'yesterday' }, location: 'x', diagnosis: [{ condition: 'x' }] },
      { resourceType: 'UnknownThing', id: 'u', anything: { deep: [1, 2, 3] } },
    ];
    const { facts, factSources } = extractVisit({ resourceType: 'Bundle', type: 'collection', entry: garbage.map((resource) => ({ resource })) }, { today: TODAY });
    expect(VisitFacts.safeParse(facts).success).toBe(true);
    expect(facts.device.kind).toBe('unknown');
    expect(facts.coverage.lineOfBusiness).toBe('unknown');
    expect(facts.diagnoses).toEqual([]);
    expect(facts.drugs).toEqual([{ name: 'Drug not named in the record', amount: 0, unit: 'mg', compounded: false, purchasedBy: 'unknown' }]);
    expect(factSources['drugs.0.amount']).toMatchObject({ status: 'default' });
    expect(facts.performer.role).toBe('other'); // MA is "Master of Arts" in v2-0360, never a medical assistant
    expect(factSources['device.kind']).toMatchObject({ status: 'default' });
  });

  it('fuzzed mutations of a fixture never throw and always parse', () => {
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const junk = [null, 0, -1, 'x', '', [], {}, [null], { coding: [{}] }, true, 1e308, '2026-13-45'];
    const mutate = (v: unknown, depth: number): unknown => {
      if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (k === 'resourceType' && depth <= 3) { out[k] = x; continue; }
          out[k] = rand() < 0.15 ? junk[Math.floor(rand() * junk.length)] : mutate(x, depth + 1);
        }
        return out;
      }
      return v;
    };
    for (const { bundle } of loadFixtures()) {
      for (let i = 0; i < 20; i++) {
        const mutated = { resourceType: 'Bundle', type: 'collection', entry: (bundle.entry ?? []).map((e) => ({ resource: mutate(e.resource, 2) })) };
        const { facts } = extractVisit(mutated, { today: TODAY });
        expect(VisitFacts.safeParse(facts).success).toBe(true);
      }
    }
  });

  it('absurd numbers fall back to defaults instead of breaking the contract', () => {
    const entry = [{ resource: { resourceType: 'MedicationAdministration', id: 'm', status: 'completed',
      medicationCodeableConcept: { text: 'Morphine' },
      dosage: { dose: { value: 1e308, unit: 'g', code: 'g' }, rateQuantity: { value: 1e308, code: 'mL/h' } } } }];
    const { facts, factSources } = extractVisit({ resourceType: 'Bundle', type: 'collection', entry }, { today: TODAY });
    expect(VisitFacts.safeParse(facts).success).toBe(true);
    expect(facts.drugs[0]?.amount).toBe(0);
    expect(factSources['drugs.0.amount']?.status).toBe('default');
    expect(facts.dailyVolumeMl).toBeUndefined();
  });

  it('reads alternative spellings: SOPT OID, versioned v2-0360, absolute references, ICD codes without a dot', () => {
    const bundle = base();
    for (const e of bundle.entry ?? []) {
      const r = e.resource as unknown as Record<string, any>;
      if (r.resourceType === 'Coverage') r.type.coding[0].system = 'urn:oid:2.16.840.1.113883.3.221.5';
      if (r.resourceType === 'Practitioner') r.qualification[0].code.coding[0].system = 'http://terminology.hl7.org/CodeSystem/v2-0360|2.7';
      if (r.resourceType === 'Procedure') r.performer[0].actor.reference = `https://ehr.example/fhir/${r.performer[0].actor.reference}`;
      if (r.resourceType === 'Condition') r.code.coding[0].code = r.code.coding[0].code.replace('.', '');
    }
    const { facts } = extractVisit(bundle, { today: TODAY });
    expect(facts.coverage.lineOfBusiness).toBe('commercial');
    expect(facts.performer.role).toBe('physician');
    expect(facts.diagnoses).toEqual(['G89.4', 'M96.1']);
  });

  it('a record that does not say whether the dose changed defaults to a settings update, marked default', () => {
    const bundle = base();
    for (const e of bundle.entry ?? []) {
      const r = e.resource as unknown as Record<string, any>;
      if (r.resourceType === 'Procedure') r.note = [{ text: 'Pump refilled and interrogated.' }];
    }
    const { facts, factSources } = extractVisit(bundle, { today: TODAY });
    expect(facts.services.reprogramming).toBe('settings-update-only');
    expect(factSources['services.reprogramming']).toMatchObject({ status: 'default' });
    expect(factSources['services.reprogramming']?.note).toMatch(/62370/);
    expect(facts.performer.physicianSkillRequired).toBe(false);
  });

  it('accepts a searchset Bundle', () => {
    const bundle = { ...base(), type: 'searchset' };
    expect(extractVisit(bundle, { today: TODAY }).facts.device.kind).toBe('implanted-programmable-pump');
  });
});

describe('bad entries are skipped, never the whole record', () => {
  const good = { resource: { resourceType: 'Patient', id: 'p1' } };
  const cases: [string, unknown][] = [
    ['entry without resource', { resourceType: 'Bundle', entry: [{}, good] }],
    ['resource without resourceType', { resourceType: 'Bundle', entry: [{ resource: { id: 'x' } }, good] }],
    ['resourceType not a string', { resourceType: 'Bundle', entry: [good, { resource: { resourceType: 5 } }] }],
  ];
  it.each(cases)('%s → read, with an entry-skipped notice', (_name, input) => {
    const r = extractVisit(input, { today: TODAY });
    expect(r.recordNotices?.map((n) => n.id)).toContain('entry-skipped');
  });
});

describe('malformed bundles', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', 'hello', '(root)'],
    ['null', null, '(root)'],
    ['wrong resourceType', { resourceType: 'Patient', entry: [] }, 'resourceType'],
    ['entry not an array', { resourceType: 'Bundle', entry: {} }, 'entry'],
    ['no entry holds a resource', { resourceType: 'Bundle', entry: [{}, { resource: 42 }] }, 'entry'],
    ['a transaction-response type', { resourceType: 'Bundle', type: 'history', entry: [] }, 'type'],
  ];
  it.each(cases)('%s → BadBundleError naming %s', (_name, input, path) => {
    let error: unknown;
    try { extractVisit(input); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(BadBundleError);
    expect((error as BadBundleError).details.map((d) => d.path)).toContain(path);
  });
});

describe('applyOverrides', () => {
  const extracted = () => extractVisit(loadFixture('pt-healthyu-medicaid'), { today: TODAY });

  it('deep-merges objects, marks every overridden leaf clinician, keeps other sources', () => {
    const { facts, factSources } = extracted();
    const merged = applyOverrides(facts, factSources, {
      performer: { physicianSkillRequired: true, physicianSkillReason: 'catheter troubleshooting' },
      services: { reprogramming: 'settings-update-only' },
    });
    expect(merged.facts.performer).toMatchObject({ role: 'nurse-practitioner', physicianSkillRequired: true, physicianSkillReason: 'catheter troubleshooting' });
    expect(merged.facts.services.refill).toBe(true);
    expect(merged.factSources['performer.physicianSkillRequired']?.status).toBe('clinician');
    expect(merged.factSources['performer.physicianSkillReason']?.status).toBe('clinician');
    expect(merged.factSources['services.reprogramming']?.status).toBe('clinician');
    expect(merged.factSources['performer.role']?.status).toBe('record');
    // inputs untouched
    expect(facts.performer.physicianSkillRequired).toBe(false);
    expect(factSources['services.reprogramming']?.status).not.toBe('clinician');
  });

  it('arrays replace and their leaves become clinician', () => {
    const { facts, factSources } = extracted();
    const drug = { ...facts.drugs[0]!, purchasedBy: 'practice' as const };
    const merged = applyOverrides(facts, factSources, { drugs: [drug], diagnoses: ['G89.4'] });
    expect(merged.facts.drugs).toEqual([drug]);
    expect(merged.facts.diagnoses).toEqual(['G89.4']);
    expect(merged.factSources['drugs.0.purchasedBy']?.status).toBe('clinician');
    expect(merged.factSources['diagnoses']?.status).toBe('clinician');
  });

  it('null removes an optional field', () => {
    const { facts, factSources } = extracted();
    const merged = applyOverrides(facts, factSources, { lastRefillDate: null });
    expect(merged.facts.lastRefillDate).toBeUndefined();
    expect(merged.factSources.lastRefillDate?.status).toBe('clinician');
  });

  it('invalid overrides throw listing the field paths; prototype keys are ignored', () => {
    const { facts, factSources } = extracted();
    let error: unknown;
    try { applyOverrides(facts, factSources, { device: { kind: 'rocket' }, serviceDate: '20/11/2026' }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(InvalidOverridesError);
    expect(error).toBeInstanceOf(BadBundleError);
    expect((error as InvalidOverridesError).details.map((d) => d.path).sort()).toEqual(['device.kind', 'serviceDate']);
    const merged = applyOverrides(facts, factSources, JSON.parse('{"__proto__": {"polluted": true}, "performer": {"constructor": 1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(merged.facts.performer).toEqual(facts.performer);
  });
});
