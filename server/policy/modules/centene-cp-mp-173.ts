/**
 * Centene clinical policy CP.MP.173, Implantable Intrathecal Pain Pump (003).
 *
 *   Codes: 62367-62370, J2274, S0093 (and implant/catheter codes). 95990/95991 are not listed; CPT's refill
 *     code is still suggested for a refill without reprogramming, since "Inclusion or exclusion of any codes
 *     does not guarantee coverage" — the list is informational, not a coverage rule.
 *   ICD-10-CM codes that support coverage: G57.70-G57.73, G89.0, G89.29, G89.3, G89.4, G90.521-G90.523, M96.1.
 *   Trial and permanent implantation criteria (malignant / non-malignant) as checklist items.
 *   Baclofen → CP.PHAR.149. Medicaid: state rules take precedence. Medicare: NCD/LCD reviewed first.
 */
import type { Citation } from '../../contracts/index.js';
import { CENTENE } from '../citations.js';
import type { PolicyModule } from '../engine.js';
import { isBaclofen } from '../drugs.js';

/** ICD-10-CM Diagnosis Codes that Support Coverage Criteria (003) */
export const CENTENE_SUPPORTING_DIAGNOSES: ReadonlySet<string> = new Set([
  'G57.70', 'G57.71', 'G57.72', 'G57.73', 'G89.0', 'G89.29', 'G89.3', 'G89.4', 'G90.521', 'G90.522', 'G90.523', 'M96.1',
]);

const TRIAL_MALIGNANT = 'Malignant pain: (1) inadequate response to noninvasive pain control such as systemic opioids; (2) life expectancy > 3 months; (3) no epidural metastatic lesion or tumour encroachment of the thecal sac on imaging; (4) no active infection.';
const TRIAL_NON_MALIGNANT = 'Non-malignant pain: (1) pathology identified; (2) life expectancy > 3 months; (3) failure or intolerance of conservative treatment (systemic pharmacotherapy, physical therapy, behavioural health treatment, nonsurgical treatment); (4) compliance with previous treatment; (5) no current drug or alcohol disorder; (6) psychological evaluation: mental health not a major contributor; (7) active participation in psychotherapeutic interventions; (8) further surgery or other treatment not indicated or likely effective; (9) no active infection; (10) systemic opioids weaned by at least 50% before the trial; (11) opioid-induced hyperalgesia ruled out.';
const IMPLANT_MALIGNANT = 'Malignant pain: the preliminary trial gave ≥ 50% pain reduction with minimal side effects.';
const IMPLANT_NON_MALIGNANT = 'Non-malignant pain: (1) trial gave ≥ 50% pain reduction and increased function with minimal side effects; (2) plan to continue weaning systemic opioids; (3) no active infection; (4) no active coagulopathy; (5) body size supports the device; (6) no other implanted programmable device whose crosstalk could change the prescription; (7) no known allergy to the drug; (8) no increased intracranial pressure; (9) no spinal anomaly complicating catheter placement; (10) continued participation in behavioural health treatment.';

const NONE: readonly Citation[] = Object.freeze([]);
/** CP.MP.173's own text for its lines (placed first) */
const CENTENE_LINE_CITATIONS: Readonly<Record<string, readonly Citation[]>> = Object.freeze({
  '62369': [CENTENE.code62369], '62370': [CENTENE.code62369], '95990': [CENTENE.codesNoGuarantee], '95991': [CENTENE.codesNoGuarantee],
  'J2274': [CENTENE.j2274], 'S0093': [CENTENE.s0093],
});

export const centeneCpMp173: PolicyModule = {
  info: {
    id: 'centene-cp-mp-173',
    name: 'Centene CP.MP.173 — Implantable Intrathecal Pain Pump',
    version: '1.0.0',
    sourceDate: '2020-01-01',
    sources: [
      { file: '003_51dd6ce1ef6fac37.txt', title: 'Centene clinical policy CP.MP.173, Implantable Intrathecal Pain Pump' },
      { file: '004_449821d80fe360c5.txt', title: 'AMA CPT Assistant scenarios (coders\' forum thread)' },
      { file: '002_0ba349b388c372c5.txt', title: 'Implantable Infusion Pumps for Chronic Pain (coding article on CMS A55239), for Medicare members' },
    ],
    linesOfBusiness: ['commercial', 'medicaid', 'chip', 'medicare-advantage'],
  },
  plan(_facts, lob, b) {
    if (lob === 'medicaid' || lob === 'chip') {
      b.warn('state-medicaid-precedence', 'info',
        'For ' + (lob === 'chip' ? 'CHIP (under Medicaid)' : 'Medicaid') + ' members, the state Medicaid coverage provisions take precedence where they conflict with CP.MP.173: check the state Medicaid manual.',
        [CENTENE.medicaid]);
      return {};
    }
    if (lob === 'medicare' || lob === 'medicare-advantage') {
      b.notes.push('For Medicare members Centene reviews the applicable NCD (280.14), LCDs and coverage articles before its own criteria, so Medicare rules were applied first.');
      return { medicare: { advantage: lob === 'medicare-advantage', planLabel: 'Centene Medicare Advantage' } };
    }
    return {};
  },
  apply(facts, _lob, visit, b) {
    const baclofen = facts.drugs.find(isBaclofen);
    if (baclofen) {
      b.warn('refer-to-other-policy', 'info',
        'Baclofen is covered under Centene\'s separate policy CP.PHAR.149 (Intrathecal Baclofen), not CP.MP.173: check that policy\'s criteria for the ' + baclofen.name + ' and the pump service.',
        [CENTENE.baclofen]);
    } else {
      const supported = facts.diagnoses.some((d) => CENTENE_SUPPORTING_DIAGNOSES.has(d.toUpperCase()));
      b.check('diagnosis-supports-coverage', 'Put a diagnosis from CP.MP.173\'s list on the claim (G57.70-G57.73, G89.0, G89.29, G89.3, G89.4, G90.521-G90.523, M96.1).', true, [CENTENE.diagnoses]);
      if (!supported) {
        b.warn('diagnosis-not-supported', 'warning',
          (facts.diagnoses.length ? 'None of the visit\'s diagnoses (' + facts.diagnoses.join(', ') + ')' : 'No diagnosis is recorded; none') +
          ' is on CP.MP.173\'s list of ICD-10-CM codes that support coverage (G57.70-G57.73, G89.0, G89.29, G89.3, G89.4, G90.521-G90.523, M96.1). Record the supporting diagnosis if there is one.',
          [CENTENE.diagnoses]);
      }
    }

    const procedureType = facts.services.procedureType;
    if (procedureType === 'trial') {
      b.check('implant-medical-necessity', 'Intrathecal opioid trial criteria (CP.MP.173 I), one set met: ' + TRIAL_MALIGNANT + ' ' + TRIAL_NON_MALIGNANT, false,
        [CENTENE.trial, CENTENE.trialMalignant, CENTENE.trialNonMalignant]);
    } else if (procedureType === 'implantation') {
      b.check('implant-medical-necessity', 'Permanent pump implantation criteria (CP.MP.173 II), one set met: ' + IMPLANT_MALIGNANT + ' ' + IMPLANT_NON_MALIGNANT, false,
        [CENTENE.implantation, CENTENE.implantMalignant, CENTENE.implantNonMalignant]);
    }

    const code = visit.pump.code;
    if (code === '95990' || code === '95991') {
      b.notes.push('CP.MP.173 lists 62367-62370 but not ' + code + '; its code list is informational ("Inclusion or exclusion of any codes does not guarantee coverage"), so the CPT refill code is suggested.');
    }
  },
  lineCitations(line) {
return CENTENE_LINE_CITATIONS[line.code] ?? NONE;
  },
};
