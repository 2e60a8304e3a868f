/**
 * The write-back adapters' decisions and ledger use, against msw-mocked FHIR and app-server endpoints.
 * The mocks keep real state: a ledger, and a FHIR store that honours If-None-Exist only where told to.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { APP_IDENTIFIER_SYSTEM } from '../../../server/contracts/index';
import { createFhirPort, FhirHttpError } from '../fhir/port';
import { createLedger, type Drafts } from '../api/drafts';
import { parseScopes } from '../smart/scopes';
import { adapterFor, epicAdapter, genericAdapter, oracleAdapter, prepareForEpic } from './adapters';
import { parseCapability, UNKNOWN_CAPABILITY } from './capability';
import type { WriteContext } from './types';
import { writeErrorToWords } from '../errors';

const BASE = 'https://ehr.test/fhir';
const APP = 'http://app.test';
(globalThis as { __PRC_API_ORIGIN__?: string }).__PRC_API_ORIGIN__ = APP;

type Stored = { resourceType: string; id: string; identifier?: { system?: string; value?: string }[]; [k: string]: unknown };
let store: Stored[] = [];
let ledger = new Map<string, { state: 'pending' | 'done'; resourceId?: string; reservedAt?: string }>();
let conditionalSupported = true;
let failNextCreate: number | null = null;
let creates = 0;
let ledgerAuth: (string | null)[] = [];

const idOf = (r: Stored) => r.identifier?.find((i) => i.system === APP_IDENTIFIER_SYSTEM)?.value;
const server = setupServer(
  http.post(`${BASE}/:type`, async ({ request, params }) => {
    creates++;
    if (failNextCreate) { const s = failNextCreate; failNextCreate = null; return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'content type not supported' }] }, { status: s }); }
    const body = (await request.json()) as Stored;
    const ine = request.headers.get('if-none-exist');
    if (conditionalSupported && ine) {
      const value = decodeURIComponent(ine.replace(/^identifier=/, '')).split('|')[1];
      const hit = store.find((r) => r.resourceType === params.type && idOf(r) === value);
      if (hit) return HttpResponse.json(hit, { status: 200 });
    }
    const created = { ...body, id: `${String(params.type).toLowerCase()}-${store.length + 1}` };
    store.push(created);
    return HttpResponse.json(created, { status: 201, headers: { location: `${BASE}/${params.type}/${created.id}/_history/1` } });
  }),
  http.get(`${BASE}/:type`, ({ request, params }) => {
    const value = decodeURIComponent(new URL(request.url).searchParams.get('identifier') ?? '').split('|')[1];
    const hits = store.filter((r) => r.resourceType === params.type && idOf(r) === value);
    return HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', entry: hits.map((resource) => ({ resource })) });
  }),
  http.post(`${APP}/api/ledger/:visitKey/:kind/:step`, async ({ request, params }) => {
    ledgerAuth.push(request.headers.get('authorization'));
    const key = `${params.visitKey}/${params.kind}`;
    const body = (await request.json()) as { ehrBase: string; resourceId?: string };
    expect(body.ehrBase).toBe(BASE);
    if (params.step === 'reserve') {
      const cur = ledger.get(key);
      if (!cur) { ledger.set(key, { state: 'pending' }); return HttpResponse.json({ state: 'new' }); }
      return HttpResponse.json(cur);
    }
    if (params.step === 'release') {
      if (ledger.get(key)?.state === 'pending') ledger.delete(key);
      return new HttpResponse(null, { status: 204 });
    }
    ledger.set(key, { state: 'done', resourceId: body.resourceId });
    return new HttpResponse(null, { status: 204 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => { store = []; ledger = new Map(); conditionalSupported = true; failNextCreate = null; creates = 0; ledgerAuth = []; });
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const visitKey = 'abcdef0123456789';
const drafts = (patient = 'p1'): Drafts => ({
  visitKey,
  documentReference: {
    resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${patient}` }, date: '2026-03-02',
    identifier: [{ system: APP_IDENTIFIER_SYSTEM, value: `${visitKey}-doc` }],
    author: [{ reference: 'Practitioner/other' }, { reference: 'Organization/x' }],
    content: [{ attachment: { contentType: 'text/html', data: 'PGI+' } }, { attachment: { contentType: 'text/plain', data: 'Y2hlY2tsaXN0' } }],
  },
  claim: {
    resourceType: 'Claim', status: 'draft', patient: { reference: `Patient/${patient}` },
    identifier: [{ system: APP_IDENTIFIER_SYSTEM, value: `${visitKey}-claim` }],
  },
  provenance: { resourceType: 'Provenance' },
});

const cs = (claimCreate: boolean) => ({
  resourceType: 'CapabilityStatement',
  rest: [{ mode: 'server', resource: [
    { type: 'DocumentReference', interaction: [{ code: 'create' }, { code: 'read' }], conditionalCreate: true },
    ...(claimCreate ? [{ type: 'Claim', interaction: [{ code: 'create' }], conditionalCreate: true }] : []),
  ] }],
});
const FULL = parseScopes('patient/DocumentReference.c patient/Claim.c patient/*.rs');

function ctx(adapter = genericAdapter, opts: { cap?: unknown; scopes?: string; encounterId?: string } = {}): WriteContext {
  const scopes = opts.scopes ? parseScopes(opts.scopes) : FULL;
  const plan = adapter.describe(opts.cap === undefined ? parseCapability(cs(true)) : parseCapability(opts.cap), scopes, { encounterId: opts.encounterId });
  return {
    fhir: createFhirPort({ base: BASE, getToken: () => 'tok' }),
    ledger: createLedger(BASE, 'id-token'),
    plan, patientId: 'p1', encounterId: opts.encounterId, fhirUser: 'Practitioner/dr1',
  };
}

describe('plans (said before the click)', () => {
  it('generic: DocumentReference and Claim when Claim create is offered and granted', () => {
    const plan = genericAdapter.describe(parseCapability(cs(true)), FULL, {});
    expect(plan.steps.map((s) => s.resourceType)).toEqual(['DocumentReference', 'Claim']);
    expect(plan.claimInWorklistOnly).toBe(false);
    expect(plan.summary).toMatch(/^Will write: DocumentReference .*Claim draft/);
  });
  it('generic: Claim stays in the worklist when not offered, or not granted', () => {
    expect(genericAdapter.describe(parseCapability(cs(false)), FULL, {}).summary).toContain('Claim draft kept in the billing worklist (this EHR\'s CapabilityStatement does not offer Claim create)');
    expect(genericAdapter.describe(parseCapability(cs(true)), parseScopes('patient/DocumentReference.c'), {}).summary).toContain('did not grant the Claim write scope');
    expect(genericAdapter.describe(UNKNOWN_CAPABILITY, FULL, {}).steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
  });
  it('epic and oracle: DocumentReference only, and they say the Claim stays in the worklist', () => {
    const epic = epicAdapter.describe(parseCapability(cs(true)), FULL, { encounterId: 'e1' });
    expect(epic.steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
    expect(epic.summary).toBe('Will write: DocumentReference (note for signature, plain text), Claim draft kept in the billing worklist (this EHR does not accept Claim).');
    expect(oracleAdapter.describe(parseCapability(cs(true)), FULL, {}).summary).toContain('this EHR does not accept Claim');
    expect(epicAdapter.describe(parseCapability(cs(true)), FULL, {}).blocked).toMatch(/encounter/);
    expect(adapterFor('epic')).toBe(epicAdapter);
  });
  it('nothing is planned without the DocumentReference write scope', () => {
    const plan = genericAdapter.describe(parseCapability(cs(true)), parseScopes('patient/*.rs'), {});
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/^Nothing can be written/);
  });
});

describe('generic adapter', () => {
  it('writes the DocumentReference then the Claim pointing at it, conditionally, completing the ledger', async () => {
    const r = await genericAdapter.write(drafts(), ctx());
    expect(r.written).toEqual([
      { resourceType: 'DocumentReference', id: 'documentreference-1', reused: false },
      { resourceType: 'Claim', id: 'claim-2', reused: false },
    ]);
    const claim = store.find((s) => s.resourceType === 'Claim') as { supportingInfo?: { valueReference?: { reference?: string } }[] };
    expect(claim.supportingInfo?.[0]?.valueReference?.reference).toBe('DocumentReference/documentreference-1');
    expect(ledger.get(`${visitKey}/documentReference`)).toEqual({ state: 'done', resourceId: 'documentreference-1' });
    expect(ledgerAuth.every((a) => a === 'Bearer id-token')).toBe(true);
  });
  it('a second click reuses the ledger ids and creates nothing', async () => {
    await genericAdapter.write(drafts(), ctx());
    const before = creates;
    const again = await genericAdapter.write(drafts(), ctx());
    expect(creates).toBe(before);
    expect(again.written.every((w) => w.reused)).toBe(true);
    expect(store).toHaveLength(2);
  });
  it('a retry after the ledger was left pending relies on conditional create: no copy', async () => {
    await genericAdapter.write(drafts(), ctx());
    ledger.set(`${visitKey}/documentReference`, { state: 'pending' });
    ledger.set(`${visitKey}/claim`, { state: 'pending' });
    const r = await genericAdapter.write(drafts(), ctx());
    expect(store).toHaveLength(2);
    expect(r.written.map((w) => w.id)).toEqual(['documentreference-1', 'claim-2']);
  });
  it('refuses drafts for another patient than the launch', async () => {
    await expect(genericAdapter.write(drafts('p2'), ctx())).rejects.toThrow(/another patient/);
    expect(creates).toBe(0);
  });
  it('a 422 releases the reservation (nothing was created) and the words carry the OperationOutcome text', async () => {
    failNextCreate = 422;
    const err = await genericAdapter.write(drafts(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FhirHttpError);
    expect(writeErrorToWords(err).message).toBe('The EHR rejected the resource: content type not supported (422).');
    // a definite refusal frees the reservation, so the retry goes ahead at once (not "being written right now")
    expect(ledger.has(`${visitKey}/documentReference`)).toBe(false);
    const r = await genericAdapter.write(drafts(), ctx());
    expect(r.written.map((w) => w.resourceType)).toContain('DocumentReference');
    expect(store.filter((s) => s.resourceType === 'DocumentReference')).toHaveLength(1);
  });
  it('a 500 keeps the ledger pending (the write may have landed)', async () => {
    failNextCreate = 500;
    await genericAdapter.write(drafts(), ctx()).catch((e: unknown) => e);
    expect(ledger.get(`${visitKey}/documentReference`)).toEqual({ state: 'pending' });
  });
});

describe('epic adapter (no conditional create)', () => {
  it('writes only a plain-text, preliminary DocumentReference on the encounter', async () => {
    conditionalSupported = false;
    const r = await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' }));
    expect(r.written.map((w) => w.resourceType)).toEqual(['DocumentReference']);
    const doc = store[0] as Stored & { content: { attachment: { contentType: string } }[]; docStatus: string; context: { encounter: { reference: string }[] } };
    expect(doc.content).toHaveLength(1);
    expect(doc.content[0]?.attachment.contentType).toBe('text/plain');
    expect(doc.docStatus).toBe('preliminary');
    expect(doc.context.encounter[0]?.reference).toBe('Encounter/e1');
    expect(store.some((s) => s.resourceType === 'Claim')).toBe(false);
  });
  it('second click, reload (same ledger) and a retry after an interrupted write never make a second copy', async () => {
    conditionalSupported = false;
    await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' }));
    await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' }));
    // interrupted: written to the EHR but the ledger never completed
    ledger.set(`${visitKey}/documentReference`, { state: 'pending' });
    const r = await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' }));
    expect(r.written[0]).toEqual({ resourceType: 'DocumentReference', id: 'documentreference-1', reused: true });
    expect(store).toHaveLength(1);
    expect(ledger.get(`${visitKey}/documentReference`)).toEqual({ state: 'done', resourceId: 'documentreference-1' });
  });
  it('an interrupted attempt that cannot be checked is not blindly repeated', async () => {
    ledger.set(`${visitKey}/documentReference`, { state: 'pending' });
    server.use(http.get(`${BASE}/DocumentReference`, () => new HttpResponse(null, { status: 500 })));
    const err = await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' })).catch((e: unknown) => e);
    expect(writeErrorToWords(err).next).toMatch(/Check the patient's notes/);
    expect(creates).toBe(0);
  });
  it('a write another tab reserved moments ago is not raced: the clinician is asked to wait', async () => {
    ledger.set(`${visitKey}/documentReference`, { state: 'pending', reservedAt: new Date().toISOString() });
    const err = await epicAdapter.write(drafts(), ctx(epicAdapter, { encounterId: 'e1' })).catch((e: unknown) => e);
    expect(writeErrorToWords(err).message).toMatch(/being written right now/);
    expect(creates).toBe(0);
  });
  it('prepareForEpic keeps only the first text attachment', () => {
    const d = prepareForEpic(drafts().documentReference, "e9", "p1") as unknown as { content: unknown[] };
    expect(d.content).toEqual([{ attachment: { contentType: 'text/plain', data: 'Y2hlY2tsaXN0' } }]);
  });
});

describe('oracle adapter', () => {
  it('writes the DocumentReference with exactly one author, the signed-in user, and a date with a time', async () => {
    await oracleAdapter.write(drafts(), ctx(oracleAdapter));
    const doc = store[0] as Stored & { author: unknown[]; date: string };
    expect(doc.author).toEqual([{ reference: 'Practitioner/dr1' }]);
    expect(doc.date).toMatch(/T\d\d:/);
    expect(store).toHaveLength(1);
  });
});

describe('error words', () => {
  it('says what to do next for each failure', () => {
    expect(writeErrorToWords(new FhirHttpError(403, undefined, 'x')).message).toMatch(/^The EHR refused: scope not granted/);
    expect(writeErrorToWords(new FhirHttpError(503, undefined, 'x')).next).toBe('Nothing was written twice; you can retry.');
    expect(writeErrorToWords(new FhirHttpError(401, undefined, 'x')).next).toMatch(/Relaunch/);
  });
});
