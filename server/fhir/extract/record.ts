/**
 * Reading the resources inside the Bundle: the code systems, lenient readers that never throw on odd JSON,
 * codings, dates and states, and the index that resolves references between resources.
 */

import { isCodeOf, RECORD_SYSTEMS, type CodeSystemKey } from '../../terminology/systems.js';

// ---------------------------------------------------------------- code systems

/** The code systems the extraction recognises: from the one code table (server/terminology). */
export const SYSTEMS = RECORD_SYSTEMS;

// ---------------------------------------------------------------- lenient readers

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Json => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Json[] => arr(v).filter(isObj);
export const str = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
};
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
/** the codes of one of the code table's systems (CPT, HCPCS, RxNorm …) in a CodeableConcept, by any spelling or OID */
export const codesOf = (cc: unknown, key: CodeSystemKey): string[] =>
  codings(cc).filter((c) => isCodeOf(key, c.system, c.code)).map((c) => c.code as string);
export const ccText = (cc: unknown): string | undefined => str(obj(cc).text) ?? codings(cc).map((c) => c.display).find(Boolean);
export const notesText = (v: unknown): string => objs(v).map((n) => str(n.text) ?? '').filter(Boolean).join('\n');

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

/** Longest id accepted in a reference (FHIR allows 64; Epic sends 66–110, so real records need more). */
export const MAX_ID_LENGTH = 128;
const ID = `[A-Za-z0-9\\-.]{1,${MAX_ID_LENGTH}}`;
const TYPED_TAIL = new RegExp(`([A-Z][A-Za-z]+)\\/(${ID})(?:\\/_history\\/[^/]+)?$`);
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * The one reference resolver (DESIGN.md "Reading real EHR records"): a Reference resolves by
 * - relative "Type/id" or an absolute URL ending in Type/id (optionally /_history/n), or the entry's fullUrl (urn:uuid);
 * - "#id": a resource contained in the resource holding the reference (pass it as `container`);
 * - conditional "Type?identifier=system|value" (or "Type?identifier=value");
 * - Reference.identifier (system + value, or value alone when only one resource of the type carries it);
 * - Reference.display alone: the one resource of the expected type whose name matches it exactly (normalised).
 * A reference that matches more than one resource by identifier or display resolves to nothing (never a guess).
 */
export class ResourceIndex {
  private readonly byKey = new Map<string, Resource>();
  // built on the first reference by identifier or by display only: most records never need them
  private secondary: { byIdentifier: Map<string, Resource | null>; byName: Map<string, Resource | null> } | undefined;
  private readonly byType = new Map<string, Resource[]>();
  readonly all: Resource[];
  constructor(entries: { fullUrl?: string; resource: Resource }[]) {
    this.all = entries.map((e) => e.resource);
    for (const { fullUrl, resource } of entries) {
      const id = str(resource.id);
      if (id) this.byKey.set(`${resource.resourceType}/${id}`, resource);
      if (fullUrl) this.byKey.set(fullUrl, resource);
      const list = this.byType.get(resource.resourceType);
      if (list) list.push(resource); else this.byType.set(resource.resourceType, [resource]);
    }
  }
  private get byIdentifier() { return (this.secondary ??= this.indexKeys()).byIdentifier; }
  private get byName() { return (this.secondary ??= this.indexKeys()).byName; }
  private indexKeys() {
    const byIdentifier = new Map<string, Resource | null>();
    const byName = new Map<string, Resource | null>();
    for (const resource of this.all) {
      const t = resource.resourceType;
      const once = (map: Map<string, Resource | null>, key: string) => {
        const had = map.get(key);
        map.set(key, had === undefined || had === resource ? resource : null); // null: ambiguous
      };
      for (const i of objs(resource.identifier)) {
        const value = str(i.value);
        if (!value) continue;
        once(byIdentifier, `${t}|${str(i.system) ?? ''}|${value}`);
        once(byIdentifier, `${t}||${value}`);
      }
      for (const n of namesOf(resource)) once(byName, `${t}|${norm(n)}`);
    }
    return { byIdentifier, byName };
  }
  ofType(type: string): Resource[] {
    return this.byType.get(type) ?? [];
  }
  /** Resolves a Reference (see the class comment); `type` restricts the answer, `container` serves "#id". */
  resolve(ref: unknown, type?: string, container?: Resource): Resource | undefined {
    const r = obj(ref);
    const ok = (x: Resource | null | undefined) => (x && (!type || x.resourceType === type) ? x : undefined);
    const reference = str(r.reference);
    if (reference) {
      if (reference.startsWith('#')) {
        const id = reference.slice(1);
        const hit = objs(container?.contained).find((c) => str(c.id) === id && typeof c.resourceType === 'string') as Resource | undefined;
        if (hit) return ok(hit);
      }
      const direct = ok(this.byKey.get(reference));
      if (direct) return direct;
      const cond = /^([A-Z][A-Za-z]+)\?identifier=([^&]+)/.exec(reference);
      if (cond) {
        const raw = safeDecode(cond[2] as string);
        const bar = raw.lastIndexOf('|');
        const key = bar >= 0 ? `${cond[1]}|${raw.slice(0, bar)}|${raw.slice(bar + 1)}` : `${cond[1]}||${raw}`;
        const hit = ok(this.byIdentifier.get(key));
        if (hit) return hit;
      }
      const m = TYPED_TAIL.exec(reference.split('?')[0] as string);
      if (m) {
        const hit = ok(this.byKey.get(`${m[1]}/${m[2]}`));
        if (hit) return hit;
      }
    }
    const ident = obj(r.identifier);
    const value = str(ident.value);
    const rtype = str(r.type) ?? type ?? (reference ? /^([A-Z][A-Za-z]+)[/?]/.exec(reference)?.[1] : undefined);
    if (value && rtype) {
      const hit = ok(this.byIdentifier.get(`${rtype}|${str(ident.system) ?? ''}|${value}`)) ?? ok(this.byIdentifier.get(`${rtype}||${value}`));
      if (hit) return hit;
    }
    const display = str(r.display);
    if (display && !reference && rtype) return ok(this.byName.get(`${rtype}|${norm(display)}`));
    return undefined;
  }
}

const safeDecode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };

/** The names a resource answers to: Organization/Location name and alias, HumanName text or given + family. */
export function namesOf(r: Json): string[] {
  const out: string[] = [];
  const n = str(r.name);
  if (n) out.push(n);
  for (const a of arr(r.alias)) { const s = str(a); if (s) out.push(s); }
  for (const h of objs(r.name)) {
    const text = str(h.text);
    if (text) out.push(text);
    const given = arr(h.given).map(str).filter(Boolean).join(' ');
    const family = str(h.family);
    if (family) out.push(given ? `${given} ${family}` : family);
  }
  return out;
}

export const refTo = (r: Resource | undefined): string | undefined => (r && str(r.id) ? `${r.resourceType}/${r.id as string}` : undefined);
/** Resources charted in error or not carried out are not evidence of anything. */
export const usable = (r: Resource) => !['entered-in-error', 'not-done', 'cancelled', 'stopped'].includes(str(r.status) ?? '');
