/**
 * SMART scopes (v1 and v2) as the sandbox understands them: parsing, granting and checking.
 * Pure functions; no HTTP here.
 *
 * v1: `patient/Claim.read`, `.write`, `.*`  → v2 letters: read = rs, write = cud, * = cruds.
 * v2: `patient/Claim.c`, `.rs`, `.cruds` (letters in this order), optionally with a `?query`
 *     constraint, which the sandbox does not evaluate: a constrained scope grants nothing.
 */
import { isResourceType } from '@medplum/core';

export type ScopeLevel = 'patient' | 'user';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  raw: string;
  level: ScopeLevel;
  /** a FHIR resource type or `*` */
  resourceType: string;
  permissions: Set<Permission>;
}

/** Non-resource scopes the sandbox grants when asked. */
const PLAIN_SCOPES = new Set([
  'launch', 'launch/patient', 'launch/encounter', 'openid', 'fhirUser', 'profile', 'online_access', 'offline_access',
]);

const V1 = { read: 'rs', write: 'cud', '*': 'cruds' } as const;

export function splitScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}

/** Parses one resource scope; undefined when it is not a (usable) resource scope. */
export function parseResourceScope(raw: string): ResourceScope | undefined {
  const m = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/.exec(raw);
  if (!m) return undefined;
  const [, level, resourceType, action] = m as unknown as [string, ScopeLevel, string, string];
  if (resourceType !== '*' && !isResourceType(resourceType)) return undefined;
  let letters: string;
  if (action in V1) letters = V1[action as keyof typeof V1];
  else if (/^c?r?u?d?s?$/.test(action) && action.length > 0) letters = action;
  else return undefined;
  return { raw, level, resourceType, permissions: new Set(letters.split('') as Permission[]) };
}

/**
 * The scopes granted for a request: the requested ones the sandbox knows (requested ∩ allowed),
 * minus those the vendor mode refuses, minus patient/ scopes when no patient is in context.
 */
export function grantScopes(
  requested: string,
  opts: { hasPatient: boolean; adjust?: (scope: ResourceScope) => string | undefined },
): string[] {
  const granted: string[] = [];
  for (const s of splitScopes(requested)) {
    if (PLAIN_SCOPES.has(s)) {
      granted.push(s);
      continue;
    }
    const parsed = parseResourceScope(s);
    if (!parsed) continue;
    if (parsed.level === 'patient' && !opts.hasPatient) continue;
    const adjusted = opts.adjust ? opts.adjust(parsed) : s;
    if (adjusted && !granted.includes(adjusted)) granted.push(adjusted);
  }
  return granted;
}

export interface AccessDecision {
  allowed: boolean;
  /** true when only patient/ scopes allow it: the patient compartment must then be enforced */
  patientOnly: boolean;
}

/** May a token with these scopes do `permission` on `resourceType`? */
export function checkAccess(scopes: string[], resourceType: string, permission: Permission): AccessDecision {
  let user = false;
  let patient = false;
  for (const s of scopes) {
    const parsed = parseResourceScope(s);
    if (!parsed) continue;
    if (parsed.resourceType !== '*' && parsed.resourceType !== resourceType) continue;
    if (!parsed.permissions.has(permission)) continue;
    if (parsed.level === 'user') user = true;
    else patient = true;
  }
  return { allowed: user || patient, patientOnly: !user && patient };
}

/**
 * A scope without its write permissions (c, u, d), as a vendor grants it when the resource type takes no
 * writes there: `patient/Claim.cruds` → `patient/Claim.rs`, `patient/Claim.write` → dropped.
 */
export function withoutWrite(scope: ResourceScope): string | undefined {
  const read = [...scope.permissions].filter((p) => p === 'r' || p === 's');
  if (read.length === scope.permissions.size) return scope.raw;
  if (read.length === 0) return undefined;
  const letters = (['r', 's'] as const).filter((p) => scope.permissions.has(p)).join('');
  return `${scope.level}/${scope.resourceType}.${letters}`;
}
