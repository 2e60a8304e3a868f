/** Procedures: which CPT codes are pump services, and a Procedure's services, codes and local date. */
import { CPT_PUMP_CODES } from '../../terminology/index.js';
import { readConcept, type ConceptRead } from './concept.js';
import { isCodeOf } from '../../terminology/index.js';
import { codesOf, codings, obj, type Resource } from './record.js';

export interface PumpService { analysis: boolean; refill: boolean; reprogramming: boolean }

/** CPT codes of implanted-pump services, implantation and trial: from the one code table (server/terminology). */
export const PUMP_SERVICE_CPT: Record<string, PumpService> = Object.fromEntries(
  CPT_PUMP_CODES.map((c) => [c.code, { analysis: c.analysis, refill: c.refill, reprogramming: c.reprogramming }]));
export { REFILL_CODES as REFILL_CPT, IMPLANTATION_CPT, TRIAL_CPT } from '../../terminology/index.js';

/**
 * The one CPT lookup of the extraction: a pump-service CPT code → what it describes (from the code table). Only CPT codings count (a SNOMED code that happens to look like a CPT code does not).
 */
export function pumpServiceOfCode(system: string | undefined, code: string): PumpService | undefined {
  return isCodeOf('cpt', system, code) ? PUMP_SERVICE_CPT[code] : undefined;
}

/**
 * What the words of a procedure describe (SNOMED CT displays, Epic/Oracle local code names, text-only
 * procedures): a pump must be named (pump, intrathecal, reservoir, SynchroMed, Prometra, drug delivery device),
 * then refill / interrogation (analysis, telemetry) / reprogramming. Anything else is not a pump service.
 */
export function pumpServiceOfText(text: string): PumpService | undefined {
  if (!/\bpump|intrathecal|\bITB\b|reservoir|synchromed|prometra|drug delivery (?:device|system)|infusion device/i.test(text)) return undefined;
  if (/insulin/i.test(text)) return undefined;
  if (/\b(?:implant(?:ation)?|insertion|placement|removal|explant|revision|replacement)\b/i.test(text) && !/refill|interrogat|analys|reprogram/i.test(text)) return undefined;
  const reprogramming = /\breprogram/i.test(text);
  const refill = /\brefill|re-?filled|\bfilling\b/i.test(text);
  const analysis = reprogramming || /interrogat|analy[sz]|telemetry|\bcheck\b/i.test(text);
  return refill || analysis ? { analysis, refill, reprogramming } : undefined;
}

/** The pump services a Procedure stands for: CPT codes first ('record'), else its words ('derived'). */
export function pumpServiceOf(p: Resource): ConceptRead<PumpService> | undefined {
  const cpt = codings(p.code).map((c) => (c.code ? pumpServiceOfCode(c.system, c.code) : undefined)).filter((x): x is PumpService => !!x);
  if (cpt.length) {
    const merged = cpt.reduce((a, b) => ({ analysis: a.analysis || b.analysis, refill: a.refill || b.refill, reprogramming: a.reprogramming || b.reprogramming }));
    return { value: merged, status: 'record' };
  }
  return readConcept([p.code], () => undefined, pumpServiceOfText);
}

/** The local date of a Procedure (performedDateTime, performedPeriod.start, performedString), by the visit's date reader. */
export function procedureDate(p: Resource, localDate: (v: unknown) => string | undefined): string | undefined {
  return localDate(p.performedDateTime) ?? localDate(obj(p.performedPeriod).start) ?? localDate(p.performedString);
}
export function procedureCodes(p: Resource): { cpt: string[]; hcpcs: string[] } {
  return { cpt: codesOf(p.code, 'cpt'), hcpcs: codesOf(p.code, 'hcpcs') };
}
