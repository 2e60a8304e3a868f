/** priorServices and lastRefillDate: pump Procedures charted before the service date, newest first. */
import type { VisitFacts } from '../../contracts/index.js';
import { PUMP_SERVICE_CPT, procedureCodes, procedureDate, REFILL_CPT } from './procedures.js';
import type { Visit } from './visit.js';

export function readHistory(visit: Visit): { priorServices: NonNullable<VisitFacts['priorServices']>; lastRefillDate?: string } {
  const { src, priorProcedures } = visit;
  const priorServices: { date: string; code: string }[] = [];
  for (const p of priorProcedures) {
    const date = procedureDate(p) as string; // priorProcedures all have a date
    for (const code of procedureCodes(p).cpt) {
      if ((code in PUMP_SERVICE_CPT) && priorServices.length < 100) priorServices.push({ date, code });
    }
  }
  priorServices.sort((a, b) => b.date.localeCompare(a.date));
  const lastRefillDate = priorServices.find((s) => REFILL_CPT.has(s.code))?.date;
  if (priorServices.length) src.set('priorServices', 'record', undefined, 'Earlier pump Procedures on the record.');
  else src.set('priorServices', 'default', undefined, 'No earlier pump services on the record (only the records the app was given were searched).');
  if (lastRefillDate) src.set('lastRefillDate', 'derived', undefined, 'The latest earlier refill Procedure.');
  else src.set('lastRefillDate', 'default', undefined, 'No earlier refill on the record; enter the last refill date to check the interval.');
  return { priorServices, lastRefillDate };
}
