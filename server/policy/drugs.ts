/**
 * Drug lines (DESIGN.md "Drug lines"; research/drug-codes.md): the HCPCS code for the drug put into the
 * pump, from the one code table (server/terminology), picked by ingredient, trial vs refill and date of
 * service; units = ceil(dose in the descriptor's unit ÷ unit size), for every code including one from the
 * record (never copied); a dose in mL converts with the concentration, and without one there is no line.
 *
 *   baclofen refill J0475 / 10 mg · baclofen trial J0476 / 50 mcg · ziconotide J2278 / 1 mcg ·
 *   morphine PF J2274 / 10 mg (J2275, Q9974 before 2015) · hydromorphone J1170 / up to 4 mg ·
 *   clonidine J0735 / 1 mg · fentanyl J3010 / 0.1 mg · sufentanil, bupivacaine: J3490 (no confirmed code) ·
 *   compounded mixtures: J7999 × 1 (per-mapping option J7799 / J3490; Q9977 in 2015-H2)
 *
 * Medicare rules: no S code ever (S0093 → J2274, S0092 → J1170; the CMS file marks S codes not payable);
 * JW/JZ on separately payable single-dose-labelled products (JZ from 2023-07-01, JW on its own line for the
 * discarded amount, none when the billed units already cover dose + waste, never on compounds); KD where the
 * mapping asks for it. The drug must be a practice expense (002).
 */
import type { Citation, CompoundedDrugCode, VisitFacts } from '../contracts/index.js';
import {
  billingUnits, compoundedCodeFor, formatAmount, hcpcsDrugCode, ingredientInfo, ingredientsOf, specificCodeFor,
  SINGLE_DOSE_LABEL_CITATION, TERMINOLOGY_CITATIONS, validOn, type HcpcsDrugCode, type IngredientId,
} from '../terminology/index.js';
import { ARTICLE, FORUM, PUBLIC } from './citations.js';
import type { DeterminationBuilder } from './determination-builder.js';

type Drug = VisitFacts['drugs'][number];

export const isBaclofen = (drug: Drug): boolean => ingredientsOf(drug).includes('baclofen');
export { looksLikeDrugCode } from '../terminology/index.js';

export interface DrugOptions {
  /** Medicare rules apply (traditional Medicare, or a Medicare Advantage plan following CMS) */
  medicareRules: boolean;
  /** the code billed for a compounded mixture (mapping option; default J7999) */
  compoundedDrugCode?: CompoundedDrugCode;
  /** KD on every pump drug line (mapping option; default off) */
  kdModifier?: boolean;
  /** the coverage is Medicare or Medicare Advantage (S codes are never billed, whatever rules module applies) */
  medicarePayer?: boolean;
}

export interface DrugLineResult {
  drug: Drug;
  /** the code of the line, or undefined when no line */
  code: string | undefined;
  units?: number;
  /** the ingredient the code was chosen for */
  ingredient?: IngredientId;
  /** how the units were computed ("40 mg ÷ 10 mg = 4 units") */
  arithmetic?: string;
  /** the record's code was replaced (S code under Medicare, wrong drug, not valid on the date …) */
  replacedRecordCode?: string;
}

export interface DrugOutcome {
  perDrug: DrugLineResult[];
  /** a drug line was added */
  anyLine: boolean;
}

const fmt = formatAmount;
const plural = (n: number, w: string): string => n + ' ' + w + (n === 1 ? '' : 's');

export function addDrugLines(facts: VisitFacts, options: DrugOptions, b: DeterminationBuilder): DrugOutcome {
  const outcome: DrugOutcome = { perDrug: [], anyLine: false };
  const verification: string[] = [];
  const verificationCites: Citation[] = [FORUM.vignetteDrugCheck];
  for (const drug of facts.drugs) {
    const r = addDrugLine(drug, facts, options, b, verification, verificationCites);
    outcome.perDrug.push(r);
    if (r.code) outcome.anyLine = true;
  }
  if (verification.length > 0) {
    b.check('drug-verification',
      'Check each drug against the order and record name, concentration, volume, amount and the units from the descriptor (lot/NDC where the payer asks). ' + verification.join(' '),
      true, verificationCites);
  }
  return outcome;
}

function addDrugLine(drug: Drug, facts: VisitFacts, options: DrugOptions, b: DeterminationBuilder, verification: string[], vCites: Citation[]): DrugLineResult {
  const none: DrugLineResult = { drug, code: undefined };
  const name = drug.name;
  if (!(drug.amount > 0)) {
    verification.push(name + ': the amount given is not recorded, so no drug line: enter it (mg, mcg, or mL with the concentration).');
    return none;
  }
  if (drug.purchasedBy !== 'practice') {
    b.warn('drug-not-practice-expense', drug.purchasedBy === 'unknown' ? 'warning' : 'info',
      drug.purchasedBy === 'unknown'
        ? 'Who bought the ' + name + ' is not recorded. Only a drug the practice bought can be billed by the practice: confirm it, and keep the proof of purchase, or leave the drug off the claim.'
        : 'The ' + name + ' was supplied by the ' + drug.purchasedBy + ', not bought by the practice, so the practice does not bill it: no drug line.',
      [ARTICLE.practiceExpense, ARTICLE.proofOfPurchase]);
    verification.push(name + ': no drug line (' + (drug.purchasedBy === 'unknown' ? 'who bought it is not recorded' : 'supplied by the ' + drug.purchasedBy) + '); record the drug, concentration, volume and amount given all the same.');
    return none;
  }

  const serviceDate = facts.serviceDate;
  const amountText = fmt(drug.amount) + ' ' + drug.unit + ' of ' + name;
  // the concentration as read: a name's strength is read before the policy (the extraction, or readVisit for facts),
  // and left out when the record contradicts itself; reading the name again here would bill from refused words
  const concentration = drug.concentration;
  const kd = options.kdModifier === true;

  // ---------------------------------------------------------------- compounded mixture: one NOC line
  if (drug.compounded) {
    const row = compoundedCodeFor(options.compoundedDrugCode ?? 'J7999', serviceDate);
    const recordRow = hcpcsDrugCode(drug.hcpcs);
    const ingredients = drug.ingredients?.length ? drug.ingredients.join(', ') : undefined;
    let rationale = 'Compounded mixture (' + amountText + (ingredients ? '; ingredients ' + ingredients : '') + '): ' + row.code + ' (' + row.descriptor + '), 1 unit with an invoice; list each ingredient\'s name, strength and amount in the claim note. The ingredients are not billed under their own codes.' +
      (options.compoundedDrugCode ? ' The compounded-drug code ' + row.code + ' is this payer mapping\'s setting.' : ' J7999 is the default (the coding article on A55239); some contractors want J7799 or J3490 (a per-mapping option).') +
      ' No JW/JZ: a compounded preparation is not an FDA-labelled single-dose product.';
    if (row.code !== (options.compoundedDrugCode ?? 'J7999')) rationale += ' ' + (options.compoundedDrugCode ?? 'J7999') + ' is not valid on ' + serviceDate + ', so ' + row.code + ' is used.';
    if (recordRow && recordRow.code !== row.code) rationale += ' The record\'s code ' + recordRow.code + ' (' + recordRow.descriptor + ') describes a single ingredient, not the mixture.';
    const modifiers = kd ? ['KD'] : [];
    if (kd) rationale += ' Modifier KD (drug infused through DME), as this payer mapping asks.';
    const citations: Citation[] = [...row.citations];
    if (row.code === 'J7999') citations.push(ARTICLE.j7999);
    if (kd) citations.push(TERMINOLOGY_CITATIONS.kd, TERMINOLOGY_CITATIONS.kdByContractor);
    b.addLine({ code: row.code, system: 'HCPCS', display: row.descriptor, modifiers, units: 1, rationale, citations });
    b.warn('compounded-code-varies', 'info',
      'The compounded drug is billed with ' + row.code + ' (not otherwise classified), 1 unit. Contractors differ (J7999, J7799 or J3490, with or without KD) and want the name, strength and amount of each ingredient and the invoice: check the payer\'s instructions, and set the payer mapping\'s compounded-drug option if it differs.',
      [...row.citations, ...(row.code === 'J7999' ? [ARTICLE.j7999] : []), TERMINOLOGY_CITATIONS.kdByContractor]);
    verification.push(name + ': compounded — record each ingredient, its strength and amount, the total volume, and keep the pharmacy invoice.');
    const out: DrugLineResult = { drug, code: row.code, units: 1 };
    if (recordRow && recordRow.code !== row.code) out.replacedRecordCode = recordRow.code;
    return out;
  }

  // ---------------------------------------------------------------- the code: record's, re-checked, or sourced
  // J0476 is the screening bolus only, "not … a pump refill" (research/drug-codes.md, trial vs maintenance): a drug
  // marked as a trial dose on a refill visit is billed with the maintenance code, and the clinician is asked to confirm
  const markedTrialOnRefill = drug.trial === true && facts.services.refill && facts.services.procedureType !== 'trial';
  const trial = facts.services.procedureType === 'trial' || (drug.trial === true && !markedTrialOnRefill);
  if (markedTrialOnRefill) {
    verification.push(name + ': marked as a trial (screening) dose, but this visit refills the pump; J0476 is for the screening bolus only, so the maintenance code is suggested: confirm which it was.');
    vCites.push(...(hcpcsDrugCode('J0476')?.citations ?? []));
  }
  const named = ingredientsOf({ name, ingredients: drug.ingredients ?? [] });
  const recordCode = drug.hcpcs?.trim().toUpperCase();
  const recordRow = hcpcsDrugCode(recordCode);
  const ingredient: IngredientId | undefined = named[0] ?? recordRow?.ingredient;
  const sourced = ingredient ? specificCodeFor(ingredient, serviceDate, { trial }) : undefined;
  const notes: string[] = [];
  let row: HcpcsDrugCode | undefined;
  let replaced: string | undefined;
  const replaceWith = (why: string): void => {
    replaced = recordCode;
    row = sourced;
    notes.push(why + (sourced ? ' ' + sourced.code + ' is billed instead.' : ''));
  };

  if (recordRow) {
    if (recordRow.kind === 'not-a-pump-drug' || recordRow.kind === 'home-infusion') {
      replaceWith('The record\'s code ' + recordRow.code + ' (' + recordRow.descriptor + ') is not a code for a pump drug.');
    } else if (named.length > 0 && recordRow.ingredient && !named.includes(recordRow.ingredient)) {
      replaceWith('The record\'s code ' + recordRow.code + ' (' + recordRow.descriptor + ') describes ' + ingredientInfo(recordRow.ingredient).label + ', not the ' + name + ' given.');
    } else if (!validOn(recordRow, serviceDate)) {
      replaceWith('The record\'s code ' + recordRow.code + ' is not valid on ' + serviceDate + (recordRow.validTo ? ' (ended ' + recordRow.validTo + ')' : recordRow.validFrom ? ' (starts ' + recordRow.validFrom + ')' : '') + '.');
    } else if ((options.medicareRules || options.medicarePayer === true) && !recordRow.medicarePayable) {
      replaceWith('The record\'s code ' + recordRow.code + ' is an S code, which the CMS HCPCS file marks not payable by Medicare (coverage code I); under Medicare rules it is never billed.');
    } else if (recordRow.trialOnly && !trial) {
      replaceWith('The record\'s code ' + recordRow.code + ' is for the intrathecal screening (trial) bolus only, and this visit is not recorded as a trial.');
    } else if (recordRow.kind === 'not-otherwise-classified' && sourced) {
      replaceWith('The record\'s code ' + recordRow.code + ' (not otherwise classified) is not used when a specific code exists.');
    } else {
      row = recordRow;
      notes.push('The code ' + recordRow.code + ' comes from the record; its units are recomputed from the dose' + (recordRow.confirmed ? '.' : ', but this code could not be confirmed in a CMS text: check it in the current HCPCS file before billing.'));
    }
  } else if (recordCode) {
    if (sourced) {
      replaced = recordCode;
      row = sourced;
      notes.push('The record\'s code ' + recordCode + ' is not in the code table (unit size unknown); ' + sourced.code + ', the code for ' + ingredientInfo(ingredient!).label + ', is billed instead.');
    } else {
      verification.push(name + ': the record\'s code ' + recordCode + ' is not in the code table, so its unit size is unknown and no line is suggested: check the code and units in the current HCPCS file and enter the line by hand.');
      vCites.push(TERMINOLOGY_CITATIONS.unitsRoundUp);
      return none;
    }
  } else {
    row = sourced;
  }

  // no specific code: sufentanil, bupivacaine (J0665 unconfirmed) → J3490 with the drug named
  if (!row && ingredient) {
    row = hcpcsDrugCode('J3490')!;
    notes.push('No confirmed specific HCPCS code exists for ' + ingredientInfo(ingredient).label + (ingredient === 'bupivacaine' ? ' (J0665, 0.5 mg, is reported by secondary sources only)' : '') + ', so J3490 (unclassified drugs) is billed with the drug name, NDC' + (drug.ndc ? ' ' + drug.ndc : '') + ' and dose in the claim note.');
  }
  if (!row) {
    verification.push(name + ' (' + amountText + '): the drug is not recognised by the code table and the record gives no HCPCS code, so no drug line is suggested: enter the code from the current HCPCS file.');
    vCites.push(ARTICLE.practiceExpense);
    return none;
  }

  if (replaced && replaced !== row.code) {
    b.warn('proposed-code-not-supported', 'warning', notes[notes.length - 1]!, [...(hcpcsDrugCode(replaced)?.citations ?? []), ...row.citations, ...((options.medicareRules || options.medicarePayer) && hcpcsDrugCode(replaced)?.medicarePayable === false ? [TERMINOLOGY_CITATIONS.sCodesNotMedicare] : [])]);
  }

  // ---------------------------------------------------------------- units
  let units = 1;
  let arithmetic: string;
  if (row.unitSize !== undefined) {
    const r = billingUnits(row, { amount: drug.amount, unit: drug.unit, concentration });
    if (!r.ok) {
      verification.push(name + ': ' + r.message + ' Record the concentration (e.g. from the vial: "2,000 mcg/mL") so the units can be computed; no drug line until then.');
      vCites.push(TERMINOLOGY_CITATIONS.unitsRoundUp, ...row.citations);
      return none;
    }
    units = r.units;
    arithmetic = r.arithmetic;
  } else {
    arithmetic = '1 unit (not otherwise classified: the dose goes in the claim note)';
  }

  // ---------------------------------------------------------------- modifiers: JW/JZ (Medicare), KD (mapping)
  const info = ingredient ? ingredientInfo(ingredient) : undefined;
  const separatelyPriced = row.kind === 'specific' || row.kind === 'loading-dose';
  const labelSingleDose = drug.singleDoseContainer === undefined && info?.singleDoseLabel === true && separatelyPriced;
  const singleDose = drug.singleDoseContainer ?? labelSingleDose;
  const modifiers: string[] = [];
  const citations: Citation[] = [...row.citations, TERMINOLOGY_CITATIONS.unitsRoundUp];
  let rationale = amountText + ': ' + row.code + ' (' + row.descriptor + ') — ' + arithmetic + '.' + (notes.length ? ' ' + notes.join(' ') : '');
  if (trial && row.trialOnly) rationale += ' An intrathecal screening (trial) bolus: the trial code, not the refill code.';
  let wasteLine: { units: number; text: string } | undefined;

  if (singleDose && options.medicareRules && separatelyPriced) {
    b.check('drug-waste', 'Single-dose container (' + name + '): document the amount given, the amount discarded and the container size; JZ when nothing was discarded, JW for a discarded amount.', true,
      [TERMINOLOGY_CITATIONS.jwjzScope, ARTICLE.drugWaste, PUBLIC.jwjz]);
    citations.push(TERMINOLOGY_CITATIONS.jwjzScope);
    if (labelSingleDose) { rationale += ' The product is labelled single-dose.'; citations.push(SINGLE_DOSE_LABEL_CITATION); }
    const jzApplies = serviceDate >= '2023-07-01';
    if (drug.wastedAmount === undefined) {
      b.warn('drug-waste-modifier', 'warning',
        'The ' + name + ' comes from a single-dose container but the discarded amount is not recorded. Medicare needs JZ when nothing was discarded' + (jzApplies ? '' : ' (from 2023-07-01)') + ', or a JW line for the discarded amount: record the amount discarded (0 if none).',
        [TERMINOLOGY_CITATIONS.jzRequired, TERMINOLOGY_CITATIONS.jwRequired, ARTICLE.drugWaste]);
      rationale += ' Single-dose container: the JW/JZ modifier waits for the discarded amount.';
    } else {
      const total = drug.wastedAmount > 0 ? billingUnits(row, { amount: drug.amount + drug.wastedAmount, unit: drug.unit, concentration }) : undefined;
      const wasteUnits = total && total.ok ? total.units - units : 0;
      if (drug.wastedAmount > 0 && wasteUnits > 0 && total && total.ok) {
        wasteLine = { units: wasteUnits, text: 'given + discarded: ' + total.arithmetic + '; minus the ' + plural(units, 'unit') + ' given = ' + plural(wasteUnits, 'unit') };
        rationale += ' The discarded ' + fmt(drug.wastedAmount) + ' ' + drug.unit + ' is billed on its own line with JW (' + plural(wasteUnits, 'unit') + ').';
        citations.push(TERMINOLOGY_CITATIONS.jwRequired);
      } else if (jzApplies) {
        modifiers.push('JZ');
        if (drug.wastedAmount === 0) {
          rationale += ' Single-dose container with nothing discarded: modifier JZ.';
        } else {
          rationale += ' The discarded ' + fmt(drug.wastedAmount) + ' ' + drug.unit + ' falls within the ' + plural(units, 'unit') + ' billed (rounded up), so no JW line is permitted; JZ is reported, as in Noridian\'s example.';
          citations.push(TERMINOLOGY_CITATIONS.jwNotWhenCovered);
        }
        citations.push(TERMINOLOGY_CITATIONS.jzRequired);
      } else {
        rationale += drug.wastedAmount === 0
          ? ' Nothing was discarded; JZ is required only from 2023-07-01, so no modifier on this ' + serviceDate + ' claim.'
          : ' The discarded amount falls within the units billed, so no JW line; JZ exists only from 2023-07-01.';
        if (drug.wastedAmount > 0) citations.push(TERMINOLOGY_CITATIONS.jwNotWhenCovered);
      }
    }
  } else if (singleDose && options.medicareRules && !separatelyPriced) {
    rationale += ' JW/JZ are not added to a not-otherwise-classified line automatically: check the contractor\'s instructions.';
  } else if (drug.singleDoseContainer && !options.medicareRules) {
    rationale += ' Single-dose container: the JW/JZ rules are Medicare Part B\'s; this payer\'s policy does not adopt them.';
  }
  if (kd) {
    modifiers.push('KD');
    rationale += ' Modifier KD (drug infused through DME), as this payer mapping asks.';
    citations.push(TERMINOLOGY_CITATIONS.kd, TERMINOLOGY_CITATIONS.kdByContractor);
  }

  b.addLine({ code: row.code, system: 'HCPCS', display: row.descriptor, modifiers, units, rationale, citations });
  if (wasteLine) {
    b.addLine({
      code: row.code, system: 'HCPCS', display: row.descriptor, modifiers: kd ? ['JW', 'KD'] : ['JW'], units: wasteLine.units,
      rationale: 'Discarded amount of ' + name + ' from a single-dose container (' + fmt(drug.wastedAmount!) + ' ' + drug.unit + '): ' + wasteLine.text + ', with modifier JW.',
      citations: [TERMINOLOGY_CITATIONS.jwRequired, TERMINOLOGY_CITATIONS.jwjzScope, ...row.citations, ARTICLE.drugWaste],
    });
  }
  if (ingredient === 'hydromorphone' && row.code === 'J1170' && serviceDate >= '2024-10-01') {
    verification.push(name + ': J1170 is reported (secondary source only) to be replaced by J1171, hydromorphone 0.1 mg, from 2024-10-01; check the CMS quarterly HCPCS file for ' + serviceDate + ' — under J1171 the units would be counted per 0.1 mg.');
    vCites.push(TERMINOLOGY_CITATIONS.j1171Unconfirmed);
  }
  verification.push(name + ': ' + row.code + ' × ' + units + ' (' + arithmetic + ')' + (row.kind === 'not-otherwise-classified' ? '; put the drug name, NDC and dose in the claim note' : '') + (drug.ndc ? '; NDC ' + drug.ndc : '') + '.');
  const out: DrugLineResult = { drug, code: row.code, units, arithmetic };
  if (ingredient) out.ingredient = ingredient;
  if (replaced) out.replacedRecordCode = replaced;
  return out;
}
