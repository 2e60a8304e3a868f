/**
 * Test helper: obtains a sandbox access token by running the real SMART flow over HTTP (authorize with PKCE S256,
 * the picker when standalone, then the token endpoint). For any test that has a running server with the sandbox
 * mounted at /sandbox:
 *
 *   const token = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
 *   fetch(`${token.fhirBase}/Patient/${token.patient}`, { headers: { authorization: `Bearer ${token.access_token}` } });
 *
 *   const admin = await getSandboxToken(server.url, { user: 'sandbox-admin' }); // standalone openid fhirUser sign-in
 */
import { createHash, randomBytes } from 'node:crypto';

export type SandboxMode = 'generic' | 'epic' | 'oracle';

export interface SandboxTokenOptions {
  /** EHR launch for this patient (launch context made through /sandbox/api/launch); omit for a standalone sign-in */
  patientId?: string;
  /** requested scopes; default: DEFAULT_PATIENT_SCOPES with a patient, "openid fhirUser" without */
  scopes?: string;
  /** vendor mode of the FHIR base (default generic) */
  mode?: SandboxMode;
  /** Oracle tenant (default the Oracle sandbox tenant) */
  tenant?: string;
  /** which sandbox user: the one picked at a standalone sign-in, or the user of an EHR launch (default sandbox-clinician) */
  user?: 'sandbox-clinician' | 'sandbox-admin';
  /** standalone launch with the patient picker (scope launch/patient) instead of an EHR launch */
  standalone?: boolean;
  /** one of the registered redirect URIs; default `${baseUrl}/` (the fixture writer: its own callback) */
  redirectUri?: string;
  /**
   * the client (default the app, "pump-refill-coder", registered for the app's scopes only); tests that plant
   * records with broad write scopes use SANDBOX_WRITER_CLIENT_ID
   */
  clientId?: string;
  /** EHR launch only: resource types the patient withholds ((g)(10) limited scope grant), e.g. ['Coverage'] */
  deny?: string[];
}

export interface SandboxToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  patient?: string;
  encounter?: string;
  need_patient_banner: boolean;
  smart_style_url: string;
  id_token?: string;
  refresh_token?: string;
  tenant?: string;
  /** the FHIR base URL (iss / aud) the token is for */
  fhirBase: string;
}

export const DEFAULT_PATIENT_SCOPES =
  'launch openid fhirUser online_access patient/*.rs user/Practitioner.rs patient/Claim.c patient/DocumentReference.c';
export const SANDBOX_CLIENT_ID = 'pump-refill-coder';
/** the sandbox's fixture-writer client: registered for patient/*.cruds and user/*.cruds, for tests planting records */
export const SANDBOX_WRITER_CLIENT_ID = 'sandbox-fixture-writer';
export const ORACLE_SANDBOX_TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function sandboxFhirBase(baseUrl: string, mode: SandboxMode = 'generic', tenant = ORACLE_SANDBOX_TENANT): string {
  const root = `${baseUrl.replace(/\/+$/, '')}/sandbox`;
  if (mode === 'epic') return `${root}/epic/fhir`;
  if (mode === 'oracle') return `${root}/oracle/${tenant}/fhir`;
  return `${root}/fhir`;
}

/** Builds the authorize URL as the app would. */
export function authorizeUrl(baseUrl: string, p: { aud: string; scope: string; state: string; challenge: string; redirectUri: string; launch?: string; method?: string; clientId?: string }): string {
  const u = new URL(`${baseUrl.replace(/\/+$/, '')}/sandbox/auth/authorize`);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', p.clientId ?? SANDBOX_CLIENT_ID);
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('scope', p.scope);
  u.searchParams.set('state', p.state);
  u.searchParams.set('aud', p.aud);
  u.searchParams.set('code_challenge', p.challenge);
  u.searchParams.set('code_challenge_method', p.method ?? 'S256');
  if (p.launch) u.searchParams.set('launch', p.launch);
  return u.toString();
}

/** Runs authorize (and the picker if one is shown) and returns the redirect back to the app as a URL. */
export async function runAuthorize(url: string, pick?: { patient?: string; user?: string }): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  if (res.status === 302 || res.status === 303) return new URL(res.headers.get('location')!);
  const page = await res.text();
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1];
  if (res.status !== 200 || !request) throw new Error(`sandbox authorize answered ${res.status}: ${page.slice(0, 300)}`);
  const form = new URLSearchParams({ request });
  if (pick?.patient) form.set('patient', pick.patient);
  if (pick?.user) form.set('user', pick.user);
  const action = new URL(/action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&'), url);
  const picked = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  if (picked.status !== 303) throw new Error(`sandbox picker answered ${picked.status}: ${(await picked.text()).slice(0, 300)}`);
  return new URL(picked.headers.get('location')!);
}

export async function exchangeCode(baseUrl: string, p: { code: string; verifier: string; redirectUri: string; clientId?: string }): Promise<Response> {
  return fetch(`${baseUrl.replace(/\/+$/, '')}/sandbox/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: p.code, redirect_uri: p.redirectUri, client_id: p.clientId ?? SANDBOX_CLIENT_ID, code_verifier: p.verifier,
    }),
  });
}

export async function getSandboxToken(baseUrl: string, opts: SandboxTokenOptions = {}): Promise<SandboxToken> {
  const root = baseUrl.replace(/\/+$/, '');
  const mode = opts.mode ?? 'generic';
  const fhirBase = sandboxFhirBase(root, mode, opts.tenant);
  const clientId = opts.clientId ?? SANDBOX_CLIENT_ID;
  const redirectUri = opts.redirectUri ?? (clientId === SANDBOX_WRITER_CLIENT_ID ? `${root}/sandbox/fixture-writer/callback` : `${root}/`);
  let launch: string | undefined;
  let scope = opts.scopes ?? (opts.patientId ? DEFAULT_PATIENT_SCOPES : 'openid fhirUser');
  if (opts.patientId && !opts.standalone) {
    const res = await fetch(`${root}/sandbox/api/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patientId: opts.patientId, mode, tenant: opts.tenant, deny: opts.deny, userId: opts.user }),
    });
    if (!res.ok) throw new Error(`sandbox launch failed: ${res.status} ${await res.text()}`);
    launch = ((await res.json()) as { launch: string }).launch;
  } else if (opts.patientId && opts.standalone && !scope.split(' ').includes('launch/patient')) {
    scope = `${scope} launch/patient`;
  }
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const back = await runAuthorize(authorizeUrl(root, { aud: fhirBase, scope, state, challenge, redirectUri, launch, clientId }), {
    patient: opts.patientId, user: opts.user ?? 'sandbox-clinician',
  });
  const error = back.searchParams.get('error');
  if (error) throw new Error(`sandbox authorize refused: ${error} ${back.searchParams.get('error_description') ?? ''}`);
  if (back.searchParams.get('state') !== state) throw new Error('sandbox authorize did not echo state');
  const res = await exchangeCode(root, { code: back.searchParams.get('code') ?? '', verifier, redirectUri, clientId });
  const body = (await res.json()) as Omit<SandboxToken, 'fhirBase'> & { error?: string };
  if (!res.ok) throw new Error(`sandbox token failed: ${res.status} ${JSON.stringify(body)}`);
  return { ...body, fhirBase };
}

export interface RunningSandbox {
  /** the public URL, e.g. http://localhost:43210 (the sandbox is at `${url}/sandbox`) */
  url: string;
  sandbox: import('./index.js').Sandbox;
  close(): Promise<void>;
}

/** Starts an express server on a free port with only the sandbox mounted at /sandbox (for the sandbox's own tests). */
/**
 * Signs in to the sandbox EHR's home page as a browser would (form token, session cookie) and returns a fetch
 * that sends the cookie, plus the form token of the signed-in page (for Launch/Reset posts).
 */
export async function sandboxSession(baseUrl: string): Promise<{ fetch: (path: string, init?: RequestInit) => Promise<Response>; csrf: string; cookie: string }> {
  const root = baseUrl.replace(/\/+$/, '');
  const signIn = await (await fetch(`${root}/sandbox/`)).text();
  const anonCsrf = /name="csrf" value="([^"]+)"/.exec(signIn)?.[1];
  const user = /name="user" value="([^"]+)"/.exec(signIn)?.[1];
  if (!anonCsrf || !user) throw new Error('the sandbox home page showed no sign-in form');
  const res = await fetch(`${root}/sandbox/session`, { method: 'POST', body: new URLSearchParams({ csrf: anonCsrf, user }), redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (res.status !== 303 || !cookie) throw new Error(`sandbox sign-in answered ${res.status}`);
  const withCookie = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    return fetch(`${root}${path}`, { redirect: 'manual', ...init, headers });
  };
  const home = await (await withCookie('/sandbox/')).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(home)?.[1];
  if (!csrf) throw new Error('the signed-in sandbox home page has no form token');
  return { fetch: withCookie, csrf, cookie };
}

export async function startSandboxServer(opts: { fixturesDir?: string; now?: () => number } = {}): Promise<RunningSandbox> {
  const [{ createServer }, { default: express }, { createSandbox }] = await Promise.all([
    import('node:http'), import('express'), import('./index.js'),
  ]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as { port: number }).port}`;
  const sandbox = await createSandbox({ publicUrl: url, fixturesDir: opts.fixturesDir, now: opts.now });
  const app = express();
  app.use('/sandbox', sandbox.router);
  server.on('request', app);
  return {
    url,
    sandbox,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
