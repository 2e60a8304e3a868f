/**
 * The sandbox's SMART authorization server: discovery, authorize (EHR launch, standalone with a patient or
 * user picker; auto-approved), token (authorization_code with PKCE S256, refresh_token), JWKS and the id_token.
 * Registered clients (clients.ts): "pump-refill-coder" (the app) and the sandbox's fixture writer; a token carries
 * only scopes its client is registered for and asked for. Launch handles are single-use; token families are
 * revoked as a whole on code replay, refresh-token reuse or revocation. Introspection (RFC 7662) and revocation
 * (RFC 7009) endpoints are offered as a certified EHR's would be.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { FhirBase, SandboxUrls } from './bases.js';
import type { Directory } from './directory.js';
import { patientName } from './directory.js';
import { html, page } from './html.js';
import { findClient, type SandboxClient } from './clients.js';
import { sameOrigin } from './forms.js';
import { grantScopes, isSubset, splitScopes, type GrantContext } from './scopes.js';
import {
  AuthState, CODE_TTL_SECONDS, PENDING_TTL_SECONDS, randomHandle, REFRESH_TTL_SECONDS,
  type AuthorizeRequest, type CodeGrant, type Grant,
} from './state.js';
import { CLINICIAN_ID, userLabel } from './users.js';

export const CLIENT_ID = 'pump-refill-coder';

export const introspectionUrl = (urls: SandboxUrls) => `${urls.sandbox}/auth/introspect`;
export const revocationUrl = (urls: SandboxUrls) => `${urls.sandbox}/auth/revoke`;

export const SMART_CAPABILITIES = [
  'launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-ehr-encounter',
  'context-standalone-patient', 'context-banner', 'context-style', 'permission-v1', 'permission-v2',
  'permission-patient', 'permission-user', 'permission-offline', 'permission-online', 'sso-openid-connect', 'authorize-post',
];

export const SMART_STYLE = {
  color_background: '#f6f8fa',
  color_error: '#a4001d',
  color_highlight: '#0b5cad',
  color_modal_backdrop: 'rgba(0,0,0,0.4)',
  color_success: '#1e7b34',
  color_text: '#1b2733',
  dim_border_radius: '4px',
  dim_font_size: '14px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
};

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = randomHandle().slice(0, 16);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

export function smartConfiguration(urls: SandboxUrls, base: FhirBase): Record<string, unknown> {
  return {
    issuer: base.url,
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    introspection_endpoint: introspectionUrl(urls),
    revocation_endpoint: revocationUrl(urls),
    token_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    scopes_supported: [
      'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'online_access', 'offline_access',
      'patient/*.rs', 'patient/*.read', 'user/*.rs', 'user/*.read',
    ],
    capabilities: SMART_CAPABILITIES,
    code_challenge_methods_supported: ['S256'],
  };
}

export function openidConfiguration(urls: SandboxUrls, base: FhirBase): Record<string, unknown> {
  return {
    issuer: base.url,
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'fhirUser', 'profile'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'fhirUser'],
  };
}

interface OAuthDeps {
  urls: SandboxUrls;
  state: AuthState;
  directory: Directory;
  key: SigningKey;
}

type Params = Record<string, unknown>;
const str = (p: Params, k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);

function errorPage(res: Response, status: number, message: string): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page('Sandbox EHR: authorization error', html`
<h1>Authorization error</h1><p class="error">${message}</p>
<p class="muted">The sandbox did not redirect back to the app because the request could not be trusted.</p>`));
}

function redirectTo(res: Response, method: string, redirectUri: string, params: Record<string, string | undefined>): void {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  res.set('Cache-Control', 'no-store').redirect(method === 'GET' ? 302 : 303, u.toString());
}

export function createOAuthRouter(deps: OAuthDeps): express.Router {
  const { urls, state, directory, key } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  // The EHR's look for embedded apps (SMART styling); public, and fetched cross-origin by apps on other hosts.
  router.get('/smart-style.json', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'public, max-age=3600').json(SMART_STYLE);
  });
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.json({ keys: [key.publicJwk] });
  });

  async function issueCode(res: Response, method: string, request: AuthorizeRequest, grant: Omit<CodeGrant, 'clientId' | 'redirectUri' | 'codeChallenge' | 'familyId'>) {
    if (grant.scopes.length === 0) {
      return redirectTo(res, method, request.redirectUri, {
        error: 'invalid_scope', error_description: `none of the requested scopes can be granted to ${request.clientId} in this launch`, state: request.state,
      });
    }
    const code = randomHandle();
    state.codes.set(code, {
      ...grant, clientId: request.clientId, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge, familyId: state.newFamily(),
    }, CODE_TTL_SECONDS);
    redirectTo(res, method, request.redirectUri, { code, state: request.state });
  }

  const grantFor = (client: SandboxClient, base: FhirBase, kind: GrantContext['kind'], scope: string, hasPatient: boolean, deniedTypes?: string[]) =>
    grantScopes(scope, { registered: client.scopes, hasPatient, hasUser: true, kind, deniedTypes, adjust: (sc) => base.mode.adjustScope(sc) });

  async function authorize(req: Request, res: Response): Promise<void> {
    const p: Params = (req.method === 'POST' ? req.body : req.query) ?? {};
    const clientId = str(p, 'client_id');
    const redirectUri = str(p, 'redirect_uri');
    const client = findClient(clientId);
    if (!client || !clientId) return errorPage(res, 400, `Unknown client_id: ${clientId ?? '(missing)'}. The sandbox knows the client "${CLIENT_ID}".`);
    const registeredUris = client.redirectUris(urls);
    if (!redirectUri || !registeredUris.includes(redirectUri)) {
      return errorPage(res, 400, `redirect_uri ${redirectUri ?? '(missing)'} is not registered for ${clientId}. Registered: ${registeredUris.join(', ')}`);
    }
    const stateParam = str(p, 'state');
    const fail = (error: string, description: string) =>
      redirectTo(res, req.method, redirectUri, { error, error_description: description, state: stateParam });
    if (str(p, 'response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be "code"');
    if (!stateParam) return fail('invalid_request', 'state is required');
    const base = urls.resolve(str(p, 'aud'));
    if (!base) return fail('invalid_request', 'aud must be the FHIR base URL of this sandbox (the iss)');
    const challenge = str(p, 'code_challenge');
    if (str(p, 'code_challenge_method') !== 'S256') return fail('invalid_request', 'PKCE is required with code_challenge_method=S256 (plain is not supported)');
    if (!challenge || !/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) return fail('invalid_request', 'code_challenge is missing or malformed');
    const scope = str(p, 'scope') ?? '';
    if (splitScopes(scope).length === 0) return fail('invalid_scope', 'scope is required');
    const request: AuthorizeRequest = { clientId, redirectUri, scope, state: stateParam, base: base.url, codeChallenge: challenge };

    const launch = str(p, 'launch');
    if (launch) {
      // single use: whatever happens next, this launch handle is spent
      const ctx = state.takeLaunch(launch);
      if (!ctx) return fail('invalid_request', 'unknown, expired or already used launch');
      if (ctx.base !== base.url) return fail('invalid_request', 'this launch was made for another FHIR server (aud)');
      const scopes = grantFor(client, base, 'ehr', scope, true, ctx.deniedTypes);
      return issueCode(res, req.method, request, {
        scopes, patientId: ctx.patientId, encounterId: ctx.encounterId, userId: ctx.userId,
        needPatientBanner: ctx.needPatientBanner, base: base.url,
      });
    }
    // Standalone: a picker (auto-approved otherwise). The patient picker only for clients registered for it.
    const wantsPatient = splitScopes(scope).includes('launch/patient') && client.scopes.includes('launch/patient');
    const id = randomHandle();
    state.pending.set(id, { request, kind: wantsPatient ? 'patient' : 'user' }, PENDING_TTL_SECONDS);
    res.set('Cache-Control', 'no-store').type('html');
    if (wantsPatient) {
      const patients = await directory.patients();
      res.send(page('Sandbox EHR: choose a patient', html`
<h1>Choose a patient</h1>
<p class="muted">Standalone launch of ${clientId} against ${base.url}</p>
<form method="post" action="${urls.sandboxPath}/auth/pick">
<input type="hidden" name="request" value="${id}">
<table><thead><tr><th>Patient</th><th>Birth date</th><th>Id</th><th></th></tr></thead><tbody>
${patients.map((pt) => html`<tr><td>${patientName(pt)}</td><td>${pt.birthDate ?? ''}</td><td>${pt.id}</td>
<td><button type="submit" name="patient" value="${pt.id}">Select</button></td></tr>`)}
</tbody></table></form>`));
    } else {
      res.send(page('Sandbox EHR: sign in', html`
<h1>Sign in to the sandbox EHR</h1>
<p class="muted">${clientId} asks to sign you in (${base.url}). Choose a sandbox user:</p>
<form method="post" action="${urls.sandboxPath}/auth/pick">
<input type="hidden" name="request" value="${id}">
<ul>${directory.users().map((u) => html`<li><button type="submit" name="user" value="${u.id}">${userLabel(u)}</button>
<span class="muted">Practitioner/${u.id}</span></li>`)}</ul></form>`));
    }
  }

  router.get('/auth/authorize', (req, res, next) => { authorize(req, res).catch(next); });
  router.post('/auth/authorize', form, (req, res, next) => { authorize(req, res).catch(next); });

  router.post('/auth/pick', form, async (req, res, next) => {
    try {
      if (!sameOrigin(req, new URL(urls.publicUrl).origin)) return errorPage(res, 403, 'This sign-in form was posted from another site.');
      const body: Params = req.body ?? {};
      const id = str(body, 'request') ?? '';
      const pending = state.pending.get(id);
      if (!pending) return errorPage(res, 400, 'This sign-in page has expired or was already used. Start the launch again from the app.');
      state.pending.delete(id);
      const { request } = pending;
      const base = urls.resolve(request.base)!;
      const client = findClient(request.clientId)!;
      if (pending.kind === 'patient') {
        const patient = await directory.patient(str(body, 'patient') ?? '');
        if (!patient?.id) return errorPage(res, 400, 'Unknown patient');
        const wantsEncounter = splitScopes(request.scope).includes('launch/encounter');
        const encounterId = wantsEncounter ? await directory.latestEncounterId(patient.id) : undefined;
        return await issueCode(res, 'POST', request, {
          scopes: grantFor(client, base, 'standalone-patient', request.scope, true),
          patientId: patient.id, encounterId, userId: CLINICIAN_ID, needPatientBanner: true, base: base.url,
        });
      }
      const user = directory.users().find((u) => u.id === str(body, 'user'));
      if (!user?.id) return errorPage(res, 400, 'Unknown user');
      return await issueCode(res, 'POST', request, {
        scopes: grantFor(client, base, 'standalone-user', request.scope, false),
        userId: user.id, needPatientBanner: true, base: base.url,
      });
    } catch (err) {
      next(err);
    }
  });

  async function tokenResponse(grant: Grant): Promise<Record<string, unknown>> {
    const base = urls.resolve(grant.base)!;
    const accessToken = randomHandle();
    state.accessTokens.set(accessToken, grant, base.mode.accessTokenSeconds);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: base.mode.accessTokenSeconds,
      scope: grant.scopes.join(' '),
      need_patient_banner: grant.needPatientBanner,
      smart_style_url: urls.style,
    };
    if (grant.patientId) body.patient = grant.patientId;
    if (grant.encounterId) body.encounter = grant.encounterId;
    if (base.tenant) body.tenant = base.tenant;
    if (grant.scopes.includes('openid')) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {};
      if (grant.scopes.includes('fhirUser') || grant.scopes.includes('profile')) claims.fhirUser = `${base.url}/Practitioner/${grant.userId}`;
      body.id_token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setIssuer(base.url)
        .setAudience(grant.clientId)
        .setSubject(grant.userId)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key.privateKey);
    }
    if (grant.scopes.includes('online_access') || grant.scopes.includes('offline_access')) {
      const refreshToken = randomHandle();
      state.refreshTokens.set(refreshToken, { grant, used: false }, REFRESH_TTL_SECONDS);
      state.touchFamily(grant.familyId);
      body.refresh_token = refreshToken;
    }
    return body;
  }

  router.post('/auth/token', form, async (req, res, next) => {
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
    const p: Params = req.body ?? {};
    const oauthError = (error: string, description: string, status = 400) => {
      res.status(status).json({ error, error_description: description });
    };
    try {
      const grantType = str(p, 'grant_type');
      const clientId = str(p, 'client_id');
      if (grantType === 'authorization_code') {
        const code = str(p, 'code') ?? '';
        const grant = state.codes.get(code);
        if (!grant) return oauthError('invalid_grant', 'the code is unknown or expired');
        if (grant.redeemed) {
          // A replayed code revokes everything it issued and everything refreshed from that (RFC 6749 §4.1.2).
          state.revokeFamily(grant.familyId);
          return oauthError('invalid_grant', 'the code was already used');
        }
        if (clientId !== grant.clientId) return oauthError('invalid_client', 'client_id does not match the code', 401);
        if (str(p, 'redirect_uri') !== grant.redirectUri) return oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
        const verifier = str(p, 'code_verifier') ?? '';
        if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return oauthError('invalid_grant', 'code_verifier is missing or malformed');
        const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
        const expected = Buffer.from(grant.codeChallenge);
        if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
          return oauthError('invalid_grant', 'code_verifier does not match the code_challenge');
        }
        const { redirectUri: _r, codeChallenge: _c, redeemed: _d, ...rest } = grant;
        grant.redeemed = true;
        if (!state.isLive(rest)) return oauthError('invalid_grant', 'the code was revoked');
        return res.json(await tokenResponse(rest));
      }
      if (grantType === 'refresh_token') {
        const token = str(p, 'refresh_token') ?? '';
        const record = state.refreshTokens.get(token);
        if (!record) return oauthError('invalid_grant', 'the refresh token is unknown or expired');
        const { grant } = record;
        if (record.used) {
          // Reuse of a rotated refresh token: someone holds a copy. Revoke the family, descendants included.
          state.revokeFamily(grant.familyId);
          return oauthError('invalid_grant', 'the refresh token was already used; every token issued from this sign-in is now revoked');
        }
        if (!state.isLive(grant)) return oauthError('invalid_grant', 'the refresh token was revoked');
        // fhirclient sends no client_id on refresh for public clients (refreshTokenWithClientId is off by default)
        if (clientId !== undefined && clientId !== grant.clientId) return oauthError('invalid_client', 'client_id does not match the refresh token', 401);
        const requested = str(p, 'scope');
        const scopes = requested !== undefined ? splitScopes(requested) : grant.scopes;
        if (requested !== undefined && (scopes.length === 0 || !isSubset(scopes, grant.scopes))) {
          return oauthError('invalid_scope', 'a refresh may only narrow the scopes granted at sign-in');
        }
        record.used = true; // rotation: each refresh token works once
        return res.json(await tokenResponse({ ...grant, scopes }));
      }
      return oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    } catch (err) {
      next(err);
    }
  });

  /** The grant behind an access or refresh token, when still live. */
  function lookup(token: string): { grant: Grant; expiresAt: number; kind: 'access' | 'refresh' } | undefined {
    const access = state.activeAccess(token);
    if (access) return { ...access, kind: 'access' };
    const refresh = state.refreshTokens.entry(token);
    if (refresh && !refresh.value.used && state.isLive(refresh.value.grant)) return { grant: refresh.value.grant, expiresAt: refresh.expiresAt, kind: 'refresh' };
    return undefined;
  }

  // Token introspection (RFC 7662), for resource servers: the caller authenticates with a live access token.
  router.post('/auth/introspect', form, (req, res) => {
    res.set('Cache-Control', 'no-store');
    const caller = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.get('authorization') ?? '');
    if (!caller || !state.activeAccess(caller[1]!)) {
      res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_client', error_description: 'introspection needs Authorization: Bearer <a live access token>' });
      return;
    }
    const token = str(req.body ?? {}, 'token') ?? '';
    const found = lookup(token);
    if (!found) {
      res.json({ active: false });
      return;
    }
    const { grant } = found;
    const base = urls.resolve(grant.base);
    res.json({
      active: true,
      scope: grant.scopes.join(' '),
      client_id: grant.clientId,
      token_type: found.kind === 'access' ? 'Bearer' : 'refresh_token',
      exp: Math.floor(found.expiresAt / 1000),
      sub: grant.userId,
      aud: grant.base,
      iss: base?.url ?? grant.base,
      fhirUser: `${grant.base}/Practitioner/${grant.userId}`,
      ...(grant.patientId ? { patient: grant.patientId } : {}),
      ...(grant.encounterId ? { encounter: grant.encounterId } : {}),
    });
  });

  // Token revocation (RFC 7009): revokes the token's whole family. Unknown tokens answer 200 as the RFC says.
  router.post('/auth/revoke', form, (req, res) => {
    res.set('Cache-Control', 'no-store');
    const p: Params = req.body ?? {};
    const token = str(p, 'token') ?? '';
    const found = lookup(token) ?? (() => {
      const r = state.refreshTokens.entry(token);
      return r ? { grant: r.value.grant } : undefined;
    })();
    const clientId = str(p, 'client_id');
    if (found && clientId !== undefined && clientId !== found.grant.clientId) {
      res.status(401).json({ error: 'invalid_client', error_description: 'client_id does not match the token' });
      return;
    }
    if (found) state.revokeFamily(found.grant.familyId);
    res.status(200).json({});
  });

  return router;
}

export { AuthState };
