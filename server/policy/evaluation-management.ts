/**
 * A separate E/M on the day of the pump service (002, 004): only for a significant, separately
 * identifiable problem, with modifier 25; never for the refill alone (CPT Assistant scenario 3).
 */
import type { VisitFacts } from '../contracts/index.js';
import { ARTICLE, FORUM } from './citations.js';
import { isEvaluationAndManagementCode } from './codes.js';
import type { DeterminationBuilder } from './determination-builder.js';

export interface EvaluationOutcome { code: string | undefined; separateProblem: boolean }

export function applyEvaluationAndManagement(facts: VisitFacts, pumpCode: string | undefined, b: DeterminationBuilder): EvaluationOutcome {
  const sep = facts.separateEvaluation;
  const reason = sep.reason?.trim();
  const separateProblem = sep.performed && !!reason;
  const givenCode = sep.code?.toUpperCase();
  const proposedEm = (facts.proposedCodes ?? []).find((p) => isEvaluationAndManagementCode(p.code));

  if (separateProblem) {
    const code = givenCode && isEvaluationAndManagementCode(givenCode) ? givenCode : proposedEm?.code;
    b.check('separate-em-documentation',
      code
        ? 'Document the separate problem (' + reason + ') in its own history, examination and decision making, apart from the pump service.'
        : 'A separate E/M was performed for "' + reason + '": choose its level (e.g. 99213) and document it apart from the pump service; no E/M line is suggested until a level is given.',
      true, [ARTICLE.emModifier25, ARTICLE.separateEmQuestion]);
    if (code) {
      b.addLine({
        code, system: 'CPT', display: 'Evaluation and management, significant and separately identifiable (level ' + code + ')', modifiers: ['25'], units: 1,
        rationale: 'A significant, separately identifiable problem was evaluated (' + reason + '), so the E/M ' + code + ' is reported with modifier 25' +
          (givenCode && isEvaluationAndManagementCode(givenCode) ? '.' : ' (level taken from the codes on the record).') +
          ' E/M is not reported for the refill, interrogation or reprogramming alone.',
        citations: [ARTICLE.emModifier25, ARTICLE.emNotTypical],
      });
      return { code, separateProblem };
    }
    return { code: undefined, separateProblem };
  }

  if (sep.performed || givenCode) {
    b.check('separate-em-documentation',
      'An E/M was recorded without a significant, separately identifiable problem: document the separate problem, or leave the E/M off (the refill visit itself includes the evaluation).',
      true, [ARTICLE.emModifier25, FORUM.scenario3NoEm]);
    if (givenCode) {
      b.warn('em-not-separately-identifiable', 'warning',
        'The E/M ' + givenCode + ' has no significant, separately identifiable problem recorded. The pump visit includes its own evaluation, so no E/M is suggested: record the separate problem if there was one.',
        [ARTICLE.emNotTypical, FORUM.scenario3NoEm]);
    }
  }
  if (pumpCode) b.notes.push('No E/M is suggested: the pump service alone does not support a separate E/M (CPT Assistant scenario 3).');
  return { code: undefined, separateProblem };
}
