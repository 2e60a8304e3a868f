/**
 * services: the visit's Procedures — CPT codes first ('record'), else their SNOMED CT / local-code displays or
 * text ("Intrathecal pump refill and reprogramming", 'derived') — corrected by what the note says (no refill, the
 * dose changed or not and by how much, why the pump was analysed, implantation or trial).
 * proposedCodes: the visit's Procedure CPT/HCPCS codes as charted, for reconciliation.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { isConflict, quoted, readDoseChange, readInterrogationReason, readServiceWords } from './notes.js';
import { IMPLANTATION_CPT, TRIAL_CPT, type PumpService } from './procedures.js';
import { ccText, clip } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

const SETTINGS_UPDATE = /(?:pump|settings?) (?:was |were )?updated|updated the pump|(?:alarm|refill) date (?:was )?(?:reset|updated)/i;

export function readServices(visit: Visit): VisitFacts['services'] {
  const { src, todaysProcedures, todaysNotes, sentences, pumpProcedure, pumpServiceOf, procedureCodesOf: procedureCodes } = visit;
  const services: VisitFacts['services'] = { electronicAnalysis: false, refill: false, reprogramming: 'none' };
  guarded(src, 'services.reprogramming', () => {
    const reads = todaysProcedures.map((p) => ({ p, r: pumpServiceOf(p) })).filter((x) => x.r);
    const coded = reads.filter((x) => x.r?.status === 'record');
    const worded = reads.filter((x) => x.r?.status === 'derived');
    const merge = (xs: typeof reads): PumpService | undefined => (xs.length ? xs.map((x) => x.r!.value).reduce((a, b) => ({
      analysis: a.analysis || b.analysis, refill: a.refill || b.refill, reprogramming: a.reprogramming || b.reprogramming })) : undefined);
    const known = merge(coded);
    const fromWords = merge(worded);
    const claimed = todaysProcedures.flatMap((p) => procedureCodes(p).cpt).filter((c, i, a) => a.indexOf(c) === i).join(', ');
    const from = pumpProcedure;
    const words = readServiceWords(sentences);
    const noRefill = words.refill?.value === false ? words.refill : undefined;

    if (known) {
      services.electronicAnalysis = known.analysis || !!words.analysis;
      services.refill = known.refill && !noRefill;
      src.set('services.electronicAnalysis', known.analysis ? 'record' : words.analysis ? 'derived' : 'record', from,
        known.analysis ? `CPT ${claimed} on the record.` : words.analysis ? quoted(words.analysis.sentence) : 'No analysis charted.');
      if (known.refill && noRefill) src.set('services.refill', 'derived', noRefill.from, `CPT ${claimed} claims a refill but the note says the pump was not refilled: "${clip(noRefill.sentence, 200)}"; confirm.`);
      else src.set('services.refill', 'record', from, `CPT ${claimed} on the record.`);
    } else if (fromWords) {
      const text = clip(ccText(worded[0]?.p.code) ?? '', 120);
      services.electronicAnalysis = fromWords.analysis || !!words.analysis;
      services.refill = fromWords.refill && !noRefill;
      src.set('services.electronicAnalysis', 'derived', worded[0]?.p, `No pump CPT code; read from the procedure "${text}". Confirm.`);
      src.set('services.refill', 'derived', worded[0]?.p, noRefill ? quoted(noRefill.sentence) : `No pump CPT code; read from the procedure "${text}". Confirm.`);
    } else if (todaysProcedures.length) {
      services.refill = !!words.refill?.value;
      services.electronicAnalysis = !!words.analysis;
      src.set('services.electronicAnalysis', words.analysis ? 'derived' : 'default', words.analysis?.from ?? from, words.analysis ? quoted(words.analysis.sentence) : 'No pump service on the visit\'s procedures; was the pump interrogated?');
      src.set('services.refill', words.refill ? 'derived' : 'default', words.refill?.from ?? from, words.refill ? quoted(words.refill.sentence) : 'No pump service on the visit\'s procedures; was the pump refilled?');
    } else {
      src.set('services.electronicAnalysis', 'default', undefined, 'No procedure for the visit on record; was the pump interrogated?');
      src.set('services.refill', 'default', undefined, 'No procedure for the visit on record; was the pump refilled?');
    }

    // Reprogramming: what the note says about the dose outranks what the code or the words claim.
    const reprogrammingClaimed = !!known?.reprogramming || !!fromWords?.reprogramming || !!words.reprogramming;
    const claimWhat = known?.reprogramming ? `CPT ${claimed}` : 'the procedure text';
    const dose = readDoseChange(sentences);
    if (dose && !isConflict(dose) && dose.value === 'yes') {
      services.reprogramming = 'rate-or-dose-change';
      if ('detail' in dose && dose.detail) services.doseChangeDetail = dose.detail;
      src.set('services.reprogramming', 'derived', dose.from, quoted(dose.sentence));
      if (services.doseChangeDetail) src.set('services.doseChangeDetail', 'derived', dose.from, quoted(dose.sentence));
    } else if (dose && !isConflict(dose) && dose.value === 'no') {
      services.reprogramming = reprogrammingClaimed || SETTINGS_UPDATE.test(todaysNotes) ? 'settings-update-only' : 'none';
      src.set('services.reprogramming', 'derived', dose.from, services.reprogramming === 'none'
        ? quoted(dose.sentence)
        : `A settings update only${reprogrammingClaimed ? ` although ${claimWhat} claims reprogramming` : ''}: ${quoted(dose.sentence, 'the note says')}`);
    } else if (reprogrammingClaimed) {
      services.reprogramming = 'settings-update-only';
      src.set('services.reprogramming', 'default', from, isConflict(dose)
        ? `The note says both that the dose changed ("${clip(dose.conflict[0]!.sentence, 80)}") and that it did not ("${clip(dose.conflict[1]!.sentence, 80)}"); confirm (a settings update is assumed).`
        : `${claimWhat === 'the procedure text' ? 'The procedure text' : claimWhat} claims reprogramming but the record does not say whether the rate or dose changed; confirm (a settings update is assumed).`);
    } else {
      services.reprogramming = 'none';
      src.set('services.reprogramming', 'default', from, 'The record does not show a change of rate or dose; confirm.');
    }

    // Why the pump was analysed: an explicit reason, else an MRI or an alarm the note reports.
    const reason = readInterrogationReason(sentences);
    if (reason && services.electronicAnalysis) {
      services.analysisReason = clip(reason.value, 500);
      src.set('services.analysisReason', 'derived', reason.from, quoted(reason.sentence));
    }

    const cpts = todaysProcedures.flatMap((p) => procedureCodes(p).cpt);
    if (cpts.some((c) => IMPLANTATION_CPT.has(c))) { services.procedureType = 'implantation'; src.set('services.procedureType', 'record', from); }
    else if (cpts.some((c) => TRIAL_CPT.has(c)) && /trial/i.test(todaysNotes)) { services.procedureType = 'trial'; src.set('services.procedureType', 'derived', from); }
  }, undefined, 'confirm the services.');
  return services;
}

/** The visit's Procedure CPT/HCPCS codes, de-duplicated, at most 20. */
export function readProposedCodes(visit: Visit): NonNullable<VisitFacts['proposedCodes']> {
  const { src, todaysProcedures, pumpProcedure, procedureCodesOf: procedureCodes } = visit;
  const proposedCodes = todaysProcedures.flatMap((p) => {
    const { cpt, hcpcs } = procedureCodes(p);
    return [...cpt, ...hcpcs];
  }).filter((c, i, all) => c.length <= 20 && all.indexOf(c) === i).slice(0, 20).map((code) => ({ code }));
  src.set('proposedCodes', proposedCodes.length ? 'record' : 'default', pumpProcedure,
    proposedCodes.length ? 'CPT/HCPCS codes on the visit\'s Procedures.' : 'No codes charted for the visit.');
  return proposedCodes;
}
