/**
 * Codes already on the record (or typed by the clinician) are reconciled with the suggestion: every
 * proposed code that is not suggested gets a warning saying why. Proposed codes never become lines.
 */
import type { PolicyId, VisitFacts } from '../contracts/index.js';
import { ARTICLE, CENTENE, FORUM, ICARE, UUHP } from './citations.js';
import { isEvaluationAndManagementCode, isPumpAnalysisCode, isPumpRefillCode, PUMP_SERVICE_CODES, REFILL_CODES } from './codes.js';
import { isClinicalStaff, type PumpService } from './cpt-decision-tree.js';
import type { DeterminationBuilder } from './determination-builder.js';
import { isMorphine, looksLikeDrugCode } from './drugs.js';
import type { EvaluationOutcome } from './evaluation-management.js';

export interface ReconcileInput { pump: PumpService; policyId: PolicyId; em: EvaluationOutcome }

const family = (code: string): 'analysis' | 'refill' | 'systemic' | undefined =>
  isPumpAnalysisCode(code) ? 'analysis' : isPumpRefillCode(code) ? 'refill' : code === '96522' ? 'systemic' : undefined;

export function reconcileProposedCodes(facts: VisitFacts, input: ReconcileInput, b: DeterminationBuilder): void {
  const proposed = facts.proposedCodes;
  if (!proposed || proposed.length === 0) return;
  const suggested = new Set(b.lines.map((l) => l.code));

  // ---- two pump-service codes proposed together
  const pumpCodes = [...new Set(proposed.map((p) => p.code.toUpperCase()).filter((c) => PUMP_SERVICE_CODES.has(c)))];
  if (pumpCodes.length > 1) {
    const mixesFamilies = pumpCodes.some(isPumpAnalysisCode) && pumpCodes.some(isPumpRefillCode);
    b.warn('mutually-exclusive-codes', 'error',
      'The codes ' + pumpCodes.join(' and ') + ' are proposed together, but one visit takes one pump-service code' +
      (mixesFamilies ? ' (95990/95991 already include the electronic analysis, so 62367-62370 are never reported with them)' : '') +
      '. Keep ' + (input.pump.code && b.hasLine(input.pump.code) ? input.pump.code : 'the one the services support') + ' only.',
      [UUHP.codes95990, ICARE.code62367]);
  }

  // ---- drug codes: two codes for the same drug amount
  const proposedDrugCodes = [...new Set(proposed.map((p) => p.code.toUpperCase()).filter((c) => looksLikeDrugCode(c)))];
  const morphineCodes = proposedDrugCodes.filter((c) => c === 'J2274' || c === 'S0093');
  if (morphineCodes.length > 1) {
    b.warn('duplicate-drug-codes', 'error',
      'J2274 and S0093 are both proposed for the morphine given: one amount of drug takes one code. Keep ' + (suggested.has('S0093') ? 'S0093' : 'J2274') + '.',
      [CENTENE.j2274, CENTENE.s0093]);
  }

  for (const p of proposed) {
    const code = p.code.toUpperCase();
    if (isEvaluationAndManagementCode(code)) { reconcileEvaluation(code, p.modifiers ?? [], input, b); continue; }
    if (suggested.has(code)) continue;
    if (PUMP_SERVICE_CODES.has(code)) { explainPumpCode(code, facts, input, b); continue; }
    if (code === 'S9328') {
      if (input.policyId === 'uuhp') {
        b.addNotCovered('S9328', 'U of U Health Plans does not cover S9328 for the refill of implanted intrathecal or epidural pain pumps: the code is intended only for continuous IV infusions.', [UUHP.s9328]);
      }
      b.warn('proposed-code-not-supported', 'warning',
        'S9328 (home infusion per diem for an implanted pain pump) is not the code for an office refill of an implanted intrathecal or epidural pump: ' + (input.policyId === 'uuhp' ? 'U of U Health Plans does not cover it for these refills.' : 'it is intended only for continuous IV infusions.') + ' Remove it.',
        [UUHP.s9328]);
      continue;
    }
    if (looksLikeDrugCode(code) || facts.drugs.some((d) => d.hcpcs?.toUpperCase() === code)) { explainDrugCode(code, facts, b); continue; }
    b.warn('proposed-code-not-supported', 'warning',
      code + ' is on the record but the visit\'s facts do not support it, so it is not suggested. Remove it, or record the service it stands for.',
      [ARTICLE.servicesQuestion, ICARE.codesInformational]);
  }
}

function reconcileEvaluation(code: string, modifiers: string[], input: ReconcileInput, b: DeterminationBuilder): void {
  if (!input.em.separateProblem) {
    b.warn('em-not-separately-identifiable', 'warning',
      'The E/M ' + code + ' is proposed, but no significant, separately identifiable problem is recorded. The pump service includes its own evaluation (no E/M for the refill alone): remove it, or record the separate problem.',
      [ARTICLE.emNotTypical, FORUM.scenario3NoEm]);
    return;
  }
  if (!modifiers.includes('25')) {
    b.warn('separate-em-needs-modifier-25', 'warning',
      'The E/M ' + code + ' is for a separate problem and must carry modifier 25 on the same day as the pump service: add modifier 25.',
      [ARTICLE.emModifier25]);
  }
  if (input.em.code && input.em.code !== code) {
    b.warn('proposed-code-not-supported', 'info',
      'The E/M ' + code + ' on the record differs from the level recorded for the separate evaluation (' + input.em.code + '): ' + input.em.code + ' is suggested; correct the level if needed.',
      [ARTICLE.emModifier25]);
  }
}

function explainPumpCode(code: string, facts: VisitFacts, input: ReconcileInput, b: DeterminationBuilder): void {
  const { pump } = input;
  const { services, device, performer } = facts;
  const suggestedCode = pump.code;

  if (device.kind === 'external-disposable-pump') {
    b.warn('not-an-implanted-pump', 'error', code + ' is proposed, but it describes an implanted pump and this is an external disposable pump. Remove it.', [ICARE.disposable]);
    return;
  }
  if (suggestedCode && !b.hasLine(suggestedCode)) {
    b.warn('proposed-code-not-supported', 'warning',
      code + ' is proposed, but the pump service cannot be billed as the facts stand (see the incident-to warning).', [ARTICLE.incidentToProof]);
    return;
  }
  if (isPumpAnalysisCode(code) && !pump.programmable) {
    b.warn('proposed-code-not-supported', 'warning',
      code + ' describes electronic analysis of a programmable intrathecal or epidural pump; this ' + describeDevice(facts) + ' is not one, so ' + code + ' is not supported.' +
      (suggestedCode ? ' ' + suggestedCode + ' is suggested instead.' : ''),
      [ICARE.code62367, ICARE.programmable]);
    return;
  }
  if (code === '96522' && device.route !== 'intravenous' && device.route !== 'intra-arterial') {
    b.warn('proposed-code-not-supported', 'warning',
      '96522 is for systemic (intravenous, intra-arterial) pumps; this pump is ' + device.route + '. ' + (suggestedCode ? suggestedCode + ' is suggested instead.' : ''),
      [ICARE.code96522]);
    return;
  }
  if (REFILL_CODES.has(code) && !services.refill) {
    b.warn('proposed-code-not-supported', 'warning',
      code + ' includes a refill, but no refill is recorded for this visit.' + (suggestedCode ? ' ' + suggestedCode + ' is suggested.' : ' Record the refill if one was done.'),
      [code === '96522' ? ICARE.code96522 : ICARE.code62369]);
    return;
  }
  if ((code === '62368' || code === '62369' || code === '62370') && !pump.reprogrammingCounts) {
    if (services.reprogramming === 'settings-update-only') {
      b.warn('reprogramming-without-dose-change', 'warning',
        code + ' is proposed, but only the refill date, contents or alarms were updated, which is not reprogramming under the reading applied (a change of rate or dose). ' + (suggestedCode ? suggestedCode + ' is suggested.' : ''),
        [FORUM.reprogrammingExample, FORUM.rateDoseOnly, FORUM.question]);
    } else {
      b.warn('proposed-code-not-supported', 'warning',
        code + ' includes reprogramming, but no change of rate or dose is recorded. ' + (suggestedCode ? suggestedCode + ' is suggested.' : 'Record the reprogramming if it was done.'),
        [FORUM.reprogrammingExample, ICARE.code62368]);
    }
    return;
  }
  const staffVariant = code === '62370' ? '62369' : code === '95991' ? '95990' : undefined;
  if (staffVariant && suggestedCode === staffVariant) {
    if (performer.physicianSkillRequired && performer.physicianSkillReason?.trim() && isClinicalStaff(performer.role)) {
      b.warn('performer-scope-of-practice', 'warning', code + ' is proposed, but the service was performed by clinical staff, not a physician or QHP. ' + staffVariant + ' is suggested.', [FORUM.scenario3Skill]);
    } else {
      b.warn('physician-skill-undocumented', 'warning',
        code + ' is proposed, but it needs the skill of a physician or other QHP to be required and the reason documented; a physician doing the refill, at every refill, is not enough. ' + staffVariant + ' is suggested until the reason is recorded.',
        [FORUM.question, FORUM.scenario3Skill, FORUM.vignetteSkill]);
    }
    return;
  }
  if (suggestedCode && family(code) !== family(suggestedCode)) {
    b.warn('mutually-exclusive-codes', 'warning',
      code + ' may not be reported with ' + suggestedCode + ' for the same visit' +
      ((isPumpRefillCode(code) && isPumpAnalysisCode(suggestedCode)) || (isPumpAnalysisCode(code) && isPumpRefillCode(suggestedCode)) ? ' (95990/95991 include the electronic analysis)' : '') +
      '; the recorded services support ' + suggestedCode + '. Remove ' + code + '.',
      [UUHP.codes95990, ICARE.code62367]);
    return;
  }
  b.warn('proposed-code-not-supported', 'warning',
    code + ' does not match the services recorded (' + describeServices(facts) + ')' + (suggestedCode ? '; ' + suggestedCode + ' is suggested.' : '.'),
    [ARTICLE.servicesQuestion, ICARE.code62367]);
}

function explainDrugCode(code: string, facts: VisitFacts, b: DeterminationBuilder): void {
  const compounded = facts.drugs.some((d) => d.compounded);
  if (compounded && code !== 'J7999') {
    b.warn('compounded-ingredient-codes', 'warning',
      code + ' is proposed, but the drug given is a compounded mixture billed as J7999: do not bill its ingredients under their own codes.',
      [ARTICLE.j7999]);
    return;
  }
  const drugLines = b.lines.filter((l) => l.system === 'HCPCS');
  const sameDrug = facts.drugs.find((d) => d.hcpcs?.toUpperCase() === code || ((code === 'J2274' || code === 'S0093') && isMorphine(d)));
  if (sameDrug && drugLines.length > 0) {
    b.warn('duplicate-drug-codes', 'warning',
      code + ' is proposed for the ' + sameDrug.name + ' already billed as ' + drugLines.map((l) => l.code).filter((c, i, a) => a.indexOf(c) === i).join(', ') + ': one amount of drug takes one code. Remove ' + code + '.',
      [CENTENE.j2274, CENTENE.s0093]);
    return;
  }
  if (sameDrug && sameDrug.purchasedBy !== 'practice') {
    b.warn('proposed-code-not-supported', 'warning', code + ' is proposed for ' + sameDrug.name + ', which the practice did not buy: it cannot be billed by the practice.', [ARTICLE.practiceExpense]);
    return;
  }
  b.warn('proposed-code-not-supported', 'warning',
    code + ' is proposed, but no drug given at this visit supports it. Remove it, or record the drug and amount.',
    [ARTICLE.practiceExpense]);
}

function describeDevice(facts: VisitFacts): string {
  switch (facts.device.kind) {
    case 'implanted-nonprogrammable-pump': return 'non-programmable pump';
    case 'implanted-reservoir': return 'implanted reservoir';
    case 'external-disposable-pump': return 'external disposable pump';
    case 'unknown': return 'device (kind not recorded)';
    default: return facts.device.route + ' pump';
  }
}

function describeServices(facts: VisitFacts): string {
  const s = facts.services;
  const parts: string[] = [];
  if (s.electronicAnalysis) parts.push('electronic analysis');
  if (s.reprogramming === 'rate-or-dose-change') parts.push('rate/dose change');
  if (s.reprogramming === 'settings-update-only') parts.push('settings update only');
  if (s.refill) parts.push('refill');
  return parts.length ? parts.join(', ') : 'no pump service';
}
