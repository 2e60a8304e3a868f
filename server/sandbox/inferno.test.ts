/**
 * The sandbox as a certified EHR would be checked: the ONC (g)(10) / Inferno SMART server checks that
 * research/security.md lists (limited scope grant, restricted access, invalid launch/aud/PKCE, token revocation,
 * refresh), and the attacks of issue 10 item 2 (scope inflation, compartment escapes through batch entries,
 * conditional creates, modifiers and `_total`, shared-resource writes, reusable launches, refresh-token reuse,
 * script in narrative, cross-site form posts, an unauthenticated patient listing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLINICIAN_SCOPES } from '../../launch/profiles.js';
import { APP_CLIENT, SANDBOX_CLIENTS, WRITER_CLIENT_ID } from './clients.js';
import { AuthState, LAUNCH_TTL_SECONDS } from './state.js';
import {
  authorizeUrl, exchangeCode, getSandboxToken, pkcePair, runAuthorize, sandboxFhirBase, startSandboxServer,
  type RunningSandbox, type SandboxToken,
} from './testing.js';

let s: RunningSandbox;
let base: string;
let clock = 0;
const PATIENT = 'pt-uuhp-commercial';
const OTHER = 'pt-medicare-ca';
const OTHER_CONDITION = 'cond-pt-medicare-ca-1';

beforeAll(async () => {
  s = await startSandboxServer({ now: () => Date.now() + clock });
  base = sandboxFhirBase(s.url);
});
afterAll(async () => s?.close());

function fhir(token: SandboxToken | string | undefined, path: string, init: RequestInit = {}, fhirBase = base) {
  const headers = new Headers(init.headers);
  const t = typeof token === 'string' ? token : token?.access_token;
  if (t) headers.set('authorization', `Bearer ${t}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  return fetch(`${fhirBase}/${path}`, { ...init, headers });
}
const json = async <T = any>(res: Response): Promise<T> => (await res.json()) as T;
const scopesOf = (t: { scope: string }) => t.scope.split(' ');
const tokenEndpoint = () => `${s.url}/sandbox/auth/token`;
const refresh = (token: string, extra: Record<string, string> = {}) =>
  fetch(tokenEndpoint(), { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, ...extra }) });
const introspect = (token: string, caller: string) => fetch(`${s.url}/sandbox/auth/introspect`, {
  method: 'POST', headers: { authorization: `Bearer ${caller}` }, body: new URLSearchParams({ token }),
});

async function newLaunch(patientId = PATIENT, mode = 'generic'): Promise<string> {
  const res = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patientId, mode }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { launch: string }).launch;
}

/** A patient-scoped token of the fixture-writer client (registered for patient/*.cruds): the strongest patient token. */
const patientWriter = () => getSandboxToken(s.url, { patientId: PATIENT, clientId: WRITER_CLIENT_ID, scopes: 'launch openid fhirUser patient/*.cruds' });

describe('scopes: granted ⊆ registered ∩ requested (limited scope grant)', () => {
  it('the app client is registered for every scope the app asks for (CLINICIAN_SCOPES and the admin sign-in)', () => {
    const registered = new Set(APP_CLIENT.scopes);
    // the one deliberate narrowing: Binary is read by id only (patient-scoped Binary searches are refused)
    expect(CLINICIAN_SCOPES.split(' ').filter((x) => !registered.has(x) && x !== 'patient/Binary.rs')).toEqual([]);
    for (const x of ['openid', 'fhirUser', 'patient/Medication.rs', 'patient/DocumentReference.rs', 'patient/Binary.r', 'user/PractitionerRole.rs']) {
      expect(registered.has(x), x).toBe(true);
    }
    expect(APP_CLIENT.scopes.filter((x) => x.includes('*'))).toEqual([]);
    expect(SANDBOX_CLIENTS.map((c) => c.id)).toContain(WRITER_CLIENT_ID);
  });

  it('the app launching with CLINICIAN_SCOPES gets exactly what it asked for (Binary read by id only)', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: CLINICIAN_SCOPES });
    expect(t.scope).toBe(CLINICIAN_SCOPES.split(' ').map((x) => (x === 'patient/Binary.rs' ? 'patient/Binary.r' : x)).join(' '));
  });

  it('user/*.cruds is never granted to the app, in any mode; the token then cannot read another patient or write a Condition', async () => {
    for (const mode of ['generic', 'epic', 'oracle'] as const) {
      const t = await getSandboxToken(s.url, { patientId: PATIENT, mode, scopes: 'launch openid fhirUser user/*.cruds patient/Patient.rs' });
      // narrowed to the shared directory types the app is registered for at user level, read only
      expect(t.scope, mode).toBe('launch openid fhirUser user/Practitioner.rs user/PractitionerRole.rs user/Organization.rs user/Location.rs user/Medication.rs patient/Patient.rs');
      expect([403, 404], mode).toContain((await fhir(t, `Patient/${OTHER}`, {}, t.fhirBase)).status);
      expect((await fhir(t, `Condition?patient=${OTHER}`, {}, t.fhirBase)).status, mode).toBe(403);
    }
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch user/*.cruds user/Condition.write patient/Condition.write' });
    expect(t.scope.split(' ').filter((x) => /Condition|\*|\.[a-z]*[cud]/.test(x))).toEqual([]);
    const res = await fhir(t, 'Condition', { method: 'POST', body: JSON.stringify({ resourceType: 'Condition', subject: { reference: `Patient/${PATIENT}` } }) });
    expect(res.status).toBe(403);
  });

  it('a wildcard request is narrowed to the registered types (v2 letters), never widened', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/*.rs' });
    const granted = scopesOf(t);
    expect(granted).toContain('patient/Coverage.rs');
    expect(granted).toContain('patient/Claim.rs');
    expect(granted.some((x) => x.includes('*'))).toBe(false);
    expect(granted).not.toContain('patient/Observation.rs');
    expect((await fhir(t, 'Observation')).status).toBe(403);
    const w = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/*.cruds' });
    // only the writes the app is registered for: create and update of Claim and DocumentReference, create of Provenance, no delete
    expect(scopesOf(w).filter((x) => /\.[a-z]*d/.test(x))).toEqual([]);
    expect(scopesOf(w).filter((x) => /\.[a-z]*[cu]/.test(x))).toEqual(['patient/Claim.crus', 'patient/DocumentReference.crus', 'patient/Provenance.crs']);
  });

  it('SMART v1 scopes: granted in the spelling asked for when wholly allowed, narrowed to v2 letters otherwise', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/Patient.read patient/Claim.write patient/Claim.read' });
    expect(t.scope).toBe('launch patient/Patient.read patient/Claim.cu patient/Claim.read');
    expect((await fhir(t, `Patient/${PATIENT}`)).status).toBe(200);
    const epic = await getSandboxToken(s.url, { patientId: PATIENT, mode: 'epic', scopes: 'launch patient/Claim.write patient/DocumentReference.write' });
    expect(epic.scope).toBe('launch patient/DocumentReference.cu');
  });

  it('patient/ scopes need a patient in context; launch/patient only in a standalone launch; launch only with a launch', async () => {
    // a user sign-in (no patient chosen) grants no patient/ scope, and no launch
    const signIn = await getSandboxToken(s.url, { user: 'sandbox-admin', scopes: 'openid fhirUser patient/Patient.rs launch user/Practitioner.rs' });
    expect(signIn.scope).toBe('openid fhirUser user/Practitioner.rs');
    expect(signIn.patient).toBeUndefined();
    // the app is not registered for launch/patient: asking for it shows no patient picker
    const { challenge } = pkcePair();
    const page = await (await fetch(authorizeUrl(s.url, { aud: base, scope: 'launch/patient openid fhirUser patient/Patient.rs', state: 's', challenge, redirectUri: `${s.url}/` }))).text();
    expect(page).not.toContain('Choose a patient');
    const ehr = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch launch/patient launch/encounter patient/Patient.rs' });
    expect(ehr.scope).toBe('launch patient/Patient.rs');
  });

  it('limited scope grant: types the patient withheld at the launch are not granted and answer 403', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: CLINICIAN_SCOPES, deny: ['Coverage', 'Condition'] });
    expect(scopesOf(t).filter((x) => /Coverage|Condition/.test(x))).toEqual([]);
    expect(scopesOf(t)).toContain('patient/Device.rs');
    const denied = await fhir(t, 'Coverage');
    expect(denied.status).toBe(403);
    expect((await json(denied)).resourceType).toBe('OperationOutcome');
    expect((await fhir(t, `Coverage/cov-${PATIENT}`)).status).toBe(403);
    expect((await fhir(t, 'Device')).status).toBe(200);
    const bad = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patientId: PATIENT, deny: ['NotAType'] }) });
    expect(bad.status).toBe(400);
  });

  it('an EHR launch can be made for another sandbox user (the id_token and introspection name that user)', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, user: 'sandbox-admin' });
    expect(JSON.parse(Buffer.from(t.id_token!.split('.')[1]!, 'base64url').toString()).sub).toBe('sandbox-admin');
    expect((await fhir(t, `Patient/${PATIENT}`)).status).toBe(200);
    const bad = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patientId: PATIENT, userId: 'nobody' }) });
    expect(bad.status).toBe(400);
  });

  it('an authorize request with no grantable scope is refused with invalid_scope (no code)', async () => {
    const { challenge } = pkcePair();
    for (const scope of ['system/*.rs', 'patient/Nope.rs bogus', 'user/Observation.write patient/Observation.rs', 'launch/patient']) {
      const back = await runAuthorize(authorizeUrl(s.url, { aud: base, scope, state: 'st', challenge, redirectUri: `${s.url}/`, launch: await newLaunch() }));
      expect(back.searchParams.get('error'), scope).toBe('invalid_scope');
      expect(back.searchParams.get('code')).toBeNull();
      expect(back.searchParams.get('state')).toBe('st');
    }
  });

  it('the granted scope string is exactly what the FHIR endpoint and introspection enforce', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch online_access patient/Patient.rs patient/Coverage.rs' });
    expect(t.scope).toBe('launch online_access patient/Patient.rs patient/Coverage.rs');
    expect((await fhir(t, 'Coverage')).status).toBe(200);
    expect((await fhir(t, 'Device')).status).toBe(403);
    const info = await json(await introspect(t.access_token, t.access_token));
    expect(info).toMatchObject({ active: true, scope: t.scope, client_id: 'pump-refill-coder', patient: PATIENT, token_type: 'Bearer', sub: 'sandbox-clinician' });
    expect(info.exp).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('refresh and revocation (token_revocation_group, refresh)', () => {
  it('a refresh may narrow the scope (downgrade) but not widen it', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch online_access patient/Patient.rs patient/Coverage.rs' });
    const down = await refresh(t.refresh_token!, { scope: 'online_access patient/Patient.rs' });
    expect(down.status).toBe(200);
    const d = await json(down);
    expect(d.scope).toBe('online_access patient/Patient.rs');
    expect((await fhir(d.access_token, 'Coverage')).status).toBe(403);
    expect((await fhir(d.access_token, `Patient/${PATIENT}`)).status).toBe(200);
    const up = await refresh(d.refresh_token, { scope: 'patient/Patient.rs patient/Device.rs' });
    expect(up.status).toBe(400);
    expect((await json(up)).error).toBe('invalid_scope');
  });

  it('reuse of a rotated refresh token revokes the whole family, descendants included', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const r1 = await json(await refresh(t.refresh_token!));
    const r2 = await json(await refresh(r1.refresh_token));
    expect((await fhir(r2.access_token, `Patient/${PATIENT}`)).status).toBe(200);
    const reuse = await refresh(t.refresh_token!);
    expect(reuse.status).toBe(400);
    expect((await json(reuse)).error).toBe('invalid_grant');
    for (const access of [t.access_token, r1.access_token, r2.access_token]) {
      const res = await fhir(access, `Patient/${PATIENT}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    }
    expect((await refresh(r2.refresh_token)).status).toBe(400);
  });

  it('a replayed authorization code revokes the tokens it issued and their refreshed descendants', async () => {
    const { verifier, challenge } = pkcePair();
    const back = await runAuthorize(authorizeUrl(s.url, { aud: base, scope: 'launch online_access patient/Patient.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch: await newLaunch() }));
    const code = back.searchParams.get('code')!;
    const first = await json(await exchangeCode(s.url, { code, verifier, redirectUri: `${s.url}/` }));
    const child = await json(await refresh(first.refresh_token));
    expect((await fhir(child.access_token, `Patient/${PATIENT}`)).status).toBe(200);
    expect((await exchangeCode(s.url, { code, verifier, redirectUri: `${s.url}/` })).status).toBe(400);
    expect((await fhir(child.access_token, `Patient/${PATIENT}`)).status).toBe(401);
    expect((await refresh(child.refresh_token)).status).toBe(400);
  });

  it('revocation (RFC 7009) ends the access token and the refresh token; introspection then says inactive', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const caller = await getSandboxToken(s.url, { patientId: PATIENT });
    const rev = await fetch(`${s.url}/sandbox/auth/revoke`, { method: 'POST', body: new URLSearchParams({ token: t.refresh_token!, client_id: 'pump-refill-coder' }) });
    expect(rev.status).toBe(200);
    expect((await fhir(t, `Patient/${PATIENT}`)).status).toBe(401);
    expect((await refresh(t.refresh_token!)).status).toBe(400);
    expect(await json(await introspect(t.access_token, caller.access_token))).toEqual({ active: false });
    // introspection needs an authenticated caller
    expect((await introspect(caller.access_token, 'not-a-token')).status).toBe(401);
    const conf = await json(await fetch(`${base}/.well-known/smart-configuration`));
    expect(conf).toMatchObject({ introspection_endpoint: `${s.url}/sandbox/auth/introspect`, revocation_endpoint: `${s.url}/sandbox/auth/revoke` });
  });

  it('a missing, unknown or expired token answers 401 with WWW-Authenticate and an OperationOutcome', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    for (const token of [undefined, 'nope', t.access_token.slice(1)]) {
      const res = await fhir(token, `Patient/${PATIENT}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect((await json(res)).resourceType).toBe('OperationOutcome');
    }
    clock += 3601_000; // past the access token's lifetime
    try {
      const res = await fhir(t, `Patient/${PATIENT}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await json(await introspect(t.access_token, (await getSandboxToken(s.url, { patientId: PATIENT })).access_token))).toEqual({ active: false });
    } finally {
      clock = 0;
    }
  });
});

describe('launch handles (invalid launch)', () => {
  it('are single-use: a second authorize with the same launch gets no code', async () => {
    const launch = await newLaunch();
    const { challenge } = pkcePair();
    const url = authorizeUrl(s.url, { aud: base, scope: 'launch patient/Patient.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch });
    expect((await runAuthorize(url)).searchParams.get('code')).toBeTruthy();
    const again = await runAuthorize(url);
    expect(again.searchParams.get('code')).toBeNull();
    expect(again.searchParams.get('error')).toBe('invalid_request');
  });

  it('are short-lived (at most 5 minutes)', () => {
    expect(LAUNCH_TTL_SECONDS).toBeLessThanOrEqual(300);
    let now = 0;
    const state = new AuthState(() => now);
    const id = state.createLaunch({ patientId: PATIENT, userId: 'u', needPatientBanner: true, base });
    now = (LAUNCH_TTL_SECONDS + 1) * 1000;
    expect(state.takeLaunch(id)).toBeUndefined();
  });
});

describe('PKCE, redirect URI and aud (invalid PKCE / aud groups)', () => {
  it('refuses a missing, blank, wrong or plain verifier', async () => {
    for (const verifier of [undefined, '', pkcePair().verifier, 'plain-verifier-'.repeat(4)]) {
      const { challenge } = pkcePair();
      const back = await runAuthorize(authorizeUrl(s.url, { aud: base, scope: 'launch patient/Patient.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch: await newLaunch() }));
      const body = new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: `${s.url}/`, client_id: 'pump-refill-coder' });
      if (verifier !== undefined) body.set('code_verifier', verifier);
      const res = await fetch(tokenEndpoint(), { method: 'POST', body });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_grant');
    }
  });

  it('matches the redirect URI byte for byte (no prefix, query, case or slash variants)', async () => {
    const { challenge } = pkcePair();
    const host = new URL(s.url).host;
    for (const redirectUri of [`${s.url}/?x=1`, `${s.url}//`, `${s.url}/index.html#x`, `http://${host.toUpperCase()}/`, `${s.url}/admin/x`, `${s.url}/%2e/`]) {
      const res = await fetch(authorizeUrl(s.url, { aud: base, scope: 'launch', state: 's', challenge, redirectUri, launch: await newLaunch() }), { redirect: 'manual' });
      expect(res.status, redirectUri).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('a wrong aud gives no code', async () => {
    const { challenge } = pkcePair();
    for (const aud of [`${base}/`.replace(/\/$/, 'x'), 'https://evil.example/fhir', sandboxFhirBase(s.url, 'epic')]) {
      const back = await runAuthorize(authorizeUrl(s.url, { aud, scope: 'launch patient/Patient.rs', state: 's', challenge, redirectUri: `${s.url}/`, launch: await newLaunch() }));
      expect(back.searchParams.get('code'), aud).toBeNull();
    }
  });
});

describe('the patient compartment on every interaction (restricted access)', () => {
  it('reading another patient\'s data answers 403/404 OperationOutcome, the same for existing and missing ids', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const other = await fhir(t, `Condition/${OTHER_CONDITION}`);
    const missing = await fhir(t, 'Condition/does-not-exist');
    expect(other.status).toBe(missing.status);
    expect((await json(other)).resourceType).toBe('OperationOutcome');
    expect(await fhir(t, `Condition/${OTHER_CONDITION}/_history/1`).then((r) => r.status)).toBe(missing.status);
  });

  it('no count oracle through patient:not, patient:missing or other modifiers with _total', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    for (const q of [`Condition?patient:not=Patient/${PATIENT}&_total=accurate`, `Condition?subject:not=Patient/${PATIENT}&_summary=count`,
      'Condition?patient:missing=false&_total=accurate', `Condition?patient:above=Patient/${PATIENT}`]) {
      const res = await fhir(t, q);
      if (res.status === 200) {
        const b = await json(res);
        expect(b.total ?? 0, q).toBeLessThanOrEqual(2);
        for (const e of b.entry ?? []) expect(e.resource.subject.reference, q).toBe(`Patient/${PATIENT}`);
      } else {
        expect([400, 403], q).toContain(res.status);
      }
    }
  });

  it('no reverse-chaining (_has) oracle over other patients\' data', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const res = await fhir(t, `Organization?_has:Coverage:payor:beneficiary=Patient/${OTHER}`);
    if (res.status === 200) expect((await json(res)).total ?? 0).toBe(0);
    else expect([400, 403]).toContain(res.status);
    const chained = await json(await fhir(t, 'Coverage?beneficiary.family=Nakamura&_total=accurate'));
    expect(chained.total ?? 0).toBe(0);
  });

  it('_include and _revinclude bring nothing of other patients', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    for (const q of ['Organization?_revinclude=Coverage:payor', `Patient?_revinclude=Condition:subject&_id=${PATIENT}`, 'Encounter?_include=Encounter:subject']) {
      const b = await json(await fhir(t, q));
      for (const e of b.entry ?? []) {
        const r = e.resource;
        const ref = r.resourceType === 'Patient' ? `Patient/${r.id}` : (r.subject ?? r.beneficiary ?? r.patient)?.reference;
        if (ref) expect(ref, q).toBe(`Patient/${PATIENT}`);
      }
    }
  });

  it('a batch entry with ifNoneExist naming another patient\'s resource does not return it', async () => {
    const t = await patientWriter();
    const bundle = {
      resourceType: 'Bundle', type: 'batch',
      entry: [{
        resource: { resourceType: 'Condition', subject: { reference: `Patient/${PATIENT}` }, code: { text: 'probe' } },
        request: { method: 'POST', url: 'Condition', ifNoneExist: `_id=${OTHER_CONDITION}` },
      }],
    };
    const res = await fhir(t, '', { method: 'POST', body: JSON.stringify(bundle) });
    const text = await res.text();
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain('G89');
  });

  it('conditional create (If-None-Exist) never matches another patient\'s resource', async () => {
    const otherToken = await getSandboxToken(s.url, { patientId: OTHER, clientId: WRITER_CLIENT_ID, scopes: 'launch patient/*.cruds' });
    const theirs = await json(await fhir(otherToken, 'Condition', { method: 'POST', body: JSON.stringify({ resourceType: 'Condition', subject: { reference: `Patient/${OTHER}` }, code: { text: 'theirs' } }) }));
    const t = await patientWriter();
    const res = await fhir(t, 'Condition', {
      method: 'POST', headers: { 'if-none-exist': `_id=${theirs.id}` },
      body: JSON.stringify({ resourceType: 'Condition', subject: { reference: `Patient/${PATIENT}` }, code: { text: 'mine' } }),
    });
    expect(res.status).toBe(201);
    const mine = await json(res);
    expect(mine.id).not.toBe(theirs.id);
    expect(mine.subject.reference).toBe(`Patient/${PATIENT}`);
  });

  it('a patient-scoped token cannot rewrite shared resources (the payer Organization, a Practitioner)', async () => {
    const t = await patientWriter();
    const org = await json(await fhir(t, 'Organization/org-uuhp'));
    const res = await fhir(t, 'Organization/org-uuhp', { method: 'PUT', body: JSON.stringify({ ...org, name: 'Hijacked payer' }) });
    expect(res.status).toBe(403);
    expect((await json(res)).resourceType).toBe('OperationOutcome');
    expect((await json(await fhir(t, 'Organization/org-uuhp'))).name).not.toBe('Hijacked payer');
    const created = await fhir(t, 'Practitioner', { method: 'POST', body: JSON.stringify({ resourceType: 'Practitioner', name: [{ family: 'Fake' }] }) });
    expect(created.status).toBe(403);
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { ...org, name: 'Hijacked payer' }, request: { method: 'PUT', url: 'Organization/org-uuhp' } }] };
    expect((await fhir(t, '', { method: 'POST', body: JSON.stringify(bundle) })).status).toBe(403);
  });

  it('a patient-scoped token cannot create a resource under a chosen id (update-as-create) nor touch another patient\'s', async () => {
    const t = await patientWriter();
    const body = (id: string) => JSON.stringify({ resourceType: 'Condition', id, subject: { reference: `Patient/${PATIENT}` }, code: { text: 'x' } });
    const fresh = await fhir(t, 'Condition/brand-new-id', { method: 'PUT', body: body('brand-new-id') });
    const foreign = await fhir(t, `Condition/${OTHER_CONDITION}`, { method: 'PUT', body: body(OTHER_CONDITION) });
    expect(foreign.status).toBe(fresh.status);
    expect([403, 404]).toContain(foreign.status);
  });

  it('a Binary is readable with a patient scope only through a securityContext in the compartment or a note of the patient pointing at it', async () => {
    const writer = await getSandboxToken(s.url, { patientId: PATIENT, clientId: WRITER_CLIENT_ID, scopes: 'launch user/*.cruds' });
    const mk = async (securityContext?: string) => json(await fhir(writer, 'Binary', {
      method: 'POST', body: JSON.stringify({ resourceType: 'Binary', contentType: 'text/plain', data: Buffer.from('note').toString('base64'), ...(securityContext ? { securityContext: { reference: securityContext } } : {}) }),
    }));
    const mine = await mk(`Patient/${PATIENT}`);
    const theirs = await mk(`Patient/${OTHER}`);
    const loose = await mk();
    const attached = await mk();
    const theirsAttached = await mk();
    const doc = (patient: string, binaryId: string) => ({
      resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${patient}` },
      content: [{ attachment: { contentType: 'text/html', url: `${base}/Binary/${binaryId}` } }],
    });
    expect((await fhir(writer, 'DocumentReference', { method: 'POST', body: JSON.stringify(doc(PATIENT, attached.id)) })).status).toBe(201);
    expect((await fhir(writer, 'DocumentReference', { method: 'POST', body: JSON.stringify(doc(OTHER, theirsAttached.id)) })).status).toBe(201);
    const t = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/Binary.r' });
    expect(t.scope).toBe('launch patient/Binary.r');
    expect((await fhir(t, `Binary/${mine.id}`)).status).toBe(200);
    expect([403, 404]).toContain((await fhir(t, `Binary/${theirs.id}`)).status);
    expect([403, 404]).toContain((await fhir(t, `Binary/${loose.id}`)).status);
    // without a securityContext: the patient's own note points at it (as EHRs serve a note's content)
    expect((await fhir(t, `Binary/${attached.id}`)).status).toBe(200);
    expect([403, 404]).toContain((await fhir(t, `Binary/${theirsAttached.id}`)).status);
  });
});

describe('narrative is checked on write (FHIR narrative rules)', () => {
  const patient = async (t: SandboxToken, div: string) => {
    const p = await json(await fhir(t, `Patient/${PATIENT}`));
    return fhir(t, `Patient/${PATIENT}`, { method: 'PUT', body: JSON.stringify({ ...p, text: { status: 'generated', div } }) });
  };
  it('refuses script, event handlers, javascript: URLs (with whitespace or entity tricks), iframes, forms and CSS url()', async () => {
    const t = await patientWriter();
    const x = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;
    for (const div of [
      x('<script>alert(1)</script>'), x('<img src="x" onerror="alert(1)"/>'), x('<a href="javascript:alert(1)">x</a>'),
      x('<a href=" \tjavascript:alert(1)">x</a>'), x('<a href="&#106;avascript:alert(1)">x</a>'), x('<a href="JaVaScRiPt:alert(1)">x</a>'),
      x('<iframe src="https://evil.example"></iframe>'), x('<form action="https://evil.example"><input/></form>'),
      x('<p style="background:url(https://evil.example/x)">x</p>'), x('<svg onload="alert(1)"></svg>'), x('<img src="data:text/html,x"/>'),
      x('<p ONCLICK="alert(1)">x</p>'), x('<!-- x --><p>x</p>'), '<p>not a div</p>', x('<object data="x"></object>'),
    ]) {
      const res = await patient(t, div);
      expect(res.status, div).toBe(400);
      expect((await json(res)).resourceType).toBe('OperationOutcome');
    }
    expect((await json(await fhir(t, `Patient/${PATIENT}`))).text?.div ?? '').not.toMatch(/script|onerror|javascript/i);
  });

  it('accepts ordinary narrative (tables, links, images)', async () => {
    const t = await patientWriter();
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Marisol</b> &amp; co</p><table><tr><td>a</td></tr></table><a href="https://example.org/x">x</a><img src="#img" alt="x"/></div>';
    expect((await patient(t, div)).status).toBe(200);
  });
});

describe('sandbox pages and endpoints', () => {
  it('junk to the new endpoints answers 4xx or a clean 200, never 500', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const cases: [string, RequestInit][] = [
      ['/sandbox/auth/introspect', { method: 'POST', headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' }, body: '{"token":1}' }],
      ['/sandbox/auth/introspect', { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` }, body: new URLSearchParams({ token: '\u0000'.repeat(10) }) }],
      ['/sandbox/auth/introspect', { method: 'POST', headers: { authorization: 'Bearer' }, body: '' }],
      ['/sandbox/auth/revoke', { method: 'POST', body: 'token=' }],
      ['/sandbox/auth/revoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[[' }],
      ['/sandbox/session', { method: 'POST', body: new URLSearchParams({ csrf: '9'.repeat(16) + '.' + 'a'.repeat(43), user: 'x' }) }],
      ['/sandbox/session', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf[]=1&csrf[]=2' }],
      ['/sandbox/session/end', { method: 'POST', headers: { cookie: 'prc_sandbox_session=%zz; x' }, body: new URLSearchParams({}) }],
      ['/sandbox/api/launch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patientId: PATIENT, deny: 'Coverage' }) }],
      ['/sandbox/api/launch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"patientId":' }],
      ['/sandbox/api/patients', { headers: { authorization: 'Bearer \u00e9' } }],
      ['/sandbox/auth/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token!, scope: '' }) }],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(`${s.url}${path}`, { redirect: 'manual', ...init });
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('POST /sandbox/reset from another site (cross-site form, no token) is refused', async () => {
    const cross = await fetch(`${s.url}/sandbox/reset`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(cross.status).toBe(403);
    const noToken = await fetch(`${s.url}/sandbox/reset`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(noToken.status).toBe(403);
    const launch = await fetch(`${s.url}/sandbox/launch`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example' }, body: new URLSearchParams({ patient: PATIENT, mode: 'generic' }) });
    expect(launch.status).toBe(403);
    const api = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ patientId: PATIENT }) });
    expect(api.status).toBe(403);
    const textPlain = await fetch(`${s.url}/sandbox/api/launch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ patientId: PATIENT }) });
    expect(textPlain.status).toBe(415);
  });

  it('/sandbox/api/patients needs a token that may read patients; without one it lists nothing', async () => {
    const anon = await fetch(`${s.url}/sandbox/api/patients`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anon.text()).not.toContain('Sandoval');
    const patientToken = await getSandboxToken(s.url, { patientId: PATIENT });
    expect((await fetch(`${s.url}/sandbox/api/patients`, { headers: { authorization: `Bearer ${patientToken.access_token}` } })).status).toBe(403);
    const user = await getSandboxToken(s.url, { clientId: WRITER_CLIENT_ID, scopes: 'openid fhirUser user/Patient.rs' });
    const ok = await fetch(`${s.url}/sandbox/api/patients`, { headers: { authorization: `Bearer ${user.access_token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Sandoval');
  });

  it('the home page shows no patient until someone signs in to the sandbox EHR', async () => {
    const res = await fetch(`${s.url}/sandbox/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('Sandoval');
    expect(html).toContain('Sign in');
  });

  it('serves the smart_style_url stylesheet with every SMART style key, plain values only', async () => {
    const t = await getSandboxToken(s.url, { patientId: PATIENT });
    const res = await fetch(t.smart_style_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const style = await json<Record<string, unknown>>(res);
    expect(Object.keys(style).sort()).toEqual(['color_background', 'color_error', 'color_highlight', 'color_modal_backdrop', 'color_success', 'color_text',
      'dim_border_radius', 'dim_font_size', 'dim_spacing_size', 'font_family_body', 'font_family_heading']);
    for (const v of Object.values(style)) expect(String(v)).toMatch(/^[#(),.%\w\s-]+$/);
  });
});
