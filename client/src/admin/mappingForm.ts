/**
 * The mapping form's logic without React: form values ⇄ PayerMappingInput, client-side validation with the
 * shared zod schema (errors keyed by the same dotted paths the server uses), the field-by-field diff shown on
 * a 412, the three-way "reapply my changes on top of the current version", and the list's tie check.
 */
import { PayerMappingInput, type LineOfBusiness, type PayerMapping } from '../../../server/contracts/index.js';
import { normaliseErrorPath, type FieldErrors } from './api.js';

export interface MappingFormValues {
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
  priority: '100', enabled: true, payerIdSystem: '', payerIdValue: '', payerName: '', planName: '',
  coverageType: '', states: '', policyId: '', lineOfBusiness: '', reprogrammingMeaning: '', note: '',
};

/** Form field name → the contract path its errors arrive under. */
export const fieldPaths: Record<keyof MappingFormValues, string> = {
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
      if (!(key in fieldErrors)) fieldErrors[key] = friendly(key, issue.message);
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
  return message;
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
  priority: 'Priority', enabled: 'Enabled', payerIdSystem: 'Payer identifier system', payerIdValue: 'Payer identifier value',
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

// ---------------------------------------------------------------- ties

/** Literal text of a name pattern: globs' wildcards become gaps. */
const literal = (pattern: string) => pattern.toLowerCase().split(/[*?]+/).map((x) => x.trim()).filter(Boolean);

/**
 * Could one payer or plan name satisfy both patterns (case-insensitive substring or glob)? A practical check:
 * they may overlap when every literal piece of one occurs in the other's text, or the other way round.
 */
export function namesMayOverlap(a: string, b: string): boolean {
  const la = literal(a); const lb = literal(b);
  const ta = la.join(' '); const tb = lb.join(' ');
  return la.every((x) => tb.includes(x)) || lb.every((x) => ta.includes(x));
}

/** SOPT codes are hierarchical ("5" covers "512"): two lists overlap when a code of one is a prefix of one of the other. */
const codesMayOverlap = (x: string[], y: string[]) => x.some((a) => y.some((b) => a.startsWith(b) || b.startsWith(a)));

/**
 * True when no Coverage can satisfy both mappings' match conditions: they differ on a condition both set
 * (payer id, payer name, plan name, coverage type, state). False = they may both match one Coverage.
 */
export function provablyDisjoint(a: PayerMapping['match'], b: PayerMapping['match']): boolean {
  const ai = a.payerIdentifier; const bi = b.payerIdentifier;
  if (ai && bi && (ai.value.toLowerCase() !== bi.value.toLowerCase() || (ai.system && bi.system && ai.system !== bi.system))) return true;
  if (a.payerName && b.payerName && !namesMayOverlap(a.payerName, b.payerName)) return true;
  if (a.planName && b.planName && !namesMayOverlap(a.planName, b.planName)) return true;
  if (a.coverageType?.length && b.coverageType?.length && !codesMayOverlap(a.coverageType, b.coverageType)) return true;
  if (a.states?.length && b.states?.length && !a.states.some((s) => b.states!.some((t) => t.toUpperCase() === s.toUpperCase()))) return true;
  return false;
}

/**
 * Enabled mappings with the same priority that a single Coverage could match both of and that would send it to
 * different results (policy, line of business or options): the resolver would report a tie. Mappings that agree
 * are not ambiguous. Returns mapping id → ids it may tie with.
 */
export function findTies(mappings: PayerMapping[]): Map<string, string[]> {
  const ties = new Map<string, string[]>();
  const enabled = mappings.filter((m) => m.enabled);
  for (let i = 0; i < enabled.length; i++) {
    for (let j = i + 1; j < enabled.length; j++) {
      const a = enabled[i]!; const b = enabled[j]!;
      if (a.priority !== b.priority || sameOutcome(a, b) || provablyDisjoint(a.match, b.match)) continue;
      ties.set(a.id, [...(ties.get(a.id) ?? []), b.id]);
      ties.set(b.id, [...(ties.get(b.id) ?? []), a.id]);
    }
  }
  return ties;
}

const sameOutcome = (a: PayerMapping, b: PayerMapping) => a.policyId === b.policyId && a.lineOfBusiness === b.lineOfBusiness
  && (a.options?.reprogrammingMeaning ?? 'rate-or-dose-only') === (b.options?.reprogrammingMeaning ?? 'rate-or-dose-only');

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

/** Case-insensitive search over payer, plan, policy, line of business, id and note. */
export function searchMappings(mappings: PayerMapping[], query: string): PayerMapping[] {
  const q = query.trim().toLowerCase();
  if (!q) return mappings;
  return mappings.filter((m) => [m.id, m.match.payerName, m.match.planName, m.match.payerIdentifier?.value, m.policyId, m.lineOfBusiness, m.note]
    .some((s) => s?.toLowerCase().includes(q)));
}
