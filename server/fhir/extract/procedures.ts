/** Procedures: which CPT codes are pump services, and a Procedure's date and codes. */
import { codesIn, dateOf, obj, SYSTEMS, type Resource } from './record.js';

/** CPT codes of implanted-pump services (terminology.md, Procedure). */
export const PUMP_SERVICE_CPT: Record<string, { analysis: boolean; refill: boolean; reprogramming: boolean }> = {
  '62367': { analysis: true, refill: false, reprogramming: false },
  '62368': { analysis: true, refill: false, reprogramming: true },
  '62369': { analysis: true, refill: true, reprogramming: true },
  '62370': { analysis: true, refill: true, reprogramming: true },
  '95990': { analysis: false, refill: true, reprogramming: false },
  '95991': { analysis: false, refill: true, reprogramming: false },
  '96522': { analysis: false, refill: true, reprogramming: false },
};
export const REFILL_CPT = new Set(['62369', '62370', '95990', '95991', '96522']);
export const IMPLANTATION_CPT = new Set(['62350', '62351', '62360', '62361', '62362', '61215']);
export const TRIAL_CPT = new Set(['62322', '62323', '62324', '62325', '62326', '62327']);

export function procedureDate(p: Resource): string | undefined {
  return dateOf(p.performedDateTime) ?? dateOf(obj(p.performedPeriod).start) ?? dateOf(p.performedString);
}
export function procedureCodes(p: Resource): { cpt: string[]; hcpcs: string[] } {
  return { cpt: codesIn(p.code, SYSTEMS.cpt), hcpcs: codesIn(p.code, SYSTEMS.hcpcs) };
}
