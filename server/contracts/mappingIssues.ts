/**
 * Payer mapping validation problems in words an administrator reads ("Mapping 3 (U of U Medicaid): priority
 * must be 0 or more"), never zod's own text. Shared by the admin API (import, create, update) and the admin
 * screens (the file check before an import), so both say the same thing. Pure.
 */
import type { z } from 'zod';

const FIELD_WORDS: Record<string, string> = {
  id: 'id', version: 'version', name: 'name', priority: 'priority', enabled: 'enabled', match: 'match conditions',
  'match.payerIdentifier': 'payer identifier', 'match.payerIdentifier.system': 'payer identifier system',
  'match.payerIdentifier.value': 'payer identifier value', 'match.payerName': 'payer name', 'match.planName': 'plan name',
  'match.coverageType': 'coverage type codes', 'match.states': 'states', policyId: 'policy', lineOfBusiness: 'line of business',
  options: 'options', 'options.reprogrammingMeaning': 'reprogramming meaning', note: 'note', confirmTie: 'tie confirmation',
};

const VALUE_WORDS: Record<string, string> = {
  uuhp: 'U of U Health Plans (uuhp)', 'icare-ma': 'iCare Medicare Advantage (icare-ma)', 'centene-cp-mp-173': 'Centene CP.MP.173 (centene-cp-mp-173)',
  'cms-medicare': 'traditional Medicare (cms-medicare)', 'cpt-default': 'CPT rules only (cpt-default)',
};

/** 0 → "1st", 1 → "2nd", 10 → "11th" */
const ORDINAL = (index: number) => {
  const k = index + 1; const suffix = ['th', 'st', 'nd', 'rd']; const v = k % 100;
  return `${k}${suffix[(v - 20) % 10] ?? suffix[v] ?? suffix[0]}`;
};

/** "match.states.1" → "the 2nd state"; "priority" → "priority" */
export function fieldInWords(path: (string | number)[]): string {
  const idx = path.findIndex((p) => typeof p === 'number');
  if (idx >= 0) {
    const list = path.slice(0, idx).join('.');
    const n = path[idx] as number;
    const item = list === 'match.states' ? 'state' : list === 'match.coverageType' ? 'coverage type code' : `${FIELD_WORDS[list] ?? list} item`;
    return `the ${ORDINAL(n)} ${item}`;
  }
  const key = path.join('.');
  return FIELD_WORDS[key] ?? (key || 'the mapping');
}

const at = (v: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), v);

const noun = (origin: string | undefined, n: number | bigint) => {
  const k = Number(n);
  if (origin === 'string') return k === 1 ? 'must not be empty' : `needs at least ${k} characters`;
  if (origin === 'array') return k === 1 ? 'needs at least one entry' : `needs at least ${k} entries`;
  return `must be ${k} or more`;
};
const nounMax = (origin: string | undefined, n: number | bigint) => {
  const k = Number(n);
  if (origin === 'string') return `may have at most ${k.toLocaleString('en-US')} characters`;
  if (origin === 'array') return `may have at most ${k.toLocaleString('en-US')} entries`;
  return `must be ${k.toLocaleString('en-US')} or less`;
};

/** One zod issue about a mapping → "priority must be 0 or more" (field first, then what is wrong). */
export function issueInWords(issue: z.core.$ZodIssue, raw?: unknown): string {
  const field = fieldInWords(issue.path as (string | number)[]);
  const value = at(raw, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field} is missing`;
      if (issue.expected === 'number' || issue.expected === 'int') return `${field} must be a whole number (it is ${JSON.stringify(value)})`;
      if (issue.expected === 'boolean') return `${field} must be true or false (it is ${JSON.stringify(value)})`;
      if (issue.expected === 'array') return `${field} must be a list`;
      if (issue.expected === 'object') return `${field} must be an object`;
      return `${field} must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`;
    case 'too_small': return `${field} ${noun(issue.origin, issue.minimum)}`;
    case 'too_big': return `${field} ${nounMax(issue.origin, issue.maximum)}`;
    case 'invalid_value': {
      const options = issue.values.map((v) => VALUE_WORDS[String(v)] ?? String(v)).join(', ');
      return `${field} '${String(value)}' is not one of: ${options}`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}${issue.path.length ? ` in the ${field}` : ''}`;
    case 'invalid_format':
      // the contracts give every pattern its own human message ("expected a two-letter US state code")
      return `${field} ${issue.message.replace(/^expected /, 'must be ')}${value !== undefined ? ` (it is ${JSON.stringify(value)})` : ''}`;
    case 'not_multiple_of': return `${field} must be a whole number`;
    default: return `${field}: ${issue.message}`;
  }
}

/** "Mapping 3 (U of U Medicaid)" — 1-based row, named by the row's name or id when it has one. */
export function rowLabel(index: number, raw: unknown): string {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const label = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : typeof r.id === 'string' && r.id.trim() ? r.id.trim() : undefined;
  return `Mapping ${index + 1}${label ? ` (${label})` : ''}`;
}
