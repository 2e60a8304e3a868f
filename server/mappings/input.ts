/**
 * Building the CoverageMatchInput: from VisitFacts (evaluation path) or, leniently, from a pasted FHIR
 * Coverage (admin preview) with its payor Organizations.
 */
import type { CoverageMatchInput, PolicyContext, MappingResolution, VisitFacts } from '../contracts/index';

/** Source of Payment Typology, in both spellings (terminology.md, Coverage). */
export const SOPT_SYSTEMS = ['https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5'];
/** NAIC company code (Organization.identifier of an insurer). */
export const NAIC_SYSTEM = 'urn:oid:2.16.840.1.113883.6.300';
const COVERAGE_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/coverage-class';

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

// ---------------------------------------------------------------- lenient FHIR reading

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const pushUnique = (xs: string[], v: string | undefined) => { if (v && !xs.includes(v)) xs.push(v); };

function identifiersOf(v: unknown, out: CoverageMatchInput['payerIdentifiers']) {
  for (const i of arr(v)) {
    if (!isObj(i)) continue;
    const value = str(i.value);
    if (!value) continue;
    const system = str(i.system);
    if (!out.some((x) => x.value === value && x.system === system)) out.push(system ? { system, value } : { value });
  }
}

function orgKeys(org: Obj): string[] {
  const id = str(org.id);
  const keys: string[] = [];
  if (id) keys.push(`Organization/${id}`, `#${id}`);
  const full = str((org as { fullUrl?: unknown }).fullUrl);
  if (full) keys.push(full);
  return keys;
}

/**
 * Accepts a Coverage, or a Bundle holding one (its Organizations are used too). Unknown shapes yield an
 * empty input rather than an error: the preview then says nothing matched.
 */
export function coverageMatchInputFromFhir(coverage: unknown, payorOrganizations: unknown[] = [], patientState?: string): CoverageMatchInput {
  const out: CoverageMatchInput = { payerIdentifiers: [], payerNames: [], planNames: [], coverageTypes: [] };
  if (patientState && /^[A-Za-z]{2}$/.test(patientState.trim())) out.patientState = patientState.trim().toUpperCase();

  let cov: Obj | undefined = isObj(coverage) ? coverage : undefined;
  const orgs: Obj[] = payorOrganizations.filter(isObj);
  if (cov?.resourceType === 'Bundle') {
    let found: Obj | undefined;
    for (const e of arr(cov.entry)) {
      if (!isObj(e) || !isObj(e.resource)) continue;
      const r = e.resource;
      if (r.resourceType === 'Coverage' && !found) found = r;
      if (r.resourceType === 'Organization') orgs.push({ ...r, fullUrl: e.fullUrl });
      if (r.resourceType === 'Patient' && !out.patientState) {
        const st = arr(r.address).map((a) => (isObj(a) ? str(a.state) : undefined)).find((s) => s && /^[A-Za-z]{2}$/.test(s));
        if (st) out.patientState = st.toUpperCase();
      }
    }
    cov = found;
  }
  if (!cov) return out;
  for (const c of arr(cov.contained)) if (isObj(c) && c.resourceType === 'Organization') orgs.push(c);

  const orgIndex = new Map<string, Obj>();
  for (const o of orgs) for (const k of orgKeys(o)) orgIndex.set(k, o);

  for (const p of arr(cov.payor)) {
    if (!isObj(p)) continue;
    pushUnique(out.payerNames, str(p.display));
    identifiersOf(p.identifier, out.payerIdentifiers);
    const ref = str(p.reference);
    if (!ref) continue;
    const tail = ref.match(/(Organization\/[^/]+)(\/_history\/.*)?$/)?.[1];
    const org = orgIndex.get(ref) ?? (tail ? orgIndex.get(tail) : undefined);
    if (org) {
      pushUnique(out.payerNames, str(org.name));
      for (const a of arr(org.alias)) pushUnique(out.payerNames, str(a));
      identifiersOf(org.identifier, out.payerIdentifiers);
    }
  }
  // a payor given only as Organizations (no references) still counts
  if (arr(cov.payor).length === 0) {
    for (const o of orgs) {
      pushUnique(out.payerNames, str(o.name));
      identifiersOf(o.identifier, out.payerIdentifiers);
    }
  }

  if (isObj(cov.type)) {
    for (const c of arr(cov.type.coding)) {
      if (!isObj(c)) continue;
      const code = str(c.code);
      const system = str(c.system);
      if (!code) continue;
      // SOPT codes (either system spelling), or bare numeric codes with no system
      if ((system && SOPT_SYSTEMS.includes(system)) || (!system && /^\d+$/.test(code))) pushUnique(out.coverageTypes, code);
    }
  }

  for (const cl of arr(cov.class)) {
    if (!isObj(cl)) continue;
    const types = isObj(cl.type) ? arr(cl.type.coding).filter(isObj) : [];
    const isPlan = types.some((t) => ['plan', 'subplan'].includes(String(t.code))
      && (t.system === undefined || t.system === COVERAGE_CLASS_SYSTEM));
    if (!isPlan) continue;
    pushUnique(out.planNames, str(cl.name));
    pushUnique(out.planNames, str(cl.value));
  }
  return out;
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
