/** Procedures: which CPT codes are pump services, and a Procedure's date and codes. */
import { CPT_PUMP_CODES } from '../../terminology/index.js';
import { codesIn, dateOf, obj, SYSTEMS, type Resource } from './record.js';

/** CPT codes of implanted-pump services, implantation and trial: from the one code table (server/terminology). */
export const PUMP_SERVICE_CPT: Record<string, { analysis: boolean; refill: boolean; reprogramming: boolean }> = Object.fromEntries(
  CPT_PUMP_CODES.map((c) => [c.code, { analysis: c.analysis, refill: c.refill, reprogramming: c.reprogramming }]));
export { REFILL_CODES as REFILL_CPT, IMPLANTATION_CPT, TRIAL_CPT } from '../../terminology/index.js';

export function procedureDate(p: Resource): string | undefined {
  return dateOf(p.performedDateTime) ?? dateOf(obj(p.performedPeriod).start) ?? dateOf(p.performedString);
}
export function procedureCodes(p: Resource): { cpt: string[]; hcpcs: string[] } {
  return { cpt: codesIn(p.code, SYSTEMS.cpt), hcpcs: codesIn(p.code, SYSTEMS.hcpcs) };
}
