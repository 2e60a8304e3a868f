/**
 * AMA CPT code selection for the pump service of one visit (seeds 000, 001, 002, 004):
 *
 *   programmable implanted pump, intrathecal/epidural
 *     analysis only ............................................. 62367   (004 scenario 6)
 *     reprogramming, no refill .................................. 62368
 *     reprogramming + refill .................................... 62369, or 62370 when physician/QHP skill is required AND documented
 *     refill, no reprogramming .................................. 95990, or 95991 with that skill (includes the analysis, "when performed")
 *   non-programmable pump or reservoir: refill ................... 95990 / 95991 (no 6236x: they describe a programmable pump)
 *   systemic (intravenous, intra-arterial) refill ................ 96522
 *   external disposable postoperative pump ....................... no pump code (not an implanted pump)
 *
 * "Reprogramming" means a change of rate or dose unless the mapping widens it to any settings update.
 */
import type { ReprogrammingMeaning, VisitFacts, Citation } from '../contracts/index.js';
import { ARTICLE, CPT, FORUM, ICARE, UUHP } from './citations.js';
import { CPT_DISPLAY } from './codes.js';
import type { DeterminationBuilder } from './determination-builder.js';

export type PerformerRole = VisitFacts['performer']['role'];

export interface PumpService {
  /** the suggested pump-service code, if any */
  code: string | undefined;
  /** the reprogramming on the record counts as reprogramming under the reading applied */
  reprogrammingCounts: boolean;
  /** the reading of "reprogramming" that was applied */
  meaning: ReprogrammingMeaning;
  /** the visit's pump is one the 6236x codes describe (programmable, or unknown with analysis performed) */
  programmable: boolean;
  /** physician/QHP skill is required and its reason is documented */
  skillDocumented: boolean;
}

const QHP_ROLES: ReadonlySet<PerformerRole> = new Set(['nurse-practitioner', 'physician-assistant', 'clinical-nurse-specialist']);
const STAFF_ROLES: ReadonlySet<PerformerRole> = new Set(['registered-nurse', 'medical-assistant', 'other']);

export const isQualifiedHealthCareProfessional = (role: PerformerRole): boolean => QHP_ROLES.has(role);
/** auxiliary personnel: billable under Medicare only "incident to" a physician's service */
export const isClinicalStaff = (role: PerformerRole): boolean => STAFF_ROLES.has(role);

const ROLE_WORDS: Record<PerformerRole, string> = {
  'physician': 'a physician',
  'nurse-practitioner': 'a nurse practitioner',
  'physician-assistant': 'a physician assistant',
  'clinical-nurse-specialist': 'a clinical nurse specialist',
  'registered-nurse': 'a registered nurse',
  'medical-assistant': 'a medical assistant',
  'other': 'a staff member of unrecorded role',
};
export const roleWords = (role: PerformerRole): string => ROLE_WORDS[role];

export function reprogrammingReading(meaning: ReprogrammingMeaning): string {
  return meaning === 'any-settings-update'
    ? 'This payer mapping reads "reprogramming" as any settings update (refill date, contents, alarms included), the wider reading some practices argue for; the AMA examples and some Medicare contractors count only a change of rate or dose.'
    : 'Reprogramming is read as a change of drug rate or dose, as in the AMA CPT Assistant examples and as some Medicare contractors define it; updating only the refill date, contents or alarms does not count.';
}

export function selectPumpService(facts: VisitFacts, meaning: ReprogrammingMeaning, b: DeterminationBuilder): PumpService {
  const { device, services, performer } = facts;
  // physician/QHP skill counts only when required, documented, and supplied by a physician or QHP
  const skillDocumented = performer.physicianSkillRequired && !!performer.physicianSkillReason?.trim() && !isClinicalStaff(performer.role);
  const settingsOnly = services.reprogramming === 'settings-update-only';
  const reprogrammingCounts = services.reprogramming === 'rate-or-dose-change' || (settingsOnly && meaning === 'any-settings-update');
  const result: PumpService = { code: undefined, reprogrammingCounts, meaning, programmable: false, skillDocumented };

  // ---- not an implanted pump: no pump code at all (001 separates disposable postoperative pumps)
  if (device.kind === 'external-disposable-pump') {
    b.warn('not-an-implanted-pump', 'error',
      'The device is an external disposable (postoperative) pump, not an implanted pump: the pump refill and analysis codes (62367-62370, 95990, 95991) do not apply. Bill the disposable pump supply (A4305/A4306) only where the payer allows it.',
      [ICARE.disposable, CPT.a4305, CPT.a4306]);
    return result;
  }

  const systemic = device.route === 'intravenous' || device.route === 'intra-arterial';
  const nonProgrammable = device.kind === 'implanted-nonprogrammable-pump' || device.kind === 'implanted-reservoir';
  const analysisPerformed = services.electronicAnalysis || services.reprogramming !== 'none';
  // 62367-62370 describe programmable pumps "for intrathecal or epidural drug infusion" only
  const spinal = device.route !== 'intraventricular';
  result.programmable = !systemic && spinal && !nonProgrammable && (device.kind === 'implanted-programmable-pump' || (device.kind === 'unknown' && analysisPerformed));

  // ---- route
  if (device.route === 'intraventricular') {
    b.warn('route-not-described-by-code', 'warning',
      'The pump delivers into the brain ventricles (intraventricular). 95990/95991 describe brain (intraventricular) refills, but 62367-62370 describe only intrathecal or epidural pumps, so no 6236x code is suggested (an analysis or reprogramming without refill has no code here), and the payer policies address intrathecal/epidural pumps: confirm coverage with the payer before billing.',
      [CPT.c95990, CPT.c62367, UUHP.location]);
  } else if (device.route === 'unknown') {
    b.warn('route-not-described-by-code', 'warning',
      'The record does not say where the pump delivers the drug. The codes suggested assume an intrathecal or epidural pump; record the route (intrathecal, epidural, intraventricular, or intravenous/intra-arterial for 96522) before billing.',
      [CPT.c62367, CPT.c95990, CPT.c96522]);
  }

  // ---- a settings-only update is not reprogramming under the default reading
  if (settingsOnly && !systemic) {
    b.warn('reprogramming-without-dose-change', meaning === 'any-settings-update' ? 'info' : 'warning',
      meaning === 'any-settings-update'
        ? 'Only the refill date, contents or alarms were updated (no change of rate or dose). This payer mapping counts that as reprogramming, but the AMA examples and some Medicare contractors do not: make sure the note describes what was reprogrammed.'
        : 'Only the refill date, contents or alarms were updated (no change of rate or dose), which does not count as reprogramming here: a reprogramming code (62368, 62369, 62370) is not supported. Document a rate or dose change if one was made.',
      [FORUM.reprogrammingExample, FORUM.rateDoseOnly, FORUM.medicareContractor, FORUM.settingsView, FORUM.payersDiffer]);
  }

  const reading = reprogrammingReading(meaning);
  let code: string | undefined;
  let rationale = '';
  let citations: Citation[] = [];

  if (systemic) {
    if (services.refill) {
      code = '96522';
      rationale = 'Refill and maintenance of an implanted pump delivering systemically (' + device.route + '): 96522, the systemic refill code, rather than the spinal codes.';
      citations = [CPT.c96522];
    } else if (analysisPerformed) {
      b.warn('route-not-described-by-code', 'warning',
        'The pump delivers ' + device.route + 'ly: 62367/62368 describe intrathecal or epidural pumps only, and 96522 describes a refill. No pump code is suggested for an analysis or reprogramming without refill; check the payer\'s rules.',
        [CPT.c62367, CPT.c96522]);
    }
  } else if (result.programmable) {
    if (services.refill && reprogrammingCounts) {
      code = skillDocumented ? '62370' : '62369';
      rationale = 'Electronic analysis with reprogramming and refill of a programmable implanted pump: ' +
        (skillDocumented
          ? '62370, because the skill of a physician or other QHP was required and the reason is documented ("' + performer.physicianSkillReason!.trim() + '").'
          : '62369 (the staff-level code), because ' + staffLevelReason(performer));
      citations = skillDocumented ? [CPT.c62370, FORUM.scenario3Skill] : [CPT.c62369];
    } else if (services.refill) {
      code = skillDocumented ? '95991' : '95990';
      rationale = 'Refill of a programmable implanted pump without reprogramming: ' + (skillDocumented
        ? '95991, because the skill of a physician or other QHP was required and the reason is documented ("' + performer.physicianSkillReason!.trim() + '").'
        : '95990 (the staff-level code), because ' + staffLevelReason(performer)) + ' The refill code includes the electronic analysis when performed, so no 6236x code is added.';
      citations = skillDocumented ? [CPT.c95991, ARTICLE.code95991] : [CPT.c95990, ARTICLE.code95990];
      if (settingsOnly) citations.push(FORUM.rateDoseOnly);
    } else if (reprogrammingCounts) {
      code = '62368';
      rationale = 'Electronic analysis with reprogramming, no refill: 62368.' + (services.electronicAnalysis ? '' : ' Reprogramming is done through the programmer after the pump is interrogated, so the analysis is part of it.');
      citations = [CPT.c62368, FORUM.analysis];
    } else if (analysisPerformed) {
      code = '62367';
      rationale = 'Electronic analysis only (reservoir, alarm and prescription status), no reprogramming or refill: 62367, as in CPT Assistant clinical scenario 6.';
      citations = [CPT.c62367, FORUM.scenario6];
    }
    if (code && (code === '62368' || code === '62369' || code === '62370' || services.reprogramming !== 'none')) {
      rationale += ' ' + reading;
      // a line with reprogramming cites the reading applied, never the "no reprogramming … or refill" example
      citations.push(services.reprogramming === 'settings-update-only' && meaning === 'any-settings-update' ? FORUM.settingsView : FORUM.rateDoseOnly);
    }
  } else {
    // non-programmable pump, reservoir, or unknown kind without analysis
    if (services.refill) {
      code = skillDocumented ? '95991' : '95990';
      rationale = 'Refill of an implanted ' + (!spinal ? 'intraventricular (brain) pump or reservoir' : device.kind === 'implanted-reservoir' ? 'reservoir' : device.kind === 'unknown' ? 'pump (kind not recorded; no electronic analysis performed)' : device.kind === 'implanted-programmable-pump' ? 'programmable pump' : 'non-programmable pump') +
        ': ' + code + (skillDocumented ? ', with the documented need for physician/QHP skill ("' + performer.physicianSkillReason!.trim() + '").' : ' (the staff-level code), because ' + staffLevelReason(performer)) +
        (spinal ? ' The 6236x codes describe electronic analysis of a programmable pump, so none is added.' : ' 95990/95991 include the electronic analysis when performed; the 6236x codes describe intrathecal or epidural pumps only.');
      citations = skillDocumented ? [CPT.c95991, ICARE.programmable] : [CPT.c95990, ICARE.programmable];
    } else if (analysisPerformed && (nonProgrammable || !spinal)) {
      b.notes.push('An electronic analysis or reprogramming was recorded for ' + (!spinal ? 'an intraventricular pump' : device.kind === 'implanted-reservoir' ? 'a reservoir' : 'a non-programmable pump') + ', which the 6236x codes (programmable intrathecal/epidural pumps) do not describe.');
    }
  }

  if (code) {
    b.addLine({ code, system: 'CPT', display: CPT_DISPLAY[code] ?? code, modifiers: [], units: 1, rationale, citations });
    result.code = code;
  }

  // ---- who performed it, and was physician skill required?
  const hasSkillVariant = code === '62369' || code === '62370' || code === '95990' || code === '95991';
  if (hasSkillVariant) applyPhysicianSkillRules(facts, code!, b);
  return result;
}

function staffLevelReason(performer: VisitFacts['performer']): string {
  if (!performer.physicianSkillRequired) return 'physician skill was not recorded as required (a physician performing the service is not the same as physician skill being required).';
  if (!performer.physicianSkillReason?.trim()) return 'the reason physician skill was required is not documented.';
  return roleWords(performer.role) + ' performed it, so no physician or QHP skill was supplied.';
}

function applyPhysicianSkillRules(facts: VisitFacts, code: string, b: DeterminationBuilder): void {
  const { performer } = facts;
  const staffCode = code === '62370' ? '62369' : code === '95991' ? '95990' : code;
  const skillCode = staffCode === '62369' ? '62370' : '95991';
  const reasonMissing = !performer.physicianSkillReason?.trim();
  if ((performer.physicianSkillRequired || performer.role === 'physician') && reasonMissing) {
    b.warn('physician-skill-undocumented', 'warning',
      (performer.physicianSkillRequired
        ? 'The record says physician skill was required but not why.'
        : 'A physician performed the service, but a physician performing it is not the same as physician skill being required.') +
      ' ' + staffCode + ' is suggested. To bill ' + skillCode + ', document why the skill of a physician or other QHP was needed (for example difficult access, other medical issues, or complex reprogramming).',
      [FORUM.scenario3Skill, FORUM.vignetteSkill]);
  }
  if ((code === '62370' || code === '95991') && isQualifiedHealthCareProfessional(performer.role)) {
    b.warn('qhp-billing-payer-determination', 'info',
      roleWords(performer.role).replace(/^a /, 'A ').replace(/^an /, 'An ') + ' performed the service: whether a nurse practitioner, physician assistant or clinical nurse specialist may report ' + code + ' independently is the payer\'s coverage decision. Check the payer\'s rules for advanced practice providers.',
      [FORUM.scenario6Qhp, ARTICLE.commercialDiffers]);
  }
  if (performer.physicianSkillRequired && !reasonMissing && isClinicalStaff(performer.role)) {
    b.warn('performer-scope-of-practice', 'warning',
      'Physician skill was recorded as required, yet ' + roleWords(performer.role) + ' performed the service: ' + skillCode + ' needs a physician or other QHP to do the work, so ' + staffCode + ' is suggested. Correct the performer if a physician or QHP did it.',
      [FORUM.scenario3Skill, ARTICLE.performerQuestion]);
  }
}
