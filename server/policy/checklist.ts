/**
 * The documentation every pump visit needs under CPT (the AMA work description in 004), whatever the
 * payer; Medicare's minimal documentation list is in medicare-rules.ts and payer items in the modules.
 * Also the performer rules (who may do what).
 */
import type { VisitFacts } from '../contracts/index.js';
import type { Citation } from '../contracts/index.js';
import { ARTICLE, FORUM } from './citations.js';
import { isPumpAnalysisCode, isPumpRefillCode, REFILL_CODES } from './codes.js';
import { isClinicalStaff, roleWords, type PumpService } from './cpt-decision-tree.js';
import type { DeterminationBuilder } from './determination-builder.js';

const CLAIM_DIAGNOSIS: Citation = Object.freeze({ source: 'CMS-1500 / 837P claim', section: 'Item 21: ICD indicator and diagnosis codes (a claim line points to at least one diagnosis)' });

/**
 * The checklist items every pump visit gets, per the DESIGN.md trigger table (Medicare's minimal
 * documentation is made required in medicare-rules.ts for JE/JF; payer items are added by the modules).
 */
export function addServiceChecklist(facts: VisitFacts, pump: PumpService, b: DeterminationBuilder, medicareRules = false): void {
  const code = pump.code;
  const { services, performer, device } = facts;
  const implanted = device.kind !== 'external-disposable-pump';
  const anyPumpWork = implanted && (code !== undefined || services.refill || services.electronicAnalysis || services.reprogramming !== 'none');

  // performer-credentials: any part of the visit done by someone other than a physician (002, 004 scenario 6)
  if (performer.role !== 'physician' && (anyPumpWork || b.lines.length > 0)) {
    b.check('performer-credentials',
      'Record the name and credentials of each person who performed the visit (' + roleWords(performer.role) + ' here) and that the work is within their scope of practice' +
      (medicareRules && isClinicalStaff(performer.role) ? ' and billed incident to the supervising physician' : '') + '.',
      true, [ARTICLE.performerQuestion, FORUM.scenario6Qhp]);
  }
  if (!code) return;

  if (isPumpAnalysisCode(code) || (isPumpRefillCode(code) && services.electronicAnalysis)) {
    b.check('analysis-findings', 'Record the electronic analysis: reservoir status, alarm status and drug prescription status.', isPumpAnalysisCode(code), [FORUM.analysis]);
  }
  if (code === '62368' || code === '62369' || code === '62370') {
    b.check('reprogramming-detail',
      services.reprogramming === 'rate-or-dose-change'
        ? 'Record what was reprogrammed: the old and new rate or dose, and why.'
        : 'Record what was reprogrammed (this payer counts a settings update as reprogramming): the settings changed, before and after.',
      true, [FORUM.vignetteReprogram, FORUM.rateDoseOnly]);
  }
  if (code === '62367' || code === '62368') {
    const reason = services.analysisReason?.trim();
    b.check('interrogation-reason',
      reason ? 'Reason for the analysis recorded: ' + reason + '.' : 'Record why the pump was analysed (symptoms, alarm, imaging, dose change).',
      true, [ARTICLE.interrogationFrequency]);
  }
  if (REFILL_CODES.has(code) || (services.refill && implanted)) {
    b.check('residual-volume', 'Record the residual volume aspirated and measured against the expected volume.', true, [FORUM.vignetteResidual]);
    b.check('refill-date-estimate', 'Record the estimated next refill date.', false, [FORUM.vignetteRefillDate]);
    b.check('refill-interval-justification', 'If the pump is refilled before the reservoir volume and daily dose require it, document why.', false, [ARTICLE.refillFrequency]);
  }
  if (code === '62370' || code === '95991') {
    b.check('physician-skill-reason', 'Document why the skill of a physician or other QHP was required (e.g. difficult access, other medical issues, complex reprogramming).', true, [FORUM.scenario3Skill, FORUM.vignetteSkill]);
  } else if ((code === '62369' || code === '95990') && performer.role === 'physician') {
    b.check('physician-skill-reason', 'If physician or QHP skill was required, document why; ' + (code === '62369' ? '62370' : '95991') + ' needs that reason.', false, [FORUM.scenario3Skill, FORUM.vignetteSkill]);
  }
  if (services.reprogramming === 'rate-or-dose-change') {
    b.check('dose-change-reason', 'Record the reason for the change in dose (or in the medications).', true, [ARTICLE.doseChangeReason]);
  }
  // the minimal documentation of A55239/A55323: recommended on every pump visit (required in JE/JF, medicare-rules.ts)
  b.check('pump-status-before-after', 'Record the pump status before and after the ' + (services.refill ? 'refill' : 'service') + '.', false, [ARTICLE.pumpStatus]);
  b.check('response-to-current-dose', 'Record the patient\'s response to the current dose and rate.', false, [FORUM.vignetteResponse, ARTICLE.responseToDose]);
  b.check('reassessment', 'Record a periodic reassessment of the patient\'s overall condition and treatment goals.', false, [ARTICLE.reassessment]);
}

/** A Claim needs a diagnosis: no usable ICD-10-CM code on the visit → warning and a required item. */
export function applyDiagnosisRules(facts: VisitFacts, b: DeterminationBuilder): void {
  if (facts.diagnoses.length > 0) return;
  b.warn('diagnosis-missing', 'warning',
    'The visit has no usable ICD-10-CM diagnosis, and a claim cannot be drafted safely without one: add the diagnosis the pump treats (e.g. G89.4 chronic pain syndrome, G80.1 spastic diplegic cerebral palsy), coded in ICD-10-CM.',
    [ARTICLE.servicesQuestion, CLAIM_DIAGNOSIS]);
  b.check('diagnosis-code', 'Put at least one ICD-10-CM diagnosis on the claim that supports the pump service.', true, [CLAIM_DIAGNOSIS]);
}

/** who performed the service: a medical assistant refilling or reprogramming a pump is outside the usual scope */
export function applyPerformerRules(facts: VisitFacts, pump: PumpService, b: DeterminationBuilder): void {
  if (!pump.code) return;
  const { performer, services } = facts;
  const handsOn = services.refill || services.reprogramming === 'rate-or-dose-change';
  if (performer.role === 'medical-assistant' && handsOn) {
    b.warn('performer-scope-of-practice', 'warning',
      'A medical assistant is recorded as ' + (services.refill ? 'refilling' : 'reprogramming') + ' the pump. Accessing the reservoir and changing a dose are usually outside a medical assistant\'s scope of practice: check the state\'s rules and who actually did the work before billing.',
      [ARTICLE.performerQuestion, ARTICLE.incidentToQuestion]);
  } else if (performer.role === 'other' && handsOn) {
    b.warn('performer-scope-of-practice', 'warning',
      'The performer\'s role is not recorded. Record who refilled or reprogrammed the pump, and check it is within their scope of practice.',
      [ARTICLE.performerQuestion]);
  }
}
