import { describe, expect, it } from 'vitest';
import { CoverageMatchInput, PayerMapping, VisitFacts, type LineOfBusiness, type PolicyId } from '../contracts/index';
import { findTies } from '../contracts/mappingTies';
import { SEED_FILES, sourceInfo } from '../contracts/sources';
import raw from './defaults.json';
import {
  coverageMatchInputFromFacts, coverageMatchInputFromFhir, defaultMappingsAsStored, DefaultMappingsFile, nameMatches,
  resolveMapping, resolvePolicyContext, NAIC_SYSTEM,
} from './index';

const SOPT = 'https://nahdo.org/sopt';
const defaults = defaultMappingsAsStored();

const mk = (id: string, over: Partial<PayerMapping> & { match: PayerMapping['match'] }): PayerMapping =>
  PayerMapping.parse({ id, version: 1, priority: 100, enabled: true, policyId: 'uuhp', lineOfBusiness: 'commercial', ...over });
const input = (over: Partial<CoverageMatchInput>): CoverageMatchInput => CoverageMatchInput.parse(over);

/** a Coverage as the sandbox fixtures shape it: payor → Organization (NAIC id), SOPT type, plan class */
function fhirCoverage(opts: { payer?: string; naic?: string; sopt?: string; plan?: string; display?: boolean }) {
  const org = { resourceType: 'Organization', id: 'org1', name: opts.payer,
    identifier: opts.naic ? [{ system: NAIC_SYSTEM, value: opts.naic }] : [] };
  const coverage = {
    resourceType: 'Coverage', id: 'cov1', status: 'active',
    type: opts.sopt ? { coding: [{ system: SOPT, code: opts.sopt }, { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PPO' }] } : undefined,
    payor: [{ reference: 'Organization/org1', ...(opts.display ? { display: opts.payer } : {}) }],
    class: opts.plan ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
      value: 'PLAN-01', name: opts.plan }] : [],
  };
  return { coverage, org };
}

describe('default mappings', () => {
  it('defaults.json satisfies the contract schema, ids and names unique, notes in words citing sources by title', () => {
    const parsed = DefaultMappingsFile.parse(raw);
    const ids = parsed.mappings.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const names = parsed.mappings.map((m) => m.name);
    expect(names.every((n) => typeof n === 'string' && n.length > 5)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    const titles = Object.values(SEED_FILES).map((f) => sourceInfo(f).title);
    for (const m of parsed.mappings) {
      // people read these: no seed file names or hashes, and the policy is named by its title
      expect(m.note, m.id).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt|\bseed\b|SOPT/i);
      if (m.policyId !== 'cms-medicare') expect(titles.some((t) => m.note!.includes(t)), m.id).toBe(true);
    }
  });

  it('no two default mappings tie, by the admin check or on coverages that name two Centene brands', () => {
    expect([...findTies(defaults)]).toEqual([]);
    const cases: [CoverageMatchInput, PolicyId, LineOfBusiness][] = [
      // real product names carry two brand names; the more specific brand must win, never a tie
      [input({ payerNames: ['Ambetter from Sunshine Health'] }), 'centene-cp-mp-173', 'commercial'],
      [input({ payerNames: ['Ambetter from Peach State Health Plan'] }), 'centene-cp-mp-173', 'commercial'],
      [input({ payerNames: ['Centene — Peach State Health Plan'] }), 'centene-cp-mp-173', 'medicaid'],
      [input({ payerNames: ['WellCare (Centene)'] }), 'centene-cp-mp-173', 'medicare-advantage'],
    ];
    for (const [inp, policy, lob] of cases) {
      const res = resolveMapping(defaults, inp);
      expect(res.tie, JSON.stringify(inp)).toBeUndefined();
      expect([res.winner?.policyId, res.winner?.lineOfBusiness]).toEqual([policy, lob]);
    }
  });

  it('a Georgia Medicaid member never gets the U of U policy from a look-alike plan name', () => {
    // the sandbox's Peach State member as the EHR gives it, and the same with plan names a U of U rule could catch
    for (const plan of ['Peach State Health Plan Medicaid', 'Healthy U Georgia Families', 'Medicare Advantage Ultra']) {
      const { coverage, org } = fhirCoverage({ payer: 'Peach State Health Plan', sopt: '211', plan });
      const res = resolveMapping(defaults, coverageMatchInputFromFhir(coverage, [org], 'GA'));
      expect(res.tie).toBeUndefined();
      expect([res.winner?.id, res.winner?.policyId, res.winner?.lineOfBusiness]).toEqual(['centene-peach-state-medicaid', 'centene-cp-mp-173', 'medicaid']);
      // and a plan named like U of U's without any payer, outside Utah, is not sent to U of U either
      const noPayer = resolveMapping(defaults, input({ planNames: [plan], coverageTypes: ['211'], patientState: 'GA' }));
      expect(noPayer.winner?.policyId).not.toBe('uuhp');
    }
  });

  const table: { name: string; payer?: string; naic?: string; sopt?: string; plan?: string; state?: string;
    policy: PolicyId; lob: LineOfBusiness }[] = [
    { name: 'UUHP commercial PPO', payer: 'U of U Health Plans', sopt: '3712', policy: 'uuhp', lob: 'commercial' },
    { name: 'UUHP long name, BCBS-type', payer: 'University of Utah Health Plans', sopt: '6', policy: 'uuhp', lob: 'commercial' },
    { name: 'UUHP commercial HMO sub-code', payer: 'U of U Health Plans', sopt: '511', policy: 'uuhp', lob: 'commercial' },
    { name: 'UUHP no type at all', payer: 'U of U Health Plans', policy: 'uuhp', lob: 'commercial' },
    { name: 'UUHP CHIP by SOPT 23', payer: 'U of U Health Plans', sopt: '23', policy: 'uuhp', lob: 'chip' },
    { name: 'UUHP CHIP by SOPT 361', payer: 'University of Utah Health Plans', sopt: '361', policy: 'uuhp', lob: 'chip' },
    { name: 'Healthy U by plan', payer: 'U of U Health Plans', plan: 'Healthy U', sopt: '211', policy: 'uuhp', lob: 'medicaid' },
    { name: 'Healthy U by plan, no payer, Utah', plan: 'Healthy U Medicaid', state: 'UT', policy: 'uuhp', lob: 'medicaid' },
    { name: 'UUHP Medicaid by SOPT 21', payer: 'U of U Health Plans', sopt: '21', policy: 'uuhp', lob: 'medicaid' },
    { name: 'Advantage U by plan', payer: 'U of U Health Plans', plan: 'Advantage U', sopt: '111', policy: 'uuhp', lob: 'medicare-advantage' },
    { name: 'UUHP MA by SOPT 112', payer: 'University of Utah Health Plans', sopt: '112', policy: 'uuhp', lob: 'medicare-advantage' },
    { name: 'iCare short name', payer: 'iCare', sopt: '111', naic: '95000', policy: 'icare-ma', lob: 'medicare-advantage' },
    { name: 'iCare full name', payer: 'Independent Care Health Plan', policy: 'icare-ma', lob: 'medicare-advantage' },
    { name: 'Peach State Medicaid', payer: 'Peach State Health Plan', sopt: '21', state: 'GA', policy: 'centene-cp-mp-173', lob: 'medicaid' },
    { name: 'Sunshine Health no type', payer: 'Sunshine Health', policy: 'centene-cp-mp-173', lob: 'medicaid' },
    { name: 'Superior Health Plan spelled with a space', payer: 'Superior Health Plan', sopt: '2', policy: 'centene-cp-mp-173', lob: 'medicaid' },
    { name: 'Ambetter marketplace', payer: 'Ambetter from Sunshine Health', sopt: '5', policy: 'centene-cp-mp-173', lob: 'commercial' },
    { name: 'WellCare MA', payer: 'WellCare Medicare', sopt: '111', policy: 'centene-cp-mp-173', lob: 'medicare-advantage' },
    { name: 'Centene CHIP', payer: 'Centene', sopt: '23', policy: 'centene-cp-mp-173', lob: 'chip' },
    { name: 'traditional Medicare by SOPT 121', payer: 'Noridian', sopt: '121', policy: 'cms-medicare', lob: 'medicare' },
    { name: 'traditional Medicare by SOPT 1', sopt: '1', policy: 'cms-medicare', lob: 'medicare' },
    { name: 'traditional Medicare by name', payer: 'Centers for Medicare & Medicaid Services', policy: 'cms-medicare', lob: 'medicare' },
    { name: 'CMS by name', payer: 'CMS', policy: 'cms-medicare', lob: 'medicare' },
    { name: 'Medicare name but MA type → MA', payer: 'Medicare', sopt: '111', policy: 'cms-medicare', lob: 'medicare-advantage' },
  ];
  it.each(table)('$name → $policy / $lob', (row) => {
    const { coverage, org } = fhirCoverage(row);
    const res = resolveMapping(defaults, coverageMatchInputFromFhir(coverage, [org], row.state));
    expect(res.tie, JSON.stringify(res.tie)).toBeUndefined();
    expect(res.winner?.policyId).toBe(row.policy);
    expect(res.winner?.lineOfBusiness).toBe(row.lob);
  });

  it('iCare never catches Medicare ("medicare" contains "icare")', () => {
    const res = resolveMapping(defaults, input({ payerNames: ['Medicare Part B'] }));
    expect(res.winner?.policyId).toBe('cms-medicare');
  });

  it('an unknown commercial payer matches nothing → cpt-default', () => {
    const res = resolveMapping(defaults, input({ payerNames: ['Acme Insurance'], coverageTypes: ['5'] }));
    expect(res.winner).toBeNull();
    expect(res.reasons.every((r) => !r.matched)).toBe(true);
  });
});

const facts0 = VisitFacts.parse({
  serviceDate: '2025-03-04', patient: { state: 'UT' }, coverage: { payerName: 'Acme', lineOfBusiness: 'commercial' },
  device: { kind: 'implanted-programmable-pump', route: 'intrathecal' },
  services: { electronicAnalysis: true, refill: true, reprogramming: 'none' },
  performer: { role: 'physician', physicianSkillRequired: false }, drugs: [], diagnoses: [], separateEvaluation: { performed: false },
});

describe('resolveMapping', () => {
  it('all given conditions must hold; reasons are human sentences', () => {
    const m = mk('a', { match: { payerName: 'U of U*', planName: 'Healthy U', states: ['CA'] } });
    const res = resolveMapping([m], input({ payerNames: ['U of U Health Plans'], planNames: ['Healthy U'], patientState: 'UT' }));
    expect(res.winner).toBeNull();
    expect(res.reasons[0]!.reason).toContain("payer name 'U of U*' matched 'U of U Health Plans'");
    expect(res.reasons[0]!.reason).toContain("plan 'Healthy U' matched");
    expect(res.reasons[0]!.reason).toContain('state UT not in [CA]');
    const ok = resolveMapping([m], input({ payerNames: ['U of U Health Plans'], planNames: ['Healthy U'], patientState: 'ca' }));
    expect(ok.winner?.id).toBe('a');
    expect(ok.reasons[0]!.reason).toMatch(/wins/);
  });

  it('payer identifier: exact value; system optional and case-insensitive', () => {
    const withSystem = mk('s', { match: { payerIdentifier: { system: 'URN:OID:2.16.840.1.113883.6.300', value: '12345' } } });
    const anySystem = mk('n', { match: { payerIdentifier: { value: '12345' } }, priority: 50 });
    const hit = resolveMapping([withSystem, anySystem], input({ payerIdentifiers: [{ system: NAIC_SYSTEM, value: '12345' }] }));
    expect(hit.matched.map((m) => m.id)).toEqual(['s', 'n']);
    const otherSystem = resolveMapping([withSystem, anySystem], input({ payerIdentifiers: [{ system: 'urn:x', value: '12345' }] }));
    expect(otherSystem.matched.map((m) => m.id)).toEqual(['n']);
    expect(resolveMapping([anySystem], input({ payerIdentifiers: [{ value: '123456' }] })).winner).toBeNull();
  });

  it('SOPT codes match by prefix (hierarchy); non-numeric codes exactly', () => {
    const medicaid = mk('m', { match: { coverageType: ['2'] } });
    const res = resolveMapping([medicaid], input({ coverageTypes: ['211'] }));
    expect(res.winner?.id).toBe('m');
    expect(res.reasons[0]!.reason).toContain('coverage type 211 matched 2 (SOPT is hierarchical');
    expect(resolveMapping([medicaid], input({ coverageTypes: ['12'] })).winner).toBeNull();
    // the Coverage's code shorter than the rule's: '1' (Medicare, unspecified) is not '11' (managed care)
    expect(resolveMapping([mk('ma', { match: { coverageType: ['11'] } })], input({ coverageTypes: ['1'] })).winner).toBeNull();
    expect(resolveMapping([mk('p', { match: { coverageType: ['PPO'] } })], input({ coverageTypes: ['ppo'] })).winner?.id).toBe('p');
    expect(resolveMapping([mk('p', { match: { coverageType: ['PP'] } })], input({ coverageTypes: ['PPO'] })).winner).toBeNull();
  });

  it('disabled mappings never win and say so', () => {
    const off = mk('off', { enabled: false, priority: 1000, match: { payerName: 'Acme' } });
    const on = mk('on', { priority: 1, match: { payerName: 'Acme' } });
    const res = resolveMapping([off, on], input({ payerNames: ['Acme'] }));
    expect(res.winner?.id).toBe('on');
    expect(res.matched.map((m) => m.id)).toEqual(['on']);
    const r = res.reasons.find((x) => x.mappingId === 'off')!;
    expect(r.matched).toBe(false);
    expect(r.reason).toMatch(/^disabled/);
    expect(r.reason).toContain('would have matched');
    expect(resolveMapping([off], input({ payerNames: ['Acme'] })).winner).toBeNull();
  });

  it('highest priority wins', () => {
    const generic = mk('g', { priority: 10, match: { payerName: 'Acme' } });
    const specific = mk('s', { priority: 20, match: { payerName: 'Acme', planName: 'Gold' }, lineOfBusiness: 'medicaid' });
    const res = resolveMapping([generic, specific], input({ payerNames: ['Acme'], planNames: ['Gold'] }));
    expect(res.winner?.id).toBe('s');
    expect(res.reasons.find((r) => r.mappingId === 'g')!.reason).toContain('s has higher priority');
  });

  it('ties: same top priority, different outcome → tie set and NO winner (never the lowest id)', () => {
    const b = mk('b', { match: { payerName: 'Acme' }, policyId: 'icare-ma', lineOfBusiness: 'medicare-advantage', name: 'Acme MA' });
    const a = mk('a', { match: { payerName: 'acme' } });
    const lower = mk('c', { priority: 1, match: { payerName: 'Acme' }, policyId: 'cms-medicare', lineOfBusiness: 'medicare' });
    for (const order of [[a, b, lower], [b, lower, a]]) {
      for (const reasons of [true, false]) {
        const res = resolveMapping(order, input({ payerNames: ['ACME'] }), { reasons });
        expect(res.tie).toEqual(['a', 'b']);
        expect(res.winner).toBeNull();
        // a lower-priority mapping does not step in either: the admin must choose between the tied ones
        expect(res.matched.map((m) => m.id)).toEqual(['a', 'b', 'c']);
      }
      const res = resolveMapping(order, input({ payerNames: ['ACME'] }));
      expect(res.reasons.find((r) => r.mappingId === 'a')!.reason).toContain("tied with 'Acme MA' at priority 100");
      expect(res.reasons.find((r) => r.mappingId === 'b')!.reason).toMatch(/tied with a at priority 100 .*neither wins, CPT-only rules apply/);
      expect(res.reasons.find((r) => r.mappingId === 'c')!.reason).toContain('the tied mappings at priority 100 rank higher');
      expect(resolvePolicyContext(res, facts0)).toEqual({ policyId: 'cpt-default', lineOfBusiness: 'commercial', mappingMatched: true });
    }
    // same priority and same outcome: nothing ambiguous, no tie
    const a2 = mk('a2', { match: { payerName: 'Acme' } });
    expect(resolveMapping([a, a2], input({ payerNames: ['Acme'] })).tie).toBeUndefined();
  });

  it('a mapping with no conditions matches everything', () => {
    const res = resolveMapping([mk('all', { priority: 0, match: {} })], input({}));
    expect(res.winner?.id).toBe('all');
    expect(res.reasons[0]!.reason).toContain('no conditions');
  });
});

describe('name patterns (no regular expressions)', () => {
  it.each([
    ['U of U*', 'U of U Health Plans', true],
    ['U of U*', 'The U of U Health Plans', false],
    ['u of u', 'The U of U Health Plans', true],
    ['*Health?Plan*', 'Superior Health Plan', true],
    ['*Health?Plan*', 'Superior HealthPlan', false],
    ['Health*Plan', 'healthplan', true],
    ['?', 'ab', false],
    ['??', 'ab', true],
    ['*', 'anything', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbYcd', false],
    ['  Healthy   U ', 'healthy u', true],
    ['.*', 'Acme', false],
    ['.*', 'x.*y', false], // '.' is a literal dot, not "any character"
    ['.*', '.NET Health', true],
    ['(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', false],
    ['(a+)+$', 'pay (a+)+$ now', true],
    ['[', 'Acme [Health]', true],
    ['[a-z]*', 'acme', false],
    ['[a-z]*', '[a-z] plan', true],
    ['\\', 'a\\b', true],
    ['^Acme', 'Acme', false],
    ['a|b', 'a', false],
  ] as const)('%j vs %j → %s', (pattern, name, expected) => {
    expect(nameMatches(pattern, name)).toBe(expected);
  });

  it('pathological globs stay fast', () => {
    const t0 = performance.now();
    expect(nameMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000); // generous: a backtracking regex would take ages
  });
});

describe('coverage inputs', () => {
  const facts = VisitFacts.parse({
    serviceDate: '2025-03-04', patient: { id: 'p1', state: 'UT' },
    coverage: { payerName: 'U of U Health Plans', payerId: '999', payerIdSystem: NAIC_SYSTEM, planName: 'Healthy U',
      typeCodes: ['211'], lineOfBusiness: 'unknown' },
    device: { kind: 'implanted-programmable-pump', route: 'intrathecal' },
    services: { electronicAnalysis: true, refill: true, reprogramming: 'none' },
    performer: { role: 'physician', physicianSkillRequired: false },
    drugs: [], diagnoses: [], separateEvaluation: { performed: false },
  });

  it('from facts', () => {
    expect(coverageMatchInputFromFacts(facts)).toEqual({
      payerIdentifiers: [{ system: NAIC_SYSTEM, value: '999' }], payerNames: ['U of U Health Plans'],
      planNames: ['Healthy U'], coverageTypes: ['211'], patientState: 'UT',
    });
  });

  it('from a pasted FHIR Coverage: payor display and Organization, SOPT (both systems), plan class', () => {
    const coverage = {
      resourceType: 'Coverage',
      type: { coding: [{ system: 'urn:oid:2.16.840.1.113883.3.221.5', code: '23' }, { system: 'http://other', code: '99' }] },
      payor: [{ reference: 'https://ehr.example/fhir/Organization/o9', display: 'Acme' }, { identifier: { system: NAIC_SYSTEM, value: '555' } }],
      class: [{ type: { coding: [{ code: 'group' }] }, value: 'G1', name: 'Group 1' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'HU', name: 'Healthy U' }],
    };
    const org = { resourceType: 'Organization', id: 'o9', name: 'U of U Health Plans', alias: ['UUHP'],
      identifier: [{ system: NAIC_SYSTEM, value: '777' }] };
    const got = coverageMatchInputFromFhir(coverage, [org], 'ut');
    // the one Coverage reader (server/fhir/extract/coverage.ts): the payor Organization's name and payer id, the plan class
    expect(got).toEqual({
      payerIdentifiers: [{ system: NAIC_SYSTEM, value: '777' }],
      payerNames: ['U of U Health Plans'], planNames: ['Healthy U'], coverageTypes: ['23'],
      patientState: 'UT',
    });
    expect(resolveMapping(defaults, got).winner?.id).toBe('uuhp-chip');
  });

  it('from a Bundle with contained-style references, and from junk', () => {
    const bundle = { resourceType: 'Bundle', entry: [
      { resource: { resourceType: 'Patient', address: [{ state: 'GA' }] } },
      { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Organization', name: 'Peach State Health Plan' } },
      { resource: { resourceType: 'Coverage', payor: [{ reference: 'urn:uuid:1' }], type: { coding: [{ code: '21' }] } } },
    ] };
    const got = coverageMatchInputFromFhir(bundle);
    expect(got).toMatchObject({ payerNames: ['Peach State Health Plan'], coverageTypes: ['21'], patientState: 'GA' });
    for (const junk of [null, 42, 'x', [], { resourceType: 'Coverage', payor: 'nope', type: 7, class: [null] }]) {
      expect(coverageMatchInputFromFhir(junk)).toMatchObject({ payerNames: [], coverageTypes: [] });
    }
  });

  it('policy context: winner or cpt-default', () => {
    const res = resolveMapping(defaults, coverageMatchInputFromFacts(facts));
    expect(resolvePolicyContext(res, facts)).toEqual({ policyId: 'uuhp', lineOfBusiness: 'medicaid', mappingMatched: true,
      mappingId: 'uuhp-healthy-u-plan' });
    const none = resolveMapping([], coverageMatchInputFromFacts(facts));
    expect(resolvePolicyContext(none, facts)).toEqual({ policyId: 'cpt-default', lineOfBusiness: 'unknown', mappingMatched: false });
    const withOpts = resolveMapping([mk('o', { match: {}, options: { reprogrammingMeaning: 'any-settings-update' } })], input({}));
    expect(resolvePolicyContext(withOpts, facts).options).toEqual({ reprogrammingMeaning: 'any-settings-update' });
  });
});

describe('speed (reported, not asserted)', () => {
  it('1,000 mappings', () => {
    const many: PayerMapping[] = Array.from({ length: 1000 }, (_, i) => mk(`m${String(i).padStart(4, '0')}`, {
      priority: i % 97,
      match: i % 3 === 0 ? { payerName: `Payer ${i}*`, coverageType: ['2', '5'] }
        : i % 3 === 1 ? { payerName: `Plan Co ${i}`, planName: 'Gold*', states: ['UT', 'ID'] }
          : { payerIdentifier: { system: NAIC_SYSTEM, value: String(10000 + i) } },
    }));
    const inp = input({ payerNames: ['Payer 999 Health'], planNames: ['Gold Plus'], coverageTypes: ['211'],
      payerIdentifiers: [{ system: NAIC_SYSTEM, value: '10500' }], patientState: 'UT' });
    for (let i = 0; i < 50; i++) resolveMapping(many, inp); // warm up (compiles patterns once per mapping)
    const n = 300;
    let t0 = performance.now();
    for (let i = 0; i < n; i++) resolveMapping(many, inp, { reasons: false });
    const fast = ((performance.now() - t0) * 1000) / n;
    t0 = performance.now();
    for (let i = 0; i < n; i++) resolveMapping(many, inp);
    const full = ((performance.now() - t0) * 1000) / n;
    console.info(`[bench] resolveMapping over 1,000 mappings: ${fast.toFixed(0)} µs without reasons, ${full.toFixed(0)} µs with reasons`);
    expect(resolveMapping(many, inp).winner).not.toBeNull();
  });
});

describe('the fast path and the explained path agree', () => {
  // resolve.ts keeps two copies of the match rules: `holds` (no text, about 5× faster, used by every
  // evaluation) and `evaluate` (with the reason sentences, used by the admin preview). They must never differ.
  it('gives the same winner, matches and tie with and without reasons, for arbitrary mappings and coverages', async () => {
    const fc = (await import('fast-check')).default;
    const word = fc.constantFrom('U of U Health Plans', 'Healthy U', 'Medicare', 'iCare', 'Peach State', 'Acme');
    const pattern = fc.oneof(word, fc.constantFrom('U of U*', '*Health*', 'i?are', 'Medi*', '*', '.*'));
    const mapping = fc.record({
      id: fc.stringMatching(/^[a-z]{1,6}$/), version: fc.constant(1), priority: fc.integer({ min: 0, max: 3 }), enabled: fc.boolean(),
      policyId: fc.constantFrom('uuhp', 'cms-medicare', 'cpt-default'), lineOfBusiness: fc.constantFrom('commercial', 'medicaid'),
      match: fc.record({
        payerIdentifier: fc.record({ value: fc.constantFrom('1', '2') }, { requiredKeys: [] }).filter((x) => 'value' in x),
        payerName: pattern, planName: pattern,
        coverageType: fc.array(fc.constantFrom('1', '11', '2', '21', '5', 'PPO'), { minLength: 1, maxLength: 2 }),
        states: fc.array(fc.constantFrom('UT', 'CA', 'WI'), { minLength: 1, maxLength: 2 }),
      }, { requiredKeys: [] }),
    }) as unknown as import('fast-check').Arbitrary<PayerMapping>;
    const coverage = fc.record({
      payerIdentifiers: fc.array(fc.record({ value: fc.constantFrom('1', '2', '3') }), { maxLength: 2 }),
      payerNames: fc.array(word, { maxLength: 2 }), planNames: fc.array(word, { maxLength: 2 }),
      coverageTypes: fc.array(fc.constantFrom('1', '111', '21', '211', '512', 'ppo'), { maxLength: 2 }),
      patientState: fc.option(fc.constantFrom('UT', 'CA', 'WI'), { nil: undefined }),
    }) as unknown as import('fast-check').Arbitrary<CoverageMatchInput>;
    fc.assert(fc.property(fc.uniqueArray(mapping, { selector: (m) => m.id, maxLength: 8 }), coverage, (mappings, input) => {
      const fast = resolveMapping(mappings, input, { reasons: false });
      const explained = resolveMapping(mappings, input);
      expect(fast.winner?.id).toBe(explained.winner?.id);
      expect(fast.matched.map((m) => m.id)).toEqual(explained.matched.map((m) => m.id));
      expect(fast.tie).toEqual(explained.tie);
      expect(explained.reasons.filter((r) => r.matched).map((r) => r.mappingId).sort()).toEqual(explained.matched.map((m) => m.id).sort());
    }), { numRuns: 1000 });
  });
});
