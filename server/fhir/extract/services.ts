/**
 * services: today's Procedure CPT codes (pump analysis / refill / reprogramming), corrected by what the procedure
 * note says (no refill, dose changed or not, why the pump was analysed, implantation or trial).
 * proposedCodes: today's Procedure CPT/HCPCS codes as charted, for reconciliation.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { IMPLANTATION_CPT, PUMP_SERVICE_CPT, procedureCodes, TRIAL_CPT } from './procedures.js';
import { clip } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

// Note readers (free text in Procedure.note). The fixtures write structured lines ("Dose changed: yes");
// the patterns also accept common free-text phrasings.
const DOSE_NO = /dose changed:\s*no\b|no (?:change|changes) (?:to|in) (?:the )?(?:rate|dose)|(?:dose|rate) (?:was )?(?:unchanged|not changed)|without (?:a )?(?:dose|rate) change|no dose change|no reprogramming/i;
const DOSE_YES = /dose changed:\s*yes\b|(?:dose|rate) (?:was )?(?:changed|increased|decreased|titrated|adjusted)|(?:increased|decreased|titrated|adjusted) (?:the )?(?:daily )?(?:dose|rate)/i;
const SETTINGS_UPDATE = /(?:pump|settings?) (?:was |were )?updated|updated the pump|(?:alarm|refill) date (?:was )?(?:reset|updated)/i;
const NO_REFILL = /not refillable|nothing was instilled|no refill|not refilled/i;
const ALARM = /alarm (?:sounded|triggered|went off)|pump (?:was )?alarming|for (?:an? )?(?:\w+ )?alarm\b/i;
const ANALYSIS_REASON = /reason for (?:analysis|interrogation):\s*([^\n]+)/i;

export function readServices(visit: Visit): VisitFacts['services'] {
  const { src, todaysProcedures, todaysNotes, pumpProcedure } = visit;
  const services: VisitFacts['services'] = { electronicAnalysis: false, refill: false, reprogramming: 'none' };
  guarded(src, 'services.reprogramming', () => {
    const cpts = todaysProcedures.flatMap((p) => procedureCodes(p).cpt);
    const known = cpts.map((c) => PUMP_SERVICE_CPT[c]).filter((x): x is NonNullable<typeof x> => !!x);
    const from = pumpProcedure;
    const claimed = cpts.filter((c) => c in PUMP_SERVICE_CPT).join(', ');
    const interrogated = /interrogat|electronic analysis|telemetry|pump analy[sz]/i.test(todaysNotes) && !/no electronic analysis/i.test(todaysNotes);

    // Analysis and refill: the CPT codes, else the note, else nothing to go on.
    if (known.length) {
      services.electronicAnalysis = known.some((k) => k.analysis) || interrogated;
      services.refill = known.some((k) => k.refill) && !NO_REFILL.test(todaysNotes);
      src.set('services.electronicAnalysis', known.some((k) => k.analysis) ? 'record' : 'derived', from,
        known.some((k) => k.analysis) ? `CPT ${claimed} on the record.` : interrogated ? 'The procedure note describes an interrogation.' : 'No analysis charted.');
      if (known.some((k) => k.refill) && !services.refill) {
        src.set('services.refill', 'derived', from, `CPT ${claimed} claims a refill but the procedure note says the pump was not refilled.`);
      } else {
        src.set('services.refill', 'record', from, `CPT ${claimed} on the record.`);
      }
    } else if (todaysProcedures.length) {
      services.refill = /refill|refilled|instilled/i.test(todaysNotes) && !NO_REFILL.test(todaysNotes);
      services.electronicAnalysis = interrogated;
      src.set('services.electronicAnalysis', 'derived', from, 'No pump CPT code on the record; read from the note. Confirm.');
      src.set('services.refill', 'derived', from, 'No pump CPT code on the record; read from the note. Confirm.');
    } else {
      src.set('services.electronicAnalysis', 'default', undefined, 'No procedure for the visit on record; was the pump interrogated?');
      src.set('services.refill', 'default', undefined, 'No procedure for the visit on record; was the pump refilled?');
    }

    // Reprogramming: what the note says about the dose outranks what the CPT code claims.
    const reprogrammingClaimed = known.some((k) => k.reprogramming);
    const says = DOSE_NO.test(todaysNotes) ? 'no' : DOSE_YES.test(todaysNotes) ? 'yes' : undefined;
    if (says === 'yes') {
      services.reprogramming = 'rate-or-dose-change';
      src.set('services.reprogramming', 'derived', from, 'The procedure note says the rate or dose was changed.');
    } else if (says === 'no') {
      services.reprogramming = reprogrammingClaimed || SETTINGS_UPDATE.test(todaysNotes) ? 'settings-update-only' : 'none';
      src.set('services.reprogramming', 'derived', from, services.reprogramming === 'none'
        ? 'The procedure note says the dose was not changed.'
        : `The procedure note says the dose was not changed: a settings update only${reprogrammingClaimed ? ` although CPT ${claimed} claims reprogramming` : ''}.`);
    } else if (reprogrammingClaimed) {
      services.reprogramming = 'settings-update-only';
      src.set('services.reprogramming', 'default', from, `CPT ${claimed} claims reprogramming but the record does not say whether the rate or dose changed; confirm (a settings update is assumed).`);
    } else {
      services.reprogramming = 'none';
      src.set('services.reprogramming', 'default', from, 'The record does not show a change of rate or dose; confirm.');
    }

    // Why the pump was analysed: an explicit reason line, else an MRI or an alarm mentioned in the note.
    const reason = ANALYSIS_REASON.exec(todaysNotes)?.[1]
      ?? (/\b(?:after|post)[- ](?:an? |the )?(?:\w+ )?MRI\b/i.test(todaysNotes) ? 'After an MRI' : ALARM.test(todaysNotes) ? 'Pump alarm' : undefined);
    if (reason && services.electronicAnalysis) {
      services.analysisReason = clip(reason.trim(), 500);
      src.set('services.analysisReason', 'derived', from, 'Read from the procedure note.');
    }

    if (cpts.some((c) => IMPLANTATION_CPT.has(c))) { services.procedureType = 'implantation'; src.set('services.procedureType', 'record', from); }
    else if (cpts.some((c) => TRIAL_CPT.has(c)) && /trial/i.test(todaysNotes)) { services.procedureType = 'trial'; src.set('services.procedureType', 'derived', from); }
  }, undefined, 'confirm the services.');
  return services;
}

/** Today's Procedure CPT/HCPCS codes, de-duplicated, at most 20. */
export function readProposedCodes(visit: Visit): NonNullable<VisitFacts['proposedCodes']> {
  const { src, todaysProcedures, pumpProcedure } = visit;
  const proposedCodes = todaysProcedures.flatMap((p) => {
    const { cpt, hcpcs } = procedureCodes(p);
    return [...cpt, ...hcpcs];
  }).filter((c, i, all) => c.length <= 20 && all.indexOf(c) === i).slice(0, 20).map((code) => ({ code }));
  src.set('proposedCodes', proposedCodes.length ? 'record' : 'default', pumpProcedure,
    proposedCodes.length ? 'CPT/HCPCS codes on the visit\'s Procedures.' : 'No codes charted for the visit.');
  return proposedCodes;
}
