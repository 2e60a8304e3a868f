/**
 * The mapping form's logic without React: form values ⇄ PayerMappingInput, client-side validation with the
 * shared zod schema (errors keyed by the same dotted paths the server uses), the field-by-field diff shown on
 * a 412, the three-way "reapply my changes on top of the current version", and the list's tie check.
 */
import { PayerMappingInput, type LineOfBusiness, type PayerMapping } from '../../../server/contracts/index.js';
import { findTies as findTiesShared, namesMayOverlap as namesMayOverlapShared, provablyDisjoint as provablyDisjointShared } from '../../../server/contracts/mappingTies.js';
import { issueInWords } from '../../../server/contracts/mappingIssues.js';
import { normaliseErrorPath, type FieldErrors } from './api.js';

export interface MappingFormValues {
  /** what billing staff call it */
  name: string;
  priority: string;
  enabled: boolean;
  payerIdSystem: string;
  payerIdValue: string;
  payerName: string;
  planName: string;
  /** comma-separated Coverage.type codes (Source of Payment Typology) */
  coverageType: string;
  /** comma-separated two-letter states */
  states: string;
  policyId: string;
  lineOfBusiness: LineOfBusiness | '';
  reprogrammingMeaning: '' | 'rate-or-dose-only' | 'any-settings-update';
  note: string;
}

export const emptyForm: MappingFormValues = {
  name: '', priority: '100', enabled: true, payerIdSystem: '', payerIdValue: '', payerName: '', planName: '',
  coverageType: '', states: '', policyId: '', lineOfBusiness: '', reprogrammingMeaning: '', note: '',
};

/** Form field name → the contract path its errors arrive under. */
export const fieldPaths: Record<keyof MappingFormValues, string> = {
  name: 'name',
  priority: 'priority',
  enabled: 'enabled',
  payerIdSystem: 'match.payerIdentifier.system',
  payerIdValue: 'match.payerIdentifier.value',
  payerName: 'match.payerName',
  planName: 'match.planName',
  coverageType: 'match.coverageType',
  states: 'match.states',
  policyId: 'policyId',
  lineOfBusiness: 'lineOfBusiness',
  reprogrammingMeaning: 'options.reprogrammingMeaning',
  note: 'note',
};

const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function formFromMapping(m: PayerMappingInput): MappingFormValues {
  return {
    name: m.name ?? '',
    priority: String(m.priority),
    enabled: m.enabled,
    payerIdSystem: m.match.payerIdentifier?.system ?? '',
    payerIdValue: m.match.payerIdentifier?.value ?? '',
    payerName: m.match.payerName ?? '',
    planName: m.match.planName ?? '',
    coverageType: (m.match.coverageType ?? []).join(', '),
    states: (m.match.states ?? []).join(', '),
    policyId: m.policyId,
    lineOfBusiness: m.lineOfBusiness,
    reprogrammingMeaning: m.options?.reprogrammingMeaning ?? '',
    note: m.note ?? '',
  };
}

/** The raw object the form describes (empty fields omitted), before validation. */
export function rawFromForm(v: MappingFormValues): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (v.payerIdValue.trim() || v.payerIdSystem.trim()) {
    match.payerIdentifier = { value: v.payerIdValue.trim(), ...(v.payerIdSystem.trim() ? { system: v.payerIdSystem.trim() } : {}) };
  }
  if (v.payerName.trim()) match.payerName = v.payerName.trim();
  if (v.planName.trim()) match.planName = v.planName.trim();
  if (splitList(v.coverageType).length) match.coverageType = splitList(v.coverageType);
  if (splitList(v.states).length) match.states = splitList(v.states).map((s) => s.toUpperCase());
  const priority = v.priority.trim() === '' ? Number.NaN : Number(v.priority);
  return {
    ...(v.name.trim() ? { name: v.name.trim() } : {}),
    priority,
    enabled: v.enabled,
    match,
    policyId: v.policyId || undefined,
    lineOfBusiness: v.lineOfBusiness || undefined,
    ...(v.reprogrammingMeaning ? { options: { reprogrammingMeaning: v.reprogrammingMeaning } } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

export type FormValidation = { ok: true; input: PayerMappingInput } | { ok: false; fieldErrors: FieldErrors };

/** Validate with the shared schema; also insist on at least one match condition (a mapping that matches everything is a trap). */
export function validateForm(v: MappingFormValues): FormValidation {
  const parsed = PayerMappingInput.safeParse(rawFromForm(v));
  const fieldErrors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = normaliseErrorPath(issue.path.map(String).join('.'));
      if (!(key in fieldErrors)) fieldErrors[key] = friendly(key, issueInWords(issue, rawFromForm(v)));
    }
  }
  if (!v.payerIdValue.trim() && !v.payerName.trim() && !v.planName.trim() && !splitList(v.coverageType).length && !splitList(v.states).length) {
    fieldErrors.match = 'Give at least one match condition (payer identifier, payer name, plan, coverage type or state).';
  }
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: true, input: parsed.data };
}

function friendly(path: string, message: string): string {
  if (path === 'priority') return 'Enter a whole number from 0 to 1,000,000.';
  if (path === 'policyId') return 'Choose a policy module.';
  if (path === 'lineOfBusiness') return 'Choose a line of business.';
  if (path === 'match.payerIdentifier.value') return 'Enter the payer identifier value (or clear the system).';
  // the rest in words, starting with a capital: "The 1st state must be a two-letter US state code"
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/** Error of a form field, looked up under its contract path (and parents, e.g. "match.payerIdentifier"). */
export function errorFor(errors: FieldErrors, field: keyof MappingFormValues): string | undefined {
  const path = fieldPaths[field];
  if (errors[path]) return errors[path];
  const parent = path.split('.').slice(0, -1).join('.');
  return parent && parent !== 'match' && parent !== 'options' ? errors[parent] : undefined;
}

// ---------------------------------------------------------------- diff and reapply (412)

export interface DiffRow {
  field: keyof MappingFormValues;
  label: string;
  /** when the admin opened the form */
  base: string;
  yours: string;
  current: string;
  /** someone else changed it meanwhile */
  changedMeanwhile: boolean;
  /** the admin changed it */
  changedByYou: boolean;
  /** both changed it, differently */
  conflict: boolean;
}

export const fieldLabels: Record<keyof MappingFormValues, string> = {
  name: 'Name', priority: 'Priority', enabled: 'Enabled', payerIdSystem: 'Payer identifier system', payerIdValue: 'Payer identifier value',
  payerName: 'Payer name', planName: 'Plan name', coverageType: 'Coverage type codes', states: 'States',
  policyId: 'Policy', lineOfBusiness: 'Line of business', reprogrammingMeaning: 'Reprogramming means', note: 'Note',
};

const show = (v: string | boolean) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : v.trim() === '' ? '—' : v.trim());
const norm = (v: string | boolean) => (typeof v === 'boolean' ? String(v) : v.split(',').map((x) => x.trim()).join(','));

/** Field by field: what the admin started from, what they have now, and what the server holds now. */
export function diffForms(base: MappingFormValues, yours: MappingFormValues, current: MappingFormValues): DiffRow[] {
  return (Object.keys(fieldLabels) as (keyof MappingFormValues)[]).map((field) => {
    const b = norm(base[field]); const y = norm(yours[field]); const c = norm(current[field]);
    const changedMeanwhile = b !== c;
    const changedByYou = b !== y;
    return {
      field, label: fieldLabels[field], base: show(base[field]), yours: show(yours[field]), current: show(current[field]),
      changedMeanwhile, changedByYou, conflict: changedMeanwhile && changedByYou && y !== c,
    };
  });
}

/** The current version with the admin's own changes laid on top (their value wins where both changed). */
export function reapply(base: MappingFormValues, yours: MappingFormValues, current: MappingFormValues): MappingFormValues {
  const out: MappingFormValues = { ...current };
  for (const field of Object.keys(fieldLabels) as (keyof MappingFormValues)[]) {
    if (norm(base[field]) !== norm(yours[field])) (out as unknown as Record<string, unknown>)[field] = yours[field];
  }
  return out;
}

// ---------------------------------------------------------------- ties (one definition, shared with the server)

/** Could one payer or plan name satisfy both patterns? (server/contracts/mappingTies.ts) */
export const namesMayOverlap = namesMayOverlapShared;
/** True when no Coverage can satisfy both mappings' match conditions. */
export const provablyDisjoint = provablyDisjointShared;
/** Enabled same-priority mappings that may match one Coverage and send it to different results: id → ids. */
export const findTies = (mappings: PayerMapping[]) => findTiesShared(mappings);

/** One line describing what a mapping matches, for lists and previews. */
export function describeMatch(m: PayerMapping['match']): string {
  const parts: string[] = [];
  if (m.payerIdentifier) parts.push(`payer id ${m.payerIdentifier.system ? `${m.payerIdentifier.system}|` : ''}${m.payerIdentifier.value}`);
  if (m.payerName) parts.push(`payer “${m.payerName}”`);
  if (m.planName) parts.push(`plan “${m.planName}”`);
  if (m.coverageType?.length) parts.push(`type ${m.coverageType.join('/')}`);
  if (m.states?.length) parts.push(`in ${m.states.join(', ')}`);
  return parts.join(' · ') || 'anything';
}

/** Case-insensitive search over name, payer, plan, policy, line of business, id and note. */
export function searchMappings(mappings: PayerMapping[], query: string, policyName: (id: string) => string = (id) => id): PayerMapping[] {
  const q = query.trim().toLowerCase();
  if (!q) return mappings;
  return mappings.filter((m) => [m.name, m.id, m.match.payerName, m.match.planName, m.match.payerIdentifier?.value, m.policyId,
    policyName(m.policyId), m.lineOfBusiness, m.note].some((s) => s?.toLowerCase().includes(q)));
}

export interface MappingFilters {
  query: string;
  /** a payer as listed by payerChoices ('' = any) */
  payer: string;
  policyId: string;
  /** two-letter state: mappings for that state, plus those for every state ('' = any) */
  state: string;
  enabled: '' | 'on' | 'off';
}
export const noFilters: MappingFilters = { query: '', payer: '', policyId: '', state: '', enabled: '' };

/** The payer a mapping is about, for the payer filter and the list: its payer name pattern without wildcards. */
export function payerOf(m: PayerMapping): string {
  if (m.match.payerName) return m.match.payerName.replace(/[*?]+/g, ' ').replace(/\s+/g, ' ').trim() || m.match.payerName;
  if (m.match.payerIdentifier) return `payer id ${m.match.payerIdentifier.value}`;
  return 'any payer';
}
export const payerChoices = (mappings: PayerMapping[]) => [...new Set(mappings.map(payerOf))].sort((a, b) => a.localeCompare(b));
export const stateChoices = (mappings: PayerMapping[]) => [...new Set(mappings.flatMap((m) => m.match.states ?? []))].sort();

export function filterMappings(mappings: PayerMapping[], f: MappingFilters, policyName?: (id: string) => string): PayerMapping[] {
  return searchMappings(mappings, f.query, policyName).filter((m) => (!f.payer || payerOf(m) === f.payer)
    && (!f.policyId || m.policyId === f.policyId)
    && (!f.state || !m.match.states?.length || m.match.states.includes(f.state))
    && (!f.enabled || (f.enabled === 'on') === m.enabled));
}
