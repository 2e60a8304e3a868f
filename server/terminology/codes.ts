/**
 * THE code table (research/drug-codes.md, terminology.md): every CPT pump-service code and every HCPCS drug
 * code the app knows, with its descriptor, billing unit, the dates it is valid, whether Medicare pays it and
 * the text it comes from. Policy rules, proposed-code checks, the FHIR extraction and the Claim draft all
 * read it; no other list of these codes exists.
 *
 * Sources: CMS 2019 Alpha-Numeric HCPCS file (HCPC2019_CONTR_ANWEB.txt, lines kept in
 * research/hcpcs-2019-evidence.txt; coverage code "I" = not payable by Medicare) and its 2020 copy; the CPT
 * descriptors as the seed policies print them (AMA copyright). A row with `confirmed: false` rests on one
 * weak source: it is never chosen automatically, only recognised when the record names it.
 */
import type { Citation, DeviceKind } from '../contracts/index.js';

const cite = (source: string, section: string, quote?: string): Citation =>
  Object.freeze(quote === undefined ? { source, section } : { source, section, quote });

export const CMS_HCPCS_2019 = 'CMS Alpha-Numeric HCPCS file, 2019 release';
export const AMA_CPT = 'AMA CPT code set';
const CMS_S_CODES_NOTE = 'S codes are temporary national codes for non-Medicare payers; the CMS file gives S0020, S0092 and S0093 coverage code I, "not payable by Medicare"';

export const TERMINOLOGY_CITATIONS = {
  unitsRoundUp: cite('CGS Medicare (A/B MAC) — JW and JZ modifier billing, June 2023', 'Units of service',
    'units of service are to be reported in multiples of the dosage included in the HCPCS code descriptor. If dosage given is not a multiple of the number provided in the HCPCS code description, the provider is to round up to the nearest whole number'),
  sCodesNotMedicare: cite(CMS_HCPCS_2019, 'Coverage code I (not payable by Medicare): ' + CMS_S_CODES_NOTE),
  jwRequired: cite('First Coast Service Options (MAC) — JW and JZ modifiers', 'JW',
    'Effective January 1, 2017, the JW modifier has been required on all claims for drugs'),
  jzRequired: cite('First Coast Service Options (MAC) — JW and JZ modifiers', 'JZ',
    'Effective July 1, 2023, providers and suppliers are required to report the JZ modifier on all claims that bill for drugs from single-dose containers that are separately payable under Medicare Part B when there are no discarded amounts.'),
  jwjzScope: cite('First Coast Service Options (MAC) — JW and JZ modifiers', 'Scope',
    "In general, the JW and JZ modifier policy applies to all drugs separately payable under Medicare Part B described as supplied in a 'single-dose' container based on FDA-approved labeling or product information and is not otherwise excluded."),
  jwNotWhenCovered: cite('Noridian JD DME — JW modifier', 'Units already cover the waste',
    'When the HCPCS code UOS is equal to or greater than the total of the actual dose and the amount discarded, use of the JW modifier is not permitted.'),
  kd: cite(CMS_HCPCS_2019, 'Modifier KD', 'Drug or biological infused through dme'),
  kdByContractor: cite('CMS MCD article A54100 — Compounded drugs used in an implantable infusion pump (copies; contractor unconfirmed)', 'KD',
    'Any drug, compounded or non-compounded, that is administered through an infusion pump must be reported with the KD modifier.'),
  j1171Unconfirmed: cite('billbusted.com (secondary; not a CMS text)', 'J1170', 'Code J1170 was deleted October 1, 2024 and replaced by J1171'),
  labelsSingleDose: cite('FDA labeling (DailyMed): Prialt, Infumorph, Duraclon, intrathecal baclofen', 'How supplied',
    'Prialt vials, Infumorph/Duramorph ampuls and vials, Duraclon vials and intrathecal baclofen vials are labeled single-dose (research/drug-codes.md §2.8)'),
} as const;

// ------------------------------------------------------------------ HCPCS drug codes

export type IngredientId = 'baclofen' | 'ziconotide' | 'morphine' | 'hydromorphone' | 'clonidine' | 'fentanyl' | 'sufentanil' | 'bupivacaine';
export type DoseUnit = 'mg' | 'mcg' | 'mL';

export interface HcpcsDrugCode {
  code: string;
  descriptor: string;
  /** the drug the code describes; undefined for not-otherwise-classified and compounded codes */
  ingredient?: IngredientId;
  kind: 'specific' | 'loading-dose' | 'not-otherwise-classified' | 'compounded' | 'not-a-pump-drug' | 'home-infusion';
  /** billing unit: `unitSize` `unit` per unit ("up to" when upTo); none for NOC codes (1 unit per line, invoice) */
  unitSize?: number;
  unit?: DoseUnit;
  upTo?: boolean;
  /** J0476: the intrathecal screening bolus only */
  trialOnly?: boolean;
  /** YYYY-MM-DD, inclusive; undefined = not limited as far as the sources show */
  validFrom?: string;
  validTo?: string;
  /** false: the CMS file marks it not payable by Medicare (coverage code I) */
  medicarePayable: boolean;
  /** false: one weak source only — recognised on the record, never suggested */
  confirmed: boolean;
  citations: readonly Citation[];
}

const cms = (quote: string, note = ''): Citation => cite(CMS_HCPCS_2019, 'HCPCS Level II' + (note ? ', ' + note : ''), quote);

export const HCPCS_DRUG_CODES: readonly HcpcsDrugCode[] = Object.freeze([
  { code: 'J0475', descriptor: 'Injection, baclofen, 10 mg', ingredient: 'baclofen', kind: 'specific', unitSize: 10, unit: 'mg', validFrom: '1994-01-01', medicarePayable: true, confirmed: true, citations: [cms('Injection, baclofen, 10 mg')] },
  { code: 'J0476', descriptor: 'Injection, baclofen, 50 mcg for intrathecal trial', ingredient: 'baclofen', kind: 'specific', unitSize: 50, unit: 'mcg', trialOnly: true, validFrom: '1999-01-01', medicarePayable: true, confirmed: true, citations: [cms('Injection, baclofen, 50 mcg for intrathecal trial')] },
  { code: 'J2278', descriptor: 'Injection, ziconotide, 1 microgram', ingredient: 'ziconotide', kind: 'specific', unitSize: 1, unit: 'mcg', validFrom: '2006-01-01', medicarePayable: true, confirmed: true, citations: [cms('Injection, ziconotide, 1 microgram')] },
  { code: 'J2274', descriptor: 'Injection, morphine sulfate, preservative-free for epidural or intrathecal use, 10 mg', ingredient: 'morphine', kind: 'specific', unitSize: 10, unit: 'mg', validFrom: '2015-01-01', medicarePayable: true, confirmed: true, citations: [cms('Injection, morphine sulfate, preservative-free for epidural or intrathecal use,', 'per 10 mg')] },
  { code: 'Q9974', descriptor: 'Injection, morphine sulfate, preservative-free for epidural or intrathecal use, 10 mg', ingredient: 'morphine', kind: 'specific', unitSize: 10, unit: 'mg', validFrom: '2014-07-01', validTo: '2014-12-31', medicarePayable: true, confirmed: true, citations: [cms('Injection, morphine sulfate, preservative-free for epidural or intrathecal use,', 'terminated 2014-12-31')] },
  { code: 'J2275', descriptor: 'Injection, morphine sulfate (preservative-free sterile solution), per 10 mg', ingredient: 'morphine', kind: 'specific', unitSize: 10, unit: 'mg', validTo: '2014-12-31', medicarePayable: true, confirmed: true, citations: [cms('Injection, morphine sulfate (preservative-free sterile solution), per 10 mg', 'terminated 2014-12-31')] },
  { code: 'S0093', descriptor: 'Injection, morphine sulfate, 500 mg (loading dose for infusion pump)', ingredient: 'morphine', kind: 'loading-dose', unitSize: 500, unit: 'mg', medicarePayable: false, confirmed: true, citations: [cms('Injection, morphine sulfate, 500 mg (loading dose for infusion pump)', 'coverage code I (not payable by Medicare)')] },
  { code: 'J1170', descriptor: 'Injection, hydromorphone, up to 4 mg', ingredient: 'hydromorphone', kind: 'specific', unitSize: 4, unit: 'mg', upTo: true, medicarePayable: true, confirmed: true, citations: [cms('Injection, hydromorphone, up to 4 mg')] },
  { code: 'J1171', descriptor: 'Injection, hydromorphone, 0.1 mg (reported; not in the CMS text available)', ingredient: 'hydromorphone', kind: 'specific', unitSize: 0.1, unit: 'mg', validFrom: '2024-10-01', medicarePayable: true, confirmed: false, citations: [TERMINOLOGY_CITATIONS.j1171Unconfirmed] },
  { code: 'S0092', descriptor: 'Injection, hydromorphone hydrochloride, 250 mg (loading dose for infusion pump)', ingredient: 'hydromorphone', kind: 'loading-dose', unitSize: 250, unit: 'mg', medicarePayable: false, confirmed: true, citations: [cms('Injection, hydromorphone hydrochloride, 250 mg (loading dose for infusion pump)', 'coverage code I (not payable by Medicare)')] },
  { code: 'J0735', descriptor: 'Injection, clonidine hydrochloride, 1 mg', ingredient: 'clonidine', kind: 'specific', unitSize: 1, unit: 'mg', medicarePayable: true, confirmed: true, citations: [cms('Injection, clonidine hydrochloride, 1 mg')] },
  { code: 'J3010', descriptor: 'Injection, fentanyl citrate, 0.1 mg', ingredient: 'fentanyl', kind: 'specific', unitSize: 0.1, unit: 'mg', medicarePayable: true, confirmed: true, citations: [cms('Injection, fentanyl citrate, 0.1 mg')] },
  { code: 'J0665', descriptor: 'Injection, bupivicaine, not otherwise specified, 0.5 mg (reported; effective date not sourced)', ingredient: 'bupivacaine', kind: 'specific', unitSize: 0.5, unit: 'mg', medicarePayable: true, confirmed: false, citations: [cite('pabau.com (secondary; not a CMS text)', 'J0665', 'J0665 codes bupivacaine injection NOS at 0.5mg per unit')] },
  { code: 'S0020', descriptor: 'Injection, bupivicaine hydrochloride, 30 ml', ingredient: 'bupivacaine', kind: 'loading-dose', unitSize: 30, unit: 'mL', medicarePayable: false, confirmed: true, citations: [cms('Injection, bupivicaine hydrochloride, 30 ml', 'coverage code I (not payable by Medicare)')] },
  { code: 'C9290', descriptor: 'Injection, bupivacaine liposome, 1 mg', kind: 'not-a-pump-drug', unitSize: 1, unit: 'mg', medicarePayable: true, confirmed: true, citations: [cms('Injection, bupivacaine liposome, 1 mg')] },
  { code: 'J3490', descriptor: 'Unclassified drugs', kind: 'not-otherwise-classified', medicarePayable: true, confirmed: true, citations: [cms('Unclassified drugs')] },
  { code: 'J7799', descriptor: 'NOC drugs, other than inhalation drugs, administered through DME', kind: 'not-otherwise-classified', medicarePayable: true, confirmed: true, citations: [cms('Noc drugs, other than inhalation drugs, administered through dme')] },
  { code: 'J7999', descriptor: 'Compounded drug, not otherwise classified', kind: 'compounded', validFrom: '2016-01-01', medicarePayable: true, confirmed: true, citations: [cms('Compounded drug, not otherwise classified')] },
  { code: 'Q9977', descriptor: 'Compounded drug, not otherwise classified', kind: 'compounded', validFrom: '2015-07-01', validTo: '2015-12-31', medicarePayable: true, confirmed: true, citations: [cms('Compounded drug, not otherwise classified', 'Q9977, 2015-07-01 to 2015-12-31')] },
  { code: 'S9328', descriptor: 'Home infusion therapy, implanted pump pain management infusion, per diem (descriptor not in the CMS text available)', kind: 'home-infusion', medicarePayable: false, confirmed: true, citations: [TERMINOLOGY_CITATIONS.sCodesNotMedicare] },
] satisfies HcpcsDrugCode[]);

const BY_CODE = new Map(HCPCS_DRUG_CODES.map((r) => [r.code, r]));

export function hcpcsDrugCode(code: string | undefined): HcpcsDrugCode | undefined {
  return code ? BY_CODE.get(code.trim().toUpperCase()) : undefined;
}

/** valid on the date of service (YYYY-MM-DD compare as strings) */
export function validOn(row: { validFrom?: string; validTo?: string }, date: string): boolean {
  return (!row.validFrom || row.validFrom <= date) && (!row.validTo || date <= row.validTo);
}

/** an S code (temporary national code): never billed to Medicare */
export const isSCode = (code: string): boolean => /^S\d{4}$/i.test(code.trim());

/** a HCPCS Level II drug code: the table's codes, any J code, or a drug S/Q/C code */
export function looksLikeDrugCode(code: string): boolean {
  const c = code.trim().toUpperCase();
  return BY_CODE.has(c) && BY_CODE.get(c)!.kind !== 'home-infusion' || /^J\d{4}$/.test(c);
}

// ------------------------------------------------------------------ modifiers

export const MODIFIERS = {
  JW: { code: 'JW', descriptor: 'Drug amount discarded/not administered to any patient', validFrom: '2003-01-01', requiredFrom: '2017-01-01', citations: [TERMINOLOGY_CITATIONS.jwRequired] },
  JZ: { code: 'JZ', descriptor: 'Zero drug amount discarded/not administered to any patient', validFrom: '2023-07-01', citations: [TERMINOLOGY_CITATIONS.jzRequired] },
  KD: { code: 'KD', descriptor: 'Drug or biological infused through DME', validFrom: '2004-01-01', citations: [TERMINOLOGY_CITATIONS.kd] },
  '25': { code: '25', descriptor: 'Significant, separately identifiable evaluation and management service', citations: [] as Citation[] },
} as const;

// ------------------------------------------------------------------ CPT pump services

export interface CptPumpCode {
  code: string;
  descriptor: string;
  family: 'analysis' | 'refill' | 'systemic';
  analysis: boolean;
  refill: boolean;
  reprogramming: boolean;
  /** the physician/QHP-skill variant (62370, 95991) */
  physicianSkill: boolean;
  /** the descriptor as a neutral citation (quoted as the seed policies print it; AMA copyright) */
  citation: Citation;
}

const ANALYSIS_STEM = 'Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); ';
const REFILL_STEM = 'Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed';

const cpt = (code: string, descriptor: string, family: CptPumpCode['family'], analysis: boolean, refill: boolean, reprogramming: boolean, physicianSkill: boolean, quote: string): CptPumpCode =>
  Object.freeze({ code, descriptor, family, analysis, refill, reprogramming, physicianSkill, citation: cite(AMA_CPT, 'CPT ' + code + ' descriptor', quote) });

export const CPT_PUMP_CODES: readonly CptPumpCode[] = Object.freeze([
  cpt('62367', ANALYSIS_STEM + 'without reprogramming or refill', 'analysis', true, false, false, false, 'without reprogramming or refill'),
  cpt('62368', ANALYSIS_STEM + 'with reprogramming', 'analysis', true, false, true, false, 'drug prescription status); with reprogramming'),
  cpt('62369', ANALYSIS_STEM + 'with reprogramming and refill', 'analysis', true, true, true, false, 'drug prescription status); with reprogramming and refill'),
  cpt('62370', ANALYSIS_STEM + 'with reprogramming and refill (requiring skill of a physician or other qualified health care professional)', 'analysis', true, true, true, true, 'with reprogramming and refill (requiring skill of a physician or other qualified health care professional)'),
  cpt('95990', REFILL_STEM, 'refill', false, true, false, false, REFILL_STEM),
  cpt('95991', REFILL_STEM + '; requiring skill of a physician or other qualified health care professional', 'refill', false, true, false, true, 'includes electronic analysis of pump, when performed; requiring skill of a physician or other qualified health care professional'),
  cpt('96522', 'Refilling and maintenance of implantable pump or reservoir for drug delivery, systemic (eg, intravenous, intra-arterial)', 'systemic', false, true, false, false, 'Refilling and maintenance of implantable pump or reservoir for drug delivery, systemic (eg, intravenous, intra-arterial)'),
]);

const CPT_BY_CODE = new Map(CPT_PUMP_CODES.map((c) => [c.code, c]));
export const cptPumpCode = (code: string | undefined): CptPumpCode | undefined => (code ? CPT_BY_CODE.get(code.trim()) : undefined);
export const PUMP_SERVICE_CODES: ReadonlySet<string> = new Set(CPT_PUMP_CODES.map((c) => c.code));
export const REFILL_CODES: ReadonlySet<string> = new Set(CPT_PUMP_CODES.filter((c) => c.refill).map((c) => c.code));
export const isPumpAnalysisCode = (code: string): boolean => CPT_BY_CODE.get(code)?.family === 'analysis';
export const isPumpRefillCode = (code: string): boolean => CPT_BY_CODE.get(code)?.family === 'refill';
export const CPT_DISPLAY: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(CPT_PUMP_CODES.map((c) => [c.code, c.descriptor])));

/** catheter / pump implantation (terminology.md, Procedure.code CPT; 001, 003) */
export const IMPLANTATION_CPT: ReadonlySet<string> = new Set(['62350', '62351', '62360', '62361', '62362', '61215']);
/** single-shot and catheter trial injections (001) */
export const TRIAL_CPT: ReadonlySet<string> = new Set(['62322', '62323', '62324', '62325', '62326', '62327']);

/** Office/outpatient and other E/M codes (99202-99499). */
export function isEvaluationAndManagementCode(code: string): boolean {
  return /^99[2-4]\d\d$/.test(code);
}

/** HCPCS device codes of implanted pumps (terminology.md, Device kinds): Claim lines that carry the Device UDI */
export const PUMP_DEVICE_HCPCS: ReadonlySet<string> = new Set(['E0782', 'E0783', 'E0784', 'E0785', 'E0786', 'C1772', 'C1891', 'C2626']);

/** The device kind a HCPCS device code names (terminology.md, Device kinds; 001 Coding Information, HCPCS). */
export const DEVICE_KIND_BY_HCPCS: Readonly<Record<string, DeviceKind>> = Object.freeze({
  E0783: 'implanted-programmable-pump', E0786: 'implanted-programmable-pump', C1772: 'implanted-programmable-pump',
  E0782: 'implanted-nonprogrammable-pump', C1891: 'implanted-nonprogrammable-pump', C2626: 'implanted-nonprogrammable-pump',
  A4301: 'implanted-reservoir',
  A4305: 'external-disposable-pump', A4306: 'external-disposable-pump',
});

/** a Claim line for the pump service or the pump itself (carries the Device as its UDI) */
export const isPumpLineCode = (code: string): boolean => PUMP_SERVICE_CODES.has(code) || PUMP_DEVICE_HCPCS.has(code);
