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
import { readStrengthTexts, type Concentration } from './strength.js';
import { CODE_SYSTEMS, codeSystemOf } from './systems.js';

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
  /** the strength found in the texts ("25 mg/mL"); absent when none, or when they give two */
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
  for (const t of texts) {
    for (const i of INGREDIENTS) if (i.names.test(t)) add(i.id);
  }
  const strength = readStrengthTexts(texts);
  const out: RecognizedDrug = { ingredients: found, rxnorm };
  if (hcpcs) out.hcpcs = hcpcs;
  if (strength.ok) out.concentration = strength.concentration;
  return out;
}

/**
 * Diluents and vehicles a pump syringe is made up in: never a drug of their own, nor the second drug that makes a
 * mixture "compounded" (only two or more active drugs do): sodium chloride 0.9% / (preservative-free) normal saline,
 * sterile water / water for injection, dextrose, lactated Ringer's, Elliott's B solution. Words that also name any
 * other substance are a drug ("baclofen in sodium chloride 0.9%", "ropivacaine in NS"): unknown words never make a diluent.
 */
const DILUENT = /\b(?:sodium chloride|(?:normal |physiologic(?:al)? )?saline|sterile water|water for injection|bacteriostatic water|(?:in )?water|dextrose|glucose|lactated ringer'?s?|ringer'?s(?: lactate| solution)?|elliott'?s b(?: solution)?|diluent|vehicle)\b/gi;
const DILUENT_ABBREVIATION = /\b(?:NS|NaCl|D5W|SWFI|WFI|LR)\b/g;
/** words that say nothing about what the substance is: form, route, packaging, strength */
const FILLER = /\b(?:in|with|and|for|of|plus|preservative[- ]?free|pf|usp|nf|injection|injectable|inj|solution|soln|sol|intrathecal|it|iv|epidural|sterile|flush|rinse|bag|vial|bottle|syringe|premix(?:ed)?|plain)\b|\d[\d.,]*\s*(?:%|[a-zµμ]+(?:\/[a-z]+)?\b)?/gi;
/** a diluent: diluent words and nothing else but form, route, packaging and strength words ("ropivacaine in sodium chloride" is a drug) */
export function isDiluent(text: string | undefined): boolean {
  if (!text) return false;
  const withoutDiluent = text.replace(DILUENT, ' ').replace(DILUENT_ABBREVIATION, ' ');
  if (withoutDiluent === text) return false;
  return !/[a-z]{2,}/i.test(withoutDiluent.replace(FILLER, ' '));
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
