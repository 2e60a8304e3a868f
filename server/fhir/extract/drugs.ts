/**
 * drugs and dailyVolumeMl: today's MedicationAdministrations (or undated ones), less diluent-only ones (a saline
 * flush). Dose in mg / mcg / mL (g → mg), strength (the code table's one parser: the single active ingredient's
 * strength, checked against the words), HCPCS drug code, compounded or not (two or more ACTIVE drugs; diluents and
 * isActive:false ingredients do not count), who purchased it (from the notes), and the programmed rate in mL/d.
 */
import type { Drug, VisitFacts } from '../../contracts/index.js';
import { MAX_DRUG_AMOUNT } from '../../contracts/plain.js';
import { isCodeOf, isDiluent, readAmount, readRateMlPerDay, recognizeDrug, strengthOf } from '../../terminology/index.js';
import { conceptTexts } from './concept.js';
import { isConflict, quoted, readContainer, readPurchaser, readWaste, sentencesOf } from './notes.js';
import { ccText, clip, codesOf, codings, notesText, num, obj, objs, str, usable, type Resource } from './record.js';
import { guarded, type Sources } from './sources.js';
import type { Visit } from './visit.js';

/**
 * The visit's MedicationAdministrations: by encounter reference first (R4 `context`, or `encounter`), by local date
 * second; an administration that names another encounter is not this visit's, even the same day (an IV
 * antiemetic at an infusion visit never makes the pump intravenous). Undated, unlinked ones count only when
 * nothing else links the visit.
 */
export function todaysMedicationAdministrations(visit: Visit): Resource[] {
  const all = visit.index.ofType('MedicationAdministration').filter(usable);
  const linked = all.filter((m) => visit.inVisit([m.context, m.encounter], [m.effectiveDateTime, obj(m.effectivePeriod).start]));
  if (linked.length) return linked;
  return all.filter((m) => !str(obj(m.context).reference) && !str(obj(m.encounter).reference) && !m.effectiveDateTime && !obj(m.effectivePeriod).start);
}

/** The Medication an administration names: contained (#id), in the Bundle (relative, absolute, urn:uuid), by identifier. */
export function medicationOf(visit: Visit, m: Resource): Resource | undefined {
  return visit.index.resolve(m.medicationReference, 'Medication', m);
}

/** One entry of Medication.ingredient, as read: its name, whether it is an active drug, and its strength. */
export interface IngredientRead {
  name?: string;
  /** an active drug: not `isActive: false`, not a diluent (sodium chloride 0.9%, sterile water …) */
  active: boolean;
  /** why it is not active */
  inactiveBecause?: 'isActive-false' | 'diluent';
  /** Medication.ingredient.strength (R4 Ratio) or R5 strength[x] */
  strength?: unknown;
}

/**
 * Medication.ingredient: R4 item[x] (CodeableConcept or Reference to a Substance/Medication) with isActive and
 * strength; R5 item (CodeableReference) with strength[x]. An ingredient with no name counts as a drug only when
 * it says it is active.
 */
export function medicationIngredients(visit: Visit, medication: Resource | undefined, admin?: Resource): IngredientRead[] {
  return objs(medication?.ingredient).slice(0, 20).flatMap((ing): IngredientRead[] => {
    const item = obj(ing.item);
    const concept = ing.itemCodeableConcept ?? item.concept;
    const ref = ing.itemReference ?? item.reference;
    const target = ref ? visit.index.resolve(ref, undefined, medication) ?? (admin ? visit.index.resolve(ref, undefined, admin) : undefined) : undefined;
    const words = [...conceptTexts(concept), str(obj(ref).display) ?? '', ...(target ? conceptTexts(target.code) : [])].filter(Boolean);
    const name = words[0];
    const strength = ing.strength ?? ing.strengthRatio ?? ing.strengthQuantity ?? ing.strengthCodeableConcept;
    const out: IngredientRead = { active: true, ...(name ? { name: clip(name, 100) } : {}), ...(strength !== undefined ? { strength } : {}) };
    if (ing.isActive === false || ing.isActive === 'false') return [{ ...out, active: false, inactiveBecause: 'isActive-false' }];
    if (words.length && isDiluent(words.join(' '))) return [{ ...out, active: false, inactiveBecause: 'diluent' }];
    if (!name && ing.isActive !== true && ing.isActive !== 'true') return [];
    return [out];
  });
}

/**
 * The active ingredients, one entry per drug: "morphine" and "morphine sulfate" (base and salt, as some EHRs list
 * both) are one drug, not a mixture; the entry that carries a strength is kept.
 */
function onePerDrug(active: IngredientRead[]): IngredientRead[] {
  const byDrug = new Map<string, IngredientRead>();
  for (const x of active) {
    const key = recognizeDrug({ texts: [x.name] }).ingredients[0] ?? (x.name?.toLowerCase().replace(/\s+/g, ' ') || `#${byDrug.size}`);
    const had = byDrug.get(key);
    if (!had || (had.strength === undefined && x.strength !== undefined)) byDrug.set(key, x);
  }
  return [...byDrug.values()];
}

/**
 * The visit's administrations of a drug, and those of a diluent only (a sodium chloride 0.9% flush, sterile water,
 * a saline rinse of the reservoir): a diluent is never a pump drug, and its route (often IV) is not the pump's.
 */
export function withoutDiluents(visit: Visit, medAdmins: Resource[]): { given: Resource[]; diluents: Resource[] } {
  const given: Resource[] = [];
  const diluents: Resource[] = [];
  for (const m of medAdmins) {
    const medication = medicationOf(visit, m);
    const words = [...conceptTexts(m.medicationCodeableConcept ?? medication?.code), str(obj(m.medicationReference).display) ?? ''].filter(Boolean);
    const only = words.length > 0 && isDiluent(words.join(' ')) && medicationIngredients(visit, medication, m).every((x) => !x.active);
    (only ? diluents : given).push(m);
  }
  return { given, diluents };
}

export function readDrugs(visit: Visit, medAdmins: Resource[], diluents: Resource[] = []): VisitFacts['drugs'] {
  const { src } = visit;
  const drugs: VisitFacts['drugs'] = [];
  const visitPurchaser = readPurchaser(visit.sentences);
  for (const m of medAdmins.slice(0, 10)) {
    const i = drugs.length;
    guarded(src, `drugs.${i}`, () => {
      const medication = medicationOf(visit, m);
      const concept = m.medicationCodeableConcept ?? medication?.code;
      const named = ccText(concept) ?? str(obj(m.medicationReference).display);
      const name = clip(named ?? 'Drug not named in the record', 200);
      const dosage = obj(m.dosage);
      const dose = obj(dosage.dose);
      const allText = [name, notesText(m.note), str(dosage.text) ?? '', medication ? notesText(medication.note) : ''].join('\n');
      const drug: VisitFacts['drugs'][number] = { name, amount: 0, unit: 'mg', compounded: false, purchasedBy: 'unknown' };
      src.set(`drugs.${i}.name`, named ? 'record' : 'default', medication ?? m, named ? undefined : 'The drug is not named; enter it.');
      const ingredients = medicationIngredients(visit, medication, m);
      const active = onePerDrug(ingredients.filter((x) => x.active));
      if (active.length) drug.ingredients = active.slice(0, 10).map((x) => x.name ?? 'ingredient not named');
      // Strength: the one active ingredient's, checked against the words (a mixture has no one concentration).
      const strength = active.length > 1 ? undefined
        : strengthOf({ structured: active[0]?.strength, texts: [named ?? '', ...conceptTexts(concept), str(dosage.text) ?? ''] });

      // Amount given: Dosage.dose, by the code table's unit tables (UCUM code or unit text; g → mg, ng → mcg, L/cc → mL).
      const given = readAmount(dose);
      if (given.ok && given.amount <= MAX_DRUG_AMOUNT) {
        drug.amount = given.amount;
        drug.unit = given.unit;
        src.set(`drugs.${i}.amount`, 'record', m);
      } else {
        const why = !given.ok && num(dose.value) !== undefined ? `${given.message} ` : '';
        src.set(`drugs.${i}.amount`, 'default', m, `${why}The amount given (mg, mcg or mL) is not on the record; enter it.`);
      }

      if (strength?.ok && strength.concentration.amount <= MAX_DRUG_AMOUNT) {
        drug.concentration = strength.concentration;
        src.set(`drugs.${i}.concentration`, strength.from === 'structured' ? 'record' : 'derived', medication ?? m,
          strength.from === 'structured' ? undefined : `From the words "${clip(strength.words, 80)}"; confirm.`);
      } else if (strength && !strength.ok && strength.reason !== 'none') {
        src.set(`drugs.${i}.concentration`, 'default', medication ?? m, `${strength.message} The concentration is not taken from it: enter it (mg/mL or mcg/mL) if the dose is in mL.`);
      } else if (strength && drug.unit === 'mL') {
        src.set(`drugs.${i}.concentration`, 'default', medication ?? m, 'The concentration (mg/mL or mcg/mL) is not on the record; the dose in mL needs it for the units: enter it.');
      }

      const hcpcs = drugCodeOf(concept);
      if (hcpcs) { drug.hcpcs = hcpcs; src.set(`drugs.${i}.hcpcs`, 'record', m); }

      // Compounded: two or more ACTIVE drugs (the Medication's ingredients, or distinct pump drugs in the name), or
      // the words say so; a diluent (sodium chloride 0.9%, sterile water) or an ingredient with isActive false does not
      // count. An RxNorm code means a manufactured product.
      const inactive = ingredients.filter((x) => !x.active);
      const namedDrugs = recognizeDrug({ texts: [named ?? ''] }).ingredients;
      const saidCompounded = COMPOUNDED.test(allText) && !NOT_COMPOUNDED.test(allText);
      if (active.length > 1 || namedDrugs.length > 1 || saidCompounded) {
        drug.compounded = true;
        src.set(`drugs.${i}.compounded`, 'derived', medication ?? m, active.length > 1
          ? `The Medication lists ${active.length} active ingredients (${active.map((x) => x.name ?? 'not named').join(', ')}): a compounded mixture.`
          : namedDrugs.length > 1 ? `The drug's name names ${namedDrugs.join(' and ')}: a mixture.` : 'The record describes a compounded preparation.');
      } else if (inactive.length && active.length === 1) {
        src.set(`drugs.${i}.compounded`, 'derived', medication ?? m, `One active drug (${active[0]!.name ?? 'not named'}); ${inactive.map((x) => x.name ?? 'an ingredient').join(', ')} ${inactive.length === 1 ? 'is' : 'are'} ${inactive.every((x) => x.inactiveBecause === 'diluent') ? 'the diluent' : 'not active'}, so not a compounded mixture.`);
      } else if (codesOf(concept, 'rxnorm').length) {
        src.set(`drugs.${i}.compounded`, 'derived', m, 'An RxNorm-coded manufactured product.');
      } else {
        src.set(`drugs.${i}.compounded`, 'default', m, 'The record does not say whether the drug was compounded; confirm.');
      }

      // this drug's own sentences, split once: purchaser, container and waste all read them
      const ownSentences = sentencesOf(allText, m);
      const own = readPurchaser(ownSentences);
      const said = own && !isConflict(own) ? own : visitPurchaser && !isConflict(visitPurchaser) ? visitPurchaser : undefined;
      if (said) {
        drug.purchasedBy = said.value;
        src.set(`drugs.${i}.purchasedBy`, 'derived', said.from, `${quoted(said.sentence)} Check against the invoice.`);
      } else {
        src.set(`drugs.${i}.purchasedBy`, 'default', m, 'Who bought the drug is not on the record: the practice (with proof of purchase), a pharmacy or the patient?');
      }
      // Container and waste (JW/JZ): only from this drug's own words, or the visit's note when it names one drug.
      const sentences = medAdmins.length === 1 ? [...ownSentences, ...visit.sentences] : ownSentences;
      const container = readContainer(sentences);
      if (container && !isConflict(container)) {
        drug.singleDoseContainer = container.value;
        src.set(`drugs.${i}.singleDoseContainer`, 'derived', container.from, quoted(container.sentence));
      }
      const waste = readWaste(sentences);
      if (waste && !isConflict(waste)) {
        const wasted = wasteInDoseUnit(waste.value, drug);
        if (wasted !== undefined && wasted <= MAX_DRUG_AMOUNT) {
          drug.wastedAmount = wasted;
          src.set(`drugs.${i}.wastedAmount`, 'derived', waste.from, quoted(waste.sentence));
        }
      }
      drugs.push(drug);
    }, undefined, 'enter the drug.');
  }
  const diluted = diluents.slice(0, 5).map((m) => clip(ccText(m.medicationCodeableConcept ?? medicationOf(visit, m)?.code) ?? str(obj(m.medicationReference).display) ?? 'a diluent', 60));
  const diluentNote = diluted.length ? ` ${diluted.join('; ')}: a diluent only, not a pump drug (no drug line).` : '';
  src.set('drugs', drugs.length ? 'record' : 'default', undefined,
    drugs.length ? (diluentNote ? diluentNote.trim() : undefined) : `No drug administration for the visit on record; add the drug if the pump was refilled.${diluentNote}`);
  return drugs;
}

const COMPOUNDED = /\bcompound(?:ed|ing)?\b/i;
/** "not compounded", "non-compounded": a manufactured product */
const NOT_COMPOUNDED = /\b(?:not|non|never|no)[\s-]*compound/i;

/** The programmed daily volume: the first rate (Dosage.rateQuantity or rateRatio) that is mL per day, or per hour × 24. */
export function readDailyVolume(src: Sources, medAdmins: Resource[]): number | undefined {
  let dailyVolumeMl: number | undefined;
  guarded(src, 'dailyVolumeMl', () => {
    for (const m of medAdmins) {
      const dosage = obj(m.dosage);
      const rate = readRateMlPerDay(dosage.rateQuantity ?? dosage.rateRatio);
      if (!rate) continue;
      dailyVolumeMl = rate.mlPerDay;
      if (rate.perHour) src.set('dailyVolumeMl', 'derived', m, 'Hourly rate × 24.');
      else src.set('dailyVolumeMl', 'record', m);
      return;
    }
    src.set('dailyVolumeMl', 'default', undefined, 'The programmed daily volume is not on the record; enter it to check the refill interval.');
  }, undefined, 'enter the daily volume.');
  return dailyVolumeMl;
}

/** A discarded amount in the unit of the dose given (mL ↔ mg/mcg only through the product's concentration). */
function wasteInDoseUnit(w: { amount: number; unit: 'mg' | 'mcg' | 'mL' }, drug: Drug): number | undefined {
  if (w.amount === 0) return 0;
  if (w.unit === drug.unit) return w.amount;
  const mass = (amount: number, from: 'mg' | 'mcg', to: 'mg' | 'mcg') => (from === to ? amount : from === 'mg' ? amount * 1000 : amount / 1000);
  if (w.unit !== 'mL' && drug.unit !== 'mL') return mass(w.amount, w.unit, drug.unit);
  const c = drug.concentration;
  if (!c) return undefined;
  if (w.unit === 'mL' && drug.unit !== 'mL') return mass((w.amount * c.amount) / c.perMl, c.unit, drug.unit);
  if (w.unit !== 'mL' && drug.unit === 'mL') return (mass(w.amount, w.unit, c.unit) * c.perMl) / c.amount;
  return undefined;
}

/** The one drug-code lookup of the extraction: a HCPCS coding on the drug (the policy re-checks it against the code table). */
export function drugCodeOf(concept: unknown): string | undefined {
  return codings(concept).find((c) => isCodeOf('hcpcs', c.system, c.code) && c.code!.length <= 20)?.code;
}
