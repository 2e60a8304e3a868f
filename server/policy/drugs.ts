/**
 * Drug lines: the HCPCS code and billing units from the amount given, from a sourced code table.
 *
 *   morphine sulfate, preservative free (intrathecal/epidural) ... J2274 per 10 mg      (003)
 *   morphine sulfate, loading dose for infusion pump ............. S0093 per 500 mg     (003; only when the record names S0093)
 *   any compounded mixture ....................................... J7999, NOC          (002)
 *
 * Baclofen, ziconotide, hydromorphone, clonidine, bupivacaine and others have no code in the seeds
 * (terminology.md lists them "Not found"), so no code is invented: the code must come from the record
 * or the clinician (drug.hcpcs), and the units are then the amount in the record's unit, to be checked
 * against that code's unit size.
 *
 * A drug line needs the drug to be a practice expense (002). Under Medicare rules a single-dose container
 * needs JZ (nothing discarded) or a JW line for the discarded amount (CMS JW/JZ policy; not in the seeds).
 */
import type { Citation, VisitFacts } from '../contracts/index.js';
import { ARTICLE, CENTENE, FORUM, PUBLIC } from './citations.js';
import type { DeterminationBuilder } from './determination-builder.js';

type Drug = VisitFacts['drugs'][number];

interface SizedDrugCode { hcpcs: string; display: string; mgPerUnit: number; citations: readonly Citation[] }

export const J2274: SizedDrugCode = {
  hcpcs: 'J2274', display: 'Injection, morphine sulfate, preservative free for epidural or intrathecal use, 10 mg', mgPerUnit: 10, citations: [CENTENE.j2274],
};
export const S0093: SizedDrugCode = {
  hcpcs: 'S0093', display: 'Injection, morphine sulfate, 500 mg (loading dose for infusion pump)', mgPerUnit: 500, citations: [CENTENE.s0093],
};
export const J7999 = { hcpcs: 'J7999', display: 'Compounded drug, not otherwise classified', citations: [ARTICLE.j7999] } as const;

export const isMorphine = (drug: Drug): boolean => /morphine|infumorph|duramorph|mitigo/i.test(drug.name);
export const isBaclofen = (drug: Drug): boolean => /baclofen|gablofen|lioresal/i.test(drug.name);
/** a drug HCPCS code: J-codes, S-codes for drugs, or the code the record gives for one of the visit's drugs */
export const looksLikeDrugCode = (code: string): boolean => /^J\d{4}$/.test(code) || code === 'S0093';

/** billing units for an amount of a code sized in mg; undefined when the amount is in mL (concentration unknown) */
export function billingUnits(amount: number, unit: Drug['unit'], mgPerUnit: number): number | undefined {
  const mg = unit === 'mg' ? amount : unit === 'mcg' ? amount / 1000 : undefined;
  if (mg === undefined) return undefined;
  return Math.max(1, Math.ceil(mg / mgPerUnit - 1e-9));
}

export interface DrugOptions { medicareRules: boolean }

export interface DrugOutcome {
  /** the drug the line is for, and the code used (or undefined when no line) */
  perDrug: { drug: Drug; code: string | undefined }[];
  /** a drug line was added */
  anyLine: boolean;
}

export function addDrugLines(facts: VisitFacts, options: DrugOptions, b: DeterminationBuilder): DrugOutcome {
  const outcome: DrugOutcome = { perDrug: [], anyLine: false };
  for (const drug of facts.drugs) {
    const code = addDrugLine(drug, options, b);
    outcome.perDrug.push({ drug, code });
    if (code) outcome.anyLine = true;
  }
  return outcome;
}

function addDrugLine(drug: Drug, options: DrugOptions, b: DeterminationBuilder): string | undefined {
  if (!(drug.amount > 0)) return undefined;
  if (drug.purchasedBy !== 'practice') {
    b.warn('drug-not-practice-expense', drug.purchasedBy === 'unknown' ? 'warning' : 'info',
      drug.purchasedBy === 'unknown'
        ? 'Who bought the ' + drug.name + ' is not recorded. Only a drug the practice bought can be billed by the practice: confirm it, and keep the proof of purchase, or leave the drug off the claim.'
        : 'The ' + drug.name + ' was supplied by the ' + drug.purchasedBy + ', not bought by the practice, so the practice does not bill it: no drug line.',
      [ARTICLE.practiceExpense, ARTICLE.proofOfPurchase]);
    return undefined;
  }

  const amountText = drug.amount + ' ' + drug.unit + ' of ' + drug.name;
  b.check('drug-verification',
    'Record the drug, volume and concentration checked against the order before the refill.',
    false, [FORUM.vignetteDrugCheck]);

  let code: string;
  let display: string;
  let units: number;
  let wasteUnits: number | undefined; // undefined → discarded amount not billable as computed units
  let rationale: string;
  let citations: Citation[];

  if (drug.compounded) {
    code = J7999.hcpcs; display = J7999.display; units = 1;
    rationale = 'Compounded mixture (' + amountText + '): J7999, compounded drug not otherwise classified, 1 unit; describe the ingredients and amounts in the claim note. Do not bill the ingredients under their own codes.';
    citations = [...J7999.citations];
    wasteUnits = drug.wastedAmount && drug.wastedAmount > 0 ? 1 : 0;
    b.warn('compounded-code-varies', 'info',
      'The compounded drug is billed with J7999 (not otherwise classified). Some contractors want a different not-otherwise-classified code or extra detail (name, strength, amount, invoice): check the payer\'s instructions.',
      [ARTICLE.j7999]);
  } else if (isMorphine(drug)) {
    const table = drug.hcpcs?.toUpperCase() === 'S0093' ? S0093 : J2274;
    const computed = billingUnits(drug.amount, drug.unit, table.mgPerUnit);
    if (computed === undefined) {
      b.check('drug-verification',
        'The ' + drug.name + ' amount is recorded in mL: record the dose in mg (volume × concentration) so the ' + table.hcpcs + ' units (per ' + table.mgPerUnit + ' mg) can be computed.',
        true, [...table.citations, FORUM.vignetteDrugCheck]);
      return undefined;
    }
    code = table.hcpcs; display = table.display; units = computed;
    rationale = amountText + ': ' + table.hcpcs + ' is billed per ' + table.mgPerUnit + ' mg, so ' + units + ' unit' + (units === 1 ? '' : 's') + ' (partial units round up).' +
      (table === S0093 ? ' S0093 is the morphine loading dose for an infusion pump, as the record gives it.' : '') +
      (drug.hcpcs && drug.hcpcs.toUpperCase() !== table.hcpcs ? ' The record\'s code ' + drug.hcpcs + ' was replaced by the sourced code.' : '');
    citations = [...table.citations];
    if (drug.wastedAmount !== undefined && drug.wastedAmount > 0) {
      const total = billingUnits(drug.amount + drug.wastedAmount, drug.unit, table.mgPerUnit) ?? units;
      wasteUnits = total - units;
    } else wasteUnits = 0;
  } else if (drug.hcpcs) {
    code = drug.hcpcs.toUpperCase(); display = drug.name + ' (code from the record)';
    units = Math.max(1, Math.ceil(drug.amount - 1e-9));
    rationale = amountText + ': the code ' + code + ' comes from the record or the clinician; the sources this app rests on give no HCPCS code for ' + drug.name + '. Units are the amount in ' + drug.unit + ' (' + units + '): check them against the unit size in the code\'s descriptor.';
    citations = [ARTICLE.practiceExpense, FORUM.vignetteDrugCheck];
    wasteUnits = drug.wastedAmount && drug.wastedAmount > 0 ? Math.max(1, Math.ceil(drug.wastedAmount - 1e-9)) : 0;
    b.check('drug-verification',
      'Check the HCPCS code and units for ' + drug.name + ': the code (' + code + ') came from the record and its unit size is not known to this app.',
      true, [ARTICLE.practiceExpense, FORUM.vignetteDrugCheck]);
  } else {
    b.check('drug-verification',
      'Enter the HCPCS code for ' + drug.name + ' (' + amountText + ') from the current HCPCS file: the sources this app rests on give no code for it, so no drug line is suggested.',
      true, [ARTICLE.practiceExpense, FORUM.vignetteDrugCheck]);
    return undefined;
  }

  const modifiers: string[] = [];
  if (drug.singleDoseContainer) {
    b.check('drug-waste',
      'Single-dose container: document the amount given and the amount discarded (drug waste documentation).',
      true, options.medicareRules ? [ARTICLE.drugWaste, PUBLIC.jwjz] : [ARTICLE.drugWaste]);
    if (options.medicareRules) {
      if (drug.wastedAmount === undefined) {
        b.warn('drug-waste-modifier', 'warning',
          'The ' + drug.name + ' came from a single-dose container but the discarded amount is not recorded. Medicare needs JZ when nothing was discarded, or a JW line for the discarded amount: record the amount discarded (0 if none).',
          [PUBLIC.jwjz, ARTICLE.drugWaste]);
        rationale += ' Single-dose container: the JW/JZ modifier waits for the discarded amount.';
      } else if (drug.wastedAmount === 0) {
        modifiers.push('JZ');
        rationale += ' Single-dose container with nothing discarded: modifier JZ (CMS JW/JZ policy).';
        citations.push(PUBLIC.jwjz);
      } else if (wasteUnits && wasteUnits > 0) {
        rationale += ' The discarded ' + drug.wastedAmount + ' ' + drug.unit + ' is billed on its own line with JW.';
      } else {
        rationale += ' The discarded ' + drug.wastedAmount + ' ' + drug.unit + ' falls within the units already billed (rounded up), so no JW line; document the discarded amount.';
      }
    } else {
      rationale += ' Single-dose container: this payer\'s waste-modifier rules are not in its policy; document the discarded amount.';
    }
  }

  b.addLine({ code, system: 'HCPCS', display, modifiers, units, rationale, citations });
  if (drug.singleDoseContainer && options.medicareRules && drug.wastedAmount !== undefined && drug.wastedAmount > 0 && wasteUnits && wasteUnits > 0) {
    b.addLine({
      code, system: 'HCPCS', display, modifiers: ['JW'], units: wasteUnits,
      rationale: 'Discarded amount of ' + drug.name + ' from a single-dose container (' + drug.wastedAmount + ' ' + drug.unit + '): ' + wasteUnits + ' unit' + (wasteUnits === 1 ? '' : 's') + ' with modifier JW (CMS JW/JZ policy; the descriptors are not in the seeds).',
      citations: [PUBLIC.jwjz, ARTICLE.drugWaste],
    });
  }
  return code;
}
