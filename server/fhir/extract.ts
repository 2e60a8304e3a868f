/**
 * FHIR R4 Bundle (what the client read from the EHR) → VisitFacts, with the source of every fact.
 *
 * The Bundle envelope is validated strictly (→ BadBundleError → HTTP 400). The resources inside are read
 * leniently: anything this module does not understand (unknown codes, missing fields, wrong types) never
 * throws; the fact falls back to a conservative default with factSources status 'default' and a note
 * saying what the clinician should settle.
 *
 * How the record is read (see server/sandbox/fixtures/README.md for the fixtures that exercise it):
 * - coverage: the active Coverage (lowest `order`), payor → Organization name + identifier, Coverage.type SOPT codes
 *   → line of business, Coverage.class (type plan) → plan name;
 * - device: Device.type (HCPCS device codes, SNOMED CT where confirmed, text), modelNumber / deviceName,
 *   Device.property "reservoir volume" (mL);
 * - services: today's Procedure CPT codes, the dose change / physician skill / supervision from Procedure.note;
 * - drugs: today's MedicationAdministration (dose in mg/mcg/mL, route SNOMED CT, rateQuantity mL/d, note → purchaser);
 * - performer: Procedure.performer → Practitioner.qualification (HL7 v2-0360, NUCC taxonomy).
 */
import { z } from 'zod';
import { VisitFacts, type FactSource, type FactSources, type RecordReferences } from '../contracts/index.js';

// ---------------------------------------------------------------- errors

export interface BadInputDetail { path: string; message: string }

/** The posted Bundle envelope is not a FHIR R4 Bundle (the HTTP layer answers 400 with the details). */
export class BadBundleError extends Error {
  readonly details: BadInputDetail[];
  constructor(message: string, details: BadInputDetail[]) {
    super(message);
    this.name = 'BadBundleError';
    this.details = details;
  }
}

/** Overrides that make the facts invalid. A BadBundleError so the HTTP layer's 400 handling covers it. */
export class InvalidOverridesError extends BadBundleError {
  constructor(details: BadInputDetail[]) {
    super(`The corrected facts are not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    this.name = 'InvalidOverridesError';
  }
}

// ---------------------------------------------------------------- code systems

export const SYSTEMS = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'],
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  icd10cm: ['http://hl7.org/fhir/sid/icd-10-cm', 'urn:oid:2.16.840.1.113883.6.90'],
  sopt: ['https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5'],
  pos: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  v20360: 'http://terminology.hl7.org/CodeSystem/v2-0360',
  nucc: 'http://nucc.org/provider-taxonomy',
  naic: 'urn:oid:2.16.840.1.113883.6.300',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
} as const;

/** CPT codes of implanted-pump services (terminology.md, Procedure). */
const PUMP_SERVICE_CPT: Record<string, { analysis: boolean; refill: boolean; reprogramming: boolean }> = {
  '62367': { analysis: true, refill: false, reprogramming: false },
  '62368': { analysis: true, refill: false, reprogramming: true },
  '62369': { analysis: true, refill: true, reprogramming: true },
  '62370': { analysis: true, refill: true, reprogramming: true },
  '95990': { analysis: false, refill: true, reprogramming: false },
  '95991': { analysis: false, refill: true, reprogramming: false },
  '96522': { analysis: false, refill: true, reprogramming: false },
};
const REFILL_CPT = new Set(['62369', '62370', '95990', '95991', '96522']);
const IMPLANTATION_CPT = new Set(['62350', '62351', '62360', '62361', '62362', '61215']);
const TRIAL_CPT = new Set(['62322', '62323', '62324', '62325', '62326', '62327']);

const ROUTE_BY_SNOMED: Record<string, VisitFacts['device']['route']> = {
  '72607000': 'intrathecal',
  '404820008': 'epidural',
  '420719007': 'intraventricular',
  '47625008': 'intravenous',
  '58100008': 'intra-arterial',
};

type DeviceKind = VisitFacts['device']['kind'];
const KIND_BY_HCPCS: Record<string, DeviceKind> = {
  E0783: 'implanted-programmable-pump', E0786: 'implanted-programmable-pump', C1772: 'implanted-programmable-pump',
  E0782: 'implanted-nonprogrammable-pump', C1891: 'implanted-nonprogrammable-pump', C2626: 'implanted-nonprogrammable-pump',
  A4301: 'implanted-reservoir',
  A4305: 'external-disposable-pump', A4306: 'external-disposable-pump',
};
const KIND_BY_SNOMED: Record<string, DeviceKind> = { '712576005': 'implanted-reservoir' };

type Role = VisitFacts['performer']['role'];
const ROLE_BY_V20360: Record<string, Role> = {
  MD: 'physician', DO: 'physician',
  NP: 'nurse-practitioner', CNP: 'nurse-practitioner',
  PA: 'physician-assistant',
  CNS: 'clinical-nurse-specialist',
  RN: 'registered-nurse', CRN: 'registered-nurse',
  MDA: 'medical-assistant', CMA: 'medical-assistant', RMA: 'medical-assistant',
  // MA is "Master of Arts" in table 0360 (terminology.md), not a medical assistant: deliberately absent.
};
const ROLE_RANK: Record<Role, number> = {
  physician: 7, 'nurse-practitioner': 6, 'physician-assistant': 5, 'clinical-nurse-specialist': 4,
  'registered-nurse': 3, 'medical-assistant': 2, other: 1,
};
function roleFromNucc(code: string): Role | undefined {
  if (/^20[78]/.test(code)) return 'physician';
  if (code.startsWith('363L')) return 'nurse-practitioner';
  if (code.startsWith('363A')) return 'physician-assistant';
  if (code.startsWith('364S')) return 'clinical-nurse-specialist';
  if (code.startsWith('163W')) return 'registered-nurse';
  return undefined;
}

const US_STATES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL',
  indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD',
  massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT',
  nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY',
  'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA',
  'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT',
  vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY',
  'puerto rico': 'PR', guam: 'GU', 'virgin islands': 'VI', 'american samoa': 'AS', 'northern mariana islands': 'MP',
};

// ---------------------------------------------------------------- lenient readers

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objs = (v: unknown): Json[] => arr(v).filter(isObj);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

interface Coding { system?: string; code?: string; display?: string }
const codings = (cc: unknown): Coding[] =>
  objs(obj(cc).coding).map((c) => ({ system: str(c.system)?.split('|')[0], code: str(c.code), display: str(c.display) }));
const codesIn = (cc: unknown, systems: string | readonly string[]): string[] => {
  const list = typeof systems === 'string' ? [systems] : systems;
  return codings(cc).filter((c) => c.system && list.includes(c.system) && c.code).map((c) => c.code as string);
};
const ccText = (cc: unknown): string | undefined => str(obj(cc).text) ?? codings(cc).map((c) => c.display).find(Boolean);
const notesText = (v: unknown): string => objs(v).map((n) => str(n.text) ?? '').filter(Boolean).join('\n');
/** "2026-11-20T09:45:00-07:00" → "2026-11-20" (the date as charted, local to the EHR). */
const dateOf = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined;
};
const stateCode = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  return US_STATES[s.toLowerCase()];
};

interface Resource extends Json { resourceType: string; id?: string }

class ResourceIndex {
  private readonly byKey = new Map<string, Resource>();
  readonly all: Resource[];
  constructor(entries: { fullUrl?: string; resource: Resource }[]) {
    this.all = entries.map((e) => e.resource);
    for (const { fullUrl, resource } of entries) {
      const id = str(resource.id);
      if (id) this.byKey.set(`${resource.resourceType}/${id}`, resource);
      if (fullUrl) this.byKey.set(fullUrl, resource);
    }
  }
  ofType(type: string): Resource[] {
    return this.all.filter((r) => r.resourceType === type);
  }
  /** Resolves "Type/id", an absolute URL ending in Type/id (optionally /_history/n), or a urn:uuid fullUrl. */
  resolve(ref: unknown, type?: string): Resource | undefined {
    const reference = str(obj(ref).reference);
    if (!reference) return undefined;
    let found = this.byKey.get(reference);
    if (!found) {
      const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
      if (m) found = this.byKey.get(`${m[1]}/${m[2]}`);
    }
    return found && (!type || found.resourceType === type) ? found : undefined;
  }
}
const refTo = (r: Resource | undefined): string | undefined => (r && str(r.id) ? `${r.resourceType}/${r.id as string}` : undefined);
const usable = (r: Resource) => !['entered-in-error', 'not-done', 'cancelled', 'stopped'].includes(str(r.status) ?? '');

// ---------------------------------------------------------------- the envelope

const BundleEnvelope = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string().optional(),
  entry: z.array(z.object({
    fullUrl: z.string().optional(),
    resource: z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'expected a FHIR resource type') }),
  }).loose()).max(2000),
}).loose();

function readEnvelope(input: unknown): ResourceIndex {
  const parsed = BundleEnvelope.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new BadBundleError(`Not a FHIR R4 Bundle: ${details.map((d) => `${d.path}: ${d.message}`).slice(0, 3).join('; ')}`, details);
  }
  const type = parsed.data.type;
  if (type !== undefined && !['collection', 'searchset', 'transaction', 'batch', 'document'].includes(type)) {
    throw new BadBundleError(`Bundle.type "${type}" is not a bundle of read resources (use "collection" or "searchset")`,
      [{ path: 'type', message: 'expected "collection" or "searchset"' }]);
  }
  const entries = parsed.data.entry.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource as Resource }));
  // A searchset may hold nested Bundles (one per search): flatten one level.
  const flat = entries.flatMap((e) => (e.resource.resourceType === 'Bundle'
    ? objs(e.resource.entry).filter((x) => isObj(x.resource) && typeof (x.resource as Json).resourceType === 'string')
      .map((x) => ({ fullUrl: str(x.fullUrl), resource: x.resource as Resource }))
    : [e]));
  return new ResourceIndex(flat);
}

// ---------------------------------------------------------------- extraction

export interface ExtractedVisit { facts: VisitFacts; factSources: FactSources; references: RecordReferences }

class Sources {
  readonly map: FactSources = {};
  set(path: string, status: FactSource['status'], from?: Resource, note?: string) {
    this.map[path] = {
      status,
      ...(from ? { resourceType: from.resourceType } : {}),
      ...(from && str(from.id) ? { id: from.id as string } : {}),
      ...(note ? { note: clip(note, 300) } : {}),
    };
  }
}

/** Runs one fact's extraction; if anything unexpected throws, the fallback stands as a default. */
function guarded<T>(src: Sources, path: string, read: () => T, fallback: T, note: string): T {
  try {
    return read();
  } catch {
    src.set(path, 'default', undefined, `Could not read this from the record; ${note}`);
    return fallback;
  }
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

function procedureDate(p: Resource): string | undefined {
  return dateOf(p.performedDateTime) ?? dateOf(obj(p.performedPeriod).start) ?? dateOf(p.performedString);
}
function procedureCodes(p: Resource): { cpt: string[]; hcpcs: string[] } {
  return { cpt: codesIn(p.code, SYSTEMS.cpt), hcpcs: codesIn(p.code, SYSTEMS.hcpcs) };
}

// Note readers (free text in Procedure.note / MedicationAdministration.note). The fixtures write structured
// lines ("Dose changed: yes"); the patterns also accept common free-text phrasings.
const DOSE_NO = /dose changed:\s*no\b|no (?:change|changes) (?:to|in) (?:the )?(?:rate|dose)|(?:dose|rate) (?:was )?(?:unchanged|not changed)|without (?:a )?(?:dose|rate) change|no dose change|no reprogramming/i;
const DOSE_YES = /dose changed:\s*yes\b|(?:dose|rate) (?:was )?(?:changed|increased|decreased|titrated|adjusted)|(?:increased|decreased|titrated|adjusted) (?:the )?(?:daily )?(?:dose|rate)/i;
const SKILL = /physician skill required:\s*(.+)|(?:requir(?:ed|ing)|needed) (?:the )?(?:skill|expertise) of (?:a|the) physician[^.]*(?:[:;,-]\s*|\bfor\b|\bbecause\b)([^.]+)/i;
const SUPERVISION_YES = /supervising physician[^.\n]*(?:on[- ]site|present|in the (?:office|suite|clinic))|direct supervision/i;
const SUPERVISION_NO = /supervising physician[^.\n]*(?:not (?:on[- ]site|present)|remote|off[- ]site)|no physician (?:on[- ]site|present)/i;
const SETTINGS_UPDATE = /(?:pump|settings?) (?:was |were )?updated|updated the pump|(?:alarm|refill) date (?:was )?(?:reset|updated)/i;
const NO_REFILL = /not refillable|nothing was instilled|no refill|not refilled/i;
const ALARM = /alarm (?:sounded|triggered|went off)|pump (?:was )?alarming|for (?:an? )?(?:\w+ )?alarm\b/i;
const ANALYSIS_REASON = /reason for (?:analysis|interrogation):\s*([^\n]+)/i;

function purchaserFrom(text: string): VisitFacts['drugs'][number]['purchasedBy'] | undefined {
  if (/patient[- ](?:supplied|provided)|(?:supplied|brought) by the patient/i.test(text)) return 'patient';
  if (/pharmacy/i.test(text) && /dispens|supplied|provided|deliver/i.test(text)) return 'pharmacy';
  if (/purchased by the (?:practice|clinic)|(?<!not )practice[- ](?:purchased|stock)|(?<!not )clinic stock|buy[- ]and[- ]bill/i.test(text)) return 'practice';
  return undefined;
}

function lineOfBusinessFromSopt(code: string): VisitFacts['coverage']['lineOfBusiness'] {
  if (code === '523' || code === '623') return 'unknown';           // Medicare supplemental (secondary to Medicare)
  if (code === '14' || code.startsWith('14')) return code.length > 2 ? 'medicare-advantage' : 'unknown'; // dual
  if (code.startsWith('11')) return 'medicare-advantage';
  if (code.startsWith('1')) return 'medicare';
  if (code.startsWith('23') || code === '361') return 'chip';
  if (code.startsWith('2')) return 'medicaid';
  if (code === '3712' || code.startsWith('5') || code.startsWith('6')) return 'commercial';
  return 'unknown';
}

function doseUnit(q: Json): 'mg' | 'mcg' | 'mL' | 'g' | undefined {
  const u = (str(q.code) ?? str(q.unit) ?? '').toLowerCase();
  if (u === 'mg') return 'mg';
  if (u === 'ug' || u === 'mcg' || u === 'µg' || u === 'μg') return 'mcg';
  if (u === 'ml') return 'mL';
  if (u === 'g') return 'g';
  return undefined;
}

/** Reads the posted Bundle into VisitFacts. Throws BadBundleError only for a malformed envelope. */
export function extractVisit(input: unknown, opts: { today?: string } = {}): ExtractedVisit {
  const index = readEnvelope(input);
  const src = new Sources();
  const references: RecordReferences = {};

  // ---- patient
  const patient = index.ofType('Patient')[0];
  const patientFacts: VisitFacts['patient'] = {};
  guarded(src, 'patient.state', () => {
    if (!patient) {
      src.set('patient.id', 'default', undefined, 'No Patient in the record.');
      src.set('patient.state', 'default', undefined, 'No Patient in the record; enter the state of residence.');
      return;
    }
    const id = str(patient.id);
    if (id && id.length <= 64) {
      patientFacts.id = id;
      references.patient = `Patient/${id}`;
      src.set('patient.id', 'record', patient);
    }
    const addresses = objs(patient.address).filter((a) => !str(obj(a.period).end));
    const home = addresses.find((a) => a.use === 'home') ?? addresses.find((a) => a.use !== 'old') ?? addresses[0];
    const st = home ? stateCode(home.state) : undefined;
    if (st) {
      patientFacts.state = st;
      src.set('patient.state', 'record', patient);
    } else {
      src.set('patient.state', 'default', patient, 'The patient address has no recognisable US state; enter the state of residence.');
    }
  }, undefined, 'enter the state of residence.');

  // ---- encounter and service date
  const encounters = index.ofType('Encounter').filter(usable);
  const procedures = index.ofType('Procedure').filter(usable);
  const encounter = [...encounters].sort((a, b) =>
    (str(obj(b.period).start) ?? '').localeCompare(str(obj(a.period).start) ?? ''))[0];
  let serviceDate = opts.today;
  if (serviceDate && /^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) {
    src.set('serviceDate', 'derived', undefined, 'The date of the visit in the EHR session.');
  } else {
    serviceDate = undefined;
    const encDate = encounter ? dateOf(obj(encounter.period).start) : undefined;
    const procDates = procedures.filter((p) => procedureCodes(p).cpt.length > 0).map(procedureDate).filter((d): d is string => !!d).sort();
    if (encDate) {
      serviceDate = encDate;
      src.set('serviceDate', 'record', encounter);
    } else if (procDates.length) {
      serviceDate = procDates[procDates.length - 1];
      src.set('serviceDate', 'derived', undefined, 'The date of the latest pump Procedure in the record.');
    } else {
      serviceDate = todayUtc();
      src.set('serviceDate', 'default', undefined, "No Encounter or Procedure date in the record; today's date was used. Confirm the date of service.");
    }
  }
  if (encounter && str(encounter.id)) references.encounter = refTo(encounter);

  const todaysProcedures = procedures.filter((p) => procedureDate(p) === serviceDate);
  const priorProcedures = procedures.filter((p) => { const d = procedureDate(p); return !!d && d < (serviceDate as string); });
  const todaysNotes = todaysProcedures.map((p) => `${notesText(p.note)}\n${ccText(p.code) ?? ''}`).join('\n');
  const pumpProcedure = todaysProcedures.find((p) => procedureCodes(p).cpt.some((c) => c in PUMP_SERVICE_CPT)) ?? todaysProcedures[0];
  const procRefs = todaysProcedures.map(refTo).filter((r): r is string => !!r);
  if (procRefs.length) references.procedures = procRefs;

  // ---- place and state of service
  let placeOfService: string | undefined;
  let serviceState: string | undefined;
  guarded(src, 'serviceState', () => {
    const locations = encounter ? objs(encounter.location).map((l) => index.resolve(l.location, 'Location')).filter((l): l is Resource => !!l) : [];
    for (const loc of locations) {
      const pos = objs(loc.type).flatMap((t) => codesIn(t, SYSTEMS.pos)).find((c) => /^\d{2}$/.test(c));
      if (pos && !placeOfService) { placeOfService = pos; src.set('placeOfService', 'record', loc); }
      const st = stateCode(obj(loc.address).state);
      if (st && !serviceState) { serviceState = st; src.set('serviceState', 'record', loc); }
    }
    if (!serviceState && encounter) {
      const provider = index.resolve(encounter.serviceProvider, 'Organization');
      const st = provider ? objs(provider.address).map((a) => stateCode(a.state)).find(Boolean) : undefined;
      if (st) { serviceState = st; src.set('serviceState', 'record', provider); }
    }
    if (!serviceState && patientFacts.state) {
      serviceState = patientFacts.state;
      src.set('serviceState', 'derived', patient, "No service location state in the record; the patient's state was used. Medicare jurisdiction follows where the service was furnished: confirm.");
    }
    if (!serviceState) src.set('serviceState', 'default', undefined, 'Where the service was furnished is not in the record; enter the state.');
  }, undefined, 'enter the state where the service was furnished.');
  if (!src.map.placeOfService) src.set('placeOfService', 'default', undefined, 'No place-of-service code in the record (Encounter location type); enter it if the claim needs one.');

  // ---- coverage
  const coverageFacts: VisitFacts['coverage'] = { lineOfBusiness: 'unknown' };
  guarded(src, 'coverage.lineOfBusiness', () => {
    const all = index.ofType('Coverage');
    const active = all.filter((c) => str(c.status) === 'active');
    const pool = (active.length ? active : all)
      .filter((c) => { const end = dateOf(obj(c.period).end); return !end || end >= (serviceDate as string); });
    const coverage = [...(pool.length ? pool : active.length ? active : all)]
      .sort((a, b) => (num(a.order) ?? 99) - (num(b.order) ?? 99))[0];
    if (!coverage) {
      src.set('coverage.lineOfBusiness', 'default', undefined, 'No Coverage in the record; choose the payer and line of business.');
      return;
    }
    if (str(coverage.id)) references.coverage = refTo(coverage);
    if (str(coverage.status) !== 'active') src.set('coverage', 'default', coverage, 'The only Coverage on record is not active; confirm the payer.');
    const payorRef = objs(coverage.payor)[0];
    const payer = payorRef ? index.resolve(payorRef) : undefined;
    const payerName = str(payer?.name) ?? str(payorRef?.display);
    if (payerName) {
      coverageFacts.payerName = clip(payerName, 200);
      src.set('coverage.payerName', 'record', payer ?? coverage);
    } else {
      src.set('coverage.payerName', 'default', coverage, 'The Coverage names no payer; the payer mapping cannot match on name.');
    }
    const identifiers = [...objs(payer?.identifier), ...(payorRef && isObj(payorRef.identifier) ? [payorRef.identifier] : [])]
      .filter((i) => str(i.value));
    const id = identifiers.find((i) => str(i.system) === SYSTEMS.naic) ?? identifiers[0];
    if (id) {
      coverageFacts.payerId = clip(str(id.value) as string, 100);
      const system = str(id.system);
      if (system) coverageFacts.payerIdSystem = clip(system, 200);
      src.set('coverage.payerId', 'record', payer ?? coverage);
    }
    const plan = objs(coverage.class).find((c) => codesIn(c.type, SYSTEMS.coverageClass).includes('plan'));
    const planName = plan ? str(plan.name) ?? str(plan.value) : undefined;
    if (planName) {
      coverageFacts.planName = clip(planName, 200);
      src.set('coverage.planName', 'record', coverage);
    }
    const sopt = codesIn(coverage.type, SYSTEMS.sopt).filter((c) => c.length <= 20);
    if (sopt.length) {
      coverageFacts.typeCodes = sopt.slice(0, 10);
      src.set('coverage.typeCodes', 'record', coverage);
      // The most specific (longest) code decides; "1" MEDICARE alongside "111" Medicare HMO means MA.
      const decisive = [...sopt].sort((a, b) => b.length - a.length)[0] as string;
      coverageFacts.lineOfBusiness = lineOfBusinessFromSopt(decisive);
      if (coverageFacts.lineOfBusiness === 'unknown') {
        src.set('coverage.lineOfBusiness', 'default', coverage, `Source of Payment Typology code ${decisive} does not settle the line of business; the payer mapping or the clinician decides.`);
      } else {
        src.set('coverage.lineOfBusiness', 'derived', coverage, `From Source of Payment Typology code ${decisive} on Coverage.type.`);
      }
    } else {
      src.set('coverage.lineOfBusiness', 'default', coverage, 'Coverage.type has no Source of Payment Typology code; the payer mapping decides the line of business.');
    }
  }, undefined, 'choose the payer and line of business.');

  // ---- drugs (today's MedicationAdministrations)
  const medAdmins = index.ofType('MedicationAdministration').filter(usable).filter((m) => {
    const d = dateOf(m.effectiveDateTime) ?? dateOf(obj(m.effectivePeriod).start);
    return !d || d === serviceDate;
  });
  const drugs: VisitFacts['drugs'] = [];
  for (const m of medAdmins.slice(0, 10)) {
    const i = drugs.length;
    guarded(src, `drugs.${i}`, () => {
      const medication = index.resolve(m.medicationReference, 'Medication');
      const concept = m.medicationCodeableConcept ?? medication?.code;
      const name = clip(ccText(concept) ?? 'Drug not named in the record', 200);
      const dosage = obj(m.dosage);
      const dose = obj(dosage.dose);
      const allText = [name, notesText(m.note), str(dosage.text) ?? '', medication ? notesText(medication.note) : ''].join('\n');
      const drug: VisitFacts['drugs'][number] = { name, amount: 0, unit: 'mg', compounded: false, purchasedBy: 'unknown' };
      src.set(`drugs.${i}.name`, ccText(concept) ? 'record' : 'default', m, ccText(concept) ? undefined : 'The drug is not named; enter it.');
      const value = num(dose.value);
      const unit = doseUnit(dose);
      const amount = value !== undefined && unit === 'g' ? value * 1000 : value;
      if (amount !== undefined && Number.isFinite(amount) && amount >= 0 && unit) {
        drug.amount = amount;
        drug.unit = unit === 'g' ? 'mg' : unit;
        src.set(`drugs.${i}.amount`, 'record', m);
      } else {
        src.set(`drugs.${i}.amount`, 'default', m, 'The amount given (mg, mcg or mL) is not on the record; enter it.');
      }
      const hcpcs = codings(concept).find((c) => c.system && (SYSTEMS.hcpcs as readonly string[]).includes(c.system) && c.code && c.code.length <= 20);
      if (hcpcs?.code) { drug.hcpcs = hcpcs.code; src.set(`drugs.${i}.hcpcs`, 'record', m); }
      const compoundedByIngredients = objs(medication?.ingredient).length > 1;
      if (/compound/i.test(allText) || compoundedByIngredients) {
        drug.compounded = true;
        src.set(`drugs.${i}.compounded`, 'derived', m, 'The record describes a compounded preparation.');
      } else if (codesIn(concept, SYSTEMS.rxnorm).length) {
        src.set(`drugs.${i}.compounded`, 'derived', m, 'An RxNorm-coded manufactured product.');
      } else {
        src.set(`drugs.${i}.compounded`, 'default', m, 'The record does not say whether the drug was compounded; confirm.');
      }
      const purchaser = purchaserFrom(allText);
      if (purchaser) {
        drug.purchasedBy = purchaser;
        src.set(`drugs.${i}.purchasedBy`, 'derived', m, 'Read from the administration note; confirm against the invoice.');
      } else {
        src.set(`drugs.${i}.purchasedBy`, 'default', m, 'Who bought the drug is not on the record: the practice (with proof of purchase), a pharmacy or the patient?');
      }
      drugs.push(drug);
    }, undefined, 'enter the drug.');
  }
  src.set('drugs', drugs.length ? 'record' : 'default', undefined,
    drugs.length ? undefined : 'No drug administration for the visit on record; add the drug if the pump was refilled.');

  // ---- device
  const deviceFacts: VisitFacts['device'] = { kind: 'unknown', route: 'unknown' };
  guarded(src, 'device.kind', () => {
    const focal = todaysProcedures.flatMap((p) => objs(p.focalDevice).map((f) => index.resolve(f.manipulated, 'Device')));
    const devices = index.ofType('Device').filter((d) => !['entered-in-error', 'inactive'].includes(str(d.status) ?? ''));
    const candidates = [...focal.filter((d): d is Resource => !!d), ...devices];
    let best: { device: Resource; kind: DeviceKind; status: 'record' | 'derived'; note?: string } | undefined;
    let insulin: Resource | undefined;
    for (const d of candidates) {
      const hcpcs = codesIn(d.type, SYSTEMS.hcpcs).map((c) => KIND_BY_HCPCS[c.toUpperCase()]).find(Boolean);
      const sct = codesIn(d.type, SYSTEMS.snomed);
      if (sct.includes('69805005')) { insulin = d; continue; }
      const bySct = sct.map((c) => KIND_BY_SNOMED[c]).find(Boolean);
      if (hcpcs || bySct) { best = { device: d, kind: (hcpcs ?? bySct) as DeviceKind, status: 'record' }; break; }
      const text = [ccText(d.type), str(d.modelNumber), ...objs(d.deviceName).map((n) => str(n.name)), str(d.manufacturer)].filter(Boolean).join(' ');
      const kind = kindFromText(text);
      if (kind && !best) best = { device: d, kind, status: 'derived', note: `Read from the device description "${clip(text, 120)}"; confirm.` };
    }
    const device = best?.device ?? candidates[0];
    if (device && str(device.id)) references.device = refTo(device);
    if (best) {
      deviceFacts.kind = best.kind;
      src.set('device.kind', best.status, best.device, best.note);
    } else {
      src.set('device.kind', 'default', device ?? insulin,
        insulin && !device ? 'The only device on record is an insulin pump, not a spinal drug pump; confirm the pump.' : 'The pump type is not in the record; choose programmable, non-programmable, reservoir or external.');
    }
    if (device) {
      const model = str(device.modelNumber) ?? objs(device.deviceName).map((n) => str(n.name)).find(Boolean);
      if (model) { deviceFacts.model = clip(model, 200); src.set('device.model', 'record', device); }
      const volume = reservoirVolume(device);
      if (volume) { deviceFacts.reservoirVolumeMl = volume; src.set('device.reservoirVolumeMl', 'record', device); }
    }
    if (!deviceFacts.reservoirVolumeMl) src.set('device.reservoirVolumeMl', 'default', device, 'Reservoir volume not on the record; enter it to check the refill interval.');
  }, undefined, 'choose the pump type.');

  guarded(src, 'device.route', () => {
    for (const m of medAdmins) {
      const route = obj(obj(m.dosage).route);
      const sct = codesIn(route, SYSTEMS.snomed);
      const mapped = sct.map((c) => ROUTE_BY_SNOMED[c]).find(Boolean);
      if (mapped) { deviceFacts.route = mapped; src.set('device.route', 'record', m); return; }
      if (sct.includes('420287000')) {
        src.set('device.route', 'default', m, 'The record codes the cardiac intraventricular route (420287000); for a brain reservoir choose intraventricular.');
        return;
      }
      const fromText = routeFromText(ccText(route) ?? '');
      if (fromText) { deviceFacts.route = fromText; src.set('device.route', 'derived', m, 'Read from the route text; confirm.'); return; }
    }
    const text = [todaysNotes, ...index.ofType('Device').map((d) => ccText(d.type) ?? '')].join('\n');
    const fromText = routeFromText(text);
    if (fromText) {
      deviceFacts.route = fromText;
      src.set('device.route', 'derived', pumpProcedure, 'Read from the procedure or device description; confirm.');
    } else {
      src.set('device.route', 'default', undefined, 'The route (intrathecal, epidural, intraventricular …) is not on the record; choose it.');
    }
  }, undefined, 'choose the route.');

  // ---- services
  const services: VisitFacts['services'] = { electronicAnalysis: false, refill: false, reprogramming: 'none' };
  guarded(src, 'services.reprogramming', () => {
    const cpts = todaysProcedures.flatMap((p) => procedureCodes(p).cpt);
    const known = cpts.map((c) => PUMP_SERVICE_CPT[c]).filter((x): x is NonNullable<typeof x> => !!x);
    const from = pumpProcedure;
    const claimed = cpts.filter((c) => c in PUMP_SERVICE_CPT).join(', ');
    const interrogated = /interrogat|electronic analysis|telemetry|pump analy[sz]/i.test(todaysNotes) && !/no electronic analysis/i.test(todaysNotes);
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
    const reason = ANALYSIS_REASON.exec(todaysNotes)?.[1]
      ?? (/\b(?:after|post)[- ](?:an? |the )?(?:\w+ )?MRI\b/i.test(todaysNotes) ? 'After an MRI' : ALARM.test(todaysNotes) ? 'Pump alarm' : undefined);
    if (reason && services.electronicAnalysis) {
      services.analysisReason = clip(reason.trim(), 500);
      src.set('services.analysisReason', 'derived', from, 'Read from the procedure note.');
    }
    if (cpts.some((c) => IMPLANTATION_CPT.has(c))) { services.procedureType = 'implantation'; src.set('services.procedureType', 'record', from); }
    else if (cpts.some((c) => TRIAL_CPT.has(c)) && /trial/i.test(todaysNotes)) { services.procedureType = 'trial'; src.set('services.procedureType', 'derived', from); }
  }, undefined, 'confirm the services.');

  // ---- performer
  const performer: VisitFacts['performer'] = { role: 'other', physicianSkillRequired: false };
  guarded(src, 'performer.role', () => {
    const slots = pumpProcedure ? objs(pumpProcedure.performer) : [];
    const isSupervisor = (s: Json) => /supervis/i.test(ccText(s.function) ?? '');
    const main = slots.find((s) => !isSupervisor(s)) ?? slots[0];
    let practitioner = main ? index.resolve(main.actor, 'Practitioner') : undefined;
    if (!practitioner && main) {
      const role = index.resolve(main.actor, 'PractitionerRole');
      practitioner = role ? index.resolve(role.practitioner, 'Practitioner') : undefined;
    }
    if (!practitioner && !pumpProcedure && index.ofType('Practitioner').length === 1) practitioner = index.ofType('Practitioner')[0];
    if (practitioner && str(practitioner.id)) references.practitioner = refTo(practitioner);
    const role = practitioner ? roleOf(practitioner) : undefined;
    if (role) {
      performer.role = role;
      src.set('performer.role', 'record', practitioner, 'From Practitioner.qualification.');
    } else {
      src.set('performer.role', 'default', practitioner, practitioner
        ? 'The performer has no recognised qualification (MD, DO, NP, PA, CNS, RN …); choose the role.'
        : 'Who performed the service is not on the record; choose the role.');
    }
    const skill = SKILL.exec(todaysNotes);
    const reason = skill ? (skill[1] ?? skill[2])?.trim() : undefined;
    if (skill) {
      performer.physicianSkillRequired = true;
      if (reason) {
        performer.physicianSkillReason = clip(reason, 500);
        src.set('performer.physicianSkillReason', 'derived', pumpProcedure, 'Quoted from the procedure note.');
      }
      src.set('performer.physicianSkillRequired', 'derived', pumpProcedure, 'The procedure note documents why physician skill was required.');
    } else {
      src.set('performer.physicianSkillRequired', 'default', pumpProcedure, 'No documented reason why physician skill was required; set it if the note gives one.');
    }
    if (performer.role !== 'physician') {
      const supervisorSlot = slots.find(isSupervisor);
      const supervisor = supervisorSlot ? index.resolve(supervisorSlot.actor, 'Practitioner') : undefined;
      if (SUPERVISION_NO.test(todaysNotes)) {
        performer.supervisingPhysicianOnSite = false;
        src.set('performer.supervisingPhysicianOnSite', 'derived', pumpProcedure, 'The note says the supervising physician was not on site.');
      } else if (SUPERVISION_YES.test(todaysNotes) || (supervisor && /on[- ]site|present/i.test(ccText(supervisorSlot?.function) ?? ''))) {
        performer.supervisingPhysicianOnSite = true;
        src.set('performer.supervisingPhysicianOnSite', 'derived', supervisor ?? pumpProcedure, 'The record names a supervising physician on site.');
      } else {
        src.set('performer.supervisingPhysicianOnSite', 'default', pumpProcedure, 'Was a supervising physician on site (direct supervision)? Not on the record.');
      }
    }
  }, undefined, 'choose the performer role.');

  // ---- diagnoses
  const diagnoses: string[] = [];
  const conditionRefs: string[] = [];
  guarded(src, 'diagnoses', () => {
    const ranked = encounter
      ? [...objs(encounter.diagnosis)].sort((a, b) => (num(a.rank) ?? 99) - (num(b.rank) ?? 99)).map((d) => index.resolve(d.condition, 'Condition'))
      : [];
    const conditions = [...ranked.filter((c): c is Resource => !!c), ...index.ofType('Condition')];
    for (const c of conditions) {
      const clinical = codings(c.clinicalStatus).map((x) => x.code);
      const verification = codings(c.verificationStatus).map((x) => x.code);
      if (clinical.some((x) => x === 'inactive' || x === 'resolved') || verification.some((x) => x === 'entered-in-error' || x === 'refuted')) continue;
      for (const raw of codesIn(c.code, SYSTEMS.icd10cm)) {
        const code = normaliseIcd(raw);
        if (code && !diagnoses.includes(code) && diagnoses.length < 12) {
          diagnoses.push(code);
          const ref = refTo(c);
          if (ref && !conditionRefs.includes(ref)) conditionRefs.push(ref);
        }
      }
    }
    src.set('diagnoses', diagnoses.length ? 'record' : 'default', undefined,
      diagnoses.length ? 'ICD-10-CM codes of the active Conditions (encounter diagnoses first).' : 'No ICD-10-CM diagnosis on the record; add the diagnosis that supports the service.');
  }, undefined, 'add the diagnoses.');
  if (conditionRefs.length) references.conditions = conditionRefs;

  // ---- prior services and last refill
  const priorServices: { date: string; code: string }[] = [];
  for (const p of priorProcedures) {
    const date = procedureDate(p) as string;
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

  // ---- daily volume
  let dailyVolumeMl: number | undefined;
  guarded(src, 'dailyVolumeMl', () => {
    for (const m of medAdmins) {
      const rate = obj(obj(m.dosage).rateQuantity);
      const v = num(rate.value);
      const u = (str(rate.code) ?? str(rate.unit) ?? '').toLowerCase().replace(/\s/g, '');
      if (v && v > 0 && (u === 'ml/d' || u === 'ml/day')) { dailyVolumeMl = v; src.set('dailyVolumeMl', 'record', m); return; }
      if (v && v > 0 && Number.isFinite(v * 24) && (u === 'ml/h' || u === 'ml/hr')) { dailyVolumeMl = v * 24; src.set('dailyVolumeMl', 'derived', m, 'Hourly rate × 24.'); return; }
    }
    src.set('dailyVolumeMl', 'default', undefined, 'The programmed daily volume is not on the record; enter it to check the refill interval.');
  }, undefined, 'enter the daily volume.');

  // ---- proposed codes (today's Procedure CPT/HCPCS codes, for reconciliation)
  const proposedCodes = todaysProcedures.flatMap((p) => {
    const { cpt, hcpcs } = procedureCodes(p);
    return [...cpt, ...hcpcs];
  }).filter((c, i, all) => c.length <= 20 && all.indexOf(c) === i).slice(0, 20).map((code) => ({ code }));
  src.set('proposedCodes', proposedCodes.length ? 'record' : 'default', pumpProcedure,
    proposedCodes.length ? 'CPT/HCPCS codes on the visit\'s Procedures.' : 'No codes charted for the visit.');

  src.set('separateEvaluation', 'default', undefined, 'A significant, separately identifiable E/M is not assumed; set it if one was performed and documented.');

  const facts: VisitFacts = {
    serviceDate: serviceDate as string,
    ...(placeOfService ? { placeOfService } : {}),
    patient: patientFacts,
    ...(serviceState ? { serviceState } : {}),
    coverage: coverageFacts,
    device: deviceFacts,
    services,
    performer,
    drugs,
    diagnoses,
    separateEvaluation: { performed: false },
    ...(lastRefillDate ? { lastRefillDate } : {}),
    ...(dailyVolumeMl ? { dailyVolumeMl } : {}),
    ...(priorServices.length ? { priorServices } : {}),
    ...(proposedCodes.length ? { proposedCodes } : {}),
  };
  // Belt and braces: whatever the record held, the facts must satisfy the contract.
  const checked = VisitFacts.safeParse(facts);
  if (!checked.success) {
    throw new BadBundleError('The record yields facts outside the contract', checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return { facts: checked.data, factSources: src.map, references };
}

function kindFromText(text: string): DeviceKind | undefined {
  if (!text) return undefined;
  if (/insulin/i.test(text)) return undefined;
  if (/elastomeric|disposable|on-?q\b|external|ambulatory infusion/i.test(text)) return 'external-disposable-pump';
  if (/non-?programmable|constant[- ]flow|fixed[- ]rate/i.test(text)) return 'implanted-nonprogrammable-pump';
  if (/programmable|synchromed|prometra|\b8637\b/i.test(text)) return 'implanted-programmable-pump';
  if (/reservoir|\bport\b|ommaya/i.test(text)) return 'implanted-reservoir';
  return undefined;
}

function routeFromText(text: string): VisitFacts['device']['route'] | undefined {
  if (/intrathecal|subarachnoid/i.test(text)) return 'intrathecal';
  if (/epidural/i.test(text)) return 'epidural';
  if (/intraventricular|intracerebroventricular|ommaya/i.test(text)) return 'intraventricular';
  if (/intra-?arterial|hepatic artery/i.test(text)) return 'intra-arterial';
  if (/intravenous|\bIV\b/.test(text)) return 'intravenous';
  return undefined;
}

function reservoirVolume(device: Resource): number | undefined {
  for (const p of objs(device.property)) {
    const label = `${ccText(p.type) ?? ''}`.toLowerCase();
    if (!/reservoir|capacity|volume/.test(label)) continue;
    for (const q of objs(p.valueQuantity)) {
      const v = num(q.value);
      const u = (str(q.code) ?? str(q.unit) ?? '').toLowerCase();
      if (v && v > 0 && v < 10_000 && (u === 'ml' || u === 'cm3' || u === 'cc')) return v;
    }
  }
  return undefined;
}

function roleOf(practitioner: Resource): Role | undefined {
  const roles: Role[] = [];
  for (const q of objs(practitioner.qualification)) {
    for (const c of codings(q.code)) {
      if (!c.code) continue;
      if (c.system === SYSTEMS.v20360 || c.system?.startsWith(`${SYSTEMS.v20360}|`)) {
        const r = ROLE_BY_V20360[c.code.toUpperCase()];
        if (r) roles.push(r);
      } else if (c.system === SYSTEMS.nucc) {
        const r = roleFromNucc(c.code.toUpperCase());
        if (r) roles.push(r);
      }
    }
  }
  return roles.sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0];
}

function normaliseIcd(raw: string): string | undefined {
  const s = raw.trim().toUpperCase();
  const withDot = /^[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}$/.test(s) ? `${s.slice(0, 3)}.${s.slice(3)}` : s;
  return /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(withDot) ? withDot : undefined;
}

// ---------------------------------------------------------------- overrides

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deep-merges the clinician's corrections over the extracted facts: objects merge, arrays replace, null removes an
 * optional field. Every overridden leaf path gets status 'clinician'. Throws InvalidOverridesError (a BadBundleError)
 * listing the field paths when the merged facts break the contract.
 */
export function applyOverrides(facts: VisitFacts, factSources: FactSources, overrides: Record<string, unknown>): { facts: VisitFacts; factSources: FactSources } {
  const sources: FactSources = { ...factSources };
  const touched: string[] = [];
  const merge = (base: unknown, patch: unknown, path: string): unknown => {
    if (isObj(patch) && (isObj(base) || base === undefined)) {
      const out: Json = { ...(isObj(base) ? base : {}) };
      for (const [key, value] of Object.entries(patch)) {
        if (FORBIDDEN_KEYS.has(key)) continue;
        const childPath = path ? `${path}.${key}` : key;
        if (value === undefined) continue;
        if (value === null) { delete out[key]; touched.push(childPath); clearUnder(childPath); continue; }
        out[key] = merge(out[key], value, childPath);
      }
      return out;
    }
    clearUnder(path);
    markLeaves(patch, path);
    return patch;
  };
  const clearUnder = (path: string) => {
    for (const key of Object.keys(sources)) if (key.startsWith(`${path}.`)) delete sources[key];
  };
  const markLeaves = (value: unknown, path: string) => {
    touched.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => markLeaves(v, `${path}.${i}`));
    else if (isObj(value)) for (const [k, v] of Object.entries(value)) if (!FORBIDDEN_KEYS.has(k)) markLeaves(v, `${path}.${k}`);
  };
  if (!isObj(overrides)) throw new InvalidOverridesError([{ path: '(root)', message: 'overrides must be an object' }]);
  const merged = merge(facts, overrides, '');
  const parsed = VisitFacts.safeParse(merged);
  if (!parsed.success) {
    throw new InvalidOverridesError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })));
  }
  for (const path of touched) sources[path] = { status: 'clinician', note: 'Set by the clinician on the review screen.' };
  return { facts: parsed.data, factSources: sources };
}
