/**
 * Verifies an OpenID Connect id_token issued by one of the configured EHRs (the SMART launch's
 * `openid fhirUser` scopes). The issuer must be one of the EHR profiles' issuers; its keys come from
 * `${iss}/.well-known/smart-configuration` → `jwks_uri` (cached per issuer; jose refreshes keys on an
 * unknown `kid`). Only asymmetric signatures (RS256, ES256) are accepted: `alg: none` and HS* never are
 * (an HS256 token "signed" with the public key is the classic confusion attack).
 */
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { EhrProfile } from '../../launch/profiles';

export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly code: 'invalid_token' | 'unknown_issuer' | 'discovery_failed', message: string) { super(message); }
}

export interface VerifiedIdToken { fhirUser: string; iss: string; sub: string }

export interface VerifyOptions {
  /** fetches the issuer's SMART configuration (tests inject; default: fetch with a 5 s timeout) */
  fetchSmartConfig?: (iss: string) => Promise<{ jwks_uri?: unknown }>;
  /** seconds of clock skew allowed on exp/nbf/iat (default 60) */
  clockToleranceSec?: number;
  /** cache of key sets per issuer (default: module-wide) */
  cache?: Map<string, Promise<JWTVerifyGetKey>>;
}

const defaultCache = new Map<string, Promise<JWTVerifyGetKey>>();
const stripSlash = (s: string) => s.replace(/\/+$/, '');

async function defaultFetchSmartConfig(iss: string): Promise<{ jwks_uri?: unknown }> {
  const res = await fetch(`${iss}/.well-known/smart-configuration`, {
    headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000), redirect: 'error',
  });
  if (!res.ok) throw new Error(`smart-configuration answered ${res.status}`);
  return (await res.json()) as { jwks_uri?: unknown };
}

function keySetFor(iss: string, opts: VerifyOptions): Promise<JWTVerifyGetKey> {
  const cache = opts.cache ?? defaultCache;
  let p = cache.get(iss);
  if (!p) {
    p = (async () => {
      const conf = await (opts.fetchSmartConfig ?? defaultFetchSmartConfig)(iss);
      if (typeof conf?.jwks_uri !== 'string') throw new Error('smart-configuration has no jwks_uri');
      const uri = new URL(conf.jwks_uri);
      if (uri.protocol !== 'https:' && uri.protocol !== 'http:') throw new Error('jwks_uri is not http(s)');
      return createRemoteJWKSet(uri, { timeoutDuration: 5000, cooldownDuration: 30_000 });
    })();
    cache.set(iss, p);
    // a failed discovery is not cached: the next request tries again
    p.catch(() => { if (cache.get(iss) === p) cache.delete(iss); });
  }
  return p;
}

/** absolute http(s) URL, or a relative "Type/id" reference */
export function isValidFhirUser(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > 500) return false;
  if (/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(v)) return true;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && /\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(u.pathname);
  } catch {
    return false;
  }
}

export async function verifyIdToken(idToken: string, profiles: EhrProfile[], opts: VerifyOptions = {}): Promise<VerifiedIdToken> {
  let claimedIss: string;
  try {
    const claims = decodeJwt(idToken);
    if (typeof claims.iss !== 'string') throw new Error('no iss');
    claimedIss = claims.iss;
  } catch {
    throw new AuthError('invalid_token', 'the token is not a well-formed JWT with an issuer');
  }
  const iss = stripSlash(claimedIss);
  const matching = profiles.filter((p) => p.issuers.some((i) => stripSlash(i) === iss));
  if (matching.length === 0) throw new AuthError('unknown_issuer', 'the token was issued by an EHR that is not configured');

  let keys: JWTVerifyGetKey;
  try {
    keys = await keySetFor(iss, opts);
  } catch {
    throw new AuthError('discovery_failed', "the EHR's signing keys could not be fetched");
  }
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      issuer: claimedIss,
      audience: [...new Set(matching.map((p) => p.clientId))],
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: opts.clockToleranceSec ?? 60,
      requiredClaims: ['exp', 'sub'],
    });
    if (!isValidFhirUser(payload.fhirUser)) throw new AuthError('invalid_token', 'the token has no valid fhirUser claim');
    return { fhirUser: payload.fhirUser, iss, sub: String(payload.sub) };
  } catch (e) {
    if (e instanceof AuthError) throw e;
    const why = e instanceof joseErrors.JWTExpired ? 'the token has expired'
      : e instanceof joseErrors.JWTClaimValidationFailed ? `the token's ${e.claim} claim is not accepted`
        : e instanceof joseErrors.JOSEAlgNotAllowed ? 'the token is not signed with an accepted algorithm'
          : 'the token signature could not be verified';
    throw new AuthError('invalid_token', why);
  }
}
