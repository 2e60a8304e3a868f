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
