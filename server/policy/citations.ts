/**
 * The passages every rule in the policy engine rests on, quoted verbatim (whitespace aside) from the
 * seed documents in /work/shared/seeds (named by file), or naming a public CMS source where the seeds
 * are silent. `citations.test.ts` checks that each quote attributed to a seed file occurs in that file.
 *
 * One constant per passage, grouped by source, so a coder can check the code against the policy text.
 */
import type { Citation } from '../contracts/index.js';
import { SEED_FILES } from '../contracts/sources.js';
import { cptPumpCode, TERMINOLOGY_CITATIONS } from '../terminology/index.js';

export { TERMINOLOGY_CITATIONS };

/** The five seed documents by file name: the source registry (contracts/sources.ts) is the one list of them. */
export const SEED = SEED_FILES;

const cite = (source: string, section: string, quote?: string): Citation =>
  Object.freeze(quote === undefined ? { source, section } : { source, section, quote });

// ------------------------------------------------------------------ 000: U of U Health Plans
export const UUHP = {
  scope: cite(SEED.uuhp, 'Policy scope', 'Policies outline coverage determinations for U of U Health Plans Commercial, CHIP Healthy U (Medicaid) and Advantage U (Medicare) plans.'),
  location: cite(SEED.uuhp, 'Description', 'Implantable infusion pumps can be intrathecal or epidural in location.'),
  typicalInterval: cite(SEED.uuhp, 'Description', 'The most typical interval between fillings of the reservoir is 90 days.'),
  covers: cite(SEED.uuhp, 'Policy Statement and Criteria, 1. Commercial Plans/CHIP', 'For the refill of implanted intrathecal or epidural infusion pumps, U of U Health Plans COVERS 62369 or 62370.'),
  s9328: cite(SEED.uuhp, 'Policy Statement and Criteria, 1. Commercial Plans/CHIP', 'U of U Health Plans does NOT cover S9328 for the refill of implanted intrathecal or epidural pain pumps as this code is intended for use only with continuous IV infusions.'),
  medicaid: cite(SEED.uuhp, 'Policy Statement and Criteria, 2. Medicaid Plans', 'Coverage is determined by the State of Utah Medicaid program; if Utah State Medicaid has no published coverage position and InterQual criteria are not available, the U of U Health Plans Commercial criteria will apply.'),
  codes95990: cite(SEED.uuhp, 'Applicable Coding, CPT Codes, Covered', '95990 Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed'),
  codes95991: cite(SEED.uuhp, 'Applicable Coding, CPT Codes, Covered', 'includes electronic analysis of pump, when performed; requiring skill of a physician or other qualified health care professional'),
  priorAuth: cite(SEED.uuhp, 'Policy preamble', 'Services requiring prior-authorization may not be covered, if prior-authorization is not obtained.'),
} as const;

// ------------------------------------------------------------------ 001: iCare WI.PA-1133
export const ICARE = {
  lineOfBusiness: cite(SEED.icare, 'Policy header (WI.PA-1133)', 'Line of Business: Medicare'),
  followsCms: cite(SEED.icare, 'Coverage Determination', 'iCare follows the CMS requirements that only allows coverage and payment for services that are reasonable and necessary'),
  ncd: cite(SEED.icare, 'Related Documents', 'NCD Infusion Pumps 280.14'),
  a55239: cite(SEED.icare, 'Related Documents', 'A55239 JE - Noridian Healthcare Solutions, LLC CA, HI, NV, American Samoa, Guam, Northern Mariana Islands'),
  a55323: cite(SEED.icare, 'Related Documents', 'A55323 JF - Noridian Healthcare Solutions, LLC AK, AZ, ID, MT, ND, OR, SD, UT, WA, WY'),
  l33461: cite(SEED.icare, 'Related Documents', 'L33461 JJ - Palmetto GBA (Part A/B MAC) AL, GA, TN'),
  a56695: cite(SEED.icare, 'Related Documents', 'A56695 JM - Palmetto GBA Part A/B MAC) NC, SC, VA, WV'),
  programmable: cite(SEED.icare, 'Description', 'IIPs can be programmed for continuous or variable rates of infusion.'),
  disposable: cite(SEED.icare, 'Description', 'Postoperative disposable ambulatory regional anesthesia pumps may be single use elastomeric or spring-loaded devices which deliver a continuous, preset dose of pain medication'),
  a4305: cite(SEED.icare, 'Coding Information, HCPCS', 'A4305 Disposable drug delivery system, flow rate of 50 ml or greater per hour'),
  a4306: cite(SEED.icare, 'Coding Information, HCPCS', 'A4306 Disposable drug delivery system, flow rate of less than 50 ml per hour'),
  code96522: cite(SEED.icare, 'Coding Information, CPT', '96522 Refilling and maintenance of implantable pump or reservoir for drug delivery, systemic (eg, intravenous, intra-arterial)'),
  code62367: cite(SEED.icare, 'Coding Information, CPT', '62367 Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); without reprogramming or refill'),
  code62368: cite(SEED.icare, 'Coding Information, CPT', 'drug prescription status); with reprogramming'),
  code62369: cite(SEED.icare, 'Coding Information, CPT', 'drug prescription status); with reprogramming and refill'),
  code62370: cite(SEED.icare, 'Coding Information, CPT', 'with reprogramming and refill (requiring skill of a physician or other qualified health care professional)'),
  codesInformational: cite(SEED.icare, 'Coding Information', 'Inclusion of a code does not guarantee coverage and/or reimbursement for a service or procedure.'),
} as const;

// ------------------------------------------------------------------ 002: coding article on CMS A55239
const A55239_VIA_ARTICLE = 'CMS Article A55239, as quoted in ' + SEED.article;
export const ARTICLE = {
  sameClaim: cite(SEED.article, A55239_VIA_ARTICLE, 'The drugs are not to be billed on a separate claim form.'),
  practiceExpense: cite(SEED.article, A55239_VIA_ARTICLE, 'This means, the drug administered must be a practice expense for the physician performing the service.'),
  proofOfPurchase: cite(SEED.article, 'Minimal Documentation Must Include', 'Proof that any medication billed to Medicare represents a cost to the physician or group accepting Medicare payment.'),
  pumpStatus: cite(SEED.article, 'Minimal Documentation Must Include', 'The pump status before and after the refill,'),
  responseToDose: cite(SEED.article, 'Minimal Documentation Must Include', 'The patient\u2019s response to the current medication dose and rate,'),
  doseChangeReason: cite(SEED.article, 'Minimal Documentation Must Include', 'The reasons for any change in dose or the types of medications,'),
  reassessment: cite(SEED.article, 'Minimal Documentation Must Include', 'A reassessment of the patient\u2019s overall condition and treatment goals (this may be reported as an E&M service),'),
  incidentToProof: cite(SEED.article, 'Minimal Documentation Must Include', 'Proof that all applicable \u201cincident to\u201d requirements are met, and'),
  incidentToQuestion: cite(SEED.article, 'Ten things to consider', 'Does this service meet \u201cIncident-to\u201d guidelines if not performed by the physician/ACP?'),
  commercialDiffers: cite(SEED.article, 'Introduction', 'Commercial payer policies may have differing requirements for Advance Care Practitioners, \u201cIncident-to\u201d, and payment criteria for the service.'),
  code95990: cite(SEED.article, 'CPT Coding', 'includes electronic analysis of pump, when performed.'),
  code95991: cite(SEED.article, 'CPT Coding', 'Requiring skill of physician or other qualified health care professional'),
  j7999: cite(SEED.article, 'CPT Coding', 'J7999 \u2013 Compounded Drug, NOC (Not Otherwise Classified)'),
  emNotTypical: cite(SEED.article, 'E/M (Evaluation and Management)', 'Evaluation and management is not typically reported separately during the refill, interrogation, or reprogramming service.'),
  emModifier25: cite(SEED.article, 'E/M (Evaluation and Management)', 'If the E/M service is for reassessment, or for a separately identifiable problem, it may be reported with a -25 modifier.'),
  interrogationFrequency: cite(SEED.article, 'CMS (Noridian) on frequency, as quoted', 'the frequency for interrogating and/or reprogramming the pump (62367 and 62368) should be supported by the patient\u2019s symptoms.'),
  refillFrequency: cite(SEED.article, 'CMS (Noridian) on frequency, as quoted', 'The frequency for refill must take into account the size of the pump and dosage of the medicine.'),
  monthlyRefills: cite(SEED.article, 'CMS (Noridian) on frequency, as quoted', 'refills of the pump every month despite having a pump of 2 or 3 month capacity'),
  drugWaste: cite(SEED.article, 'Closing notes', 'Drug Waste Documentation for Single Dose/Use (ppt), which applies to these services.'),
  servicesQuestion: cite(SEED.article, 'Ten things to consider', 'Are the services for refill and/or reprogramming of the device?'),
  performerQuestion: cite(SEED.article, 'Ten things to consider', 'Who is performing the service?'),
  separateEmQuestion: cite(SEED.article, 'Ten things to consider', 'Was a separately identifiable E/M performed (i.e., for re-evaluation of the pump)?'),
} as const;

// ------------------------------------------------------------------ 003: Centene CP.MP.173
export const CENTENE = {
  baclofen: cite(SEED.centene, 'Description', 'Refer to CP.PHAR.149 Intrathecal Baclofen (Gablofen, Lioresal) for requests for Baclofen'),
  trial: cite(SEED.centene, 'Policy/Criteria I', 'a preliminary trial of intrathecal administration of an opioid drug is medically necessary for either of the following indications:'),
  trialMalignant: cite(SEED.centene, 'Policy/Criteria I.A', 'Chronic intractable pain of malignant origin when all of the following criteria is met:'),
  trialNonMalignant: cite(SEED.centene, 'Policy/Criteria I.B', 'Chronic intractable pain of nonmalignant origin (e.g. failed back surgery syndrome, complex regional pain syndrome) when all the following criteria are met:'),
  implantation: cite(SEED.centene, 'Policy/Criteria II', 'implantation of a permanent epidural or intrathecal pain pump to administer an opioid drug, singly or in combination with other non-opioid drugs, is medically necessary for either of the following:'),
  implantMalignant: cite(SEED.centene, 'Policy/Criteria II.A', 'Chronic intractable pain of malignant origin and the preliminary trial provided \u2265 50% reduction in pain with minimal side effects;'),
  implantNonMalignant: cite(SEED.centene, 'Policy/Criteria II.B', 'Severe chronic pain of non-malignant origin and all of the following criteria:'),
  j2274: cite(SEED.centene, 'Coding Implications, HCPCS', 'J2274 Injection, morphine sulfate, preservative free for epidural or intrathecal use, 10 mg'),
  s0093: cite(SEED.centene, 'Coding Implications, HCPCS', 'S0093 Injection, morphine sulfate, 500 mg (loading dose for infusion pump)'),
  diagnoses: cite(SEED.centene, 'ICD-10-CM Diagnosis Codes that Support Coverage Criteria', 'ICD-10-CM Diagnosis Codes that Support Coverage Criteria'),
  codesNoGuarantee: cite(SEED.centene, 'Coding Implications', 'Inclusion or exclusion of any codes does not guarantee coverage.'),
  code62369: cite(SEED.centene, 'Coding Implications, CPT', 'drug prescription status); with reprogramming and refill'),
  medicaid: cite(SEED.centene, 'Note', 'For Medicaid members, when state Medicaid coverage provisions conflict with the coverage provisions in this clinical policy, state Medicaid coverage provisions take precedence.'),
  medicare: cite(SEED.centene, 'Note', 'all applicable NCDs, LCDs, and Medicare Coverage Articles should be reviewed prior to applying the criteria set forth in this clinical policy.'),
} as const;

// ------------------------------------------------------------------ 004: forum thread with AMA CPT Assistant
const CPT_ASSISTANT_2012 = 'AMA CPT Assistant 2012 (quoted in ' + SEED.forum + ')';
const CPT_CHANGES_2012 = 'AMA CPT Changes 2012 vignette (quoted in ' + SEED.forum + ')';
export const FORUM = {
  question: cite(SEED.forum, 'Question', 'Doctor wanting bill 62370 everytime pump is refilled'),
  rateDoseOnly: cite(SEED.forum, 'Reply (True Blue)', 'they only describe reprogramming of the drug rate/dose'),
  medicareContractor: cite(SEED.forum, 'Reply (True Blue)', 'a certain Medicare contractor saying the drug rate/dose increase/decrease was their definition of reprogramming'),
  settingsView: cite(SEED.forum, 'Reply (True Blue)', 'a reprogrammable pump requires reprogramming such as updating the estimated refill date and the pump contents even when the rate/dosage is not increased or decreased'),
  payersDiffer: cite(SEED.forum, 'Reply (True Blue)', 'AMA points out that third party payers might have separate interpretations'),
  reprogrammingExample: cite(SEED.forum, CPT_ASSISTANT_2012, 'no reprogramming (eg, to change drug rate or dose) or refill is needed.'),
  analysis: cite(SEED.forum, CPT_ASSISTANT_2012, 'which is performed to determine reservoir, alarm, and drug prescription statuses.'),
  scenario3Skill: cite(SEED.forum, CPT_ASSISTANT_2012 + ', Clinical Scenario 3', 'CPT code 62370 is reported by the physician when the skill of the physician is required'),
  scenario3NoEm: cite(SEED.forum, CPT_ASSISTANT_2012 + ', Clinical Scenario 3', 'No E/M code is reported for this scenario.'),
  scenario6: cite(SEED.forum, CPT_ASSISTANT_2012 + ', Clinical Scenario 6', 'Code 62367 should be reported for the pump analysis without refill or reprogramming.'),
  scenario6Qhp: cite(SEED.forum, CPT_ASSISTANT_2012 + ', Clinical Scenario 6', 'is a third-party payer coverage determination.'),
  vignetteSkill: cite(SEED.forum, CPT_CHANGES_2012, "requiring physician's skill because of difficult access or other medical issues or complex reprogramming of his pump"),
  vignetteResidual: cite(SEED.forum, CPT_CHANGES_2012, 'The residual volume of the solution is aspirated from the pump/reservoir and is measured'),
  vignetteRefillDate: cite(SEED.forum, CPT_CHANGES_2012, 'Refill date estimates are also made.'),
  vignetteDrugCheck: cite(SEED.forum, CPT_CHANGES_2012, "The solution's container is checked to be sure that the drug, the drug volume, and the drug's concentration are all correct according to what was ordered."),
  vignetteReprogram: cite(SEED.forum, CPT_CHANGES_2012, 'The pump is then reprogrammed to adjust the rate of infusion and control the increased level of pain.'),
  vignetteResponse: cite(SEED.forum, CPT_CHANGES_2012, "with special attention to patient's response to drug delivery via implanted infusion pump."),
} as const;

// ------------------------------------------------------------------ code descriptors (neutral: the code set, not a payer's text)
// DESIGN.md "Citations shown to people": a payer's text never appears on another payer's determination except as
// the code descriptor, so descriptors are cited as the code set's own words (quoted as the seeds print them).
const cptDescriptor = (code: string): Citation => cptPumpCode(code)!.citation;
export const CPT = {
  c62367: cptDescriptor('62367'), c62368: cptDescriptor('62368'), c62369: cptDescriptor('62369'), c62370: cptDescriptor('62370'),
  c95990: cptDescriptor('95990'), c95991: cptDescriptor('95991'), c96522: cptDescriptor('96522'),
  a4305: cite('CMS HCPCS Level II code set', 'A4305 descriptor', 'A4305 Disposable drug delivery system, flow rate of 50 ml or greater per hour'),
  a4306: cite('CMS HCPCS Level II code set', 'A4306 descriptor', 'A4306 Disposable drug delivery system, flow rate of less than 50 ml per hour'),
} as const;

/** The policy module whose own text a seed is; other seeds (002, 004) and public sources belong to no payer. */
export const PAYER_SEEDS: Readonly<Record<string, string>> = Object.freeze({
  [SEED.uuhp]: 'uuhp', [SEED.icare]: 'icare-ma', [SEED.centene]: 'centene-cp-mp-173',
});
/** the module whose payer text a citation quotes, if any */
const PAYER_BY_SOURCE = new Map<string, string | null>();
export function payerOfCitation(c: Citation): string | undefined {
  let payer = PAYER_BY_SOURCE.get(c.source);
  if (payer === undefined) {
    payer = PAYER_SEEDS[c.source] ?? null;
    if (payer === null) for (const [file, id] of Object.entries(PAYER_SEEDS)) if (c.source.includes(file)) { payer = id; break; }
    if (PAYER_BY_SOURCE.size < 10_000) PAYER_BY_SOURCE.set(c.source, payer);
  }
  return payer ?? undefined;
}

// ------------------------------------------------------------------ public sources named where the seeds are silent
export const PUBLIC = {
  macMap: cite('CMS MAC jurisdiction map', 'A/B MAC jurisdictions by state (general knowledge; not in the seeds)'),
  jwjz: cite('CMS JW/JZ modifier policy (Medicare Claims Processing Manual Ch. 17 \u00a740)', 'Discarded drug amounts from single-dose containers (CR of 2 Jun 2023: "requirements for the new JZ modifier beginning July 1, 2023")'),
  ncd28014: cite('CMS NCD 280.14', 'Infusion Pumps (named in ' + SEED.icare + ')'),
  incidentTo: cite('CMS Medicare Benefit Policy Manual Ch. 15 \u00a760 (incident-to)', 'Direct supervision of auxiliary personnel (named here as general knowledge; 002 asks whether incident-to guidelines are met)'),
} as const;
