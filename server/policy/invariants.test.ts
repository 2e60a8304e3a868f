import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHECKLIST_IDS, Determination, PolicyContext, VisitFacts, WARNING_IDS,
} from '../contracts/index.js';
import { hcpcsDrugCode } from '../terminology/index.js';
import { payerOfCitation } from './citations.js';
import { evaluateVisit } from './index.js';

const RUNS = 2500;
const WARNINGS: ReadonlySet<string> = new Set(WARNING_IDS);
const CHECKLIST: ReadonlySet<string> = new Set(CHECKLIST_IDS);

const isoDate = fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const state = fc.constantFrom('WI', 'MN', 'CA', 'NV', 'UT', 'AZ', 'TN', 'NC', 'TX', 'NY', 'FL', 'GU', 'ZZ');
const lob = fc.constantFrom('commercial', 'chip', 'medicaid', 'medicare-advantage', 'medicare', 'unknown' as const);
const policyId = fc.constantFrom('uuhp', 'icare-ma', 'centene-cp-mp-173', 'cms-medicare', 'cpt-default' as const);
const codes = fc.constantFrom('62367', '62368', '62369', '62370', '95990', '95991', '96522', '99213', '99214', 'J2274', 'S0093', 'J7999', 'S9328', 'A4220', '64483', 'J1170', 'J0475', 'J0476', 'J3010', 'S0092', 'J2278');
const opt = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const drug = fc.record({
  name: fc.constantFrom('morphine sulfate PF', 'baclofen', 'ziconotide', 'hydromorphone', 'clonidine', 'bupivacaine', 'compounded mix', 'Infumorph', 'Prialt 25 mcg/mL', 'Gablofen', 'fentanyl', 'sufentanil', 'Duraclon', 'mystery drug'),
  hcpcs: opt(fc.constantFrom('J2274', 'S0093', 'J7999', 'J1170', 'J0475', 'J0476', 'J3010', 'S0092', 'S0020', 'J2278', 'J0735', 'C9290', 'J9999', 'J2275')),
  amount: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 2000, noNaN: true }), fc.integer({ min: 1, max: 1000 })),
  unit: fc.constantFrom('mg', 'mcg', 'mL' as const),
  compounded: fc.boolean(),
  purchasedBy: fc.constantFrom('practice', 'pharmacy', 'patient', 'unknown' as const),
  wastedAmount: opt(fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 500, noNaN: true }))),
  singleDoseContainer: opt(fc.boolean()),
  concentration: opt(fc.record({ amount: fc.constantFrom(0.5, 1, 25, 500, 2000), unit: fc.constantFrom('mg', 'mcg' as const), perMl: fc.constantFrom(1, 20) })),
  trial: opt(fc.boolean()),
}, { requiredKeys: ['name', 'amount', 'unit', 'compounded', 'purchasedBy'] });

const facts: fc.Arbitrary<VisitFacts> = fc.record({
  serviceDate: isoDate,
  placeOfService: opt(fc.constantFrom('11', '22')),
  patient: fc.record({ id: opt(fc.constant('p')), state: opt(state) }, { requiredKeys: [] }),
  serviceState: opt(state),
  coverage: fc.record({ payerName: opt(fc.string({ maxLength: 20 })), lineOfBusiness: lob }, { requiredKeys: ['lineOfBusiness'] }),
  policyId: opt(policyId),
  device: fc.record({
    kind: fc.constantFrom('implanted-programmable-pump', 'implanted-nonprogrammable-pump', 'implanted-reservoir', 'external-disposable-pump', 'unknown' as const),
    route: fc.constantFrom('intrathecal', 'epidural', 'intraventricular', 'intravenous', 'intra-arterial', 'unknown' as const),
    reservoirVolumeMl: opt(fc.constantFrom(10, 20, 40)),
  }, { requiredKeys: ['kind', 'route'] }),
  services: fc.record({
    electronicAnalysis: fc.boolean(), refill: fc.boolean(),
    reprogramming: fc.constantFrom('none', 'rate-or-dose-change', 'settings-update-only' as const),
    analysisReason: opt(fc.constantFrom('', 'alarm', 'MRI')),
    procedureType: opt(fc.constantFrom('maintenance', 'trial', 'implantation' as const)),
  }, { requiredKeys: ['electronicAnalysis', 'refill', 'reprogramming'] }),
  performer: fc.record({
    role: fc.constantFrom('physician', 'nurse-practitioner', 'physician-assistant', 'clinical-nurse-specialist', 'registered-nurse', 'medical-assistant', 'other' as const),
    physicianSkillRequired: fc.boolean(),
    physicianSkillReason: opt(fc.constantFrom('', '  ', 'difficult access')),
    supervisingPhysicianOnSite: opt(fc.boolean()),
  }, { requiredKeys: ['role', 'physicianSkillRequired'] }),
  drugs: fc.array(drug, { maxLength: 3 }),
  diagnoses: fc.array(fc.constantFrom('G89.4', 'G80.1', 'M96.1', 'G90.521', 'C61'), { maxLength: 3 }),
  separateEvaluation: fc.record({ performed: fc.boolean(), code: opt(fc.constantFrom('99213', '99214', '62369')), reason: opt(fc.constantFrom('', 'new radiculopathy')) }, { requiredKeys: ['performed'] }),
  lastRefillDate: opt(isoDate),
  dailyVolumeMl: opt(fc.constantFrom(0.1, 0.5, 1, 2)),
  priorServices: opt(fc.array(fc.record({ date: isoDate, code: codes }), { maxLength: 4 })),
  proposedCodes: opt(fc.array(fc.record({ code: codes, modifiers: opt(fc.constantFrom(['25'], ['JW'], [])), units: opt(fc.constantFrom(1, 4, 14.5, 40)) }, { requiredKeys: ['code'] }), { maxLength: 4 })),
  drugOnSeparateClaim: opt(fc.boolean()),
}, { requiredKeys: ['serviceDate', 'patient', 'coverage', 'device', 'services', 'performer', 'drugs', 'diagnoses', 'separateEvaluation'] }) as fc.Arbitrary<VisitFacts>;

const context: fc.Arbitrary<PolicyContext> = fc.record({
  policyId, lineOfBusiness: lob, mappingMatched: fc.boolean(),
  options: opt(fc.record({
    reprogrammingMeaning: opt(fc.constantFrom('rate-or-dose-only', 'any-settings-update' as const)),
    compoundedDrugCode: opt(fc.constantFrom('J7999', 'J7799', 'J3490' as const)),
    kdModifier: opt(fc.boolean()),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['policyId', 'lineOfBusiness', 'mappingMatched'] });

const property = (check: (f: VisitFacts, c: PolicyContext, d: Determination) => void) =>
  fc.assert(fc.property(facts, context, (f, c) => { check(f, c, evaluateVisit(f, c)); }), { numRuns: RUNS });

const ANALYSIS = new Set(['62367', '62368', '62369', '62370']);

describe('policy engine invariants (fast-check)', () => {
  it('the arbitrary produces schema-valid facts and contexts', () => {
    fc.assert(fc.property(facts, context, (f, c) => { VisitFacts.parse(f); PolicyContext.parse(c); }), { numRuns: 300 });
  });
  it('never throws, and the result parses as a Determination', () => {
    property((_f, _c, d) => { Determination.parse(d); });
  });
  it('never both 62369 and 62370', () => {
    property((_f, _c, d) => { const c = d.lines.map((l) => l.code); expect(c.includes('62369') && c.includes('62370')).toBe(false); });
  });
  it('never a 6236x code for a non-programmable pump, reservoir or external pump', () => {
    property((f, _c, d) => {
      if (f.device.kind === 'implanted-nonprogrammable-pump' || f.device.kind === 'implanted-reservoir' || f.device.kind === 'external-disposable-pump') {
        expect(d.lines.some((l) => ANALYSIS.has(l.code))).toBe(false);
      }
    });
  });
  it('never 6236x together with 95990/95991, and at most one pump-service line', () => {
    property((_f, _c, d) => {
      const c = d.lines.map((l) => l.code);
      expect(c.some((x) => ANALYSIS.has(x)) && c.some((x) => x === '95990' || x === '95991')).toBe(false);
      expect(c.filter((x) => ANALYSIS.has(x) || x === '95990' || x === '95991' || x === '96522').length).toBeLessThanOrEqual(1);
    });
  });
  it('every line, warning, notCovered entry and checklist item carries a citation with a source', () => {
    property((_f, _c, d) => {
      for (const part of [...d.lines, ...d.warnings, ...d.notCovered, ...d.checklist]) {
        expect(part.citations.length).toBeGreaterThan(0);
        for (const c of part.citations) expect(c.source.trim().length).toBeGreaterThan(0);
      }
    });
  });
  it('units are positive integers', () => {
    property((_f, _c, d) => { for (const l of d.lines) expect(Number.isInteger(l.units) && l.units > 0).toBe(true); });
  });
  it('warning and checklist ids are the stable ones, each at most once', () => {
    property((_f, _c, d) => {
      for (const w of d.warnings) expect(WARNINGS.has(w.id)).toBe(true);
      for (const c of d.checklist) expect(CHECKLIST.has(c.id)).toBe(true);
      expect(new Set(d.warnings.map((w) => w.id)).size).toBe(d.warnings.length);
      expect(new Set(d.checklist.map((c) => c.id)).size).toBe(d.checklist.length);
    });
  });
  it('no billable line ⇔ no-billable-service; proposed codes never become lines by themselves', () => {
    property((f, c, d) => {
      expect(d.lines.length === 0).toBe(d.warnings.some((w) => w.id === 'no-billable-service'));
      const without = evaluateVisit({ ...f, proposedCodes: undefined, separateEvaluation: f.separateEvaluation }, c);
      const em = (code: string) => /^99[2-4]\d\d$/.test(code);
      expect(d.lines.filter((l) => !em(l.code)).map((l) => l.code)).toEqual(without.lines.filter((l) => !em(l.code)).map((l) => l.code));
    });
  });
  it('an E/M line only with a separate problem, and always with modifier 25', () => {
    property((f, _c, d) => {
      for (const l of d.lines.filter((x) => /^99[2-4]\d\d$/.test(x.code))) {
        expect(f.separateEvaluation.performed && !!f.separateEvaluation.reason?.trim()).toBe(true);
        expect(l.modifiers).toContain('25');
      }
    });
  });
  it('drug units always equal the descriptor arithmetic: ceil(dose in the descriptor\'s unit ÷ unit size)', () => {
    property((f, _c, d) => {
      if (f.drugs.length !== 1) return;
      const drug = f.drugs[0]!;
      if (drug.compounded) return;
      for (const l of d.lines.filter((x) => x.system === 'HCPCS' && !x.modifiers.includes('JW'))) {
        const row = hcpcsDrugCode(l.code);
        expect(row, l.code + ' comes from the code table').toBeDefined();
        if (!row || row.unitSize === undefined || row.unit === undefined) { expect(l.units).toBe(1); continue; }
        // independent arithmetic
        const toMg = (amount: number, unit: 'mg' | 'mcg') => (unit === 'mg' ? amount : amount / 1000);
        let doseMg: number | undefined;
        let doseMl: number | undefined;
        const conc = drug.concentration; // the policy reads no strength from a name (the intake does)
        if (drug.unit === 'mL') { doseMl = drug.amount; if (conc) doseMg = drug.amount * toMg(conc.amount, conc.unit) / conc.perMl; }
        else { doseMg = toMg(drug.amount, drug.unit); if (conc) doseMl = doseMg / (toMg(conc.amount, conc.unit) / conc.perMl); }
        const dose = row.unit === 'mL' ? doseMl : row.unit === 'mg' ? doseMg : doseMg! * 1000;
        expect(dose, 'a line needs a dose in ' + row.unit).toBeDefined();
        const want = Math.max(1, Math.ceil(dose! / row.unitSize - 1e-9));
        expect(l.units, l.code + ' for ' + drug.amount + ' ' + drug.unit).toBe(want);
      }
    });
  });
  it('no S code line under Medicare rules or for a Medicare payer', () => {
    property((f, c, d) => {
      const lob = c.lineOfBusiness !== 'unknown' ? c.lineOfBusiness : f.coverage.lineOfBusiness;
      const policy = f.policyId ?? c.policyId;
      if (lob === 'medicare' || lob === 'medicare-advantage' || policy === 'cms-medicare' || policy === 'icare-ma') {
        expect(d.lines.some((l) => /^S\d{4}$/.test(l.code))).toBe(false);
      }
    });
  });
  it('JZ and a JW line never both for one drug; never JW/JZ on a compounded line', () => {
    property((f, _c, d) => {
      for (const l of d.lines) expect(l.modifiers.includes('JW') && l.modifiers.includes('JZ')).toBe(false);
      const compoundCodes = new Set(['J7999', 'J7799', 'Q9977']);
      for (const l of d.lines.filter((x) => compoundCodes.has(x.code))) expect(l.modifiers.some((m) => m === 'JW' || m === 'JZ')).toBe(false);
      if (f.serviceDate < '2023-07-01') expect(d.lines.some((l) => l.modifiers.includes('JZ'))).toBe(false);
    });
  });
  it('a payer\'s text never appears on another payer\'s determination', () => {
    property((_f, _c, d) => {
      for (const part of [...d.lines, ...d.warnings, ...d.notCovered, ...d.checklist]) {
        for (const cit of part.citations) {
          const payer = payerOfCitation(cit);
          expect(payer === undefined || payer === d.policy.id, cit.source + ' on ' + d.policy.id).toBe(true);
        }
      }
    });
  });
});
