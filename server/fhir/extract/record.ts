/**
 * Reading the resources inside the Bundle: the code systems, lenient readers that never throw on odd JSON,
 * codings, dates and states, and the index that resolves references between resources.
 */

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

// ---------------------------------------------------------------- lenient readers

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Json => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Json[] => arr(v).filter(isObj);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

// ---------------------------------------------------------------- codings, notes, dates, states

export interface Coding { system?: string; code?: string; display?: string }
export const codings = (cc: unknown): Coding[] =>
  objs(obj(cc).coding).map((c) => ({ system: str(c.system)?.split('|')[0], code: str(c.code), display: str(c.display) }));
export const codesIn = (cc: unknown, systems: string | readonly string[]): string[] => {
  const list = typeof systems === 'string' ? [systems] : systems;
  return codings(cc).filter((c) => c.system && list.includes(c.system) && c.code).map((c) => c.code as string);
};
export const ccText = (cc: unknown): string | undefined => str(obj(cc).text) ?? codings(cc).map((c) => c.display).find(Boolean);
export const notesText = (v: unknown): string => objs(v).map((n) => str(n.text) ?? '').filter(Boolean).join('\n');
/** "2026-11-20T09:45:00-07:00" → "2026-11-20" (the date as charted, local to the EHR). */
export const dateOf = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined;
};

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
/** Address.state as a two-letter code: "CA" as charted, or a full state name. */
export const stateCode = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  return US_STATES[s.toLowerCase()];
};

// ---------------------------------------------------------------- resources and references

export interface Resource extends Json { resourceType: string; id?: string }

export class ResourceIndex {
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
export const refTo = (r: Resource | undefined): string | undefined => (r && str(r.id) ? `${r.resourceType}/${r.id as string}` : undefined);
/** Resources charted in error or not carried out are not evidence of anything. */
export const usable = (r: Resource) => !['entered-in-error', 'not-done', 'cancelled', 'stopped'].includes(str(r.status) ?? '');
