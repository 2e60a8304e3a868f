/**
 * Granted-scope parsing (SMART v1 `patient/Coverage.read` and v2 `patient/Coverage.rs`, wildcards).
 * The app only reads and writes the resource types the EHR actually granted.
 */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface GrantedScopes { has(resourceType: string, perm: Permission): boolean; raw: string }

export function parseScopes(scope: string | undefined): GrantedScopes {
  const grants: { type: string; perms: Set<Permission> }[] = [];
  for (const token of (scope ?? '').split(/\s+/)) {
    const m = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/.exec(token);
    if (!m) continue;
    const type = m[2] ?? '';
    const action = m[3] ?? '';
    const perms = new Set<Permission>();
    if (action === '*' ) ['c', 'r', 'u', 'd', 's'].forEach((p) => perms.add(p as Permission));
    else if (action === 'read') { perms.add('r'); perms.add('s'); }
    else if (action === 'write') { perms.add('c'); perms.add('u'); perms.add('d'); }
    else if (/^c?r?u?d?s?$/.test(action)) for (const ch of action) perms.add(ch as Permission);
    // A v2 scope with a query (e.g. ?category=…) grants a subset; treated as granted, the EHR has the last word.
    grants.push({ type, perms });
  }
  return {
    raw: scope ?? '',
    has: (resourceType, perm) => grants.some((g) => (g.type === '*' || g.type === resourceType) && g.perms.has(perm)),
  };
}
