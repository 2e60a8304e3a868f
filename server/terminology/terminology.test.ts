import { describe, expect, it } from 'vitest';
import {
  billingUnits, ceilUnits, codeSystemOf, compoundedCodeFor, hcpcsDrugCode, readStrengthValue, isPumpLineCode,
  looksLikeDrugCode, parseStrength, recognizeDrug, specificCodeFor, HCPCS_DRUG_CODES,
} from './index.js';

/** Medication.ingredient.strength → its concentration, or undefined when it reads as none */
const concentrationFromRatio = (v: unknown) => { const r = readStrengthValue(v); return r.ok ? r.concentration : undefined; };

describe('parseStrength', () => {
  it.each([
    ['Infumorph 25 mg/mL', { amount: 25, unit: 'mg', perMl: 1 }],
    ['baclofen 2,000 mcg/mL intrathecal', { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['20 ML baclofen 2 MG/ML Injection', { amount: 2, unit: 'mg', perMl: 1 }],
    ['Prialt 100 mcg per mL', { amount: 100, unit: 'mcg', perMl: 1 }],
    ['morphine 500 mg/20 mL', { amount: 500, unit: 'mg', perMl: 20 }],
    ['Duramorph 0.5 MG/ML', { amount: 0.5, unit: 'mg', perMl: 1 }],
    ['clonidine 500 µg/ml', { amount: 500, unit: 'mcg', perMl: 1 }],
  ])('%s', (text, want) => { expect(parseStrength(text)).toEqual(want); });
  it('no strength → undefined (never a guess)', () => {
    expect(parseStrength('baclofen intrathecal')).toBeUndefined();
    expect(parseStrength('40 mg')).toBeUndefined();
    expect(parseStrength('0 mg/mL')).toBeUndefined();
  });
});

describe('concentrationFromRatio (Medication.ingredient.strength)', () => {
  it('mg/mL, mcg/mL, g/L and per-20-mL ratios', () => {
    expect(concentrationFromRatio({ numerator: { value: 2000, code: 'ug' }, denominator: { value: 1, code: 'mL' } })).toEqual({ amount: 2000, unit: 'mcg', perMl: 1 });
    expect(concentrationFromRatio({ numerator: { value: 500, unit: 'mg' }, denominator: { value: 20, unit: 'mL' } })).toEqual({ amount: 500, unit: 'mg', perMl: 20 });
    expect(concentrationFromRatio({ numerator: { value: 1, code: 'g' }, denominator: { value: 1, code: 'L' } })).toEqual({ amount: 1000, unit: 'mg', perMl: 1000 });
  });
  it('anything else → undefined', () => {
    expect(concentrationFromRatio({ numerator: { value: 1, code: '[iU]' }, denominator: { value: 1, code: 'mL' } })).toBeUndefined();
    expect(concentrationFromRatio({ numerator: { value: 'x' } })).toBeUndefined();
    expect(concentrationFromRatio(null)).toBeUndefined();
  });
});

describe('recognizeDrug', () => {
  it('by product name, RxNorm ingredient and HCPCS code', () => {
    expect(recognizeDrug({ texts: ['Lioresal Intrathecal'] }).ingredients).toEqual(['baclofen']);
    expect(recognizeDrug({ texts: ['Dilaudid-HP 10 mg/mL'] })).toMatchObject({ ingredients: ['hydromorphone'], concentration: { amount: 10, unit: 'mg', perMl: 1 } });
    expect(recognizeDrug({ codings: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7052' }] }).ingredients).toEqual(['morphine']);
    expect(recognizeDrug({ codings: [{ system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'j2278' }] })).toMatchObject({ ingredients: ['ziconotide'], hcpcs: 'J2278' });
    expect(recognizeDrug({ texts: ['Sublimaze'] }).ingredients).toEqual(['fentanyl']);
    expect(recognizeDrug({ texts: ['morphine + bupivacaine compounded'] }).ingredients).toEqual(['morphine', 'bupivacaine']);
  });
  it('an unknown local code or name is simply not recognised', () => {
    expect(recognizeDrug({ codings: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.698288', code: '12345', display: 'PUMP REFILL MED' }] }).ingredients).toEqual([]);
  });
});

describe('the code by date of service', () => {
  it('morphine: J2275 before 2014-07, Q9974 in 2014-H2, J2274 from 2015', () => {
    expect(specificCodeFor('morphine', '2014-03-01')?.code).toBe('J2275');
    expect(specificCodeFor('morphine', '2014-09-01')?.code).toBe('Q9974');
    expect(specificCodeFor('morphine', '2024-06-03')?.code).toBe('J2274');
  });
  it('baclofen trial → J0476, refill → J0475; unconfirmed rows (J1171, J0665) never chosen', () => {
    expect(specificCodeFor('baclofen', '2024-06-03', { trial: true })?.code).toBe('J0476');
    expect(specificCodeFor('baclofen', '2024-06-03')?.code).toBe('J0475');
    expect(specificCodeFor('hydromorphone', '2025-01-01')?.code).toBe('J1170');
    expect(specificCodeFor('bupivacaine', '2025-01-01')).toBeUndefined();
    expect(specificCodeFor('sufentanil', '2025-01-01')).toBeUndefined();
  });
  it('compounded: the option, Q9977 in 2015-H2, J3490 before', () => {
    expect(compoundedCodeFor('J7999', '2024-01-01').code).toBe('J7999');
    expect(compoundedCodeFor('J7999', '2015-09-01').code).toBe('Q9977');
    expect(compoundedCodeFor('J7999', '2015-01-01').code).toBe('J3490');
    expect(compoundedCodeFor('J7799', '2024-01-01').code).toBe('J7799');
  });
});

describe('billingUnits', () => {
  const j = (c: string) => hcpcsDrugCode(c)!;
  it('ceil(dose in the descriptor unit ÷ unit size), with the arithmetic', () => {
    expect(billingUnits(j('J0475'), { amount: 40, unit: 'mg' })).toMatchObject({ ok: true, units: 4, arithmetic: '40 mg ÷ 10 mg = 4 units' });
    expect(billingUnits(j('J0475'), { amount: 40000, unit: 'mcg' })).toMatchObject({ ok: true, units: 4 });
    expect(billingUnits(j('J3010'), { amount: 1000, unit: 'mcg' })).toMatchObject({ ok: true, units: 10 });
    // a dose no claim line can carry is said, never a non-integer (Infinity → null in JSON) unit count
    expect(billingUnits(j('J2278'), { amount: 1e308, unit: 'mg' })).toMatchObject({ ok: false, missing: 'amount' });
    expect(billingUnits(j('J3010'), { amount: 250, unit: 'mcg' })).toMatchObject({ ok: true, units: 3 });
    expect(billingUnits(j('J1170'), { amount: 10, unit: 'mg' })).toMatchObject({ ok: true, units: 3 });
    expect(billingUnits(j('J0476'), { amount: 100, unit: 'mcg' })).toMatchObject({ ok: true, units: 2 });
    expect(billingUnits(j('J0735'), { amount: 10, unit: 'mL', concentration: { amount: 500, unit: 'mcg', perMl: 1 } })).toMatchObject({ ok: true, units: 5, arithmetic: '10 mL × 500 mcg/mL = 5,000 mcg = 5 mg; 5 mg ÷ 1 mg = 5 units' });
    expect(billingUnits(j('S0020'), { amount: 150, unit: 'mg', concentration: { amount: 5, unit: 'mg', perMl: 1 } })).toMatchObject({ ok: true, units: 1 });
  });
  it('binary fractions do not add a unit (1.1 mg of fentanyl = 11 units)', () => {
    expect(billingUnits(j('J3010'), { amount: 1.1, unit: 'mg' })).toMatchObject({ units: 11 });
    expect(ceilUnits(11.000000000000002)).toBe(11);
    expect(ceilUnits(10.2)).toBe(11);
  });
  it('mL without a concentration is never units', () => {
    expect(billingUnits(j('J2274'), { amount: 20, unit: 'mL' })).toMatchObject({ ok: false, missing: 'concentration' });
  });
});

describe('the table', () => {
  it('every row is well formed: unit size with a unit, dates ordered, citations', () => {
    for (const r of HCPCS_DRUG_CODES) {
      expect(r.code).toMatch(/^[A-Z]\d{4}$/);
      expect((r.unitSize === undefined) === (r.unit === undefined)).toBe(true);
      if (r.validFrom && r.validTo) expect(r.validFrom <= r.validTo).toBe(true);
      expect(r.citations.length).toBeGreaterThan(0);
      if (/^S/.test(r.code)) expect(r.medicarePayable).toBe(false);
    }
  });
  it('systems, drug codes and pump lines', () => {
    expect(codeSystemOf('https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets')).toBe('hcpcs');
    expect(codeSystemOf('urn:oid:2.16.840.1.113883.6.90')).toBe('icd10cm');
    expect(looksLikeDrugCode('S0092')).toBe(true);
    expect(looksLikeDrugCode('S9328')).toBe(false);
    expect(looksLikeDrugCode('J9999')).toBe(true);
    expect(isPumpLineCode('62370') && isPumpLineCode('E0783') && !isPumpLineCode('J2274')).toBe(true);
  });
});
