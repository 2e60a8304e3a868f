/** A flat before/after diff of two JSON values, for the audit log's "show changes". */

export interface JsonDiffRow { path: string; before: string; after: string }

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (v === undefined) return;
  out.set(prefix || '(value)', Array.isArray(v) && v.every((x) => typeof x !== 'object') ? v.join(', ') : JSON.stringify(v));
}

export function jsonDiff(before: unknown, after: unknown): JsonDiffRow[] {
  const a = new Map<string, string>(); const b = new Map<string, string>();
  flatten(before, '', a); flatten(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => ({ path: p, before: a.get(p) ?? '—', after: b.get(p) ?? '—' }));
}
