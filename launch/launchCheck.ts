/**
 * Pure launch checks: which EHR profile an `iss` belongs to, refusal of launch-URL overrides, the authorize
 * configurations handed to fhirclient and the discovery pinning. No DOM, no fetch: unit-tested in node.
 * (Types only from profiles.ts: importing zod here would double the launch page.)
 */
import type { EhrProfile } from './profiles';
import { launchStrings as S } from './strings';

/** The public part of a profile as served by GET /api/ehr-profiles. */
export type PublicProfile = Pick<EhrProfile, 'id' | 'name' | 'vendor' | 'issuers' | 'clientId' | 'scopes'> & { adminSignIn?: boolean };

/** URL parameters fhirclient (or a careless app) would let a link use to override the configuration. */
export const REFUSED_PARAMS = [
  'fhirServiceUrl', 'clientId', 'client_id', 'patientId', 'encounterId', 'redirectUri', 'redirect_uri', 'scope',
  'clientSecret', 'client_secret', 'stateKey', 'fakeTokenResponse', 'target', 'completeInTarget', 'pkceMode',
] as const;

export type LaunchProblem =
  | { kind: 'missing-iss' | 'missing-launch' }
  | { kind: 'duplicate-param'; name: string }
  | { kind: 'override'; names: string[] }
  | { kind: 'unknown-issuer'; iss: string };

export type LaunchCheck = { ok: true; iss: string; launch: string; profile: PublicProfile } | { ok: false; problem: LaunchProblem };

export function checkLaunchUrl(search: string, profiles: readonly PublicProfile[]): LaunchCheck {
  const params = new URLSearchParams(search);
  const present = new Set<string>([...params.keys()].map((k) => k.toLowerCase()));
  const refused = REFUSED_PARAMS.filter((p) => present.has(p.toLowerCase()));
  if (refused.length > 0) return { ok: false, problem: { kind: 'override', names: refused } };
  for (const name of ['iss', 'launch']) {
    if (params.getAll(name).length > 1) return { ok: false, problem: { kind: 'duplicate-param', name } };
  }
  const iss = params.get('iss');
  if (!iss) return { ok: false, problem: { kind: 'missing-iss' } };
  // Exact string match against the configured issuers: no normalisation that could widen the allow-list.
  const profile = profiles.find((p) => p.issuers.includes(iss));
  if (!profile) return { ok: false, problem: { kind: 'unknown-issuer', iss } };
  const launch = params.get('launch');
  if (!launch) return { ok: false, problem: { kind: 'missing-launch' } };
  return { ok: true, iss, launch, profile };
}

export interface ProblemText { title: string; message: string; next: string }

export function describeProblem(problem: LaunchProblem): ProblemText {
  switch (problem.kind) {
    case 'unknown-issuer':
      return { title: S.unknownIssuerTitle, message: S.unknownIssuer(problem.iss), next: S.unknownIssuerNext };
    case 'override':
      return { title: S.errorTitle, message: S.overrideRefused(problem.names), next: S.overrideNext };
    case 'duplicate-param':
      return { title: S.errorTitle, message: S.duplicateParam(problem.name), next: S.overrideNext };
    case 'missing-iss':
      return { title: S.errorTitle, message: S.missingIss, next: S.missingIssNext };
    case 'missing-launch':
      return { title: S.errorTitle, message: S.missingLaunch, next: S.missingLaunchNext };
  }
}

/** Validates the untrusted /api/ehr-profiles answer by hand (no zod on the launch page). */
export function parseProfiles(json: unknown): PublicProfile[] {
  const list = (json as { profiles?: unknown } | null)?.profiles;
  if (!Array.isArray(list)) throw new Error('the profile list is missing');
  const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  return list.filter((p): p is PublicProfile => {
    const q = p as Record<string, unknown> | null;
    return !!q && isStr(q.id) && isStr(q.name) && isStr(q.clientId) && isStr(q.scopes)
      && (q.vendor === 'generic' || q.vendor === 'epic' || q.vendor === 'oracle')
      && Array.isArray(q.issuers) && q.issuers.every(isStr);
  });
}

/** base64url of `bytes` random bytes from the platform CSPRNG (≥16 bytes = 128 bits). */
export function randomStateKey(cryptoImpl: Pick<Crypto, 'getRandomValues'> = globalThis.crypto, bytes = 32): string {
  if (bytes < 16) throw new Error('a state key needs at least 128 random bits');
  const buf = new Uint8Array(bytes);
  cryptoImpl.getRandomValues(buf);
  let bin = '';
  for (const b of buf) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface AuthorizeConfig {
  issMatch: string; clientId: string; scope: string; redirectUri: string;
  pkceMode: 'required'; completeInTarget: boolean; stateKey: string;
  /** authorize() returns the EHR's sign-in address instead of going there: the endpoints are checked first */
  noRedirect: true;
}

/** One configuration per configured issuer, matched by exact string (fhirclient's array form). */
export function buildAuthorizeConfigs(profiles: readonly PublicProfile[], stateKey: string): AuthorizeConfig[] {
  return profiles.flatMap((p) => p.issuers.map((iss) => ({
    issMatch: iss,
    clientId: p.clientId,
    scope: p.scopes,
    redirectUri: './',
    pkceMode: 'required' as const,
    // Finish the authorization in the same window or frame: EHR frames (Epic, Oracle) have no pop-ups.
    completeInTarget: true,
    stateKey,
    noRedirect: true as const,
  })));
}

const isLoopback = (u: URL) => u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';

/** What fhirclient keeps from the EHR's discovery (its state, saved under the state key before the redirect). */
export interface DiscoveredEndpoints { authorizeUri?: unknown; tokenUri?: unknown; codeChallengeMethods?: unknown }

/**
 * The endpoints fhirclient is about to use must offer PKCE S256 and stay on https (or on the issuer's own origin,
 * e.g. a loopback sandbox): a tampered discovery must not send the code or verifier elsewhere. Checked on what
 * fhirclient read (its saved state), not on a second fetch of the discovery document, so what is checked is what is
 * used. Returns a problem description, or null when acceptable.
 */
export function checkDiscoveredEndpoints(iss: string, found: DiscoveredEndpoints | null | undefined): string | null {
  if (!found || typeof found !== 'object') return 'the discovery document could not be read';
  const methods = found.codeChallengeMethods;
  if (!Array.isArray(methods) || !methods.includes('S256')) return 'the EHR does not offer PKCE (S256)';
  const issUrl = new URL(iss);
  for (const [key, v] of [['authorization_endpoint', found.authorizeUri], ['token_endpoint', found.tokenUri]] as const) {
    if (typeof v !== 'string' || !v) return `${key} is missing`;
    let u: URL;
    try { u = new URL(v); } catch { return `${key} is not a URL`; }
    const sameOrigin = u.origin === issUrl.origin;
    if (u.protocol !== 'https:' && !(sameOrigin && (issUrl.protocol === 'https:' || isLoopback(issUrl)))) {
      return `${key} is not on https`;
    }
    if (u.username || u.password) return `${key} carries credentials`;
  }
  return null;
}
