/**
 * The body guard's walk: parsed JSON nested deeper than MAX_JSON_DEPTH, or a key or string holding a NUL
 * (PostgreSQL cannot store one, and no clinical text contains one), found without recursion on user input.
 * Imports nothing but the error table, so the evaluation threads run the same check (./evaluation.ts evaluateText).
 */
import { HttpError } from './httpError.js';

export const MAX_JSON_DEPTH = 64;

/** Is anything in this parsed JSON value too deep, or a key or string with a NUL? Iterative, no allocation per node. */
function jsonIsSuspect(value: unknown, maxDepth: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v === 'string') { if (v.includes('\u0000')) return true; continue; }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) { values.push(v[i]); depths.push(depth + 1); }
    } else {
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (k.includes('\u0000')) return true;
        values.push((v as Record<string, unknown>)[k]); depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * The first problem in a parsed JSON value (too deep, a NUL in a key or a string), found without recursion.
 * The quick scan runs on every body; the paths are worked out only when it finds something.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): { path: string; message: string } | null {
  if (!jsonIsSuspect(value, maxDepth)) return null;
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 0, path: [] }];
  const shown = (p: (string | number)[]) => (p.length > 8 ? `${p.slice(0, 8).join('.')}…` : p.join('.')) || '(body)';
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: shown(path), message: 'must not contain a NUL character' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return { path: shown(path), message: `is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: [...path, i] });
    } else {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return { path: shown([...path, k.replace(/\u0000/g, '\\0')]), message: 'a key must not contain a NUL character' };
        stack.push({ v: child, depth: depth + 1, path: [...path, k] });
      }
    }
  }
  return null;
}

/** The guard's refusal of a body (parsed JSON, or the text itself) as the API answers it, or undefined. */
export function bodyGuardError(body: unknown): HttpError | undefined {
  const problem = jsonProblem(body);
  if (!problem) return undefined;
  return HttpError.of(problem.message.startsWith('is nested') ? 'too-deep' : 'invalid', `${problem.path}: ${problem.message}`, [problem]);
}

