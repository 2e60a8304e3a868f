/**
 * Write after the sign-in expired (issue #11 item 6): a 401 from the app's server (expired id_token) or from the EHR
 * (expired access token) is renewed with the refresh token through fhirclient's real Client.refresh() and the call
 * retried once; without a refresh token, with a refused refresh or a second 401 the clinician gets the relaunch
 * words. msw plays three parts, each keeping the state the assertions count:
 *   - the app server: /api/drafts and the ledger as server/http/drafts.ts behaves (401 for an id_token it does not
 *     accept; the visit granted to the access token the drafts call carried, 404 for another; one version per visit,
 *     handed back "resumed" while unfinished; reserve new → pending (kept by its holder's attempt, in progress to
 *     anyone else) → done);
 *   - the EHR's FHIR server: creates (If-None-Exist honoured), searches by identifier, 401 for an expired token;
 *   - the EHR's token endpoint: a refresh grant answered with new tokens, or 400 invalid_grant.
 * The drafts are the real ones the server builds (server/fhir/drafts.ts) for a sandbox fixture.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Client from 'fhirclient/lib/Client';
import { APP_IDENTIFIER_SYSTEM, EHR_TOKEN_HEADER, type DraftRequest } from '../../../server/contracts/index';
import { buildDrafts } from '../../../server/fhir/drafts';
import { extractVisit } from '../../../server/fhir/extract';
import { loadFixture } from '../../../server/fhir/testing';
import { RELAUNCH, WORK_KEPT, WORK_NOT_KEPT, writeErrorToWords } from '../errors';
import { createFhirPort } from '../fhir/port';
import { launchTokens } from '../smart/launchTokens';
import { SessionExpiredError } from '../smart/retryAfterRenew';
import { parseScopes } from '../smart/scopes';
import { describePlan } from './adapters';
import { parseCapability } from './capability';
import { writeVisit } from './writeVisit';

const APP = 'http://app.test';
const EHR = 'https://ehr.test/fhir';
const TOKEN_URI = 'https://ehr.test/auth/token';
const VISIT_KEY = 'a'.repeat(32);

const { facts, references } = extractVisit(loadFixture('pt-uuhp-commercial'), { today: '2026-11-20' });
const PATIENT = facts.patient.id!;
const request: DraftRequest = {
  facts, references, acceptedLines: [], checklist: [], author: { reference: 'Practitioner/dr-1' },
  policy: { id: 'uuhp', name: 'U of U Health Plans', version: '1', lineOfBusiness: facts.coverage.lineOfBusiness },
  plan: { claimToEhr: true, provenanceToEhr: false },
};

/** what each side accepts and answers; reset before every test */
let w: {
  idTokens: Set<string>; accessTokens: Set<string>;
  draftsAuth: string[]; versions: number; grant?: string;
  ledger: Map<string, { state: 'pending' | 'done'; resourceId?: string; reservedAt: string; attempt: number }>;
  ledgerAuth: string[];
  created: Record<string, { id: string; identifier: string; resource: Record<string, unknown> }[]>;
  ehrLog: string[];
  /** answers the EHR gives to the next POSTs of a type, before it behaves normally */
  refuse: Record<string, number[]>;
  refresh: () => Response; refreshes: number;
};

const newWorld = (): typeof w => ({
  idTokens: new Set(['id-1']), accessTokens: new Set(['at-1']), draftsAuth: [], versions: 0, ledger: new Map(), ledgerAuth: [],
  created: {}, ehrLog: [], refuse: {}, refreshes: 0,
  refresh: () => HttpResponse.json({ access_token: 'at-2', id_token: 'id-2', refresh_token: 'rt-2', token_type: 'Bearer', expires_in: 3600, scope: 'launch openid fhirUser online_access patient/*.cruds' }),
});

const unauthorized = () => HttpResponse.json({ error: { code: 'unauthorized', message: 'Sign in through the EHR first' } }, { status: 401 });
const bearer = (r: Request) => r.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
const identifierOf = (r: Record<string, unknown>) =>
  ((r.identifier as { system?: string; value?: string }[] | undefined) ?? []).find((i) => i.system === APP_IDENTIFIER_SYSTEM)?.value ?? '';

const server = setupServer(
  http.post(`${APP}/api/drafts`, ({ request: r }) => {
    w.draftsAuth.push(bearer(r));
    if (!w.idTokens.has(bearer(r))) return unauthorized();
    const access = r.headers.get(EHR_TOKEN_HEADER);
    // the server proves the patient with the EHR access token; one the EHR no longer accepts is a 401
    if (!access || !w.accessTokens.has(access)) return HttpResponse.json({ error: { code: 'ehr-token-expired', message: 'The EHR no longer accepts this launch\'s access token' } }, { status: 401 });
    w.grant = access;
    const unfinished = w.versions > 0 && w.ledger.get('claim')?.state !== 'done';
    if (!unfinished) w.versions++;
    const built = buildDrafts(request, { now: new Date('2026-11-20T10:00:00Z'), visitKey: VISIT_KEY, version: w.versions });
    return HttpResponse.json({ visitKey: VISIT_KEY, version: w.versions, resumed: unfinished, vendor: 'generic', claim: built.claim, documentReference: built.documentReference });
  }),
  http.post(`${APP}/api/ledger/:visitKey/:kind/:step`, async ({ request: r, params }) => {
    w.ledgerAuth.push(bearer(r));
    if (!w.idTokens.has(bearer(r))) return unauthorized();
    // the grant is bound to the access token the drafts call carried (server/http/drafts.ts userOf)
    if (r.headers.get(EHR_TOKEN_HEADER) !== w.grant) return HttpResponse.json({ error: { code: 'not-found', message: 'No such visit for your launch' } }, { status: 404 });
    const kind = String(params.kind);
    const body = (await r.json()) as { resourceId?: string; attempt?: number };
    const e = w.ledger.get(kind);
    if (params.step === 'reserve') {
      if (!e) { w.ledger.set(kind, { state: 'pending', reservedAt: new Date().toISOString(), attempt: 1 }); return HttpResponse.json({ state: 'new', attempt: 1 }); }
      // the holder keeps its reservation; anyone else is told it is in progress (the window never passes in a test)
      if (e.state === 'pending') return HttpResponse.json({ state: 'pending', reservedAt: e.reservedAt, inProgress: body.attempt !== e.attempt, ...(body.attempt === e.attempt ? { attempt: e.attempt } : {}) });
      return HttpResponse.json({ state: 'done', resourceId: e.resourceId, reservedAt: e.reservedAt });
    }
    if (params.step === 'complete') w.ledger.set(kind, { state: 'done', resourceId: body.resourceId!, reservedAt: e?.reservedAt ?? '', attempt: e?.attempt ?? 1 });
    if (params.step === 'release' && (body.attempt === undefined || body.attempt === e?.attempt)) w.ledger.delete(kind);
    return new HttpResponse(null, { status: 204 });
  }),
  http.post(`${EHR}/:type`, async ({ request: r, params }) => {
    const type = String(params.type);
    const cond = r.headers.get('if-none-exist');
    w.ehrLog.push(`POST ${type}${cond ? ' if-none-exist' : ''} ${bearer(r)}`);
    const planned = w.refuse[type]?.shift();
    if (planned || !w.accessTokens.has(bearer(r))) return new HttpResponse(null, { status: planned ?? 401 });
    const resource = (await r.json()) as Record<string, unknown>;
    const list = (w.created[type] ??= []);
    const value = identifierOf(resource);
    const existing = cond ? list.find((x) => x.identifier === value) : undefined;
    if (existing) return HttpResponse.json({ ...existing.resource, id: existing.id }, { status: 200 });
    const id = `${type.toLowerCase()}-${list.length + 1}`;
    list.push({ id, identifier: value, resource });
    return HttpResponse.json({ ...resource, id }, { status: 201, headers: { location: `${EHR}/${type}/${id}/_history/1` } });
  }),
  http.get(`${EHR}/:type`, ({ request: r, params }) => {
    const type = String(params.type);
    const url = new URL(r.url);
    w.ehrLog.push(`GET ${type}?identifier`);
    if (!w.accessTokens.has(bearer(r))) return new HttpResponse(null, { status: 401 });
    const value = url.searchParams.get('identifier')?.split('|')[1];
    const hits = (w.created[type] ?? []).filter((x) => x.identifier === value);
    return HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', entry: hits.map((x) => ({ resource: { ...x.resource, id: x.id } })) });
  }),
  http.post(TOKEN_URI, async ({ request: r }) => {
    w.refreshes++;
    const body = new URLSearchParams(await r.text());
    if (body.get('grant_type') !== 'refresh_token' || !body.get('refresh_token')) return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
    return w.refresh();
  }),
);

beforeAll(() => {
  (globalThis as { __PRC_API_ORIGIN__?: string }).__PRC_API_ORIGIN__ = APP;
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => { w = newWorld(); });
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** a real fhirclient Client holding the launch's token response, with an in-memory storage */
function launchClient(opts: { refreshToken?: string } = { refreshToken: 'rt-1' }) {
  const kept = new Map<string, unknown>();
  const env = {
    options: {},
    getStorage: () => ({ get: async (k: string) => kept.get(k), set: async (k: string, v: unknown) => { kept.set(k, v); }, unset: async (k: string) => kept.delete(k) }),
    btoa: (s: string) => Buffer.from(s).toString('base64'),
  };
  return new Client(env as never, {
    serverUrl: EHR, tokenUri: TOKEN_URI, clientId: 'prc', key: 'launch-key-1',
    tokenResponse: {
      access_token: 'at-1', id_token: 'id-1', token_type: 'Bearer', patient: PATIENT,
      scope: 'launch openid fhirUser online_access patient/*.cruds',
      ...(opts.refreshToken ? { refresh_token: opts.refreshToken } : {}),
    },
  });
}

const CS = (conditional: boolean) => ({
  resourceType: 'CapabilityStatement',
  rest: [{ mode: 'server', resource: ['DocumentReference', 'Claim'].map((type) => ({ type, interaction: [{ code: 'create' }], conditionalCreate: conditional })) }],
});

function write(client: Client, conditional = false) {
  const tokens = launchTokens(client);
  const fhir = createFhirPort({
    base: EHR,
    getToken: () => tokens.current().accessToken ?? '',
    refresh: async () => ((await tokens.renew()) ? tokens.current().accessToken : undefined),
  });
  const plan = describePlan('generic', parseCapability(CS(conditional)), parseScopes('patient/DocumentReference.c patient/Claim.c patient/*.rs'), {});
  expect(plan.steps.map((s) => s.resourceType)).toEqual(['DocumentReference', 'Claim']);
  return writeVisit(request, { tokens, fhir, plan, patientId: PATIENT, fhirUser: 'Practitioner/dr-1' });
}

const claims = () => w.created.Claim?.length ?? 0;

describe('Write renews an expired sign-in once, then retries', () => {
  it('the app server answers 401 to /api/drafts: refresh → the retried call carries the new id_token, one draft, one Claim', async () => {
    w.idTokens = new Set(['id-2']); // id-1 has expired at the app server
    w.accessTokens.add('at-2');
    const result = await write(launchClient());
    expect(w.refreshes).toBe(1);
    expect(w.draftsAuth).toEqual(['id-1', 'id-2']);
    expect(w.versions).toBe(1);
    expect(w.ledgerAuth.every((t) => t === 'id-2')).toBe(true);
    expect(result.written.map((x) => `${x.resourceType}/${x.id} ${x.reused}`)).toEqual(['DocumentReference/documentreference-1 false', 'Claim/claim-1 false']);
    expect(claims()).toBe(1);
    expect(w.ledger.get('claim')).toMatchObject({ state: 'done', resourceId: 'claim-1' });
  });

  it('no refresh token: no refresh is attempted, the relaunch words say the work is kept, nothing is written', async () => {
    w.idTokens = new Set();
    const err = await write(launchClient({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionExpiredError);
    expect((err as SessionExpiredError).reason).toBe('cannot-renew');
    expect(w.refreshes).toBe(0);
    expect(w.draftsAuth).toEqual(['id-1']);
    const words = writeErrorToWords(err, { workKept: true });
    expect(words.message).toBe('The app server no longer accepts your sign-in (it expired), and this launch has no refresh token to renew it.');
    expect(words.next).toContain(RELAUNCH);
    expect(words.next).toContain(WORK_KEPT);
    // where the tab cannot keep the work for a relaunch, the words do not promise it
    expect(writeErrorToWords(err, { workKept: false }).next).toContain(WORK_NOT_KEPT);
    expect(claims()).toBe(0);
  });

  it('the token endpoint refuses the refresh (400 invalid_grant): relaunch words, work kept, no second refresh', async () => {
    w.idTokens = new Set();
    w.refresh = () => HttpResponse.json({ error: 'invalid_grant', error_description: 'refresh token expired' }, { status: 400 });
    const client = launchClient();
    const err = await write(client).catch((e: unknown) => e);
    expect((err as SessionExpiredError).reason).toBe('renew-refused');
    expect(w.refreshes).toBe(1);
    expect(w.draftsAuth).toEqual(['id-1']); // not retried with the same expired token
    const words = writeErrorToWords(err, { workKept: true });
    expect(words.message).toMatch(/the EHR refused to renew it/);
    expect(words.next).toContain(RELAUNCH);
    expect(words.next).toContain(WORK_KEPT);
    // fhirclient dropped the refused refresh token: the next Write says relaunch at once instead of trying again
    expect(launchTokens(client).canRenew()).toBe(false);
    const again = await write(client).catch((e: unknown) => e);
    expect(w.refreshes).toBe(1);
    expect((again as SessionExpiredError).reason).toBe('renew-refused');
  });

  it('the app server finds the EHR access token expired (401 ehr-token-expired): renewed and retried, said as the EHR\'s refusal when it persists', async () => {
    w.accessTokens = new Set(['at-2']);
    w.idTokens.add('id-2');
    await write(launchClient());
    expect(w.refreshes).toBe(1);
    expect(w.draftsAuth).toEqual(['id-1', 'id-2']);
    expect(claims()).toBe(1);

    w = newWorld();
    w.accessTokens = new Set(); // the EHR accepts neither token
    w.idTokens.add('id-2');
    const err = await write(launchClient()).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'refused-after-renew', by: 'ehr' });
    expect(writeErrorToWords(err).message).toBe('The EHR refused your sign-in again after the app renewed it.');
  });

  it('an access token the EHR said expires within a minute is renewed before the first call', async () => {
    w.idTokens = new Set(['id-2']);
    w.accessTokens = new Set(['at-2']);
    const client = launchClient();
    client.state.expiresAt = Math.floor(Date.now() / 1000) + 20;
    await write(client);
    expect(w.refreshes).toBe(1);
    expect(w.draftsAuth).toEqual(['id-2']);
    expect(w.ehrLog).toEqual(['POST DocumentReference at-2', 'POST Claim at-2']);
  });

  it('the EHR answers 401 to the Claim write: refresh, then search by identifier before creating — one Claim', async () => {
    w.refuse.Claim = [401]; // at-1 expired at the EHR just as the Claim was posted
    w.accessTokens.add('at-2');
    w.idTokens.add('id-2');
    const result = await write(launchClient());
    expect(w.refreshes).toBe(1);
    // the retry goes through the write path (search, then create), never a blind second POST
    expect(w.ehrLog).toEqual(['POST DocumentReference at-1', 'POST Claim at-1', 'GET Claim?identifier', 'POST Claim at-2']);
    expect(claims()).toBe(1);
    expect(result.written.find((x) => x.resourceType === 'Claim')).toEqual({ resourceType: 'Claim', id: 'claim-1', reused: false });
    // the ledger kept the access token its grant is bound to, and the Claim is recorded once
    expect(w.ledger.get('claim')).toMatchObject({ state: 'done', resourceId: 'claim-1' });
    expect(w.versions).toBe(1);
  });

  it('a 401 that did land is found by the search, not written again', async () => {
    w.accessTokens.add('at-2');
    w.idTokens.add('id-2');
    // the EHR answers the first Claim POST 401 and yet keeps the Claim (a gateway that timed out its auth check late)
    server.use(http.post(`${EHR}/Claim`, async ({ request: r }) => {
      const resource = (await r.json()) as Record<string, unknown>;
      w.ehrLog.push(`POST Claim ${bearer(r)}`);
      const list = (w.created.Claim ??= []);
      if (list.length === 0) { list.push({ id: 'claim-1', identifier: identifierOf(resource), resource }); return new HttpResponse(null, { status: 401 }); }
      list.push({ id: `claim-${list.length + 1}`, identifier: identifierOf(resource), resource });
      return HttpResponse.json({ ...resource, id: `claim-${list.length}` }, { status: 201 });
    }));
    const result = await write(launchClient());
    expect(w.ehrLog).toEqual(['POST DocumentReference at-1', 'POST Claim at-1', 'GET Claim?identifier']);
    expect(claims()).toBe(1);
    expect(result.written.find((x) => x.resourceType === 'Claim')).toEqual({ resourceType: 'Claim', id: 'claim-1', reused: true });
  });

  it('where the EHR offers conditional create, the retried Claim POST carries If-None-Exist', async () => {
    w.refuse.Claim = [401];
    w.accessTokens.add('at-2');
    w.idTokens.add('id-2');
    await write(launchClient(), true);
    expect(w.ehrLog).toEqual(['POST DocumentReference if-none-exist at-1', 'POST Claim if-none-exist at-1', 'POST Claim if-none-exist at-2']);
    expect(claims()).toBe(1);
  });

  it('the app server refuses the renewed id_token too: one retry, then the relaunch words (no loop)', async () => {
    w.idTokens = new Set(); // neither id-1 nor id-2 is accepted
    w.accessTokens.add('at-2');
    const err = await write(launchClient()).catch((e: unknown) => e);
    expect((err as SessionExpiredError).reason).toBe('refused-after-renew');
    expect(w.draftsAuth).toEqual(['id-1', 'id-2']);
    expect(w.refreshes).toBe(1);
    expect(writeErrorToWords(err).message).toBe('The app server refused your sign-in again after the app renewed it.');
    expect(claims()).toBe(0);
  });

  it('the EHR refuses the renewed access token too: two POSTs, one refresh, the reservation kept pending for a relaunch', async () => {
    w.refuse.Claim = [401, 401];
    w.accessTokens.add('at-2');
    w.idTokens.add('id-2');
    const err = await write(launchClient()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionExpiredError);
    expect((err as SessionExpiredError).by).toBe('ehr');
    expect(w.refreshes).toBe(1);
    expect(w.ehrLog.filter((l) => l.startsWith('POST Claim'))).toHaveLength(2);
    expect(claims()).toBe(0);
    // not released: a 401 is not proof that nothing landed, so the relaunch's Write checks the EHR first
    expect(w.ledger.get('claim')?.state).toBe('pending');
    expect(writeErrorToWords(err, { workKept: true }).next).toContain(WORK_KEPT);
  });
});
