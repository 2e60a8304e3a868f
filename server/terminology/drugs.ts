/**
 * Drug recognition (ingredient and product names, RxNorm ingredient codes, HCPCS codes on the record),
 * strength parsing, and the code for a drug on a date of service. Pure functions the policy engine and the
 * FHIR extraction share.
 *
 * RxNorm ingredient codes (research/drug-codes.md §6): only the rows marked Confirmed are here —
 * morphine 7052, fentanyl 4337, hydromorphone 3423, sufentanil 56795, baclofen 1292, clonidine 2599 — plus
 * Infumorph 892532 (terminology.md, Confirmed). Ziconotide (68503) and bupivacaine (1815) rest on one source
 * each and are left out: those drugs are recognised by name only.
 */
import type { Citation } from '../contracts/index.js';
import { hcpcsDrugCode, HCPCS_DRUG_CODES, TERMINOLOGY_CITATIONS, validOn, type HcpcsDrugCode, type IngredientId } from './codes.js';
import { CODE_SYSTEMS, codeSystemOf } from './systems.js';

export interface Concentration { amount: number; unit: 'mg' | 'mcg'; perMl: number }

export interface IngredientInfo {
  id: IngredientId;
  /** what people call it in messages */
  label: string;
  /** name and product patterns (word-bounded, case-insensitive) */
  names: RegExp;
  rxnorm: readonly string[];
  /** the FDA labels of the pump products say single-dose / single use (drug-codes.md §2.8) */
  singleDoseLabel: boolean;
}

export const INGREDIENTS: readonly IngredientInfo[] = Object.freeze([
  { id: 'baclofen', label: 'baclofen', names: /\b(baclofen|lioresal|gablofen)\b/i, rxnorm: ['1292'], singleDoseLabel: true },
  { id: 'ziconotide', label: 'ziconotide', names: /\b(ziconotide|prialt)\b/i, rxnorm: [], singleDoseLabel: true },
  { id: 'morphine', label: 'morphine (preservative-free)', names: /\b(morphine|infumorph|duramorph|mitigo)\b/i, rxnorm: ['7052', '892532'], singleDoseLabel: true },
  { id: 'hydromorphone', label: 'hydromorphone', names: /\b(hydromorphone|dilaudid(?:[- ]?hp)?)\b/i, rxnorm: ['3423'], singleDoseLabel: false },
  { id: 'clonidine', label: 'clonidine', names: /\b(clonidine|duraclon)\b/i, rxnorm: ['2599'], singleDoseLabel: true },
  { id: 'fentanyl', label: 'fentanyl', names: /\b(fentanyl|sublimaze)\b/i, rxnorm: ['4337'], singleDoseLabel: false },
  { id: 'sufentanil', label: 'sufentanil', names: /\b(sufentanil|sufenta)\b/i, rxnorm: ['56795'], singleDoseLabel: false },
  { id: 'bupivacaine', label: 'bupivacaine', names: /\b(bupivacaine|bupivicaine|marcaine|sensorcaine)\b/i, rxnorm: [], singleDoseLabel: false },
]);

const INGREDIENT_BY_ID = new Map(INGREDIENTS.map((i) => [i.id, i]));
export const ingredientInfo = (id: IngredientId): IngredientInfo => INGREDIENT_BY_ID.get(id)!;

export interface CodingLike { system?: string; code?: string; display?: string }

export interface RecognizedDrug {
  /** every ingredient found, in the order found */
  ingredients: IngredientId[];
  /** the HCPCS drug code on the record, when one is given */
  hcpcs?: string;
  /** RxNorm codes that named an ingredient */
  rxnorm: string[];
  /** a strength found in the texts ("25 mg/mL") */
  concentration?: Concentration;
}

/** Recognise a drug from its codings (RxNorm, HCPCS, any system's display) and free texts (names, notes). */
export function recognizeDrug(input: { codings?: readonly CodingLike[]; texts?: readonly (string | undefined)[] }): RecognizedDrug {
  const found: IngredientId[] = [];
  const add = (id: IngredientId | undefined) => { if (id && !found.includes(id)) found.push(id); };
  const rxnorm: string[] = [];
  let hcpcs: string | undefined;
  const texts: string[] = [];
  for (const c of input.codings ?? []) {
    const system = codeSystemOf(c.system, c.code);
    const code = c.code?.trim();
    if (system === 'rxnorm' && code) {
      const hit = INGREDIENTS.find((i) => i.rxnorm.includes(code));
      if (hit) { add(hit.id); rxnorm.push(code); }
    } else if (system === 'hcpcs' && code && !hcpcs) {
      hcpcs = code.toUpperCase();
      add(hcpcsDrugCode(hcpcs)?.ingredient);
    }
    if (c.display) texts.push(c.display);
  }
  for (const t of input.texts ?? []) if (t) texts.push(t);
  let concentration: Concentration | undefined;
  for (const t of texts) {
    for (const i of INGREDIENTS) if (i.names.test(t)) add(i.id);
    concentration ??= parseStrength(t);
  }
  const out: RecognizedDrug = { ingredients: found, rxnorm };
  if (hcpcs) out.hcpcs = hcpcs;
  if (concentration) out.concentration = concentration;
  return out;
}

/** ingredients named in a drug's name and ingredient list (the policy side of recognizeDrug) */
const INGREDIENTS_CACHE = new Map<string, IngredientId[]>();
export function ingredientsOf(drug: { name: string; ingredients?: readonly string[]; hcpcs?: string }): IngredientId[] {
  const key = drug.name + '\u0000' + (drug.ingredients?.join('\u0000') ?? '') + '\u0000' + (drug.hcpcs ?? '');
  const cached = INGREDIENTS_CACHE.get(key);
  if (cached) return cached;
  const found = recognizeDrug({ texts: [drug.name, ...(drug.ingredients ?? [])], codings: drug.hcpcs ? [{ system: CODE_SYSTEMS.hcpcs.write, code: drug.hcpcs }] : [] }).ingredients;
  if (INGREDIENTS_CACHE.size >= 5_000) INGREDIENTS_CACHE.clear();
  INGREDIENTS_CACHE.set(key, Object.freeze(found) as IngredientId[]);
  return found;
}

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)`;
const MASS = String.raw`(mg|mcg|µg|μg|ug|microgram(?:s)?|milligram(?:s)?)`;
const STRENGTH = new RegExp(NUMBER + String.raw`\s*` + MASS + String.raw`\s*(?:/|per|in)\s*` + String.raw`(?:` + NUMBER + String.raw`\s*)?(ml|milliliter(?:s)?|millilitre(?:s)?|cc)\b`, 'i');

const toNumber = (s: string): number => Number(s.replace(/,/g, ''));
const massUnit = (s: string): 'mg' | 'mcg' => (/^(mg|milligram)/i.test(s) ? 'mg' : 'mcg');

/** "25 mg/mL", "2,000 mcg/mL", "500 MCG per ML", "10 mg/20 mL", "0.5 MG/ML" → a concentration; undefined otherwise */
export function parseStrength(text: string | undefined): Concentration | undefined {
  if (!text) return undefined;
  const m = STRENGTH.exec(text);
  if (!m) return undefined;
  const amount = toNumber(m[1]!);
  const perMl = m[3] ? toNumber(m[3]) : 1;
  if (!(amount > 0) || !(perMl > 0) || !Number.isFinite(amount) || !Number.isFinite(perMl)) return undefined;
  return { amount, unit: massUnit(m[2]!), perMl };
}

/** a FHIR Ratio (Medication.ingredient.strength) → concentration, when numerator is mg/mcg/g and denominator mL/L */
export function concentrationFromRatio(ratio: unknown): Concentration | undefined {
  if (!ratio || typeof ratio !== 'object') return undefined;
  const r = ratio as { numerator?: { value?: unknown; unit?: unknown; code?: unknown }; denominator?: { value?: unknown; unit?: unknown; code?: unknown } };
  const nv = typeof r.numerator?.value === 'number' ? r.numerator.value : undefined;
  const dv = r.denominator === undefined ? 1 : typeof r.denominator.value === 'number' ? r.denominator.value : undefined;
  const nu = String(r.numerator?.code ?? r.numerator?.unit ?? '').trim().toLowerCase();
  const du = r.denominator === undefined ? 'ml' : String(r.denominator.code ?? r.denominator.unit ?? '').trim().toLowerCase();
  if (nv === undefined || dv === undefined || !(nv > 0) || !(dv > 0)) return undefined;
  const perMl = du === 'ml' ? dv : du === 'l' ? dv * 1000 : undefined;
  if (perMl === undefined) return undefined;
  if (nu === 'mg') return { amount: nv, unit: 'mg', perMl };
  if (nu === 'g') return { amount: nv * 1000, unit: 'mg', perMl };
  if (nu === 'ug' || nu === 'mcg' || nu === 'µg' || nu === 'μg') return { amount: nv, unit: 'mcg', perMl };
  return undefined;
}

// ------------------------------------------------------------------ the code for a drug on a date

export interface CodeChoice { row: HcpcsDrugCode; citations: Citation[] }

const SPECIFIC_BY_INGREDIENT = new Map<IngredientId, HcpcsDrugCode[]>();
for (const r of HCPCS_DRUG_CODES) {
  if (r.ingredient && r.kind === 'specific' && r.confirmed) SPECIFIC_BY_INGREDIENT.set(r.ingredient, [...(SPECIFIC_BY_INGREDIENT.get(r.ingredient) ?? []), r]);
}

/** The sourced specific code for an ingredient on the date of service (confirmed rows only); trial → J0476. */
export function specificCodeFor(ingredient: IngredientId, serviceDate: string, opts: { trial?: boolean } = {}): HcpcsDrugCode | undefined {
  const rows = SPECIFIC_BY_INGREDIENT.get(ingredient) ?? [];
  if (opts.trial) {
    for (const r of rows) if (r.trialOnly && validOn(r, serviceDate)) return r;
  }
  for (const r of rows) if (!r.trialOnly && validOn(r, serviceDate)) return r;
  return undefined;
}

/** the compounded-drug code valid on the date: the option (default J7999), Q9977 in 2015-H2, else J3490 */
export function compoundedCodeFor(preferred: 'J7999' | 'J7799' | 'J3490', serviceDate: string): HcpcsDrugCode {
  const want = hcpcsDrugCode(preferred)!;
  if (validOn(want, serviceDate)) return want;
  const q = hcpcsDrugCode('Q9977')!;
  return validOn(q, serviceDate) ? q : hcpcsDrugCode('J3490')!;
}

export const SINGLE_DOSE_LABEL_CITATION = TERMINOLOGY_CITATIONS.labelsSingleDose;
