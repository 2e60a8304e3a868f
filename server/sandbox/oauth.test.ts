import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl, exchangeCode, getSandboxToken, pkcePair, runAuthorize, SANDBOX_WRITER_CLIENT_ID, sandboxFhirBase, startSandboxServer,
  type RunningSandbox,
} from './testing.js';

let s: RunningSandbox;
let base: string;
const PATIENT = 'pt-uuhp-commercial';

beforeAll(async () => {
  s = await startSandboxServer();
  base = sandboxFhirBase(s.url);
});
afterAll(async () => s?.close());

async function launchId(mode = 'generic', patientId = PATIENT): Promise<string> {
  const res = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patientId, mode }) });
  return ((await res.json()) as { launch: string }).launch;
}

async function ehrCode(extra: { method?: string; scope?: string } = {}) {
  const { verifier, challenge } = pkcePair();
  const redirectUri = `${s.url}/`;
  const back = await runAuthorize(authorizeUrl(s.url, {
    aud: base, scope: extra.scope ?? 'launch openid fhirUser online_access patient/*.rs', state: 'st-123', challenge,
    redirectUri, launch: await launchId(), method: extra.method,
  }));
  return { back, verifier, redirectUri, code: back.searchParams.get('code') ?? '' };
}

describe('discovery', () => {
  it('serves a CapabilityStatement without a token, with SMART oauth-uris', async () => {
    const res = await fetch(`${base}/metadata`);
    expect(res.status).toBe(200);
    const cs = (await res.json()) as { resourceType: string; fhirVersion: string; rest: { security: { extension: { extension: { url: string; valueUri: string }[] }[] }; resource: { type: string; interaction: { code: string }[]; conditionalCreate?: boolean }[] }[] };
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    const uris = Object.fromEntries(cs.rest[0]!.security.extension[0]!.extension.map((e) => [e.url, e.valueUri]));
    expect(uris).toEqual({
      authorize: `${s.url}/sandbox/auth/authorize`, token: `${s.url}/sandbox/auth/token`,
      introspect: `${s.url}/sandbox/auth/introspect`, revoke: `${s.url}/sandbox/auth/revoke`,
    });
    const claim = cs.rest[0]!.resource.find((r) => r.type === 'Claim')!;
    expect(claim.interaction.map((i) => i.code)).toContain('create');
    expect(claim.conditionalCreate).toBe(true);
  });

  it('serves .well-known/smart-configuration for every vendor base', async () => {
    for (const b of [base, sandboxFhirBase(s.url, 'epic'), sandboxFhirBase(s.url, 'oracle'), sandboxFhirBase(s.url, 'oracle', '0b8a0111-e8e6-4c26-a91c-5069cbc6b1ca')]) {
      const res = await fetch(`${b}/.well-known/smart-configuration`);
      expect(res.status).toBe(200);
      const conf = (await res.json()) as Record<string, unknown>;
      expect(conf.issuer).toBe(b);
      expect(conf.code_challenge_methods_supported).toEqual(['S256']);
      expect(conf.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-v1', 'permission-v2', 'sso-openid-connect']));
      expect(conf.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
      expect(conf.authorization_endpoint).toBe(`${s.url}/sandbox/auth/authorize`);
    }
  });
});

describe('authorization code flow with PKCE', () => {
  it('EHR launch: echoes state and returns the patient, encounter, banner flag, style, id_token and refresh token', async () => {
    const { back, verifier, redirectUri, code } = await ehrCode();
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-123');
    const res = await exchangeCode(s.url, { code, verifier, redirectUri });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const t = (await res.json()) as Record<string, unknown>;
    expect(t).toMatchObject({
      token_type: 'Bearer', patient: PATIENT, encounter: 'enc-pt-uuhp-commercial', need_patient_banner: true,
      smart_style_url: `${s.url}/sandbox/smart-style.json`,
    });
    // patient/*.rs is narrowed to the types the app is registered for
    expect((t.scope as string).split(' ')).toEqual(expect.arrayContaining(['launch', 'openid', 'fhirUser', 'online_access', 'patient/Patient.rs', 'patient/Coverage.rs']));
    expect(t.scope as string).not.toContain('*');
    expect(typeof t.access_token).toBe('string');
    expect(t.expires_in).toBeGreaterThan(0);
    expect(typeof t.refresh_token).toBe('string');
    const style = await fetch(t.smart_style_url as string);
    expect(((await style.json()) as Record<string, string>).color_highlight).toMatch(/^#/);

    const jwks = createRemoteJWKSet(new URL(`${s.url}/sandbox/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(t.id_token as string, jwks, { issuer: base, audience: 'pump-refill-coder', algorithms: ['RS256'] });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('sandbox-clinician');
    expect(payload.fhirUser).toBe(`${base}/Practitioner/sandbox-clinician`);
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
  });

  it('the OpenID configuration under the issuer points to the same JWKS', async () => {
    const conf = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(conf).toMatchObject({ issuer: base, jwks_uri: `${s.url}/sandbox/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] });
  });

  it('refuses code_challenge_method=plain and a missing challenge with error=invalid_request, state echoed', async () => {
    const back = await runAuthorize(authorizeUrl(s.url, { aud: base, scope: 'launch patient/*.rs', state: 'x1', challenge: 'a'.repeat(43), redirectUri: `${s.url}/`, launch: await launchId(), method: 'plain' }));
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('x1');
    expect(back.searchParams.get('code')).toBeNull();
    const u = new URL(authorizeUrl(s.url, { aud: base, scope: 'launch patient/*.rs', state: 'x2', challenge: 'x', redirectUri: `${s.url}/`, launch: await launchId() }));
    u.searchParams.delete('code_challenge');
    const back2 = await runAuthorize(u.toString());
    expect(back2.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a wrong aud and an unknown launch', async () => {
    const { challenge } = pkcePair();
    const back = await runAuthorize(authorizeUrl(s.url, { aud: 'https://evil.example/fhir', scope: 'launch patient/*.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch: await launchId() }));
    expect(back.searchParams.get('error')).toBe('invalid_request');
    const back2 = await runAuthorize(authorizeUrl(s.url, { aud: base, scope: 'launch patient/*.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch: 'nope' }));
    expect(back2.searchParams.get('error')).toBe('invalid_request');
  });

  it('shows an error page (no redirect) for an unregistered redirect_uri or client', async () => {
    const { challenge } = pkcePair();
    for (const [redirectUri, clientId] of [['https://evil.example/', 'pump-refill-coder'], [`${s.url}/other`, 'pump-refill-coder'], [`${s.url}/`, 'someone-else']] as const) {
      const u = new URL(authorizeUrl(s.url, { aud: base, scope: 'launch', state: 's', challenge, redirectUri, launch: await launchId() }));
      u.searchParams.set('client_id', clientId);
      const res = await fetch(u, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('Authorization error');
    }
  });

  it('rejects a wrong verifier, a reused code and a different redirect_uri with invalid_grant', async () => {
    const a = await ehrCode();
    const wrong = await exchangeCode(s.url, { code: a.code, verifier: pkcePair().verifier, redirectUri: a.redirectUri });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');

    const b = await ehrCode();
    const first = await exchangeCode(s.url, { code: b.code, verifier: b.verifier, redirectUri: b.redirectUri });
    expect(first.status).toBe(200);
    const token = ((await first.json()) as { access_token: string }).access_token;
    const again = await exchangeCode(s.url, { code: b.code, verifier: b.verifier, redirectUri: b.redirectUri });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
    // the replay revoked what the code had issued
    const read = await fetch(`${base}/Patient/${PATIENT}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(401);

    const c = await ehrCode();
    const other = await exchangeCode(s.url, { code: c.code, verifier: c.verifier, redirectUri: `${s.url}/index.html` });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refresh_token gives a new access token and works only once', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const refresh = (token: string) => fetch(`${s.url}/sandbox/auth/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'pump-refill-coder' }),
    });
    const r1 = await refresh(t.refresh_token!);
    expect(r1.status).toBe(200);
    const t2 = (await r1.json()) as { access_token: string; refresh_token: string; patient: string; scope: string };
    expect(t2.access_token).not.toBe(t.access_token);
    expect(t2.patient).toBe(PATIENT);
    expect(t2.scope).toBe(t.scope);
    const read = await fetch(`${base}/Patient/${PATIENT}`, { headers: { authorization: `Bearer ${t2.access_token}` } });
    expect(read.status).toBe(200);
    // as fhirclient does for public clients: no client_id
    const r2 = await fetch(`${s.url}/sandbox/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t2.refresh_token }) });
    expect(r2.status).toBe(200);
    const reused = await refresh(t.refresh_token!);
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('no refresh token without online_access/offline_access', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/Patient.rs' });
    expect(t.refresh_token).toBeUndefined();
    expect(t.id_token).toBeUndefined();
    expect(t.scope).toBe('launch patient/Patient.rs');
  });

  it('standalone launch shows a patient picker (clients registered for launch/patient) and returns the chosen patient', async () => {
    const { challenge } = pkcePair();
    const res = await fetch(authorizeUrl(s.url, {
      aud: base, scope: 'launch/patient openid fhirUser patient/*.rs', state: 's', challenge, redirectUri: `${s.url}/sandbox/fixture-writer/callback`, clientId: SANDBOX_WRITER_CLIENT_ID,
    }));
    const html = await res.text();
    expect(html).toContain('Choose a patient');
    expect(html).toContain('Marisol Sandoval');
    const t = await getSandboxToken(s.url, { patientId: 'pt-medicare-ca', standalone: true, scopes: 'launch/patient openid fhirUser patient/*.rs', clientId: SANDBOX_WRITER_CLIENT_ID });
    expect(t.patient).toBe('pt-medicare-ca');
    expect(t.need_patient_banner).toBe(true);
    expect(t.scope).toBe('launch/patient openid fhirUser patient/*.rs');
  });

  it('admin sign-in (openid fhirUser) shows a user picker and the id_token names the admin', async () => {
    const { challenge } = pkcePair();
    const html = await (await fetch(authorizeUrl(s.url, { aud: base, scope: 'openid fhirUser', state: 's', challenge, redirectUri: `${s.url}/admin` }))).text();
    expect(html).toContain('Practitioner/sandbox-admin');
    expect(html).toContain('Practitioner/sandbox-clinician');
    const t = await getSandboxToken(s.url, { user: 'sandbox-admin', redirectUri: `${s.url}/admin` });
    expect(t.patient).toBeUndefined();
    const { payload } = await jwtVerify(t.id_token!, createRemoteJWKSet(new URL(`${s.url}/sandbox/.well-known/jwks.json`)), { issuer: base, audience: 'pump-refill-coder' });
    expect(payload.fhirUser).toBe(`${base}/Practitioner/sandbox-admin`);
  });

  it('authorize also accepts POST (authorize-post)', async () => {
    const { verifier, challenge } = pkcePair();
    const u = new URL(authorizeUrl(s.url, { aud: base, scope: 'launch patient/Patient.rs', state: 'p1', challenge, redirectUri: `${s.url}/`, launch: await launchId() }));
    const res = await fetch(`${s.url}/sandbox/auth/authorize`, { method: 'POST', body: u.searchParams, redirect: 'manual' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('p1');
    const tok = await exchangeCode(s.url, { code: back.searchParams.get('code')!, verifier, redirectUri: `${s.url}/` });
    expect(tok.status).toBe(200);
  });
});

describe('token endpoint input', () => {
  it('answers 400 (never 500) to junk', async () => {
    const post = (body: BodyInit, type = 'application/x-www-form-urlencoded') => fetch(`${s.url}/sandbox/auth/token`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('grant_type=password&username=x')).status).toBe(400);
    expect((await post('grant_type=authorization_code')).status).toBe(400);
    expect((await post('{"grant_type":"authorization_code"}', 'application/json')).status).toBe(400);
    expect((await post(`grant_type=authorization_code&code=${'x'.repeat(70_000)}`)).status).toBe(413);
  });
});
