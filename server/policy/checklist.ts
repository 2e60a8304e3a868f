/**
 * The documentation every pump visit needs under CPT (the AMA work description in 004), whatever the
 * payer; Medicare's minimal documentation list is in medicare-rules.ts and payer items in the modules.
 * Also the performer rules (who may do what).
 */
import type { VisitFacts } from '../contracts/index.js';
import { ARTICLE, FORUM } from './citations.js';
import { isPumpAnalysisCode, REFILL_CODES } from './codes.js';
import { isQualifiedHealthCareProfessional, roleWords, type PumpService } from './cpt-decision-tree.js';
import type { DeterminationBuilder } from './determination-builder.js';

export function addServiceChecklist(facts: VisitFacts, pump: PumpService, b: DeterminationBuilder): void {
  const code = pump.code;
  if (!code) return;
  const { services, performer } = facts;

  if (isPumpAnalysisCode(code) || services.electronicAnalysis) {
    b.check('analysis-findings', 'Record the electronic analysis: reservoir status, alarm status and drug prescription status.', isPumpAnalysisCode(code), [FORUM.analysis]);
  }
  if (code === '62368' || code === '62369' || code === '62370') {
    b.check('reprogramming-detail',
      services.reprogramming === 'rate-or-dose-change'
        ? 'Record what was reprogrammed: the old and new rate or dose, and why.'
        : 'Record what was reprogrammed (this payer counts a settings update as reprogramming): the settings changed, before and after.',
      true, [FORUM.vignetteReprogram, FORUM.reprogrammingExample]);
  }
  if (REFILL_CODES.has(code)) {
    b.check('residual-volume', 'Record the residual volume aspirated and measured against the expected volume.', true, [FORUM.vignetteResidual]);
    b.check('refill-date-estimate', 'Record the estimated next refill date.', false, [FORUM.vignetteRefillDate]);
  }
  if (code === '62370' || code === '95991') {
    b.check('physician-skill-reason', 'Document why the skill of a physician or other QHP was required (e.g. difficult access, other medical issues, complex reprogramming).', true, [FORUM.scenario3Skill, FORUM.vignetteSkill]);
  } else if ((code === '62369' || code === '95990') && (performer.physicianSkillRequired || performer.role === 'physician')) {
    b.check('physician-skill-reason', 'If physician or QHP skill was required, document why; ' + (code === '62369' ? '62370' : '95991') + ' needs that reason.', false, [FORUM.scenario3Skill, FORUM.vignetteSkill]);
  }
  if (services.reprogramming === 'rate-or-dose-change') {
    b.check('dose-change-reason', 'Record the reason for the change in dose (or in the medications).', true, [ARTICLE.doseChangeReason]);
  }
  b.check('response-to-current-dose', 'Record the patient\'s response to the current dose and rate.', false, [FORUM.vignetteResponse]);
  if (((code === '62370' || code === '95991') && isQualifiedHealthCareProfessional(performer.role)) || performer.role === 'medical-assistant' || performer.role === 'other') {
    b.check('performer-credentials', 'Record the credentials of ' + roleWords(performer.role) + ' who performed the service and that it is within their scope of practice.', true, [ARTICLE.performerQuestion, FORUM.scenario6Qhp]);
  }
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
