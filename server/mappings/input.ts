/**
 * Building the CoverageMatchInput: from VisitFacts (evaluation path) or, leniently, from a pasted FHIR
 * Coverage (admin preview) with its payor Organizations.
 */
import type { CoverageMatchInput, PolicyContext, MappingResolution, VisitFacts } from '../contracts/index';
import { coverageMatchInputFromRecord } from '../fhir/extract/coverage.js';

/** Source of Payment Typology, in both spellings (terminology.md, Coverage). */
export const SOPT_SYSTEMS = ['https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5'];
/** NAIC company code (Organization.identifier of an insurer). */
export const NAIC_SYSTEM = 'urn:oid:2.16.840.1.113883.6.300';

export function coverageMatchInputFromFacts(facts: VisitFacts): CoverageMatchInput {
  const c = facts.coverage;
  const out: CoverageMatchInput = {
    payerIdentifiers: c.payerId ? [c.payerIdSystem ? { system: c.payerIdSystem, value: c.payerId } : { value: c.payerId }] : [],
    payerNames: c.payerName ? [c.payerName] : [],
    planNames: c.planName ? [c.planName] : [],
    coverageTypes: c.typeCodes ?? [],
  };
  // residence decides state rules; the service state stands in when residence is unknown
  const state = facts.patient.state ?? facts.serviceState;
  if (state) out.patientState = state;
  return out;
}

/**
 * The admin preview's reading of a pasted Coverage (or a Bundle holding one) with its payor Organizations: the
 * same Coverage reader as evaluation (server/fhir/extract/coverage.ts), so preview and review never disagree.
 * Unknown shapes yield an empty input rather than an error: the preview then says nothing matched.
 */
export function coverageMatchInputFromFhir(coverage: unknown, payorOrganizations: unknown[] = [], patientState?: string): CoverageMatchInput {
  return coverageMatchInputFromRecord(coverage, payorOrganizations, patientState);
}

/** The policy context the engine runs with, from the resolution. */
export function resolvePolicyContext(resolution: MappingResolution, facts: VisitFacts): PolicyContext {
  const w = resolution.winner;
  // a tie: mappings did match but disagree; CPT-only rules until an administrator chooses (tie.ts warns)
  if (resolution.tie?.length) return { policyId: 'cpt-default', lineOfBusiness: facts.coverage.lineOfBusiness, mappingMatched: true };
  if (!w) return { policyId: 'cpt-default', lineOfBusiness: facts.coverage.lineOfBusiness, mappingMatched: false };
  // a mapping that leaves the line of business 'unknown' defers to what the record says
  const lineOfBusiness = w.lineOfBusiness === 'unknown' ? facts.coverage.lineOfBusiness : w.lineOfBusiness;
  const ctx: PolicyContext = { policyId: w.policyId, lineOfBusiness, mappingMatched: true, mappingId: w.id };
  if (w.options) ctx.options = { ...w.options };
  return ctx;
}
