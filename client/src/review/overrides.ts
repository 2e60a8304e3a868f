/**
 * The clinician's corrections, kept as a partial VisitFacts (the server deep-merges it; arrays replace).
 * Pure and immutable so every change makes a new object React can compare.
 */
import type { Drug, VisitFacts } from '../../../server/contracts/index';

export type Overrides = Record<string, unknown>;

export function setOverride(overrides: Overrides, path: readonly string[], value: unknown): Overrides {
  const [head, ...rest] = path;
  if (head === undefined) return overrides;
  if (rest.length === 0) {
    const next = { ...overrides };
    if (value === undefined) delete next[head]; else next[head] = value;
    return next;
  }
  const child = overrides[head];
  const base = child && typeof child === 'object' && !Array.isArray(child) ? child as Overrides : {};
  return { ...overrides, [head]: setOverride(base, rest, value) };
}

/** Drugs are an array, which replaces as a whole: patch one drug of the current list. */
export function setDrugOverride(overrides: Overrides, current: readonly Drug[], index: number, patch: Partial<Drug>): Overrides {
  const list = (Array.isArray(overrides.drugs) ? overrides.drugs as Drug[] : current).map((d, i) => (i === index ? { ...d, ...patch } : d));
  return { ...overrides, drugs: list };
}

/** The dotted fact paths the clinician has set (shown as "clinician" until the server echoes its own sources). */
export function overriddenPaths(overrides: Overrides, prefix = ''): string[] {
  return Object.entries(overrides).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return v && typeof v === 'object' && !Array.isArray(v) ? overriddenPaths(v as Overrides, p) : [p];
  });
}

export type { VisitFacts };

export type ProposedCode = NonNullable<VisitFacts['proposedCodes']>[number];

/** CPT (5 digits, or 4 digits + F/T/U) or HCPCS Level II (a letter + 4 digits); modifiers are 2 characters. */
const CODE = /^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

/**
 * Adds a code the clinician typed to the codes on the record (arrays replace as a whole, so the list is copied).
 * Returns an error in words instead when the code or a modifier is not well formed.
 */
export function addProposedCode(overrides: Overrides, current: readonly ProposedCode[], codeText: string, modifierText = ''):
  { overrides: Overrides } | { error: string } {
  const code = codeText.trim().toUpperCase();
  if (!CODE.test(code)) return { error: `"${codeText.trim()}" is not a CPT or HCPCS code (e.g. 62370, J2274).` };
  const modifiers = modifierText.toUpperCase().split(/[\s,-]+/).filter(Boolean);
  const bad = modifiers.find((m) => !MODIFIER.test(m));
  if (bad) return { error: `"${bad}" is not a modifier (two characters, e.g. 25, JW).` };
  const list = proposedList(overrides, current);
  const entry: ProposedCode = modifiers.length ? { code, modifiers } : { code };
  return { overrides: { ...overrides, proposedCodes: [...list, entry] } };
}

export function removeProposedCode(overrides: Overrides, current: readonly ProposedCode[], index: number): Overrides {
  return { ...overrides, proposedCodes: proposedList(overrides, current).filter((_, i) => i !== index) };
}

const proposedList = (overrides: Overrides, current: readonly ProposedCode[]): ProposedCode[] =>
  Array.isArray(overrides.proposedCodes) ? overrides.proposedCodes as ProposedCode[] : [...current];

/** Deep-merges a partial VisitFacts (e.g. a record notice's one-click correction) over the current overrides. */
export function mergeOverrides(overrides: Overrides, patch: Record<string, unknown>): Overrides {
  const out: Overrides = { ...overrides };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
      ? mergeOverrides(cur as Overrides, v as Record<string, unknown>) : v;
  }
  return out;
}
