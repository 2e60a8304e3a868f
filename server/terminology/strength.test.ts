/**
 * The one strength parser (strength.ts) on real-shaped inputs: product names and displays as Epic, Oracle Health,
 * RxNorm and Synthea write them, Medication.ingredient.strength Ratios with UCUM codes, R5 Quantities — and the
 * inputs it must refuse (ambiguous, no denominator, not a mass), for which the product says "not recorded".
 */
import { describe, expect, it } from 'vitest';
import { isDiluent, parseStrength, readAmount, readRateMlPerDay, readStrengthText, readStrengthValue, strengthOf } from './index.js';

/** Medication.ingredient.strength → its concentration, or undefined when it reads as none */
const concentrationFromRatio = (v: unknown) => { const r = readStrengthValue(v); return r.ok ? r.concentration : undefined; };

const UCUM = 'http://unitsofmeasure.org';
const q = (value: number, code: string, unit = code) => ({ value, unit, system: UCUM, code });

describe('strengths in words', () => {
  it.each([
    ['Infumorph 25 mg/mL', { amount: 25, unit: 'mg', perMl: 1 }],
    ['baclofen 2000 mcg/mL intrathecal', { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['baclofen 2,000 mcg/mL intrathecal', { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['Gablofen 1,000 mcg/mL', { amount: 1000, unit: 'mcg', perMl: 1 }],
    ['20 ML baclofen 2 MG/ML Injection', { amount: 2, unit: 'mg', perMl: 1 }], // RxNorm SCD name
    ['BACLOFEN 2000 MCG/ML INTRATHECAL SOLN', { amount: 2000, unit: 'mcg', perMl: 1 }], // Epic ERX name
    ['Prialt 100 mcg per mL', { amount: 100, unit: 'mcg', perMl: 1 }],
    ['morphine 500 mg/20 mL', { amount: 500, unit: 'mg', perMl: 20 }],
    ['morphine 500 mg in 20 mL preservative-free', { amount: 500, unit: 'mg', perMl: 20 }],
    ['Duramorph 0.5 MG/ML', { amount: 0.5, unit: 'mg', perMl: 1 }],
    ['Duramorph .5 mg/mL', { amount: 0.5, unit: 'mg', perMl: 1 }],
    ['clonidine 500 µg/ml', { amount: 500, unit: 'mcg', perMl: 1 }],
    ['clonidine 500 μg/ml', { amount: 500, unit: 'mcg', perMl: 1 }], // Greek mu, not the micro sign
    ['clonidine 100 ug/mL', { amount: 100, unit: 'mcg', perMl: 1 }],
    ['ziconotide 25 micrograms/millilitre', { amount: 25, unit: 'mcg', perMl: 1 }],
    ['baclofen 2000mcg/mL', { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['baclofen 2 mg / 1 mL', { amount: 2, unit: 'mg', perMl: 1 }],
    ['hydromorphone 10 mg/cc', { amount: 10, unit: 'mg', perMl: 1 }],
    ['hydromorphone 10 mg/cm3', { amount: 10, unit: 'mg', perMl: 1 }],
    ['baclofen 2 g/L', { amount: 2000, unit: 'mg', perMl: 1000 }],
    ['baclofen 1 g/500 mL', { amount: 1000, unit: 'mg', perMl: 500 }],
    ['Gablofen 40 mg/20 mL (2,000 mcg/mL)', { amount: 40, unit: 'mg', perMl: 20 }], // two ways of saying the same strength
  ])('%s', (text, want) => { expect(parseStrength(text)).toEqual(want); });

  it.each([
    ['baclofen intrathecal', 'none'],
    ['40 mg', 'none'],
    ['baclofen 2000 mcg', 'none'],
    ['0 mg/mL', 'none'],
    ['baclofen 100 mcg/day', 'none'], // a rate, not a strength
    ['fentanyl 2 mcg/kg', 'none'],
    ['baclofen 2000 mcg/', 'no-denominator'],
    ['baclofen 40 mg/20', 'no-denominator'],
    ['morphine 10 mg/mL + bupivacaine 5 mg/mL', 'ambiguous'],
    ['baclofen 500 mcg/mL or 2000 mcg/mL', 'ambiguous'],
    ['morphine 1-2 mg/mL', 'ambiguous'],
    ['morphine 1 to 2 mg/mL', 'ambiguous'],
    ['morphine 2,5 mg/mL', 'ambiguous'], // a decimal comma is not 25
  ])('%s → refused (%s)', (text, reason) => {
    const r = readStrengthText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
    expect(parseStrength(text)).toBeUndefined();
  });
});

describe('Medication.ingredient.strength (Ratio, Quantity, CodeableConcept)', () => {
  it.each([
    ['UCUM ug per mL (Oracle Health)', { numerator: q(2000, 'ug'), denominator: q(1, 'mL') }, { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['unit text mcg, UCUM code ug', { numerator: q(500, 'ug', 'mcg'), denominator: q(1, 'mL') }, { amount: 500, unit: 'mcg', perMl: 1 }],
    ['mg per 20 mL, unit only (Epic)', { numerator: { value: 500, unit: 'mg' }, denominator: { value: 20, unit: 'mL' } }, { amount: 500, unit: 'mg', perMl: 20 }],
    ['Oracle Health unit text "milliliter (iso1000)"', { numerator: { value: 20, unit: 'milligram', system: UCUM, code: 'mg' }, denominator: { value: 1, unit: 'milliliter (iso1000)' } }, { amount: 20, unit: 'mg', perMl: 1 }],
    ['g per L', { numerator: q(1, 'g'), denominator: q(1, 'L') }, { amount: 1000, unit: 'mg', perMl: 1000 }],
    ['mg per cm3', { numerator: q(25, 'mg'), denominator: q(1, 'cm3') }, { amount: 25, unit: 'mg', perMl: 1 }],
    ['mg per cc (unit text)', { numerator: { value: 25, unit: 'MG' }, denominator: { value: 1, unit: 'cc' } }, { amount: 25, unit: 'mg', perMl: 1 }],
    ['UCUM annotation mg{base}', { numerator: q(10, 'mg{base}', 'mg'), denominator: q(1, 'mL') }, { amount: 10, unit: 'mg', perMl: 1 }],
    ['a local unit system: the unit text counts', { numerator: { value: 2, unit: 'mg', system: 'urn:oid:1.2.840.114350.1.13.0.1.7.4.698288.310', code: '1' }, denominator: { value: 1, unit: 'mL' } }, { amount: 2, unit: 'mg', perMl: 1 }],
    ['R5 Quantity mg/mL', q(25, 'mg/mL'), { amount: 25, unit: 'mg', perMl: 1 }],
    ['R5 Quantity ug/mL', q(2000, 'ug/mL'), { amount: 2000, unit: 'mcg', perMl: 1 }],
    ['R5 CodeableConcept text', { text: '2 mg/mL' }, { amount: 2, unit: 'mg', perMl: 1 }],
  ])('%s', (_name, v, want) => {
    expect(concentrationFromRatio(v)).toEqual(want);
    const r = readStrengthValue(v);
    expect(r.ok && r.from).toBe('structured');
  });

  it.each([
    ['no denominator (never taken as per mL)', { numerator: q(2000, 'ug') }, 'no-denominator'],
    ['a denominator without a value', { numerator: q(2000, 'ug'), denominator: { unit: 'mL', code: 'mL', system: UCUM } }, 'no-denominator'],
    ['a denominator that is not a volume', { numerator: q(10, 'mg'), denominator: { value: 1, unit: 'vial', code: '{vial}', system: UCUM } }, 'no-denominator'],
    ['a mass Quantity with no volume', q(2000, 'ug'), 'no-denominator'],
    ['unit text and UCUM code disagree (mcg vs mg)', { numerator: q(2000, 'mg', 'mcg'), denominator: q(1, 'mL') }, 'ambiguous'],
    ['international units', { numerator: q(1, '[iU]'), denominator: q(1, 'mL') }, 'not-a-mass'],
    ['percent', { numerator: q(0.9, '%'), denominator: q(1, 'mL') }, 'not-a-mass'],
  ])('%s → refused (%s)', (_name, v, reason) => {
    const r = readStrengthValue(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
    expect(concentrationFromRatio(v)).toBeUndefined();
  });
  it('junk never throws', () => {
    for (const v of [null, undefined, 'x', 3, [], { numerator: { value: 'x' } }, { numerator: q(-1, 'mg'), denominator: q(1, 'mL') }, { numerator: q(1, 'mg'), denominator: q(0, 'mL') }]) {
      expect(concentrationFromRatio(v)).toBeUndefined();
    }
  });
});

describe('strengthOf: the structured strength against the words', () => {
  it('the structured strength wins when the words agree or say nothing', () => {
    expect(strengthOf({ structured: { numerator: q(2, 'mg'), denominator: q(1, 'mL') }, texts: ['Baclofen 2,000 mcg/mL intrathecal'] })).toMatchObject({ ok: true, from: 'structured', concentration: { amount: 2, unit: 'mg', perMl: 1 } });
    expect(strengthOf({ structured: { numerator: q(2, 'mg'), denominator: q(1, 'mL') }, texts: ['Baclofen intrathecal'] })).toMatchObject({ ok: true, from: 'structured' });
  });
  it('the words answer when there is no structured strength', () => {
    expect(strengthOf({ texts: ['Baclofen intrathecal', 'baclofen 500 mcg/mL'] })).toMatchObject({ ok: true, from: 'text', concentration: { amount: 500, unit: 'mcg', perMl: 1 } });
  });
  it('a structured strength against a different one in the words, or two different words, is refused', () => {
    expect(strengthOf({ structured: { numerator: q(2000, 'ug'), denominator: q(1, 'mL') }, texts: ['baclofen 500 mcg/mL'] })).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(strengthOf({ texts: ['baclofen 500 mcg/mL', 'Gablofen 2000 mcg/mL'] })).toMatchObject({ ok: false, reason: 'ambiguous' });
  });
  it('a structured strength with no denominator is refused, unless the words give one', () => {
    expect(strengthOf({ structured: { numerator: q(2000, 'ug') }, texts: ['Baclofen intrathecal'] })).toMatchObject({ ok: false, reason: 'no-denominator' });
    expect(strengthOf({ structured: { numerator: q(2000, 'ug') }, texts: ['Baclofen 2000 mcg/mL'] })).toMatchObject({ ok: true, from: 'text' });
  });
});

describe('isDiluent: words that name only a diluent or vehicle', () => {
  it.each([
    'sodium chloride 0.9% (preservative-free)', 'Sodium Chloride 0.9 % Injection Solution', 'PF NS', 'NS 0.9%',
    'Sterile Water for Injection, USP', 'Normal saline (NS) 0.9%', 'preservative-free normal saline', 'SODIUM CHLORIDE 0.9 % IV FLUSH', 'dextrose 5% in water (D5W)',
  ])('%s is a diluent', (text) => { expect(isDiluent(text)).toBe(true); });
  it.each([
    'baclofen in NS', 'Baclofen in sodium chloride 0.9%', 'ropivacaine in sodium chloride 0.9%', 'bupivacaine in dextrose 8.25%', 'morphine', '', 'NSAID',
  ])('%s is not', (text) => { expect(isDiluent(text)).toBe(false); });
});

describe('readAmount (Dosage.dose): the same unit tables as the strengths', () => {
  it.each([
    [q(20, 'mL'), { ok: true, amount: 20, unit: 'mL' }],
    [{ value: 20, unit: 'cc' }, { ok: true, amount: 20, unit: 'mL' }],
    [{ value: 20, unit: 'milliliter (iso1000)', system: UCUM, code: 'mL' }, { ok: true, amount: 20, unit: 'mL' }],
    [{ value: 2, unit: 'milligram' }, { ok: true, amount: 2, unit: 'mg' }],
    [{ value: 500, unit: 'MCG' }, { ok: true, amount: 500, unit: 'mcg' }],
    [q(500, 'ug', 'microgram'), { ok: true, amount: 500, unit: 'mcg' }],
    [q(0.04, 'g'), { ok: true, amount: 40, unit: 'mg' }],
    [q(40000, 'ng'), { ok: true, amount: 40, unit: 'mcg' }],
    [q(0.02, 'L'), { ok: true, amount: 20, unit: 'mL' }],
  ])('%o', (dose, want) => { expect(readAmount(dose)).toEqual(want); });
  it.each([
    [q(500, 'mg', 'mcg')], [{ value: 2, unit: 'tablet' }], [{ value: 2 }], [{ unit: 'mg' }], [q(-1, 'mg')], [null],
  ])('%o → refused', (dose) => { expect(readAmount(dose).ok).toBe(false); });
});

describe('readRateMlPerDay (MedicationAdministration.dosage.rate[x])', () => {
  it.each([
    [q(0.5, 'mL/d'), 0.5, false],
    [{ value: 0.35, unit: 'milliliter per day', system: UCUM, code: 'mL/d' }, 0.35, false],
    [{ value: 0.5, unit: 'mL/day' }, 0.5, false],
    [{ value: 0.5, unit: 'mL/24 h' }, 0.5, false],
    [q(0.5, 'mL/(24.h)'), 0.5, false],
    [q(0.02, 'mL/h'), 0.48, true],
    [{ value: 0.02, unit: 'mL/hr' }, 0.48, true],
    [{ numerator: q(0.5, 'mL'), denominator: q(1, 'd') }, 0.5, false],
    [{ numerator: q(1, 'mL'), denominator: q(2, 'd') }, 0.5, false],
  ])('%o → %s mL/day', (rate, want, perHour) => { expect(readRateMlPerDay(rate)).toEqual({ mlPerDay: want, perHour }); });
  it.each([[q(400, 'ug/d')], [{ value: 0.5, unit: 'mL' }], [q(0, 'mL/d')], [{ numerator: q(0.5, 'mL') }], [null]])('%o → undefined', (rate) => {
    expect(readRateMlPerDay(rate)).toBeUndefined();
  });
});
