/**
 * Drug-line, unit, modifier, checklist-trigger and S-code scenarios (issue 8), written from the CMS HCPCS
 * file, the MAC JW/JZ pages (research/drug-codes.md) and the DESIGN.md trigger tables. Same shape as
 * scenarios.ts; each names the text it rests on.
 */
import type { Citation, VisitFacts } from '../contracts/index.js';
import { TERMINOLOGY_CITATIONS, hcpcsDrugCode, strengthsFromNames } from '../terminology/index.js';
import { ARTICLE, CENTENE, FORUM } from './citations.js';
import { ctx, visit, type PolicyScenario } from './scenarios.js';

export interface DrugScenario extends Omit<PolicyScenario, 'source'> { source: Citation }

type Drug = VisitFacts['drugs'][number];
const drug = (name: string, amount: number, unit: Drug['unit'], extra: Partial<Drug> = {}): Drug =>
  ({ name, amount, unit, compounded: false, purchasedBy: 'practice', ...extra });
const row = (code: string): Citation => hcpcsDrugCode(code)!.citations[0]!;
const MEDICARE_UT = { patient: { state: 'UT' }, serviceState: 'UT' } as const;

export const DRUG_SCENARIOS: DrugScenario[] = [
  // ------------------------------------------------------------ one code per drug, units from the descriptor
  {
    name: 'baclofen refill 20 mL × 2,000 mcg/mL = 40 mg → J0475 × 4',
    source: row('J0475'),
    facts: visit({ drugs: [drug('Lioresal Intrathecal (baclofen)', 20, 'mL', { concentration: { amount: 2000, unit: 'mcg', perMl: 1 } })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', modifiers: [], units: 4 }], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'baclofen intrathecal trial bolus 75 mcg (procedureType trial) → J0476 × 2, never J0475',
    source: row('J0476'),
    facts: visit({ services: { electronicAnalysis: false, refill: false, reprogramming: 'none', procedureType: 'trial' }, drugs: [drug('Gablofen', 75, 'mcg')] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: 'J0476', modifiers: [], units: 2 }] },
  },
  {
    name: 'baclofen marked as a trial dose on a refill visit → the maintenance code J0475 × 1 (J0476 is the screening bolus only)',
    source: row('J0475'),
    facts: visit({ drugs: [drug('baclofen 50 mcg/mL screening syringe', 50, 'mcg', { trial: true })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', units: 1 }] },
  },
  {
    name: 'ziconotide 20 mL of Prialt 25 mcg/mL (strength in the product name) = 500 mcg → J2278 × 500',
    source: row('J2278'),
    facts: visit({ drugs: strengthsFromNames([drug('Prialt 25 mcg/mL', 20, 'mL')]) }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2278', units: 500 }] },
  },
  {
    name: 'Infumorph 20 mL × 25 mg/mL = 500 mg → J2274 × 50',
    source: row('J2274'),
    facts: visit({ drugs: [drug('Infumorph', 20, 'mL', { concentration: { amount: 25, unit: 'mg', perMl: 1 } })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 50 }] },
  },
  {
    name: 'hydromorphone (Dilaudid-HP) 10 mg → J1170 × 3 (up to 4 mg per unit)',
    source: row('J1170'),
    facts: visit({ serviceDate: '2024-06-03', drugs: [drug('Dilaudid-HP', 10, 'mg')] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J1170', units: 3 }] },
  },
  {
    name: 'clonidine (Duraclon) 10 mL × 500 mcg/mL = 5 mg → J0735 × 5',
    source: row('J0735'),
    facts: visit({ drugs: [drug('Duraclon', 10, 'mL', { concentration: { amount: 500, unit: 'mcg', perMl: 1 } })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0735', units: 5 }] },
  },
  {
    name: 'fentanyl 1,000 mcg with J3010 on the record → J3010 × 10 (0.1 mg per unit), not 1,000',
    source: row('J3010'),
    facts: visit({ drugs: [drug('fentanyl citrate', 1000, 'mcg', { hcpcs: 'J3010' })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J3010', units: 10 }] },
  },
  {
    name: 'sufentanil has no specific code → J3490 × 1 with the drug named',
    source: row('J3490'),
    facts: visit({ drugs: [drug('sufentanil citrate', 500, 'mcg', { ndc: '0409-1234-01' })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J3490', units: 1 }], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'morphine before 2015 (2014-03-01) → J2275, the code valid on that date',
    source: row('J2275'),
    facts: visit({ serviceDate: '2014-03-01', drugs: [drug('morphine sulfate preservative-free', 25, 'mg')] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2275', units: 3 }] },
  },
  // ------------------------------------------------------------ mL with and without concentration
  {
    name: 'baclofen 20 mL with no concentration → no drug line, drug-verification required',
    source: TERMINOLOGY_CITATIONS.unitsRoundUp,
    facts: visit({ drugs: [drug('baclofen intrathecal', 20, 'mL')] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], requiredChecklist: ['drug-verification'] },
  },
  // ------------------------------------------------------------ a code from the record is re-checked
  {
    name: 'J0475 × 40 on the record for 40 mg → J0475 × 4 and proposed-code-not-supported',
    source: row('J0475'),
    facts: visit({ drugs: [drug('baclofen', 40, 'mg', { hcpcs: 'J0475' })], proposedCodes: [{ code: 'J0475', units: 40 }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', units: 4 }], warnings: ['proposed-code-not-supported'] },
  },
  {
    name: 'baclofen 40,000 mcg with J0475 → J0475 × 4',
    source: row('J0475'),
    facts: visit({ drugs: [drug('baclofen', 40000, 'mcg', { hcpcs: 'J0475' })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', units: 4 }], absentWarnings: ['proposed-code-not-supported'] },
  },
  {
    name: 'fractional units from a charge (J2274 × 14.5) → accepted and warned',
    source: TERMINOLOGY_CITATIONS.unitsRoundUp,
    facts: visit({ drugs: [drug('morphine sulfate preservative-free', 145, 'mg')], proposedCodes: [{ code: 'J2274', units: 14.5 }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 15 }], warnings: ['proposed-code-not-supported'] },
  },
  // ------------------------------------------------------------ JW / JZ (Medicare Part B)
  {
    name: 'Medicare, baclofen 20 mg given and 15 mg discarded from a single-dose vial → J0475 × 2 and J0475-JW × 2',
    source: TERMINOLOGY_CITATIONS.jwRequired,
    facts: visit({ ...MEDICARE_UT, drugs: [drug('baclofen', 20, 'mg', { singleDoseContainer: true, wastedAmount: 15 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', modifiers: [], units: 2 }, { code: 'J0475', modifiers: ['JW'], units: 2 }], requiredChecklist: ['drug-waste', 'same-claim', 'drug-proof-of-purchase'] },
  },
  {
    name: 'Medicare, Prialt from a labelled single-use vial, nothing discarded (2024) → J2278 with JZ',
    source: TERMINOLOGY_CITATIONS.jzRequired,
    facts: visit({ ...MEDICARE_UT, drugs: [drug('Prialt', 100, 'mcg', { wastedAmount: 0 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2278', modifiers: ['JZ'], units: 100 }], requiredChecklist: ['drug-waste'] },
  },
  {
    name: 'Medicare, waste within the billed units (35 mg given, 3 mg discarded) → J2274 × 4 with JZ, no JW line',
    source: TERMINOLOGY_CITATIONS.jwNotWhenCovered,
    facts: visit({ ...MEDICARE_UT, drugs: [drug('Infumorph', 35, 'mg', { singleDoseContainer: true, wastedAmount: 3 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: ['JZ'], units: 4 }] },
  },
  {
    name: 'Medicare before 2023-07-01, nothing discarded → no JZ (not yet required)',
    source: TERMINOLOGY_CITATIONS.jzRequired,
    facts: visit({ ...MEDICARE_UT, serviceDate: '2023-03-01', drugs: [drug('Infumorph', 30, 'mg', { singleDoseContainer: true, wastedAmount: 0 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 3 }] },
  },
  {
    name: 'Medicare, labelled single-dose morphine with the discarded amount unknown → drug-waste-modifier',
    source: TERMINOLOGY_CITATIONS.jwjzScope,
    facts: visit({ ...MEDICARE_UT, drugs: [drug('Duramorph', 20, 'mg')] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 2 }], warnings: ['drug-waste-modifier'], requiredChecklist: ['drug-waste'] },
  },
  // ------------------------------------------------------------ compounded
  {
    name: 'Medicare, compounded mixture from a single-dose container with waste → J7999 × 1, never a JW line',
    source: row('J7999'),
    facts: visit({ ...MEDICARE_UT, drugs: [drug('morphine/bupivacaine compounded', 20, 'mL', { compounded: true, singleDoseContainer: true, wastedAmount: 2 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J7999', modifiers: [], units: 1 }], warnings: ['compounded-code-varies'], absentChecklist: ['drug-waste'] },
  },
  {
    name: 'compounded mixture under a mapping set to J7799 with KD → J7799-KD × 1',
    source: TERMINOLOGY_CITATIONS.kdByContractor,
    facts: visit({ drugs: [drug('hydromorphone/clonidine compounded', 20, 'mL', { compounded: true })] }),
    context: ctx('cpt-default', 'commercial', { options: { compoundedDrugCode: 'J7799', kdModifier: true } }),
    expect: { lines: [{ code: '62369' }, { code: 'J7799', modifiers: ['KD'], units: 1 }] },
  },
  {
    name: 'KD set on the mapping → J0475 with KD on an off-the-shelf baclofen line',
    source: TERMINOLOGY_CITATIONS.kd,
    facts: visit({ drugs: [drug('baclofen', 40, 'mg')] }),
    context: ctx('cpt-default', 'commercial', { options: { kdModifier: true } }),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', modifiers: ['KD'], units: 4 }] },
  },
  // ------------------------------------------------------------ S codes
  {
    name: 'S0093 on the record for a Medicare patient → J2274 × 60 instead, warned; S9328 not covered',
    source: TERMINOLOGY_CITATIONS.sCodesNotMedicare,
    facts: visit({ ...MEDICARE_UT, drugs: [drug('morphine sulfate PF (loading dose)', 600, 'mg', { hcpcs: 'S0093' })], proposedCodes: [{ code: 'S0093', units: 2 }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 60 }], warnings: ['proposed-code-not-supported', 'drug-waste-modifier'], notCovered: ['S9328'] },
  },
  {
    name: 'S0093 on the record for a Centene Medicaid member → S0093 × 2 (Centene lists it)',
    source: row('S0093'),
    facts: visit({ drugs: [drug('morphine sulfate PF (loading dose)', 600, 'mg', { hcpcs: 'S0093' })] }),
    context: ctx('centene-cp-mp-173', 'medicaid'),
    expect: { lines: [{ code: '62369' }, { code: 'S0093', units: 2 }], warnings: ['state-medicaid-precedence'] },
  },
  {
    name: 'iCare Medicare Advantage visit → S9328 listed as not covered (CMS: S codes not payable)',
    source: TERMINOLOGY_CITATIONS.sCodesNotMedicare,
    facts: visit({ patient: { state: 'WI' }, serviceState: 'WI' }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }], notCovered: ['S9328'] },
  },
  // ------------------------------------------------------------ checklist triggers
  {
    name: 'RN performs the refill (commercial) → performer-credentials required',
    source: ARTICLE.performerQuestion,
    facts: visit({ performer: { role: 'registered-nurse', physicianSkillRequired: false }, services: { electronicAnalysis: true, refill: true, reprogramming: 'none' } }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '95990' }], requiredChecklist: ['performer-credentials', 'residual-volume'], optionalChecklist: ['refill-date-estimate', 'analysis-findings'] },
  },
  {
    name: 'NP performs 62369 → performer-credentials required; physician performs → none',
    source: FORUM.scenario6Qhp,
    facts: visit({ performer: { role: 'nurse-practitioner', physicianSkillRequired: false } }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }], requiredChecklist: ['performer-credentials', 'reprogramming-detail', 'dose-change-reason'] },
  },
  {
    name: 'physician performs → no performer-credentials item',
    source: FORUM.scenario3Skill,
    facts: visit({}),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }], absentChecklist: ['performer-credentials'], optionalChecklist: ['physician-skill-reason', 'prior-authorization'] },
  },
  {
    name: 'analysis only (62367), commercial → interrogation-reason required',
    source: ARTICLE.interrogationFrequency,
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'none' } }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '62367' }], requiredChecklist: ['interrogation-reason', 'analysis-findings'], absentChecklist: ['residual-volume'] },
  },
  {
    name: 'no ICD-10-CM diagnosis → diagnosis-missing and a required diagnosis-code item',
    source: ARTICLE.servicesQuestion,
    facts: visit({ diagnoses: [] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], warnings: ['diagnosis-missing'], requiredChecklist: ['diagnosis-code'] },
  },
  {
    name: 'Medicare in JF (Utah) → minimal documentation required; in JJ (Tennessee) recommended',
    source: ARTICLE.pumpStatus,
    facts: visit({ ...MEDICARE_UT }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], requiredChecklist: ['pump-status-before-after', 'response-to-current-dose', 'reassessment'], absentChecklist: ['same-claim'] },
  },
  {
    name: 'Medicare in JJ (Tennessee) → minimal documentation recommended',
    source: ARTICLE.reassessment,
    facts: visit({ patient: { state: 'TN' }, serviceState: 'TN' }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], optionalChecklist: ['pump-status-before-after', 'response-to-current-dose', 'reassessment'] },
  },
  {
    name: 'Centene intrathecal trial → implant-medical-necessity recommended (not required)',
    source: CENTENE.trial,
    facts: visit({ services: { electronicAnalysis: false, refill: false, reprogramming: 'none', procedureType: 'trial' } }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [], optionalChecklist: ['implant-medical-necessity'], warnings: ['no-billable-service'] },
  },
];
