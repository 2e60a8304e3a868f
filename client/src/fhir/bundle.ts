/**
 * The collection Bundle posted to /api/evaluate: every resource read, once, without entered-in-error records.
 */
import type { Bundle, Resource } from './types';

export function buildCollectionBundle(base: string, resources: Resource[], now: Date = new Date()): Bundle {
  const seen = new Set<string>();
  const entry = [];
  const b = base.replace(/\/+$/, '');
  for (const r of resources) {
    if (!r || typeof r.resourceType !== 'string' || !r.id) continue;
    const vs = r.verificationStatus as { coding?: { code?: string }[] } | undefined;
    if (r.status === 'entered-in-error' || vs?.coding?.some((c) => c.code === 'entered-in-error')) continue;
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entry.push({ fullUrl: `${b}/${key}`, resource: r });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), entry };
}
