/**
 * Codes already on the record (or typed by the clinician) are reconciled with the suggestion: every
 * proposed code that is not suggested gets a warning saying why. Proposed codes never become lines.
 */
import type { VisitFacts } from '../contracts/index.js';
import { hcpcsDrugCode, ingredientsOf, isSCode, TERMINOLOGY_CITATIONS } from '../terminology/index.js';
import { ARTICLE, CPT, FORUM, ICARE } from './citations.js';
import { isEvaluationAndManagementCode, isPumpAnalysisCode, isPumpRefillCode, PUMP_SERVICE_CODES, REFILL_CODES } from './codes.js';
import { isClinicalStaff, type PumpService } from './cpt-decision-tree.js';
import type { DeterminationBuilder } from './determination-builder.js';
import { looksLikeDrugCode, type DrugOutcome } from './drugs.js';
import type { EvaluationOutcome } from './evaluation-management.js';

export interface ReconcileInput { pump: PumpService; drugs: DrugOutcome; em: EvaluationOutcome; medicareRules: boolean }

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
      [CPT.c95990, CPT.c62367]);
  }

  // ---- drug codes: two codes for the same drug (same ingredient in the code table)
  const proposedDrugCodes = [...new Set(proposed.map((p) => p.code.toUpperCase()).filter((c) => looksLikeDrugCode(c)))];
  const byIngredient = new Map<string, string[]>();
  for (const c of proposedDrugCodes) {
    const ing = hcpcsDrugCode(c)?.ingredient;
    if (ing) byIngredient.set(ing, [...(byIngredient.get(ing) ?? []), c]);
  }
  for (const [ing, list] of byIngredient) {
    if (list.length < 2) continue;
    const keep = list.find((c) => suggested.has(c));
    b.warn('duplicate-drug-codes', 'error',
      list.join(' and ') + ' are both proposed for the ' + ing + ' given: one amount of drug takes one code.' + (keep ? ' Keep ' + keep + '.' : ''),
      list.flatMap((c) => [...(hcpcsDrugCode(c)?.citations ?? [])]));
  }

  for (const p of proposed) {
    const code = p.code.toUpperCase();
    if (p.units !== undefined && !Number.isInteger(p.units)) {
      b.warn('proposed-code-not-supported', 'warning',
        code + ' is proposed with ' + p.units + ' units, but units are whole numbers computed from the dose (partial units round up)' +
        (suggested.has(code) ? ': ' + code + ' × ' + lineUnits(b, code) + ' is suggested.' : '.'),
        [TERMINOLOGY_CITATIONS.unitsRoundUp]);
    }
    if (isEvaluationAndManagementCode(code)) { reconcileEvaluation(code, p.modifiers ?? [], input, b); continue; }
    if (suggested.has(code)) {
      const drugLine = input.drugs.perDrug.find((d) => d.code === code);
      const units = lineUnits(b, code);
      if (drugLine && p.units !== undefined && Number.isInteger(p.units) && p.units !== units) {
        b.warn('proposed-code-not-supported', 'warning',
          code + ' × ' + p.units + ' is on the record, but the units come from the dose: ' + (drugLine.arithmetic ?? units + ' units') + '. Bill ' + code + ' × ' + units + ', not ' + p.units + '.',
          [...(hcpcsDrugCode(code)?.citations ?? []), TERMINOLOGY_CITATIONS.unitsRoundUp]);
      }
      continue;
    }
    if (PUMP_SERVICE_CODES.has(code)) { explainPumpCode(code, facts, input, b); continue; }
    if (code === 'S9328') {
      const listed = b.notCovered.find((n) => n.code === 'S9328');
      b.warn('proposed-code-not-supported', 'warning',
        'S9328 (home infusion per diem for an implanted pain pump) is not the code for an office refill of an implanted intrathecal or epidural pump' +
        (listed ? ': ' + listed.reason : '; the refill is billed with the CPT pump codes (95990/95991 or 62369/62370).') + ' Remove it.',
        listed ? listed.citations : [CPT.c95990, CPT.c62369]);
      continue;
    }
    if (input.medicareRules && isSCode(code) && hcpcsDrugCode(code)?.ingredient) {
      const replacedBy = input.drugs.perDrug.find((d) => d.replacedRecordCode === code)?.code;
      b.warn('proposed-code-not-supported', 'warning',
        code + ' is an S code, which the CMS HCPCS file marks not payable by Medicare: never billed under Medicare rules.' + (replacedBy ? ' ' + replacedBy + ' is billed for the drug instead.' : ' Remove it.'),
        [TERMINOLOGY_CITATIONS.sCodesNotMedicare, ...(hcpcsDrugCode(code)?.citations ?? [])]);
      continue;
    }
    if (looksLikeDrugCode(code) || facts.drugs.some((d) => d.hcpcs?.toUpperCase() === code)) { explainDrugCode(code, facts, input, b); continue; }
    b.warn('proposed-code-not-supported', 'warning',
      code + ' is on the record but the visit\'s facts do not support it, so it is not suggested. Remove it, or record the service it stands for.',
      [ARTICLE.servicesQuestion]);
  }
}

/** units of the line for the amount given (not the JW line) */
function lineUnits(b: DeterminationBuilder, code: string): number {
  const lines = b.lines.filter((l) => l.code === code);
  return (lines.find((l) => !l.modifiers.includes('JW')) ?? lines[0])?.units ?? 0;
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
      [CPT.c62367, ICARE.programmable]);
    return;
  }
  if (code === '96522' && device.route !== 'intravenous' && device.route !== 'intra-arterial') {
    b.warn('proposed-code-not-supported', 'warning',
      '96522 is for systemic (intravenous, intra-arterial) pumps; this pump is ' + device.route + '. ' + (suggestedCode ? suggestedCode + ' is suggested instead.' : ''),
      [CPT.c96522]);
    return;
  }
  if (REFILL_CODES.has(code) && !services.refill) {
    b.warn('proposed-code-not-supported', 'warning',
      code + ' includes a refill, but no refill is recorded for this visit.' + (suggestedCode ? ' ' + suggestedCode + ' is suggested.' : ' Record the refill if one was done.'),
      [code === '96522' ? CPT.c96522 : CPT.c62369]);
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
        [FORUM.reprogrammingExample, CPT.c62368]);
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
      [CPT.c95990, CPT.c62367]);
    return;
  }
  b.warn('proposed-code-not-supported', 'warning',
    code + ' does not match the services recorded (' + describeServices(facts) + ')' + (suggestedCode ? '; ' + suggestedCode + ' is suggested.' : '.'),
    [ARTICLE.servicesQuestion, CPT.c62367]);
}

function explainDrugCode(code: string, facts: VisitFacts, input: ReconcileInput, b: DeterminationBuilder): void {
  const compounded = facts.drugs.some((d) => d.compounded);
  const compoundLine = input.drugs.perDrug.find((d) => d.drug.compounded && d.code)?.code;
  const row = hcpcsDrugCode(code);
  if (compounded && code !== compoundLine && row?.kind !== 'compounded') {
    b.warn('compounded-ingredient-codes', 'warning',
      code + ' is proposed, but the drug given is a compounded mixture billed as ' + (compoundLine ?? 'one compounded-drug line') + ': do not bill its ingredients under their own codes.',
      [ARTICLE.j7999, ...(row?.citations ?? [])]);
    return;
  }
  const ingredient = row?.ingredient;
  const sameDrug = facts.drugs.find((d) => d.hcpcs?.toUpperCase() === code || (ingredient !== undefined && ingredientsOf(d).includes(ingredient)));
  const billedFor = sameDrug ? input.drugs.perDrug.find((d) => d.drug === sameDrug)?.code : undefined;
  if (sameDrug && billedFor) {
    b.warn('duplicate-drug-codes', 'warning',
      code + ' is proposed for the ' + sameDrug.name + ' already billed as ' + billedFor + ': one amount of drug takes one code. Remove ' + code + '.',
      [...(row?.citations ?? []), ...(hcpcsDrugCode(billedFor)?.citations ?? [])]);
    return;
  }
  if (sameDrug && sameDrug.purchasedBy !== 'practice') {
    b.warn('proposed-code-not-supported', 'warning', code + ' is proposed for ' + sameDrug.name + ', which the practice did not buy: it cannot be billed by the practice.', [ARTICLE.practiceExpense]);
    return;
  }
  if (sameDrug) {
    b.warn('proposed-code-not-supported', 'warning',
      code + ' is proposed for ' + sameDrug.name + ', but no line could be computed for it (see the drug-verification item: the dose or concentration is missing).',
      [TERMINOLOGY_CITATIONS.unitsRoundUp, ...(row?.citations ?? [])]);
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
