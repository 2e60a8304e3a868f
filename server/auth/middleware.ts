/**
 * Express guards: requireUser (any verified EHR id_token), requireAdmin (ADMIN_TOKEN or an ADMIN_USERS
 * fhirUser), requireRole (e.g. admins and BILLING_USERS for the worklist), and sameOriginJsonOnly.
 *
 * Why no CSRF token: the admin and worklist APIs authenticate with a bearer token in the Authorization
 * header. Browsers never attach that header on their own (unlike cookies), so a cross-site page cannot
 * make an authenticated request, and a cross-origin fetch that sets Authorization needs a CORS preflight
 * we never approve. As defence in depth, state-changing requests whose Origin header is present and is
 * not the app's own origin are refused (403), and bodies must be application/json (415): a plain HTML
 * form can only send urlencoded, multipart or text/plain, so it can never reach these handlers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { EhrProfile } from '../../launch/profiles';
import { sendError } from '../http/errors.js';
import { AuthError, verifyIdToken, type VerifyOptions } from './idToken';

export type Role = 'admin' | 'billing';

export interface AuthUser {
  kind: 'user' | 'admin-token';
  /** the fhirUser claim as issued (absolute URL or "Practitioner/x"); "admin-token" for the automation token */
  fhirUser: string;
  iss?: string;
  sub?: string;
  roles: Role[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request { user?: AuthUser }
  }
}

export interface AuthDeps {
  profiles: EhrProfile[];
  /** ADMIN_TOKEN: bearer token for automation (unset → only id_tokens) */
  adminToken?: string | undefined;
  /** ADMIN_USERS: full fhirUser URLs (relative entries never match; config refuses them) */
  adminUsers: string[];
  /** BILLING_USERS: fhirUser values allowed to read and export the worklist */
  billingUsers?: string[];
  verifyOptions?: VerifyOptions;
}

/** "a, b ,c" → ['a','b','c'] (for ADMIN_USERS / BILLING_USERS) */
export const parseUserList = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);


function unauthorized(res: Response, message: string, invalid: boolean) {
  res.setHeader('WWW-Authenticate', invalid
    ? `Bearer realm="pump-refill-coder", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`
    : 'Bearer realm="pump-refill-coder"');
  sendError(res, 401, 'unauthorized', message);
}

function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(h.trim());
  return m ? m[1]! : null;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** constant-time comparison over equal-length digests (no length leak, no early exit) */
export function tokenEquals(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const stripSlash = (s: string) => s.replace(/\/+$/, '');

/** the absolute fhirUser: a relative claim ("Practitioner/1") is resolved against the issuer that signed it */
export function absoluteFhirUser(fhirUser: string, iss: string): string {
  return /^https?:/i.test(fhirUser) ? stripSlash(fhirUser) : `${stripSlash(iss)}/${fhirUser}`;
}

/**
 * Is this signed-in user on the list? Only by full fhirUser URL and issuer: the entry must equal the user's
 * absolute fhirUser AND lie under the issuer that signed the token (so another EHR's Practitioner/1, or a token
 * whose fhirUser claims a URL on another server, never matches). Relative entries never match (config refuses them).
 */
export function userListed(list: string[], fhirUser: string, iss?: string): boolean {
  if (list.length === 0 || !iss) return false;
  const user = absoluteFhirUser(fhirUser, iss);
  const base = `${stripSlash(iss)}/`;
  return list.some((raw) => {
    const entry = stripSlash(raw);
    return /^https?:/i.test(entry) && entry === user && entry.startsWith(base);
  });
}

/** roles come only from EHR profiles an administrator may sign in with (adminSignIn: true) */
function signInProfile(profiles: EhrProfile[], iss: string): boolean {
  return profiles.some((p) => p.adminSignIn === true && p.issuers.some((i) => stripSlash(i) === stripSlash(iss)));
}

async function authenticate(req: Request, deps: AuthDeps, allowAdminToken: boolean): Promise<AuthUser | { fail: string; invalid: boolean }> {
  const token = bearer(req);
  if (!token) return { fail: 'sign in: send "Authorization: Bearer <token>"', invalid: false };
  if (allowAdminToken && deps.adminToken && tokenEquals(token, deps.adminToken)) {
    return { kind: 'admin-token', fhirUser: 'admin-token', roles: ['admin'] };
  }
  if (token.split('.').length !== 3) return { fail: 'the token is not valid', invalid: true };
  try {
    const v = await verifyIdToken(token, deps.profiles, deps.verifyOptions);
    const roles: Role[] = [];
    if (signInProfile(deps.profiles, v.iss)) {
      if (userListed(deps.adminUsers, v.fhirUser, v.iss)) roles.push('admin');
      if (userListed(deps.billingUsers ?? [], v.fhirUser, v.iss)) roles.push('billing');
    }
    return { kind: 'user', fhirUser: v.fhirUser, iss: v.iss, sub: v.sub, roles };
  } catch (e) {
    return { fail: e instanceof AuthError ? e.message : 'the token could not be verified', invalid: true };
  }
}

/** any verified EHR id_token (clinicians: /api/drafts). The admin token is not a user and is refused. */
export function requireUser(deps: AuthDeps): RequestHandler {
  return (req, res, next) => {
    authenticate(req, deps, false).then((r) => {
      if ('fail' in r) return unauthorized(res, r.fail, r.invalid);
      req.user = r;
      next();
    }, next);
  };
}

/** a verified identity holding one of the roles (the admin token counts as admin) */
export function requireRole(deps: AuthDeps, roles: Role[]): RequestHandler {
  return (req, res, next) => {
    authenticate(req, deps, true).then((r) => {
      if ('fail' in r) return unauthorized(res, r.fail, r.invalid);
      if (!r.roles.some((role) => roles.includes(role))) {
        return sendError(res, 403, 'forbidden', `this needs the ${roles.join(' or ')} role; ask an administrator to add your user`);
      }
      req.user = r;
      next();
    }, next);
  };
}

export const requireAdmin = (deps: AuthDeps): RequestHandler => requireRole(deps, ['admin']);

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** see the file comment: foreign Origin → 403; a body that is not application/json → 415 */
export function sameOriginJsonOnly(publicOrigin: string): RequestHandler {
  const own = new URL(publicOrigin).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== own) {
      return sendError(res, 403, 'forbidden-origin', 'requests from another site are not accepted');
    }
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      return sendError(res, 415, 'unsupported-media-type', 'send the body as application/json');
    }
    next();
  };
}
