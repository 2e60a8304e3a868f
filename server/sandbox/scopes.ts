/**
 * SMART scopes (v1 and v2) as the sandbox understands them: parsing, granting and checking.
 * Pure functions; no HTTP here.
 *
 * v1: `patient/Claim.read`, `.write`, `.*`  → v2 letters: read = rs, write = cud, * = cruds.
 * v2: `patient/Claim.c`, `.rs`, `.cruds` (letters in this order), optionally with a `?query`
 *     constraint, which the sandbox does not evaluate: a constrained scope grants nothing.
 * What is granted is bounded by the client's registration (clients.ts) and the launch (grantScopes).
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

/** Non-resource scopes the sandbox knows (granted when the client is registered for them and the launch fits). */
const PLAIN_SCOPES = new Set([
  'launch', 'launch/patient', 'launch/encounter', 'openid', 'fhirUser', 'profile', 'online_access', 'offline_access',
]);

const V1 = { read: 'rs', write: 'cud', '*': 'cruds' } as const;
const LETTERS: Permission[] = ['c', 'r', 'u', 'd', 's'];

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

/** What the launch puts in context: which kinds of scopes can be granted at all. */
export interface GrantContext {
  /** the client's registered scopes */
  registered: readonly string[];
  /** a patient is in context (EHR launch or the standalone patient picker): patient/ scopes possible */
  hasPatient: boolean;
  /** a user (practitioner) signed in or launched: user/ scopes possible */
  hasUser: boolean;
  /** how the authorization started: `launch` only for EHR launches, `launch/patient|encounter` only standalone */
  kind: 'ehr' | 'standalone-patient' | 'standalone-user';
  /** the vendor mode's adjustment (e.g. no Claim write in Epic); undefined drops the scope */
  adjust?: (scope: ResourceScope) => string | undefined;
  /** resource types withheld at this launch (limited scope grant): no scope naming them is granted */
  deniedTypes?: readonly string[];
}

function v2(level: ScopeLevel, type: string, perms: Set<Permission>): string {
  return `${level}/${type}.${LETTERS.filter((p) => perms.has(p)).join('')}`;
}

/**
 * The scopes granted for a request: granted ⊆ registered ∩ requested, per scope.
 * - a requested scope wholly covered by the registration is granted in the spelling asked for (v1 or v2);
 * - otherwise it is narrowed to what the registration allows, per resource type, in v2 letters
 *   (`patient/*.cruds` with `patient/Claim.c` + `patient/Claim.rs` registered → `patient/Claim.crs`);
 * - patient/ scopes only with a patient in context, user/ scopes only with a user, launch scopes only for the
 *   launch kind they belong to; the vendor mode may narrow further. Unknown and constrained (`?query`) scopes
 *   are not granted.
 */
export function grantScopes(requested: string, ctx: GrantContext): string[] {
  const granted: string[] = [];
  const add = (s: string | undefined) => { if (s && !granted.includes(s)) granted.push(s); };
  const registered = ctx.registered.map((r) => ({ raw: r, parsed: parseResourceScope(r) }));
  for (const s of splitScopes(requested)) {
    if (PLAIN_SCOPES.has(s)) {
      if (!ctx.registered.includes(s)) continue;
      if (s === 'launch' && ctx.kind !== 'ehr') continue;
      if ((s === 'launch/patient' || s === 'launch/encounter') && ctx.kind !== 'standalone-patient') continue;
      add(s);
      continue;
    }
    const asked = parseResourceScope(s);
    if (!asked) continue;
    if (asked.level === 'patient' && !ctx.hasPatient) continue;
    if (asked.level === 'user' && !ctx.hasUser) continue;
    // per resource type: the permissions both asked for and registered
    const perType = new Map<string, Set<Permission>>();
    for (const { parsed: reg } of registered) {
      if (!reg || reg.level !== asked.level) continue;
      let type: string;
      if (asked.resourceType === '*') type = reg.resourceType;
      else if (reg.resourceType === '*' || reg.resourceType === asked.resourceType) type = asked.resourceType;
      else continue;
      const both = [...asked.permissions].filter((p) => reg.permissions.has(p));
      if (both.length === 0) continue;
      const set = perType.get(type) ?? new Set<Permission>();
      both.forEach((p) => set.add(p));
      perType.set(type, set);
    }
    const out: ResourceScope[] = [];
    for (const [type, perms] of perType) {
      const whole = type === asked.resourceType && perms.size === asked.permissions.size;
      const raw = whole ? asked.raw : v2(asked.level, type, perms);
      out.push({ raw, level: asked.level, resourceType: type, permissions: perms });
    }
    for (const scope of out) {
      if (ctx.deniedTypes?.includes(scope.resourceType)) continue;
      add(ctx.adjust ? ctx.adjust(scope) : scope.raw);
    }
  }
  return granted;
}

/** Is every scope in `narrower` contained in `wider` (same spelling)? For refresh-time downgrades. */
export function isSubset(narrower: string[], wider: string[]): boolean {
  return narrower.every((s) => wider.includes(s));
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
