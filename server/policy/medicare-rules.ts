/**
 * Medicare rules (traditional Medicare, and Medicare Advantage plans that follow CMS): NCD 280.14 and
 * the LCD/LCA of the MAC jurisdiction where the service was furnished (001); one claim for the service
 * and the drug, the minimal documentation, incident-to for staff (002).
 */
import type { Citation, VisitFacts } from '../contracts/index.js';
import { ARTICLE, ICARE, PUBLIC } from './citations.js';
import { hcpcsDrugCode } from '../terminology/index.js';
import { isClinicalStaff, isQualifiedHealthCareProfessional, roleWords, type PumpService } from './cpt-decision-tree.js';
import type { DeterminationBuilder } from './determination-builder.js';
import type { DrugOutcome } from './drugs.js';
import { jurisdictionCitations, macJurisdictionForState } from './jurisdictions.js';

export interface MedicarePlan {
  /** the plan's home state, for Medicare Advantage out-of-area checks (e.g. WI for iCare) */
  homeState?: string;
  /** the member is in a Medicare Advantage plan */
  advantage: boolean;
  /** how the plan is named in messages */
  planLabel: string;
  /** a sentence added when the jurisdiction has no pump document */
  noDocumentNote?: string;
}

export function applyMedicareJurisdiction(facts: VisitFacts, plan: MedicarePlan, b: DeterminationBuilder): void {
  const state = facts.serviceState ?? facts.patient.state;
  const j = state ? macJurisdictionForState(state) : undefined;
  if (!state || !j) {
    b.warn('no-lcd-for-jurisdiction', 'warning',
      (state ? 'The state ' + state + ' maps to no Medicare jurisdiction known here' : 'The state where the service was furnished is not recorded') +
      ', so no local coverage document (LCD/LCA) could be chosen. The national rules (NCD 280.14) and CPT rules were applied: record the service state.',
      [PUBLIC.ncd28014, ICARE.ncd, PUBLIC.macMap]);
    return;
  }
  b.jurisdiction = { mac: j.mac, documents: j.documents };
  const cites = jurisdictionCitations(state);
  if (j.documents.length === 0) {
    b.warn('no-lcd-for-jurisdiction', 'info',
      'The service was furnished in ' + state + ' (Medicare jurisdiction ' + j.mac + ', ' + j.contractor + '), for which the policy sources list no implanted-pump LCD or article' +
      (plan.noDocumentNote ? ' (' + plan.noDocumentNote + ')' : '') +
      '. The national rules (NCD 280.14) and CPT rules were applied; check ' + j.contractor + '\'s local articles before billing.',
      [ICARE.ncd, PUBLIC.ncd28014, ...cites]);
  } else {
    b.notes.push('Medicare rules apply: NCD 280.14 and ' + j.documents.join(', ') + ' of jurisdiction ' + j.mac + ' (' + j.contractor + '), where the service was furnished (' + state + ').');
  }

  if (plan.advantage && plan.homeState) {
    const home = macJurisdictionForState(plan.homeState);
    if (home && home.mac !== j.mac) {
      b.warn('out-of-area-jurisdiction', 'warning',
        plan.planLabel + ' is based in ' + plan.homeState + ' (jurisdiction ' + home.mac + '), but this service was furnished in ' + state + ' (jurisdiction ' + j.mac + '). The local rules of ' + j.mac +
        (j.documents.length ? ' (' + j.documents.join(', ') + ')' : '') + ' were applied; check the plan\'s out-of-area and network rules.',
        [...cites, ...jurisdictionCitations(plan.homeState), ICARE.followsCms]);
    }
  }
}

/** jurisdictions whose pump article lists the minimal documentation (A55239 JE, A55323 JF; 002) */
const MINIMAL_DOCUMENTATION_MACS: ReadonlySet<string> = new Set(['JE', 'JF']);

/** Under Medicare rules no S code is payable: S9328 is listed as not covered on every implanted-pump visit. */
const MEDICARE_S9328: readonly { code: string; reason: string; citations: readonly Citation[] }[] = Object.freeze([{
  code: 'S9328',
  reason: 'S9328 (home infusion per diem for an implanted pain pump) is an S code: S codes are for non-Medicare payers and the CMS HCPCS file marks them not payable by Medicare, so it is not billed under Medicare rules; the office refill is billed with the CPT pump codes.',
  citations: hcpcsDrugCode('S9328')!.citations,
}]);
export function medicareNotCovered(facts: VisitFacts): readonly { code: string; reason: string; citations: readonly Citation[] }[] {
  return facts.device.kind === 'external-disposable-pump' ? [] : MEDICARE_S9328;
}

export function applyMedicareVisitRules(facts: VisitFacts, pump: PumpService, drugs: DrugOutcome, b: DeterminationBuilder): void {
  const { performer, services } = facts;
  const anyService = pump.code !== undefined || drugs.anyLine;
  const minimalRequired = b.jurisdiction !== undefined && MINIMAL_DOCUMENTATION_MACS.has(b.jurisdiction.mac);

  // ---- one claim: the pump service and its drug together
  if (drugs.anyLine) b.check('same-claim', 'Bill the pump service and the drug given through the pump on the same claim (no split claims).', true, [ARTICLE.sameClaim]);
  if (facts.drugOnSeparateClaim && (drugs.anyLine || facts.drugs.length > 0)) {
    b.warn('same-claim-required', 'error',
      'The drug is planned for a separate claim, but under Medicare rules the refill, the pump management and the drug must be billed on the same claim. Put them on one claim.',
      [ARTICLE.sameClaim]);
  }

  // ---- minimal documentation (002)
  if (anyService || services.refill || services.electronicAnalysis || services.reprogramming !== 'none') {
    // required in the jurisdictions whose article lists them (JE, JF); recommended elsewhere (checklist.ts adds them)
    const where = minimalRequired ? ' (' + b.jurisdiction!.documents.join(', ') + ' minimal documentation)' : '';
    b.check('pump-status-before-after', 'Record the pump status before and after the ' + (services.refill ? 'refill' : 'service') + where + '.', minimalRequired, [ARTICLE.pumpStatus]);
    b.check('response-to-current-dose', 'Record the patient\'s response to the current medication dose and rate' + where + '.', minimalRequired, [ARTICLE.responseToDose]);
    b.check('reassessment', 'Record a reassessment of the patient\'s overall condition and treatment goals (periodically; it may be reported as an E/M only when separately identifiable)' + where + '.', minimalRequired, [ARTICLE.reassessment]);
  }
  if (services.procedureType === 'trial' || services.procedureType === 'implantation') {
    b.check('implant-medical-necessity', 'Keep the medical-necessity record for the ' + (services.procedureType === 'trial' ? 'intrathecal trial' : 'pump implantation') + ' that NCD 280.14 (Infusion Pumps) requires.', false, [PUBLIC.ncd28014]);
  }
  if (drugs.anyLine) {
    b.check('drug-proof-of-purchase', 'Keep proof that the drug billed was bought by the practice (invoice).', true, [ARTICLE.proofOfPurchase, ARTICLE.practiceExpense]);
  }

  // ---- incident-to for clinical staff
  if (isClinicalStaff(performer.role) && anyService) {
    b.check('incident-to', 'Show that all incident-to requirements are met: a physician\'s plan of care and the physician present in the office suite (direct supervision) during the ' + roleWords(performer.role).replace(/^an? /, '') + '\'s service.', true, [ARTICLE.incidentToProof, ARTICLE.incidentToQuestion, PUBLIC.incidentTo]);
    if (performer.supervisingPhysicianOnSite !== true) {
      const absent = performer.supervisingPhysicianOnSite === false;
      b.warn('incident-to-requirements', absent ? 'error' : 'warning',
        (absent
          ? 'No supervising physician was on site while ' + roleWords(performer.role) + ' performed the service, so the incident-to requirements are not met and Medicare cannot be billed for it: no pump or drug line is suggested.'
          : roleWords(performer.role).replace(/^a /, 'A ') + ' performed the service and the record does not say whether a supervising physician was on site. Under Medicare it is billable only incident to a physician\'s service with direct supervision: confirm the physician was on site.'),
        [ARTICLE.incidentToProof, ARTICLE.incidentToQuestion, PUBLIC.incidentTo]);
      if (absent) b.removeLines((l) => l.system === 'HCPCS' || l.code === pump.code);
    }
  } else if (isQualifiedHealthCareProfessional(performer.role) && anyService) {
    b.check('incident-to', 'Billed under the ' + roleWords(performer.role).replace(/^an? /, '') + '\'s own number no incident-to proof is needed; if billed under the physician\'s number, show that all incident-to requirements are met.', false, [ARTICLE.incidentToProof, ARTICLE.incidentToQuestion]);
  }
}
