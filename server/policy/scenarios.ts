/**
 * Scenarios written from the seed documents, each naming its source passage. Exported so the golden
 * tests through the API and the CLI can reuse them; scenarios.test.ts runs them against evaluateVisit.
 *
 * `expect.lines` is the exact set of lines (code, modifiers, units); warnings/checklist name ids that
 * must be present (`required` ids must be present and required), `absent*` ids that must not be.
 */
import type { PolicyContext, PolicyId, VisitFacts, LineOfBusiness } from '../contracts/index.js';
import { SEED } from './citations.js';

export interface ExpectedLine { code: string; modifiers?: string[]; units?: number }
export interface PolicyScenario {
  name: string;
  source: { file: string; quote: string };
  facts: VisitFacts;
  context: PolicyContext;
  expect: {
    lines: ExpectedLine[];
    warnings?: string[];
    absentWarnings?: string[];
    checklist?: string[];
    requiredChecklist?: string[];
    optionalChecklist?: string[];
    absentChecklist?: string[];
    notCovered?: string[];
    jurisdiction?: { mac: string; documents: string[] } | null;
  };
}

type Partial2<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? Partial<T[K]> : T[K] };

/** a programmable intrathecal pump refilled with a dose change by a physician, commercial coverage */
export function visit(over: Partial2<VisitFacts> = {}): VisitFacts {
  const base: VisitFacts = {
    serviceDate: '2024-06-03',
    placeOfService: '11',
    patient: { id: 'p1', state: 'UT' },
    coverage: { payerName: 'Test payer', lineOfBusiness: 'commercial' },
    device: { kind: 'implanted-programmable-pump', route: 'intrathecal', reservoirVolumeMl: 40, model: '8637' },
    services: { electronicAnalysis: true, refill: true, reprogramming: 'rate-or-dose-change' },
    performer: { role: 'physician', physicianSkillRequired: false },
    drugs: [],
    diagnoses: ['G89.4'],
    separateEvaluation: { performed: false },
  };
  return {
    ...base,
    ...over,
    patient: { ...base.patient, ...over.patient },
    coverage: { ...base.coverage, ...over.coverage },
    device: { ...base.device, ...over.device },
    services: { ...base.services, ...over.services },
    performer: { ...base.performer, ...over.performer },
    separateEvaluation: { ...base.separateEvaluation, ...over.separateEvaluation },
    drugs: over.drugs ?? base.drugs,
    diagnoses: over.diagnoses ?? base.diagnoses,
  } as VisitFacts;
}

export function ctx(policyId: PolicyId, lineOfBusiness: LineOfBusiness = 'commercial', extra: Partial<PolicyContext> = {}): PolicyContext {
  return { policyId, lineOfBusiness, mappingMatched: policyId !== 'cpt-default', ...extra };
}

const morphine = (amount: number, extra: Partial<VisitFacts['drugs'][number]> = {}): VisitFacts['drugs'][number] =>
  ({ name: 'morphine sulfate preservative-free', amount, unit: 'mg', compounded: false, purchasedBy: 'practice', ...extra });

const q = (file: string, quote: string) => ({ file, quote });
const SKILL = { physicianSkillRequired: true, physicianSkillReason: 'difficult access: pump flipped, fluoroscopy needed' };
const RN_STAFF = { role: 'registered-nurse' as const, physicianSkillRequired: false };

export const SCENARIOS: PolicyScenario[] = [
  // ------------------------------------------------------------ CPT code selection (cpt-default)
  {
    name: 'CPT scenario 6: PA interrogates after MRI, no changes → 62367; no mapping → no-matching-policy',
    source: q(SEED.forum, 'Code 62367 should be reported for the pump analysis without refill or reprogramming.'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'none', analysisReason: 'MRI of the brain' }, performer: { role: 'physician-assistant', physicianSkillRequired: false, supervisingPhysicianOnSite: false } }),
    context: ctx('cpt-default', 'unknown'),
    expect: { lines: [{ code: '62367', modifiers: [], units: 1 }], warnings: ['no-matching-policy'], absentWarnings: ['qhp-billing-payer-determination', 'no-billable-service'], requiredChecklist: ['analysis-findings'] },
  },
  {
    name: 'analysis with a dose change, no refill → 62368',
    source: q(SEED.icare, 'drug prescription status); with reprogramming'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'rate-or-dose-change' } }),
    context: ctx('cpt-default', 'commercial', { mappingMatched: true }),
    expect: { lines: [{ code: '62368' }], absentWarnings: ['no-matching-policy'], requiredChecklist: ['reprogramming-detail', 'dose-change-reason'] },
  },
  {
    name: 'CPT scenario 3: physician refills and raises the dose with documented skill → 62370, no E/M',
    source: q(SEED.forum, 'No E/M code is reported for this scenario.'),
    facts: visit({ performer: { role: 'physician', ...SKILL } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62370', units: 1 }], absentWarnings: ['physician-skill-undocumented'], requiredChecklist: ['physician-skill-reason', 'reprogramming-detail', 'residual-volume'] },
  },
  {
    name: 'physician performs refill + dose change without a skill reason → 62369 and physician-skill-undocumented',
    source: q(SEED.forum, 'CPT code 62370 is reported by the physician when the skill of the physician is required'),
    facts: visit(),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['physician-skill-undocumented'], optionalChecklist: ['physician-skill-reason'] },
  },
  {
    name: 'skill marked required but no reason → staff code 62369 and physician-skill-undocumented',
    source: q(SEED.forum, "requiring physician's skill because of difficult access or other medical issues or complex reprogramming of his pump"),
    facts: visit({ performer: { role: 'physician', physicianSkillRequired: true } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['physician-skill-undocumented'] },
  },
  {
    name: 'refill without reprogramming by an RN → 95990',
    source: q(SEED.uuhp, '95990 Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: RN_STAFF }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95990' }], absentWarnings: ['physician-skill-undocumented', 'incident-to-requirements'], absentChecklist: ['incident-to', 'reprogramming-detail'] },
  },
  {
    name: 'refill without reprogramming needing documented physician skill → 95991',
    source: q(SEED.uuhp, 'includes electronic analysis of pump, when performed; requiring skill of a physician or other qualified health care professional'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: { role: 'physician', ...SKILL } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95991' }], requiredChecklist: ['physician-skill-reason'] },
  },
  {
    name: 'settings-only update at refill, default reading → 95990 and reprogramming-without-dose-change',
    source: q(SEED.forum, 'they only describe reprogramming of the drug rate/dose'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'settings-update-only' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95990' }], warnings: ['reprogramming-without-dose-change'], absentChecklist: ['reprogramming-detail'] },
  },
  {
    name: 'settings-only update at refill, mapping reads any settings update as reprogramming → 62369',
    source: q(SEED.forum, 'a reprogrammable pump requires reprogramming such as updating the estimated refill date and the pump contents even when the rate/dosage is not increased or decreased'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'settings-update-only' } }),
    context: ctx('cpt-default', 'commercial', { options: { reprogrammingMeaning: 'any-settings-update' } }),
    expect: { lines: [{ code: '62369' }], warnings: ['reprogramming-without-dose-change'], requiredChecklist: ['reprogramming-detail'] },
  },
  {
    name: 'settings-only update without refill, default reading → 62367',
    source: q(SEED.forum, 'no reprogramming (eg, to change drug rate or dose) or refill is needed.'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'settings-update-only' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62367' }], warnings: ['reprogramming-without-dose-change'] },
  },
  {
    name: 'settings-only update without refill, wide reading → 62368',
    source: q(SEED.forum, 'AMA points out that third party payers might have separate interpretations'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'settings-update-only' } }),
    context: ctx('cpt-default', 'commercial', { options: { reprogrammingMeaning: 'any-settings-update' } }),
    expect: { lines: [{ code: '62368' }], warnings: ['reprogramming-without-dose-change'] },
  },
  {
    name: 'non-programmable pump refill → 95990, never a 6236x',
    source: q(SEED.icare, '62367 Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); without reprogramming or refill'),
    facts: visit({ device: { kind: 'implanted-nonprogrammable-pump' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95990' }] },
  },
  {
    name: 'implanted reservoir refill → 95990',
    source: q(SEED.uuhp, '95990 Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed'),
    facts: visit({ device: { kind: 'implanted-reservoir' }, services: { electronicAnalysis: false, refill: true, reprogramming: 'none' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95990' }] },
  },
  {
    name: 'non-programmable pump, analysis only → nothing billable',
    source: q(SEED.icare, 'IIPs can be programmed for continuous or variable rates of infusion.'),
    facts: visit({ device: { kind: 'implanted-nonprogrammable-pump' }, services: { electronicAnalysis: true, refill: false, reprogramming: 'none' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [], warnings: ['no-billable-service'] },
  },
  {
    name: 'external disposable postoperative pump → not-an-implanted-pump, no pump code',
    source: q(SEED.icare, 'Postoperative disposable ambulatory regional anesthesia pumps may be single use elastomeric or spring-loaded devices which deliver a continuous, preset dose of pain medication'),
    facts: visit({ device: { kind: 'external-disposable-pump', route: 'unknown' }, proposedCodes: [{ code: '62369' }] }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [], warnings: ['not-an-implanted-pump', 'no-billable-service'] },
  },
  {
    name: 'systemic (intravenous) pump refill → 96522',
    source: q(SEED.icare, '96522 Refilling and maintenance of implantable pump or reservoir for drug delivery, systemic (eg, intravenous, intra-arterial)'),
    facts: visit({ device: { kind: 'implanted-programmable-pump', route: 'intravenous' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '96522' }], absentWarnings: ['reprogramming-without-dose-change'] },
  },
  {
    name: 'intraventricular pump refill with dose change → 95990 and route-not-described-by-code',
    source: q(SEED.uuhp, '95990 Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal (intrathecal, epidural) or brain (intraventricular), includes electronic analysis of pump, when performed'),
    facts: visit({ device: { route: 'intraventricular' } }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '95990' }], warnings: ['route-not-described-by-code'] },
  },
  {
    name: 'intraventricular pump, analysis only → no 6236x, route warning, nothing billable',
    source: q(SEED.icare, '62367 Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion (includes evaluation of reservoir status, alarm status, drug prescription status); without reprogramming or refill'),
    facts: visit({ device: { route: 'intraventricular' }, services: { electronicAnalysis: true, refill: false, reprogramming: 'none' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [], warnings: ['route-not-described-by-code', 'no-billable-service'] },
  },
  {
    name: 'route not recorded → code as intrathecal, with route-not-described-by-code',
    source: q(SEED.uuhp, 'Implantable infusion pumps can be intrathecal or epidural in location.'),
    facts: visit({ device: { route: 'unknown' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['route-not-described-by-code'] },
  },
  {
    name: 'medical assistant refilling → performer-scope-of-practice',
    source: q(SEED.article, 'Who is performing the service?'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: { role: 'medical-assistant', physicianSkillRequired: false } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '95990' }], warnings: ['performer-scope-of-practice'], requiredChecklist: ['performer-credentials'] },
  },
  {
    name: 'NP reports the QHP-level code 62370 independently → qhp-billing-payer-determination',
    source: q(SEED.forum, 'is a third-party payer coverage determination.'),
    facts: visit({ performer: { role: 'nurse-practitioner', ...SKILL } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62370' }], warnings: ['qhp-billing-payer-determination'], requiredChecklist: ['performer-credentials', 'physician-skill-reason'] },
  },
  {
    name: 'RN performs though physician skill was marked required → 62369 and performer-scope-of-practice',
    source: q(SEED.forum, 'CPT code 62370 is reported by the physician when the skill of the physician is required'),
    facts: visit({ performer: { role: 'registered-nurse', ...SKILL, supervisingPhysicianOnSite: true } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['performer-scope-of-practice'] },
  },
  // ------------------------------------------------------------ E/M
  {
    name: 'separately identifiable problem with 99213 → E/M line with modifier 25',
    source: q(SEED.article, 'If the E/M service is for reassessment, or for a separately identifiable problem, it may be reported with a -25 modifier.'),
    facts: visit({ separateEvaluation: { performed: true, code: '99213', reason: 'new lumbar radiculopathy' } }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: '99213', modifiers: ['25'], units: 1 }], requiredChecklist: ['separate-em-documentation'], notCovered: ['S9328'] },
  },
  {
    name: 'separate problem but no E/M level → no E/M line, checklist asks for the level',
    source: q(SEED.article, 'Was a separately identifiable E/M performed (i.e., for re-evaluation of the pump)?'),
    facts: visit({ separateEvaluation: { performed: true, reason: 'worsening spasticity in the arms' } }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], requiredChecklist: ['separate-em-documentation'] },
  },
  {
    name: 'proposed 99214 for a separate problem without modifier 25 → separate-em-needs-modifier-25',
    source: q(SEED.article, 'If the E/M service is for reassessment, or for a separately identifiable problem, it may be reported with a -25 modifier.'),
    facts: visit({ separateEvaluation: { performed: true, reason: 'new headache after fall' }, proposedCodes: [{ code: '62369' }, { code: '99214' }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: '99214', modifiers: ['25'] }], warnings: ['separate-em-needs-modifier-25'], absentWarnings: ['em-not-separately-identifiable'] },
  },
  {
    name: 'proposed E/M for the refill alone → em-not-separately-identifiable',
    source: q(SEED.forum, 'No E/M code is reported for this scenario.'),
    facts: visit({ performer: { role: 'physician', ...SKILL }, proposedCodes: [{ code: '62370' }, { code: '99213', modifiers: ['25'] }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62370' }], warnings: ['em-not-separately-identifiable'] },
  },
  // ------------------------------------------------------------ proposed-code reconciliation
  {
    name: 'the physician who wants 62370 at every refill → 62369 and physician-skill-undocumented',
    source: q(SEED.forum, 'Doctor wanting bill 62370 everytime pump is refilled'),
    facts: visit({ proposedCodes: [{ code: '62370' }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], warnings: ['physician-skill-undocumented'], jurisdiction: { mac: 'JF', documents: ['A55323'] } },
  },
  {
    name: '62369 and 95990 proposed together → mutually-exclusive-codes',
    source: q(SEED.uuhp, 'includes electronic analysis of pump, when performed'),
    facts: visit({ proposedCodes: [{ code: '62369' }, { code: '95990' }] }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['mutually-exclusive-codes'] },
  },
  {
    name: 'S9328 proposed under U of U → not covered and proposed-code-not-supported',
    source: q(SEED.uuhp, 'U of U Health Plans does NOT cover S9328 for the refill of implanted intrathecal or epidural pain pumps as this code is intended for use only with continuous IV infusions.'),
    facts: visit({ proposedCodes: [{ code: 'S9328' }] }),
    context: ctx('uuhp', 'chip'),
    expect: { lines: [{ code: '62369' }], warnings: ['proposed-code-not-supported'], absentWarnings: ['state-medicaid-precedence'], notCovered: ['S9328'] },
  },
  {
    name: 'ingredient code proposed for a compounded mixture → compounded-ingredient-codes',
    source: q(SEED.article, 'J7999 \u2013 Compounded Drug, NOC (Not Otherwise Classified)'),
    facts: visit({ drugs: [{ name: 'morphine + bupivacaine compounded', amount: 20, unit: 'mL', compounded: true, purchasedBy: 'practice' }], proposedCodes: [{ code: 'J2274', units: 3 }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J7999', units: 1 }], warnings: ['compounded-ingredient-codes', 'compounded-code-varies'] },
  },
  {
    name: 'J2274 and S0093 both proposed for the same morphine → duplicate-drug-codes',
    source: q(SEED.centene, 'S0093 Injection, morphine sulfate, 500 mg (loading dose for infusion pump)'),
    facts: visit({ drugs: [morphine(30)], proposedCodes: [{ code: 'J2274', units: 3 }, { code: 'S0093' }] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 3 }], warnings: ['duplicate-drug-codes'] },
  },
  {
    name: '62368 proposed when only the alarms were updated → reprogramming-without-dose-change',
    source: q(SEED.forum, 'a certain Medicare contractor saying the drug rate/dose increase/decrease was their definition of reprogramming'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'settings-update-only', analysisReason: 'low reservoir alarm' }, proposedCodes: [{ code: '62368' }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62367' }], warnings: ['reprogramming-without-dose-change'], absentWarnings: ['proposed-code-not-supported'] },
  },
  {
    name: 'unrelated code on the record → proposed-code-not-supported',
    source: q(SEED.article, 'Are the services for refill and/or reprogramming of the device?'),
    facts: visit({ proposedCodes: [{ code: '62369' }, { code: '64483' }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['proposed-code-not-supported'], absentWarnings: ['mutually-exclusive-codes'] },
  },
  // ------------------------------------------------------------ drugs and units
  {
    name: 'morphine 25 mg bought by the practice → J2274 × 3 (partial unit rounds up)',
    source: q(SEED.centene, 'J2274 Injection, morphine sulfate, preservative free for epidural or intrathecal use, 10 mg'),
    facts: visit({ drugs: [morphine(25)] }),
    context: ctx('uuhp', 'commercial'),
    // corrected: drug-verification is required for every drug line (DESIGN.md trigger table)
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 3 }], optionalChecklist: ['drug-proof-of-purchase'], requiredChecklist: ['drug-verification'], absentChecklist: ['same-claim'] },
  },
  {
    name: 'morphine 2,500 mcg → J2274 × 1',
    source: q(SEED.centene, 'J2274 Injection, morphine sulfate, preservative free for epidural or intrathecal use, 10 mg'),
    facts: visit({ drugs: [morphine(2500, { unit: 'mcg' })] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 1 }] },
  },
  {
    name: 'morphine loading dose coded S0093 on the record, 600 mg → S0093 × 2',
    source: q(SEED.centene, 'S0093 Injection, morphine sulfate, 500 mg (loading dose for infusion pump)'),
    facts: visit({ drugs: [morphine(600, { hcpcs: 'S0093' })] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'S0093', units: 2 }] },
  },
  {
    name: 'drug supplied by the pharmacy → no drug line, drug-not-practice-expense',
    source: q(SEED.article, 'This means, the drug administered must be a practice expense for the physician performing the service.'),
    facts: visit({ drugs: [morphine(30, { purchasedBy: 'pharmacy' })] }),
    context: ctx('cms-medicare', 'medicare'),
    // corrected: same-claim is added under Medicare rules only with a drug line; the drug given without a line still needs drug-verification
    expect: { lines: [{ code: '62369' }], warnings: ['drug-not-practice-expense'], absentChecklist: ['drug-proof-of-purchase', 'same-claim'], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'compounded mixture bought by the practice → J7999 × 1 with compounded-code-varies',
    source: q(SEED.article, 'J7999 \u2013 Compounded Drug, NOC (Not Otherwise Classified)'),
    facts: visit({ drugs: [{ name: 'hydromorphone/bupivacaine compounded', amount: 20, unit: 'mL', compounded: true, purchasedBy: 'practice' }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J7999', units: 1 }], warnings: ['compounded-code-varies'], requiredChecklist: ['drug-proof-of-purchase', 'same-claim'] },
  },
  {
    name: 'baclofen 40 mg without a code on the record → J0475 × 4 from the code table (corrected: was no line)',
    source: q(SEED.centene, 'Refer to CP.PHAR.149 Intrathecal Baclofen (Gablofen, Lioresal) for requests for Baclofen'),
    facts: visit({ drugs: [{ name: 'baclofen intrathecal', amount: 40, unit: 'mg', compounded: false, purchasedBy: 'practice' }], diagnoses: ['G80.1'] }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J0475', modifiers: [], units: 4 }], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'ziconotide with a code from the record → that code, units = amount, drug-verification required',
    source: q(SEED.article, 'This means, the drug administered must be a practice expense for the physician performing the service.'),
    facts: visit({ drugs: [{ name: 'ziconotide', hcpcs: 'J2278', amount: 100, unit: 'mcg', compounded: false, purchasedBy: 'practice' }] }),
    context: ctx('cpt-default', 'commercial'),
    expect: { lines: [{ code: '62369' }, { code: 'J2278', units: 100 }], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'Medicare, single-dose container, nothing discarded → J2274 with JZ',
    source: q(SEED.article, 'Drug Waste Documentation for Single Dose/Use (ppt), which applies to these services.'),
    facts: visit({ patient: { state: 'CA' }, drugs: [morphine(20, { singleDoseContainer: true, wastedAmount: 0 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: ['JZ'], units: 2 }], requiredChecklist: ['drug-waste'], absentWarnings: ['drug-waste-modifier'], jurisdiction: { mac: 'JE', documents: ['A55239'] } },
  },
  {
    name: 'Medicare, single-dose container, 15 mg discarded of 35 mg → J2274 × 2 and JW × 2',
    source: q(SEED.article, 'Drug Waste Documentation for Single Dose/Use (ppt), which applies to these services.'),
    facts: visit({ patient: { state: 'CA' }, drugs: [morphine(20, { singleDoseContainer: true, wastedAmount: 15 })] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 2 }, { code: 'J2274', modifiers: ['JW'], units: 2 }], requiredChecklist: ['drug-waste'] },
  },
  {
    name: 'Medicare, single-dose container, discarded amount unknown → drug-waste-modifier',
    source: q(SEED.article, 'Drug Waste Documentation for Single Dose/Use (ppt), which applies to these services.'),
    facts: visit({ drugs: [morphine(20, { singleDoseContainer: true })] }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 2 }], warnings: ['drug-waste-modifier'] },
  },
  {
    name: 'commercial, single-dose container → no JW/JZ, drug-waste checklist only',
    source: q(SEED.article, 'Commercial payer policies may have differing requirements for Advance Care Practitioners, \u201cIncident-to\u201d, and payment criteria for the service.'),
    facts: visit({ drugs: [morphine(20, { singleDoseContainer: true })] }),
    context: ctx('uuhp', 'commercial'),
    // corrected: drug-waste is a Medicare-rules item (DESIGN.md trigger table)
    expect: { lines: [{ code: '62369' }, { code: 'J2274', modifiers: [], units: 2 }], absentChecklist: ['drug-waste'], absentWarnings: ['drug-waste-modifier'] },
  },
  {
    name: 'Medicare, drug planned for a separate claim → same-claim-required',
    source: q(SEED.article, 'The drugs are not to be billed on a separate claim form.'),
    facts: visit({ drugs: [morphine(20)], drugOnSeparateClaim: true }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 2 }], warnings: ['same-claim-required'], requiredChecklist: ['same-claim', 'drug-proof-of-purchase'] },
  },
  // ------------------------------------------------------------ frequency
  {
    name: 'refill 30 days after the last with an 80-day reservoir → refill-interval-short',
    source: q(SEED.article, 'refills of the pump every month despite having a pump of 2 or 3 month capacity'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, lastRefillDate: '2024-05-04', dailyVolumeMl: 0.5 }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '95990' }], warnings: ['refill-interval-short'], requiredChecklist: ['refill-interval-justification'] },
  },
  {
    name: 'U of U caps the expected interval at 90 days: 40 days after the last refill → refill-interval-short',
    source: q(SEED.uuhp, 'The most typical interval between fillings of the reservoir is 90 days.'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, dailyVolumeMl: 0.2, priorServices: [{ date: '2024-04-24', code: '95990' }] }),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '95990' }], warnings: ['refill-interval-short'] },
  },
  {
    name: 'refill 60 days after the last with an 80-day reservoir → no frequency warning',
    source: q(SEED.article, 'The frequency for refill must take into account the size of the pump and dosage of the medicine.'),
    facts: visit({ lastRefillDate: '2024-04-04', dailyVolumeMl: 0.5 }),
    context: ctx('cms-medicare', 'medicare'),
    // corrected: refill-interval-justification is recommended on every refill, required only with refill-interval-short
    expect: { lines: [{ code: '62369' }], absentWarnings: ['refill-interval-short'], optionalChecklist: ['refill-interval-justification'] },
  },
  {
    name: 'second analysis within a month with no reason → interrogation-frequency',
    source: q(SEED.article, 'the frequency for interrogating and/or reprogramming the pump (62367 and 62368) should be supported by the patient\u2019s symptoms.'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'none' }, priorServices: [{ date: '2024-05-20', code: '62367' }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62367' }], warnings: ['interrogation-frequency'], requiredChecklist: ['interrogation-reason'] },
  },
  {
    name: 'second analysis within a month for a pump alarm → no interrogation-frequency',
    source: q(SEED.article, 'the frequency for interrogating and/or reprogramming the pump (62367 and 62368) should be supported by the patient\u2019s symptoms.'),
    facts: visit({ services: { electronicAnalysis: true, refill: false, reprogramming: 'none', analysisReason: 'critical alarm' }, priorServices: [{ date: '2024-05-20', code: '62367' }] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62367' }], absentWarnings: ['interrogation-frequency'] },
  },
  // ------------------------------------------------------------ U of U Health Plans
  {
    name: 'U of U commercial refill with dose change → 62369 covered, S9328 not covered',
    source: q(SEED.uuhp, 'For the refill of implanted intrathecal or epidural infusion pumps, U of U Health Plans COVERS 62369 or 62370.'),
    facts: visit(),
    context: ctx('uuhp', 'commercial'),
    expect: { lines: [{ code: '62369' }], notCovered: ['S9328'], absentWarnings: ['policy-silent-for-line-of-business', 'state-medicaid-precedence'], optionalChecklist: ['prior-authorization'] },
  },
  {
    name: 'U of U Healthy U (Medicaid) → state-medicaid-precedence, Commercial criteria shown',
    source: q(SEED.uuhp, 'Coverage is determined by the State of Utah Medicaid program; if Utah State Medicaid has no published coverage position and InterQual criteria are not available, the U of U Health Plans Commercial criteria will apply.'),
    facts: visit({ coverage: { lineOfBusiness: 'medicaid' } }),
    context: ctx('uuhp', 'unknown'),
    expect: { lines: [{ code: '62369' }], warnings: ['state-medicaid-precedence'], notCovered: ['S9328'] },
  },
  {
    name: 'U of U Advantage U served in Utah → policy-silent, Medicare rules with JF A55323',
    source: q(SEED.uuhp, 'Policies outline coverage determinations for U of U Health Plans Commercial, CHIP Healthy U (Medicaid) and Advantage U (Medicare) plans.'),
    facts: visit({ serviceState: 'UT', drugs: [morphine(10)] }),
    context: ctx('uuhp', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }, { code: 'J2274', units: 1 }], warnings: ['policy-silent-for-line-of-business'], absentWarnings: ['out-of-area-jurisdiction', 'no-lcd-for-jurisdiction'], requiredChecklist: ['same-claim', 'drug-proof-of-purchase', 'pump-status-before-after', 'reassessment', 'dose-change-reason'], jurisdiction: { mac: 'JF', documents: ['A55323'] } },
  },
  {
    name: 'U of U Advantage U member served in Nevada → out-of-area-jurisdiction, JE A55239',
    source: q(SEED.icare, 'A55239 JE - Noridian Healthcare Solutions, LLC CA, HI, NV, American Samoa, Guam, Northern Mariana Islands'),
    facts: visit({ serviceState: 'NV' }),
    context: ctx('uuhp', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }], warnings: ['out-of-area-jurisdiction', 'policy-silent-for-line-of-business'], jurisdiction: { mac: 'JE', documents: ['A55239'] } },
  },
  // ------------------------------------------------------------ iCare
  {
    name: 'iCare member served in Wisconsin → no-lcd-for-jurisdiction (J6), national rules',
    source: q(SEED.icare, 'NCD Infusion Pumps 280.14'),
    facts: visit({ patient: { state: 'WI' }, serviceState: 'WI' }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }], warnings: ['no-lcd-for-jurisdiction'], absentWarnings: ['out-of-area-jurisdiction'], // corrected: no drug line → no same-claim; the minimal documentation is required only in JE/JF
    optionalChecklist: ['response-to-current-dose'], absentChecklist: ['same-claim'], jurisdiction: { mac: 'J6', documents: [] } },
  },
  {
    name: 'iCare member served in California → out-of-area-jurisdiction, JE A55239',
    source: q(SEED.icare, 'A55239 JE - Noridian Healthcare Solutions, LLC CA, HI, NV, American Samoa, Guam, Northern Mariana Islands'),
    facts: visit({ patient: { state: 'WI' }, serviceState: 'CA' }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }], warnings: ['out-of-area-jurisdiction'], absentWarnings: ['no-lcd-for-jurisdiction'], jurisdiction: { mac: 'JE', documents: ['A55239'] } },
  },
  {
    name: 'iCare member served in Minnesota (same J6 jurisdiction) → no out-of-area',
    source: q(SEED.icare, 'iCare follows the CMS requirements that only allows coverage and payment for services that are reasonable and necessary'),
    facts: visit({ patient: { state: 'WI' }, serviceState: 'MN', services: { electronicAnalysis: true, refill: true, reprogramming: 'none' } }),
    context: ctx('icare-ma', 'medicare-advantage'),
    expect: { lines: [{ code: '95990' }], warnings: ['no-lcd-for-jurisdiction'], absentWarnings: ['out-of-area-jurisdiction'], absentChecklist: ['dose-change-reason'], jurisdiction: { mac: 'J6', documents: [] } }, // corrected: dose-change-reason only on a change
  },
  // ------------------------------------------------------------ traditional Medicare
  {
    name: 'Medicare in Tennessee → JJ, LCD L33461',
    source: q(SEED.icare, 'L33461 JJ - Palmetto GBA (Part A/B MAC) AL, GA, TN'),
    facts: visit({ serviceState: 'TN' }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], absentWarnings: ['no-lcd-for-jurisdiction', 'out-of-area-jurisdiction'], jurisdiction: { mac: 'JJ', documents: ['L33461'] } },
  },
  {
    name: 'Medicare in North Carolina → JM, A56695',
    source: q(SEED.icare, 'A56695 JM - Palmetto GBA Part A/B MAC) NC, SC, VA, WV'),
    facts: visit({ patient: { state: 'NC' } }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], absentWarnings: ['no-lcd-for-jurisdiction'], jurisdiction: { mac: 'JM', documents: ['A56695'] } },
  },
  {
    name: 'Medicare in Texas (JH) → no-lcd-for-jurisdiction',
    source: q(SEED.icare, 'NCD Infusion Pumps 280.14'),
    facts: visit({ serviceState: 'TX' }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], warnings: ['no-lcd-for-jurisdiction'], jurisdiction: { mac: 'JH', documents: [] } },
  },
  {
    name: 'Medicare with no state recorded → no-lcd-for-jurisdiction, no jurisdiction',
    source: q(SEED.icare, 'NCD Infusion Pumps 280.14'),
    facts: { ...visit(), patient: { id: 'p2' } },
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62369' }], warnings: ['no-lcd-for-jurisdiction'], jurisdiction: null },
  },
  {
    name: 'Medicare, RN refills with no physician on site → incident-to fails, no billable line',
    source: q(SEED.article, 'Proof that all applicable \u201cincident to\u201d requirements are met, and'),
    facts: visit({ serviceState: 'AZ', services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: { ...RN_STAFF, supervisingPhysicianOnSite: false }, drugs: [morphine(20)] }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [], warnings: ['incident-to-requirements', 'no-billable-service'], requiredChecklist: ['incident-to'] },
  },
  {
    name: 'Medicare, RN refills, supervision not recorded → 95990 with incident-to-requirements',
    source: q(SEED.article, 'Does this service meet \u201cIncident-to\u201d guidelines if not performed by the physician/ACP?'),
    facts: visit({ serviceState: 'AZ', services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: RN_STAFF }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '95990' }], warnings: ['incident-to-requirements'], requiredChecklist: ['incident-to'] },
  },
  {
    name: 'Medicare, RN refills with the physician on site → 95990, incident-to on the checklist only',
    source: q(SEED.article, 'Proof that all applicable \u201cincident to\u201d requirements are met, and'),
    facts: visit({ serviceState: 'AZ', services: { electronicAnalysis: true, refill: true, reprogramming: 'none' }, performer: { ...RN_STAFF, supervisingPhysicianOnSite: true } }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '95990' }], absentWarnings: ['incident-to-requirements'], requiredChecklist: ['incident-to'] },
  },
  {
    name: 'Medicare, physician performs → no incident-to item',
    source: q(SEED.article, 'Does this service meet \u201cIncident-to\u201d guidelines if not performed by the physician/ACP?'),
    facts: visit({ serviceState: 'AZ', performer: { role: 'physician', ...SKILL } }),
    context: ctx('cms-medicare', 'medicare'),
    expect: { lines: [{ code: '62370' }], absentWarnings: ['incident-to-requirements'], absentChecklist: ['incident-to'] },
  },
  // ------------------------------------------------------------ Centene CP.MP.173
  {
    name: 'Centene commercial with G89.4 → 62369, diagnosis supports coverage',
    source: q(SEED.centene, 'ICD-10-CM Diagnosis Codes that Support Coverage Criteria'),
    facts: visit({ diagnoses: ['G89.4'] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '62369' }], absentWarnings: ['diagnosis-not-supported'], requiredChecklist: ['diagnosis-supports-coverage'] },
  },
  {
    name: 'Centene with a diagnosis off the list (G80.1) → diagnosis-not-supported',
    source: q(SEED.centene, 'ICD-10-CM Diagnosis Codes that Support Coverage Criteria'),
    facts: visit({ diagnoses: ['G80.1'] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '62369' }], warnings: ['diagnosis-not-supported'] },
  },
  {
    name: 'Centene baclofen pump → refer-to-other-policy (CP.PHAR.149)',
    source: q(SEED.centene, 'Refer to CP.PHAR.149 Intrathecal Baclofen (Gablofen, Lioresal) for requests for Baclofen'),
    facts: visit({ diagnoses: ['G80.1'], drugs: [{ name: 'Gablofen (baclofen)', amount: 20, unit: 'mg', compounded: false, purchasedBy: 'practice' }] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    // corrected: baclofen now gets its line (J0475, 20 mg ÷ 10 mg = 2 units)
    expect: { lines: [{ code: '62369' }, { code: 'J0475', units: 2 }], warnings: ['refer-to-other-policy'], absentWarnings: ['diagnosis-not-supported'], requiredChecklist: ['drug-verification'] },
  },
  {
    name: 'Centene Medicaid → state-medicaid-precedence',
    source: q(SEED.centene, 'For Medicaid members, when state Medicaid coverage provisions conflict with the coverage provisions in this clinical policy, state Medicaid coverage provisions take precedence.'),
    facts: visit({ diagnoses: ['M96.1'] }),
    context: ctx('centene-cp-mp-173', 'medicaid'),
    expect: { lines: [{ code: '62369' }], warnings: ['state-medicaid-precedence'], absentWarnings: ['diagnosis-not-supported'] },
  },
  {
    name: 'Centene intrathecal trial → trial criteria on the checklist, no refill code',
    source: q(SEED.centene, 'a preliminary trial of intrathecal administration of an opioid drug is medically necessary for either of the following indications:'),
    facts: visit({ services: { electronicAnalysis: false, refill: false, reprogramming: 'none', procedureType: 'trial' }, diagnoses: ['G89.3'] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    // corrected: implant-medical-necessity is recommended, not required (DESIGN.md trigger table)
    expect: { lines: [], warnings: ['no-billable-service'], requiredChecklist: ['diagnosis-supports-coverage'], optionalChecklist: ['implant-medical-necessity'] },
  },
  {
    name: 'Centene permanent implantation → implantation criteria on the checklist',
    source: q(SEED.centene, 'implantation of a permanent epidural or intrathecal pain pump to administer an opioid drug, singly or in combination with other non-opioid drugs, is medically necessary for either of the following:'),
    facts: visit({ services: { electronicAnalysis: false, refill: false, reprogramming: 'none', procedureType: 'implantation' }, diagnoses: ['G89.29'] }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [], optionalChecklist: ['implant-medical-necessity'] }, // corrected: recommended, not required
  },
  {
    name: 'Centene refill without reprogramming → 95990 although CP.MP.173 does not list it',
    source: q(SEED.centene, 'Inclusion or exclusion of any codes does not guarantee coverage.'),
    facts: visit({ services: { electronicAnalysis: true, refill: true, reprogramming: 'none' } }),
    context: ctx('centene-cp-mp-173', 'commercial'),
    expect: { lines: [{ code: '95990' }] },
  },
  {
    name: 'Centene Medicare Advantage served in California → NCD/LCD first: JE A55239',
    source: q(SEED.centene, 'all applicable NCDs, LCDs, and Medicare Coverage Articles should be reviewed prior to applying the criteria set forth in this clinical policy.'),
    facts: visit({ serviceState: 'CA' }),
    context: ctx('centene-cp-mp-173', 'medicare-advantage'),
    // corrected: same-claim needs a drug line; in JE the minimal documentation is required
    expect: { lines: [{ code: '62369' }], requiredChecklist: ['pump-status-before-after', 'reassessment', 'diagnosis-supports-coverage'], absentChecklist: ['same-claim'], absentWarnings: ['state-medicaid-precedence'], jurisdiction: { mac: 'JE', documents: ['A55239'] } },
  },
  // ------------------------------------------------------------ module choice
  {
    name: 'facts.policyId overrides the mapping\'s module',
    source: q(SEED.icare, 'Line of Business: Medicare'),
    facts: visit({ policyId: 'icare-ma', serviceState: 'WI' }),
    context: ctx('cpt-default', 'medicare-advantage'),
    expect: { lines: [{ code: '62369' }], warnings: ['no-lcd-for-jurisdiction'], absentWarnings: ['no-matching-policy'], jurisdiction: { mac: 'J6', documents: [] } },
  },
];
