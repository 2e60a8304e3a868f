/**
 * The one Coverage reader (DESIGN.md "Reading real EHR records": Coverage). Evaluation (readCoverage) and the admin
 * preview (coverageMatchInputFromRecord, called by server/mappings) both go through readCoverageResource, so the
 * preview and the review can never disagree about a Coverage.
 * - Which Coverage: active and in force on the service date; the visit encounter's own Coverage (Oracle Health's
 *   coverage-encounter extension); the lowest `order` when given; else an insurer over
 *   self-pay, Medicare ahead of Medicaid (Medicaid pays last), then the most recent.
 * - Payer: the payor Organization (relative/absolute/contained/urn:uuid/identifier/display reference) name, else the
 *   reference's display. Payer id: the identifier whose type or system says payer id (NAIC, "payer id", X12
 *   PAYERID) — never an NPI (http://hl7.org/fhir/sid/us-npi) or a tax id.
 * - Plan: the name (else value) of any Coverage.class of type plan, subplan, group or subgroup, whatever its system.
 * - Line of business: Source of Payment Typology codes (either system spelling, or bare numeric codes); payer and
 *   plan names settle what SOPT leaves open. Medicare Advantage names ("Aetna Medicare", "Humana Gold Plus",
 *   "… Medicare Advantage", "… MA HMO/PPO") are never read as traditional Medicare.
 */
import type { CoverageMatchInput, VisitFacts } from '../../contracts/index.js';
import { conceptTexts } from './concept.js';
import { arr, clip, codings, isObj, namesOf, num, obj, objs, refTo, ResourceIndex, stateCode, str, SYSTEMS, type Json, type Resource } from './record.js';
import { guarded, Sources } from './sources.js';
import type { Visit } from './visit.js';

type CoverageFacts = VisitFacts['coverage'];
type Lob = CoverageFacts['lineOfBusiness'];

const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
const TAX_SYSTEMS = ['urn:oid:2.16.840.1.113883.4.4', 'http://hl7.org/fhir/sid/us-ein'];
const PLAN_CLASS_RANK: Record<string, number> = { plan: 0, subplan: 1, group: 2, subgroup: 3 };

const MEDICARE_ADVANTAGE_NAME = /medicare advantage|\bMA[- ]?(?:HMO|PPO|PFFS|SNP|PD)\b|\bMAPD\b|\b[CD]-?SNP\b|gold plus|medicare (?:hmo|ppo|complete|choice|plus|select|assure|dual|value|premier|essential|advantage)|(?:hmo|ppo|senior|dual) medicare/i;
const TRADITIONAL_MEDICARE_NAME = /^(?:the )?(?:original |traditional )?medicare(?: part [ab])?(?: (?:fee[- ]for[- ]service|ffs|program))?(?: \(?(?:part [ab]|ffs)\)?)?$|^cms$|^centers for medicare (?:&|and) medicaid services$|^(?:noridian|palmetto|novitas|first coast|wisconsin physicians service|wps|national government services|ngs|cgs)\b/i;
/**
 * Medicaid by name, including the states' own program names (as each state brands its Medicaid program on
 * Medicaid.gov), which plan names carry instead of the word "Medicaid" ("Home State Health MO HealthNet").
 */
const MEDICAID_NAME = /\bmedicaid\b|\bmedi-cal\b|\bchip\b|\bmedical assistance\b|\bmo healthnet\b|\bmasshealth\b|\btenncare\b|\bsoonercare\b|\bapple health\b|\bbadgercare\b|\bahcccs\b|\bkancare\b|\bhusky health\b|\bmainecare\b|\bhealth first colorado\b|\bnj familycare\b|\bhealthy indiana plan\b|\bhoosier healthwise\b/i;
const SELF_PAY_NAME = /\bself[- ]?pay\b|\bprivate pay\b|\buninsured\b|\bno insurance\b|\bcash\b/i;

/** Line of business from a Source of Payment Typology code (the most specific code decides). */
function lineOfBusinessFromSopt(code: string): Lob {
  if (code === '523' || code === '623') return 'unknown';           // Medicare supplemental (secondary to Medicare)
  if (code === '14' || code.startsWith('14')) return code.length > 2 ? 'medicare-advantage' : 'unknown'; // dual
  if (code.startsWith('11')) return 'medicare-advantage';
  if (code.startsWith('1')) return 'medicare';
  if (code.startsWith('23') || code === '361') return 'chip';
  if (code.startsWith('2')) return 'medicaid';
  if (code === '3712' || code.startsWith('5') || code.startsWith('6')) return 'commercial';
  return 'unknown';
}

/** What the names say: Medicare Advantage, traditional Medicare, Medicaid, self-pay, or nothing. */
export function lineOfBusinessFromName(name: string): Lob | 'self-pay' | undefined {
  const n = name.trim();
  if (SELF_PAY_NAME.test(n)) return 'self-pay';
  if (MEDICARE_ADVANTAGE_NAME.test(n)) return 'medicare-advantage';
  if (/medicare/i.test(n)) return TRADITIONAL_MEDICARE_NAME.test(n) ? 'medicare' : MEDICAID_NAME.test(n) ? undefined : 'medicare-advantage';
  if (MEDICAID_NAME.test(n)) return 'medicaid';
  if (/\bcommercial\b|\bemployer(?: group)?\b/i.test(n)) return 'commercial';
  return undefined;
}

/** SOPT codes of a Coverage.type: SOPT systems, or bare numeric codes with no system. */
function soptCodes(cov: Resource): string[] {
  return codings(cov.type)
    .filter((c) => c.code && c.code.length <= 20 && ((c.system && (SYSTEMS.sopt as readonly string[]).includes(c.system)) || (!c.system && /^\d+$/.test(c.code))))
    .map((c) => c.code as string)
    .filter((c, i, all) => all.indexOf(c) === i);
}

interface Payer { ref?: Json; org?: Resource; name?: string }
function payerOf(cov: Resource, index: ResourceIndex): Payer {
  const refs = objs(cov.payor);
  for (const ref of refs) {
    const org = index.resolve(ref, 'Organization', cov);
    const name = (org ? namesOf(org)[0] : undefined) ?? str(ref.display);
    if (org || name) return { ref, org, name };
  }
  return { ref: refs[0] };
}

/** Is this Coverage self-pay? (payor is the patient, a self-pay type code, or a self-pay name) */
function isSelfPay(cov: Resource, payer: Payer): boolean {
  const ref = str(payer.ref?.reference) ?? '';
  if (/(^|\/)(Patient|RelatedPerson)\//.test(ref) || str(payer.ref?.type) === 'Patient') return true;
  if (codings(cov.type).some((c) => ['pay', 'SELFPAY', '81', '8'].includes(c.code ?? ''))) return true;
  return [payer.name ?? '', ...conceptTexts(cov.type)].some((n) => SELF_PAY_NAME.test(n));
}

function rankOf(cov: Resource, index: ResourceIndex): number {
  const payer = payerOf(cov, index);
  if (isSelfPay(cov, payer)) return 3;
  const sopt = soptCodes(cov).sort((a, b) => b.length - a.length)[0];
  const lob = sopt ? lineOfBusinessFromSopt(sopt) : lineOfBusinessFromName(payer.name ?? '');
  return lob === 'medicaid' || lob === 'chip' ? 2 : 1;
}

/**
 * Oracle Health ties a Coverage to an encounter with its coverage-encounter extension
 * (https://fhir-ehr.cerner.com/r4/StructureDefinition/coverage-encounter): the visit's own Coverage comes first.
 */
function isForEncounter(c: Resource, encounter: Resource | undefined, index: ResourceIndex): boolean {
  if (!encounter) return false;
  return objs(c.extension).some((e) => /coverage-encounter$/.test(str(e.url) ?? '') && index.resolve(e.valueReference, 'Encounter') === encounter);
}

/** The Coverage in force on the service date (see the module comment for the order). */
export function selectCoverage(all: Resource[], index: ResourceIndex, serviceDate?: string, encounter?: Resource): Resource | undefined {
  const inForce = (c: Resource) => {
    const p = obj(c.period);
    const start = str(p.start)?.slice(0, 10);
    const end = str(p.end)?.slice(0, 10);
    return !serviceDate || ((!start || start <= serviceDate) && (!end || end >= serviceDate));
  };
  const active = all.filter((c) => !str(c.status) || str(c.status) === 'active');
  const current = active.filter(inForce);
  const pool = current.length ? current : active.length ? active : all.filter((c) => str(c.status) !== 'entered-in-error');
  return [...pool].sort((a, b) => {
    const ea = isForEncounter(a, encounter, index); const eb = isForEncounter(b, encounter, index);
    if (ea !== eb) return ea ? -1 : 1;
    const oa = num(a.order); const ob = num(b.order);
    if (oa !== undefined || ob !== undefined) { const d = (oa ?? 99) - (ob ?? 99); if (d) return d; }
    const r = rankOf(a, index) - rankOf(b, index);
    if (r) return r;
    return (str(obj(b.period).start) ?? '').localeCompare(str(obj(a.period).start) ?? '');
  })[0];
}

/** The payer identifier: one whose type or system says payer id; never an NPI or a tax id. */
function payerIdOf(identifiers: Json[]): { id: Json; said: boolean } | undefined {
  const usableIds = identifiers.filter((i) => str(i.value) && str(i.value)!.length <= 100);
  const isNpi = (i: Json) => str(i.system) === NPI_SYSTEM || codings(i.type).some((c) => c.code === 'NPI') || /\bNPI\b/i.test(str(obj(i.type).text) ?? '');
  const isTax = (i: Json) => TAX_SYSTEMS.includes(str(i.system) ?? '') || codings(i.type).some((c) => c.code === 'TAX' || c.code === 'EN');
  const saysPayer = (i: Json) => str(i.system) === SYSTEMS.naic || /payer|payor|naic/i.test(str(i.system) ?? '')
    || codings(i.type).some((c) => ['PAYERID', 'NIIP', 'naic', 'NAIC'].includes(c.code ?? '') || /payer|payor/i.test(c.display ?? ''))
    || /payer|payor|naic/i.test(str(obj(i.type).text) ?? '');
  const candidates = usableIds.filter((i) => !isNpi(i) && !isTax(i));
  const said = candidates.find((i) => str(i.system) === SYSTEMS.naic) ?? candidates.find(saysPayer);
  if (said) return { id: said, said: true };
  return candidates[0] ? { id: candidates[0], said: false } : undefined;
}

export interface CoverageRead { facts: CoverageFacts; payer?: Resource }

/** Reads one Coverage into the coverage facts, recording sources when a recorder is given. */
export function readCoverageResource(coverage: Resource, index: ResourceIndex, src: Sources = new Sources()): CoverageRead {
  const facts: CoverageFacts = { lineOfBusiness: 'unknown' };
  if (str(coverage.status) && str(coverage.status) !== 'active') src.set('coverage', 'default', coverage, 'The only Coverage on record is not active; confirm the payer.');

  const payer = payerOf(coverage, index);
  if (payer.name) {
    facts.payerName = clip(payer.name, 200);
    src.set('coverage.payerName', 'record', payer.org ?? coverage);
  } else {
    src.set('coverage.payerName', 'default', coverage, 'The Coverage names no payer; the payer mapping cannot match on name.');
  }
  const identifiers = [...objs(payer.org?.identifier), ...(payer.ref && isObj(payer.ref.identifier) ? [payer.ref.identifier] : [])];
  const pid = payerIdOf(identifiers);
  if (pid) {
    facts.payerId = clip(str(pid.id.value) as string, 100);
    const system = str(pid.id.system);
    if (system) facts.payerIdSystem = clip(system, 200);
    src.set('coverage.payerId', pid.said ? 'record' : 'derived', payer.org ?? coverage,
      pid.said ? undefined : 'No identifier is marked as a payer id; the payer\'s first other identifier was used. Confirm.');
  }

  const plan = objs(coverage.class)
    .map((c) => ({ c, rank: Math.min(...codings(c.type).map((t) => PLAN_CLASS_RANK[(t.code ?? '').toLowerCase()] ?? 9), /plan/i.test(str(obj(c.type).text) ?? '') ? 0 : /group/i.test(str(obj(c.type).text) ?? '') ? 2 : 9) }))
    .filter((x) => x.rank < 9 && (str(x.c.name) || str(x.c.value)))
    .sort((a, b) => a.rank - b.rank)[0];
  const planName = plan ? str(plan.c.name) ?? str(plan.c.value) : undefined;
  if (planName) { facts.planName = clip(planName, 200); src.set('coverage.planName', 'record', coverage); }

  const sopt = soptCodes(coverage);
  const names = [facts.payerName, facts.planName, ...arr(coverage.class).filter(isObj).map((c) => str(c.name)), ...conceptTexts(coverage.type)]
    .filter((n): n is string => !!n);
  const byName = names.map((n) => ({ n, lob: lineOfBusinessFromName(n) })).find((x) => x.lob && x.lob !== 'self-pay');
  if (sopt.length) {
    facts.typeCodes = sopt.slice(0, 10);
    src.set('coverage.typeCodes', 'record', coverage);
    // The most specific (longest) code decides; "1" MEDICARE alongside "111" Medicare HMO means MA.
    const decisive = [...sopt].sort((a, b) => b.length - a.length)[0] as string;
    facts.lineOfBusiness = lineOfBusinessFromSopt(decisive);
    if (facts.lineOfBusiness === 'medicare' && byName?.lob === 'medicare-advantage') {
      // SOPT "1" (Medicare, unspecified) on a Medicare Advantage plan: the name is more specific.
      facts.lineOfBusiness = 'medicare-advantage';
      if (!sopt.some((c) => c.startsWith('11')) && facts.typeCodes.length < 10) facts.typeCodes.push('11');
      src.set('coverage.lineOfBusiness', 'derived', coverage, `SOPT ${decisive} says Medicare; the name "${clip(byName.n, 80)}" is a Medicare Advantage plan (SOPT 11 added). Confirm.`);
    } else if (facts.lineOfBusiness === 'unknown') {
      src.set('coverage.lineOfBusiness', 'default', coverage, `Source of Payment Typology code ${decisive} does not settle the line of business; the payer mapping or the clinician decides.`);
    } else {
      src.set('coverage.lineOfBusiness', 'derived', coverage, `From Source of Payment Typology code ${decisive} on Coverage.type.`);
    }
  } else if (byName?.lob && byName.lob !== 'self-pay') {
    facts.lineOfBusiness = byName.lob;
    // A Medicare Advantage name carries the SOPT code it implies, so no "Medicare" name rule can take it for traditional Medicare.
    if (byName.lob === 'medicare-advantage') facts.typeCodes = ['11'];
    src.set('coverage.lineOfBusiness', 'derived', coverage, `From the name "${clip(byName.n, 80)}"${byName.lob === 'medicare-advantage' ? ' (a Medicare Advantage plan: SOPT 11 assumed)' : ''}; confirm.`);
  } else {
    src.set('coverage.lineOfBusiness', 'default', coverage, 'Coverage.type has no Source of Payment Typology code; the payer mapping decides the line of business.');
  }
  return { facts, payer: payer.org };
}

export function readCoverage(visit: Visit): CoverageFacts {
  const { index, src, references, serviceDate, encounter } = visit;
  let facts: CoverageFacts = { lineOfBusiness: 'unknown' };
  guarded(src, 'coverage.lineOfBusiness', () => {
    const coverage = selectCoverage(index.ofType('Coverage'), index, serviceDate, encounter);
    if (!coverage) {
      src.set('coverage.lineOfBusiness', 'default', undefined, 'No Coverage in the record; choose the payer and line of business.');
      return;
    }
    if (str(coverage.id)) references.coverage = refTo(coverage);
    facts = readCoverageResource(coverage, index, src).facts;
    if (!facts.payerName && !facts.payerId && !facts.typeCodes) {
      src.notice({ id: 'coverage-unreadable', severity: 'warning', message: 'The Coverage names no payer, payer id or coverage type the app can read; choose the payer on the review.' });
    }
  }, undefined, 'choose the payer and line of business.');
  return facts;
}

/**
 * The admin preview's reading of a pasted Coverage (or a Bundle holding Coverages, Organizations and a Patient):
 * the same selection and reading as evaluation, turned into what the mappings match on.
 */
export function coverageMatchInputFromRecord(input: unknown, organizations: unknown[] = [], patientState?: string): CoverageMatchInput {
  const out: CoverageMatchInput = { payerIdentifiers: [], payerNames: [], planNames: [], coverageTypes: [] };
  const given = patientState ? stateCode(patientState) : undefined;
  if (given) out.patientState = given;
  const entries: { fullUrl?: string; resource: Resource }[] = [];
  const add = (r: unknown, fullUrl?: unknown) => {
    if (isObj(r) && typeof r.resourceType === 'string' && entries.length < 500) entries.push({ fullUrl: str(fullUrl), resource: r as Resource });
  };
  if (isObj(input) && input.resourceType === 'Bundle') for (const e of objs(input.entry)) add(e.resource, e.fullUrl);
  else add(input);
  for (const o of organizations) add(o);
  const index = new ResourceIndex(entries);
  const coverage = selectCoverage(index.ofType('Coverage'), index, new Date().toISOString().slice(0, 10));
  if (!out.patientState) {
    const st = index.ofType('Patient').flatMap((p) => objs(p.address)).map((a) => stateCode(a.state)).find(Boolean);
    if (st) out.patientState = st;
  }
  if (!coverage) return out;
  const { facts } = readCoverageResource(coverage, index);
  if (facts.payerId) out.payerIdentifiers.push(facts.payerIdSystem ? { system: facts.payerIdSystem, value: facts.payerId } : { value: facts.payerId });
  if (facts.payerName) out.payerNames.push(facts.payerName);
  if (facts.planName) out.planNames.push(facts.planName);
  out.coverageTypes = facts.typeCodes ?? [];
  return out;
}
