/**
 * Billing units from a dose: units = ceil(dose in the descriptor's unit ÷ unit size) (CGS: "round up to the
 * nearest whole number"). A dose in mL needs the concentration; mL is never counted as units.
 * Every result carries the arithmetic as people read it: "20 mL × 2 mg/mL = 40 mg; 40 mg ÷ 10 mg = 4 units".
 */
import type { HcpcsDrugCode, DoseUnit } from './codes.js';
import type { Concentration } from './strength.js';

export interface Dose { amount: number; unit: DoseUnit; concentration?: Concentration | undefined }

export type UnitsResult =
  | { ok: true; units: number; exact: number; quantity: number; arithmetic: string }
  | { ok: false; missing: 'concentration' | 'unit-size' | 'amount'; message: string };

/** 1234.5 → "1,234.5" (at most 6 decimals); no Intl (toLocaleString is slow on the hot path) */
export function formatAmount(n: number): string {
  const r = Math.round(n * 1e6) / 1e6;
  if (r > -1000 && r < 1000) return String(r);
  const [int, frac] = String(Math.abs(r)).split('.');
  if (!/^\d+$/.test(int ?? '')) return String(r); // exponent forms: leave as is
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (r < 0 ? '-' : '') + grouped + (frac ? '.' + frac : '');
}
const fmt = formatAmount;
const unitWord = (u: DoseUnit): string => u;

/** the dose expressed in `target` (mg, mcg or mL), with the conversion written out; undefined when it cannot be */
export function doseIn(dose: Dose, target: DoseUnit): { value: number; text: string } | undefined {
  const { amount, unit, concentration } = dose;
  if (unit === target) return { value: amount, text: fmt(amount) + ' ' + unitWord(unit) };
  if (unit !== 'mL' && target !== 'mL') {
    const value = unit === 'mg' ? amount * 1000 : amount / 1000;
    return { value, text: fmt(amount) + ' ' + unit + ' = ' + fmt(value) + ' ' + target };
  }
  if (!concentration) return undefined;
  const perMlInConcUnit = concentration.amount / concentration.perMl;
  const concText = fmt(concentration.amount) + ' ' + concentration.unit + '/' + (concentration.perMl === 1 ? '' : fmt(concentration.perMl) + ' ') + 'mL';
  if (unit === 'mL') {
    // mL → mass in the concentration's unit, then to the target
    const mass = amount * perMlInConcUnit;
    const value = concentration.unit === target ? mass : target === 'mg' ? mass / 1000 : mass * 1000;
    return { value, text: fmt(amount) + ' mL × ' + concText + ' = ' + fmt(mass) + ' ' + concentration.unit + (concentration.unit === target ? '' : ' = ' + fmt(value) + ' ' + target) };
  }
  // mass → mL (descriptors per mL, e.g. S0020 per 30 mL)
  const inConcUnit = unit === concentration.unit ? amount : unit === 'mg' ? amount * 1000 : amount / 1000;
  const value = inConcUnit / perMlInConcUnit;
  return { value, text: fmt(amount) + ' ' + unit + ' ÷ ' + concText + ' = ' + fmt(value) + ' mL' };
}

/** ceil with a tolerance for binary fractions (1.1 ÷ 0.1 is 11.000000000000002, still 11 units) */
export function ceilUnits(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : Math.ceil(x);
}

export function billingUnits(row: HcpcsDrugCode, dose: Dose): UnitsResult {
  if (row.unitSize === undefined || row.unit === undefined) {
    return { ok: false, missing: 'unit-size', message: row.code + ' (' + row.descriptor + ') has no unit size: it is billed as 1 unit with the drug, NDC and dose in the claim note.' };
  }
  if (!(dose.amount > 0)) return { ok: false, missing: 'amount', message: 'The amount given is not recorded.' };
  const inUnit = doseIn(dose, row.unit);
  if (!inUnit) {
    return {
      ok: false, missing: 'concentration',
      message: 'The dose is recorded as ' + fmt(dose.amount) + ' ' + dose.unit + ' but the concentration (mg/mL or mcg/mL) is not on the record, so the ' + row.code + ' units (' + (row.upTo ? 'up to ' : 'per ') + fmt(row.unitSize) + ' ' + row.unit + ') cannot be computed.',
    };
  }
  const exact = inUnit.value / row.unitSize;
  const units = Math.max(1, ceilUnits(exact));
  if (!Number.isSafeInteger(units)) {
    return { ok: false, missing: 'amount', message: 'The dose recorded (' + fmt(dose.amount) + ' ' + dose.unit + ') gives more ' + row.code + ' units than a claim line can carry: check the amount and its unit.' };
  }
  const size = fmt(row.unitSize) + ' ' + row.unit;
  const quotient = fmt(inUnit.value) + ' ' + row.unit + ' ÷ ' + size + (row.upTo ? ' (up to ' + size + ' per unit)' : '');
  const result = Math.abs(exact - units) < 1e-9
    ? quotient + ' = ' + units + ' unit' + (units === 1 ? '' : 's')
    : quotient + ' = ' + fmt(exact) + ', rounded up to ' + units + ' unit' + (units === 1 ? '' : 's');
  const conversion = inUnit.text.includes('=') ? inUnit.text + '; ' : '';
  return { ok: true, units, exact, quantity: inUnit.value, arithmetic: conversion + result };
}
