/** The clinician's corrections from the review screen, merged over the extracted facts. */
import { VisitFacts, type FactSources } from '../../contracts/index.js';
import { InvalidOverridesError } from './errors.js';
import { isObj, type Json } from './record.js';

// Keys that would reach Object.prototype through the merge: never copied.
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
  // A replaced value's old sub-paths no longer describe anything.
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
