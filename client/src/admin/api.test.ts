import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { PayerMapping, PayerMappingInput } from '../../../server/contracts/index.js';
import { AdminApi, fieldErrorsFromDetails, versionFromEtag } from './api.js';

const BASE = 'http://admin.test';

/** U of U Health Plans commercial, as the product ships it (synthetic). */
const uuhpCommercial: PayerMapping = {
  id: 'uuhp-commercial', version: 3, priority: 100, enabled: true,
  match: { payerName: 'University of Utah Health Plans', coverageType: ['5'] },
  policyId: 'uuhp', lineOfBusiness: 'commercial',
};
const { id: _id, version: _v, ...uuhpInput } = uuhpCommercial;
const disabledInput: PayerMappingInput = { ...uuhpInput, enabled: false };

// A tiny in-memory mapping store behind msw, enforcing the server's If-Match rules.
let stored: PayerMapping = uuhpCommercial;
const seen: { method: string; auth: string | null; contentType: string | null; ifMatch: string | null }[] = [];
const server = setupServer(
  http.all(`${BASE}/*`, ({ request }) => {
    seen.push({ method: request.method, auth: request.headers.get('authorization'), contentType: request.headers.get('content-type'), ifMatch: request.headers.get('if-match') });
  }),
  http.get(`${BASE}/api/admin/mappings`, ({ request }) => {
    const auth = request.headers.get('authorization');
    if (auth === 'Bearer expired') return HttpResponse.json({ error: { code: 'unauthorized', message: 'token expired' } }, { status: 401 });
    if (auth === 'Bearer clinician') return HttpResponse.json({ error: { code: 'forbidden', message: 'not an admin' } }, { status: 403 });
    return HttpResponse.json({ mappings: [{ ...stored, updatedAt: '2025-01-01T00:00:00Z' }] });
  }),
  http.get(`${BASE}/api/admin/mappings/:id`, ({ params }) =>
    params.id === stored.id
      ? HttpResponse.json(stored, { headers: { ETag: `"${stored.version}"` } })
      : HttpResponse.json({ error: { code: 'not-found', message: 'No mapping gone-away' } }, { status: 404 })),
  http.put(`${BASE}/api/admin/mappings/:id`, async ({ request }) => {
    const ifMatch = request.headers.get('if-match');
    if (!ifMatch) return HttpResponse.json({ error: { code: 'precondition-required', message: 'If-Match required' } }, { status: 428 });
    if (ifMatch !== `"${stored.version}"`) {
      return HttpResponse.json({ error: { code: 'stale', message: 'changed meanwhile', details: { current: stored } } }, { status: 412 });
    }
    const body = (await request.json()) as PayerMappingInput;
    if (body.priority > 1000) {
      return HttpResponse.json({ error: { code: 'invalid', message: 'Invalid mapping: priority', details: [
        { path: 'priority', message: 'Too big' }, { path: 'match.states.1', message: 'expected a two-letter US state code' },
      ] } }, { status: 400 });
    }
    stored = { ...body, id: stored.id, version: stored.version + 1 };
    return HttpResponse.json(stored, { headers: { ETag: `"${stored.version}"` } });
  }),
  http.delete(`${BASE}/api/admin/mappings/:id`, ({ request }) =>
    request.headers.get('if-match') === `"${stored.version}"` ? new HttpResponse(null, { status: 204 })
      : HttpResponse.json({ error: { code: 'stale', message: 'changed', details: { current: stored } } }, { status: 412 })),
  http.post(`${BASE}/api/admin/mappings`, async ({ request }) => {
    const body = (await request.json()) as PayerMappingInput;
    return HttpResponse.json({ ...body, id: 'new-1', version: 1 }, { status: 201, headers: { ETag: '"1"' } });
  }),
  http.post(`${BASE}/api/admin/mappings/preview`, () => HttpResponse.json({
    winner: stored, matched: [stored], reasons: [{ mappingId: stored.id, matched: true, reason: 'payer name matches' }],
    policy: { id: 'uuhp', name: 'U of U Health Plans', version: '2024-07', lineOfBusiness: 'commercial' },
  })),
  http.post(`${BASE}/api/admin/mappings/import`, () => HttpResponse.json({ error: { code: 'invalid', message: 'row 2 invalid', details: [{ path: 'mappings.1.policyId', message: 'Invalid option' }] } }, { status: 400 })),
  http.get(`${BASE}/api/admin/audit`, ({ request }) => {
    const u = new URL(request.url);
    return HttpResponse.json({ entries: [{ id: 1, at: '2025-01-02T00:00:00Z', actor: u.searchParams.get('actor'), action: u.searchParams.get('action') ?? 'x' }] });
  }),
  http.get(`${BASE}/api/worklist/export.csv`, () => new HttpResponse('visitKey,status\nv1,draft\n', { headers: { 'Content-Type': 'text/csv' } })),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => { server.resetHandlers(); seen.length = 0; stored = uuhpCommercial; });
afterAll(() => server.close());

const makeApi = (token = 'id-token-of-avery', onAuthError = vi.fn()) => ({
  api: new AdminApi({ baseUrl: BASE, getToken: () => token, getFhirUser: () => 'Practitioner/sandbox-clinician', onAuthError }),
  onAuthError,
});

describe('AdminApi', () => {
  it('sends the bearer token and JSON content type, and drops unknown keys from mappings', async () => {
    const { api } = makeApi();
    const r = await api.listMappings();
    expect(r.ok && r.data).toEqual([uuhpCommercial]);
    expect(seen[0]).toMatchObject({ auth: 'Bearer id-token-of-avery', contentType: 'application/json' });
  });

  it('returns the ETag of a read and sends If-Match with the edited version on update', async () => {
    const { api } = makeApi();
    const read = await api.getMapping('uuhp-commercial');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(versionFromEtag(read.etag)).toBe(3);
    const saved = await api.updateMapping('uuhp-commercial', read.data.version, disabledInput);
    expect(seen.at(-1)?.ifMatch).toBe('"3"');
    expect(saved.ok && saved.data).toMatchObject({ enabled: false, version: 4 });
    expect(saved.ok && versionFromEtag(saved.etag)).toBe(4);
  });

  it('turns a 412 into a stale result carrying the mapping as it is now', async () => {
    stored = { ...uuhpCommercial, version: 5, policyId: 'cpt-default' };
    const { api } = makeApi();
    const r = await api.updateMapping('uuhp-commercial', 3, disabledInput);
    expect(r.ok).toBe(false);
    if (r.ok || r.kind !== 'stale') throw new Error(`expected stale, got ${JSON.stringify(r)}`);
    expect(r.status).toBe(412);
    expect(r.current).toMatchObject({ version: 5, policyId: 'cpt-default' });
  });

  it('turns 400 details into field errors keyed by form path', async () => {
    const { api } = makeApi();
    const r = await api.updateMapping('uuhp-commercial', 3, { ...uuhpInput, priority: 5000 });
    if (r.ok || r.kind !== 'invalid') throw new Error('expected invalid');
    expect(r.fieldErrors).toEqual({ priority: 'Too big', 'match.states': 'expected a two-letter US state code' });
  });

  it('deletes with If-Match and reports a stale delete with the current version', async () => {
    const { api } = makeApi();
    expect((await api.deleteMapping('uuhp-commercial', 3)).ok).toBe(true);
    const stale = await api.deleteMapping('uuhp-commercial', 2);
    expect(!stale.ok && stale.kind).toBe('stale');
  });

  it('maps 404 to not-found and 428 to precondition-required', async () => {
    const { api } = makeApi();
    const nf = await api.getMapping('gone-away');
    expect(!nf.ok && nf.kind).toBe('not-found');
    server.use(http.put(`${BASE}/api/admin/mappings/:id`, () => HttpResponse.json({ error: { code: 'precondition-required', message: 'x' } }, { status: 428 })));
    const pr = await api.updateMapping('uuhp-commercial', 3, disabledInput);
    expect(!pr.ok && pr.kind).toBe('precondition-required');
  });

  it('creates a mapping (201) and reads its id and ETag', async () => {
    const { api } = makeApi();
    const r = await api.createMapping(uuhpInput);
    expect(r.ok && r.status).toBe(201);
    expect(r.ok && r.data.id).toBe('new-1');
    expect(r.ok && r.etag).toBe('"1"');
  });

  it('turns a 409 tie into a tie result naming the mappings; confirmTie is sent only when asked', async () => {
    const bodies: unknown[] = [];
    server.use(http.post(`${BASE}/api/admin/mappings`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      if (body.confirmTie) return HttpResponse.json({ ...body, confirmTie: undefined, id: 'new-2', version: 1 }, { status: 201 });
      return HttpResponse.json({ error: { code: 'mapping-tie', message: "'New' would tie with 'U of U Health Plans — Commercial'",
        details: { ties: [{ id: 'uuhp-commercial', name: 'U of U Health Plans — Commercial', label: 'U of U Health Plans — Commercial', priority: 100, policyId: 'uuhp' }] } } }, { status: 409 });
    }));
    const { api } = makeApi();
    const r = await api.createMapping(uuhpInput);
    expect(r.ok).toBe(false);
    if (r.ok || r.kind !== 'tie') throw new Error('expected a tie');
    expect(r.ties.map((t) => t.name)).toEqual(['U of U Health Plans — Commercial']);
    expect(r.message).toContain('would tie with');
    expect(bodies[0]).not.toHaveProperty('confirmTie');
    const ok = await api.createMapping(uuhpInput, { confirmTie: true });
    expect(ok.ok).toBe(true);
    expect(bodies[1]).toMatchObject({ confirmTie: true });
  });

  it('on 401 reports unauthorized and tells the app to return to sign-in', async () => {
    const { api, onAuthError } = makeApi('expired');
    const r = await api.listMappings();
    expect(!r.ok && r.kind).toBe('unauthorized');
    expect(onAuthError).toHaveBeenCalledWith(expect.objectContaining({ kind: 'unauthorized' }));
  });

  it('on 403 says who is signed in and that they are not an administrator', async () => {
    const { api, onAuthError } = makeApi('clinician');
    const r = await api.listMappings();
    expect(!r.ok && r.kind).toBe('forbidden');
    expect(!r.ok && r.message).toBe('You are signed in as Practitioner/sandbox-clinician but are not an administrator (ADMIN_USERS)');
    expect(onAuthError).toHaveBeenCalledWith(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('reads a preview with winner, policy and reasons', async () => {
    const { api } = makeApi();
    const r = await api.preview({ coverage: { resourceType: 'Coverage' }, patientState: 'UT' });
    expect(r.ok && r.data.winner?.id).toBe('uuhp-commercial');
    expect(r.ok && r.data.policy?.lineOfBusiness).toBe('commercial');
  });

  it('reports an import rejected by the server with its row details', async () => {
    const { api } = makeApi();
    const r = await api.importMappings([uuhpCommercial, { ...uuhpInput, policyId: 'nope' }]);
    if (r.ok || r.kind !== 'invalid') throw new Error('expected invalid');
    expect(r.details).toEqual([{ path: 'mappings.1.policyId', message: 'Invalid option' }]);
  });

  it('passes audit filters as query parameters and reads CSV as text', async () => {
    const { api } = makeApi();
    const a = await api.audit({ action: 'mapping.update', actor: 'Practitioner/sandbox-admin', limit: 50 });
    expect(a.ok && a.data[0]).toMatchObject({ action: 'mapping.update', actor: 'Practitioner/sandbox-admin' });
    const csv = await api.worklistCsv();
    expect(csv.ok && csv.data).toContain('v1,draft');
  });

  it('reports a network failure without throwing', async () => {
    const api = new AdminApi({ baseUrl: BASE, getToken: () => 't', fetch: () => Promise.reject(new TypeError('offline')) });
    const r = await api.listMappings();
    expect(!r.ok && r.kind).toBe('error');
    expect(!r.ok && r.status).toBe(0);
  });
});

describe('helpers', () => {
  it('reads versions from strong and weak ETags', () => {
    expect(versionFromEtag('"7"')).toBe(7);
    expect(versionFromEtag('W/"12"')).toBe(12);
    expect(versionFromEtag('abc')).toBeUndefined();
    expect(versionFromEtag(null)).toBeUndefined();
  });
  it('keeps the first message per field and accepts array paths', () => {
    const { fieldErrors } = fieldErrorsFromDetails([
      { path: ['match', 'payerName'], message: 'Too long' }, { path: 'match.payerName', message: 'second' }, { path: '(body)', message: 'whole' },
    ]);
    expect(fieldErrors).toEqual({ 'match.payerName': 'Too long', form: 'whole' });
  });
});
