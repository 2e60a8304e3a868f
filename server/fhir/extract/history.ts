/**
 * priorServices and lastRefillDate: pump Procedures charted before the service date, newest first. CPT-coded ones
 * give their codes ('record'); SNOMED CT / local-code / text-only ones give the CPT code their words describe
 * (refill → 95990, analysis → 62367, analysis + reprogramming → 62368, refill with analysis → 62369), marked 'derived'.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { PUMP_SERVICE_CPT, REFILL_CPT, type PumpService } from './procedures.js';
import type { Visit } from './visit.js';

/** The CPT code a pump service described only in words stands for in frequency checks. */
function cptForWords(s: PumpService): string {
  if (s.refill) return s.analysis || s.reprogramming ? '62369' : '95990';
  return s.reprogramming ? '62368' : '62367';
}

export function readHistory(visit: Visit): { priorServices: NonNullable<VisitFacts['priorServices']>; lastRefillDate?: string } {
  const { src, priorProcedures, procedureDateOf, procedureCodesOf, pumpServiceOf } = visit;
  const priorServices: { date: string; code: string }[] = [];
  let derived = 0;
  for (const p of priorProcedures) {
    const date = procedureDateOf(p) as string; // priorProcedures all have a date
    const cpts = procedureCodesOf(p).cpt.filter((c) => c in PUMP_SERVICE_CPT);
    if (cpts.length) {
      for (const code of cpts) if (priorServices.length < 100) priorServices.push({ date, code });
      continue;
    }
    const words = pumpServiceOf(p);
    if (words && priorServices.length < 100) { priorServices.push({ date, code: cptForWords(words.value) }); derived++; }
  }
  priorServices.sort((a, b) => b.date.localeCompare(a.date));
  const lastRefillDate = priorServices.find((s) => REFILL_CPT.has(s.code))?.date;
  if (priorServices.length) {
    src.set('priorServices', derived ? 'derived' : 'record', undefined, derived
      ? `Earlier pump Procedures on the record; ${derived} of them coded in SNOMED CT, a local code or text only and read from their words. Confirm.`
      : 'Earlier pump Procedures on the record.');
  } else src.set('priorServices', 'default', undefined, 'No earlier pump services on the record (only the records the app was given were searched).');
  if (lastRefillDate) src.set('lastRefillDate', 'derived', undefined, 'The latest earlier refill Procedure.');
  else src.set('lastRefillDate', 'default', undefined, 'No earlier refill on the record; enter the last refill date to check the interval.');
  return { priorServices, lastRefillDate };
}
