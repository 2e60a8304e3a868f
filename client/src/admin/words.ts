/**
 * The admin screens in billing language, without React: who did it (a person's name, not a FHIR URL), what
 * they did ("changed mapping 'U of U Medicaid': priority 10 → 20"), and which mapping (by name, not id or hash).
 */
import type { PayerMapping } from '../../../server/contracts/index.js';
import { lineOfBusinessLabel } from '../../../server/contracts/mappingTies.js';
import type { AuditEntry } from './api.js';

/** A fhirUser as people read it: "Practitioner sandbox-admin" (the full URL stays available as a tooltip). */
export function shortUser(fhirUser: string | undefined): string {
  if (!fhirUser) return 'someone';
  if (fhirUser === 'admin-token') return 'Automation (admin token)';
  const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})\/?$/.exec(fhirUser);
  return m ? `${m[1]} ${m[2]}` : fhirUser;
}

/** The signed-in user for the header: their name when the id_token carries one. */
export function displayUser(s: { source: 'ehr' | 'admin-token'; name?: string; fhirUser?: string }): string {
  if (s.source === 'admin-token') return 'Admin token';
  return s.name?.trim() || shortUser(s.fhirUser);
}

/** An audit actor: "you (Avery Administrator)" when it is the signed-in user, else the short form. */
export function actorLabel(actor: string | undefined, me?: { fhirUser?: string; name?: string }): string {
  if (actor && me?.fhirUser && sameUser(actor, me.fhirUser)) return me.name ? `${me.name} (you)` : `${shortUser(actor)} (you)`;
  return shortUser(actor);
}
const tail = (u: string) => /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})\/?$/.exec(u)?.[1] ?? u;
const sameUser = (a: string, b: string) => a === b || tail(a) === tail(b);

export interface WordsContext {
  /** mappings as they are now (names for entries that carry no before/after) */
  mappings?: PayerMapping[];
  policyName?: (id: string) => string;
}

type MappingLike = Partial<PayerMapping> & { id?: string };
const asMapping = (v: unknown): MappingLike | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as MappingLike) : undefined);

const FIELD_WORDS: [string, string][] = [
  ['name', 'name'], ['priority', 'priority'], ['enabled', 'enabled'], ['policyId', 'policy'], ['lineOfBusiness', 'line of business'],
  ['match.payerName', 'payer name'], ['match.planName', 'plan'], ['match.coverageType', 'coverage types'], ['match.states', 'states'],
  ['match.payerIdentifier', 'payer identifier'], ['options.reprogrammingMeaning', 'reprogramming means'], ['note', 'note'],
];

function get(m: MappingLike | undefined, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), m);
}
function showValue(field: string, v: unknown, ctx: WordsContext): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === '') return 'none';
  if (field === 'policyId') return ctx.policyName?.(String(v)) ?? String(v);
  if (field === 'lineOfBusiness') return lineOfBusinessLabel(String(v));
  if (field === 'enabled') return v ? 'on' : 'off';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') {
    const o = v as { system?: string; value?: string };
    return o.value ? `${o.system ? `${o.system}|` : ''}${o.value}` : JSON.stringify(v);
  }
  return String(v);
}
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** "priority 10 → 20; enabled on → off; note changed" */
export function mappingChanges(before: MappingLike | undefined, after: MappingLike | undefined, ctx: WordsContext = {}): string[] {
  const out: string[] = [];
  for (const [path, words] of FIELD_WORDS) {
    const b = get(before, path); const a = get(after, path);
    if (same(b, a)) continue;
    if (path === 'note') { out.push(a ? (b ? 'note changed' : 'note added') : 'note removed'); continue; }
    if (path === 'enabled') { out.push(a ? 'turned on' : 'turned off'); continue; }
    out.push(`${words} ${showValue(path, b, ctx)} → ${showValue(path, a, ctx)}`);
  }
  return out;
}

const nameOf = (m: MappingLike | undefined, id: string | undefined, ctx: WordsContext) =>
  m?.name ?? ctx.mappings?.find((x) => x.id === id)?.name ?? id ?? 'a mapping';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One audit entry as a sentence (without the actor), e.g. "changed mapping 'U of U Medicaid': priority 10 → 20". */
export function describeAudit(e: AuditEntry, ctx: WordsContext = {}): string {
  const before = asMapping(e.before); const after = asMapping(e.after);
  const extra = e as AuditEntry & { resourceIds?: unknown; codes?: unknown };
  const codes = Array.isArray(extra.codes) ? extra.codes.filter((c): c is string => typeof c === 'string') : [];
  const ids = Array.isArray(extra.resourceIds) ? extra.resourceIds : [];
  switch (e.action) {
    case 'mapping.create': {
      const target = after ? ` → ${showValue('policyId', after.policyId, ctx)}, ${showValue('lineOfBusiness', after.lineOfBusiness, ctx)}` : '';
      const tie = Array.isArray((after as { confirmedTieWith?: unknown })?.confirmedTieWith) ? tieText((after as { confirmedTieWith: string[] }).confirmedTieWith, ctx) : '';
      return `created mapping '${nameOf(after, e.entityId, ctx)}'${target}${after?.priority !== undefined ? ` at priority ${after.priority}` : ''}${tie}`;
    }
    case 'mapping.update': {
      const changes = mappingChanges(before, after, ctx);
      const tie = Array.isArray((after as { confirmedTieWith?: unknown })?.confirmedTieWith) ? tieText((after as { confirmedTieWith: string[] }).confirmedTieWith, ctx) : '';
      const label = before?.name && after?.name && before.name !== after.name ? before.name : nameOf(after ?? before, e.entityId, ctx);
      return `changed mapping '${label}': ${changes.length ? changes.join('; ') : 'saved without changes'}${tie}`;
    }
    case 'mapping.delete':
      return `deleted mapping '${nameOf(before, e.entityId, ctx)}'`;
    case 'mapping.import': {
      const b = Array.isArray(e.before) ? (e.before as MappingLike[]) : [];
      const a = Array.isArray(e.after) ? (e.after as MappingLike[]) : [];
      if (!a.length && !b.length) return `imported mappings (${e.entityId ?? 'a file'})`;
      const byId = new Map(b.map((m) => [m.id, m]));
      const added = a.filter((m) => !byId.has(m.id)).length;
      const changed = a.filter((m) => { const o = byId.get(m.id); return o && mappingChanges(o, m).length > 0; }).length;
      const kept = new Set(a.map((m) => m.id));
      const removed = b.filter((m) => !kept.has(m.id)).length;
      return `imported ${plural(a.length, 'mapping')} from a file (${added} new, ${changed} changed, ${removed} removed)`;
    }
    case 'draft.created': case 'draft.create':
      return `wrote a claim draft${codes.length ? ` (${codes.join(', ')})` : ''}`;
    case 'writeback.completed': case 'writeback':
      return `wrote back to the EHR${e.entityType ? `: ${e.entityType === 'claim' || e.entityType === 'Claim' ? 'the Claim draft' : e.entityType === 'document' || e.entityType === 'DocumentReference' ? 'the refill note' : e.entityType}` : ''}`;
    case 'worklist.export': {
      const n = ids.length || Number(/^(\d+)/.exec(e.entityId ?? '')?.[1] ?? 0);
      return `exported ${plural(n, 'worklist item')}`;
    }
    case 'worklist.export-claim':
      return 'downloaded one Claim draft (FHIR JSON)';
    default:
      return e.action.replace(/[._-]+/g, ' ');
  }
}

function tieText(ids: string[], ctx: WordsContext): string {
  if (!ids.length) return '';
  return `, confirming a tie with ${ids.map((id) => `'${nameOf(undefined, id, ctx)}'`).join(', ')}`;
}

/** Audit filter choices in words → the stored action names. */
export const AUDIT_ACTIONS: { value: string; label: string }[] = [
  { value: 'mapping.create', label: 'Created a mapping' },
  { value: 'mapping.update', label: 'Changed a mapping' },
  { value: 'mapping.delete', label: 'Deleted a mapping' },
  { value: 'mapping.import', label: 'Imported mappings' },
  { value: 'draft.created', label: 'Wrote a claim draft' },
  { value: 'writeback.completed', label: 'Wrote back to the EHR' },
  { value: 'worklist.export', label: 'Exported worklist items' },
  { value: 'worklist.export-claim', label: 'Downloaded a Claim' },
];
