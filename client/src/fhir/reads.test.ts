import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { createFhirPort } from './port';
import { readRecord, visitProcedures } from './reads';
import { buildCollectionBundle } from './bundle';
import { parseScopes } from '../smart/scopes';

const BASE = 'https://ehr.test/fhir';
const ALL = 'patient/*.rs';
const searchset = (...resources: object[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
const seen: string[] = [];
const auth: (string | null)[] = [];

const handlers = [
  http.get(`${BASE}/Patient/p1`, ({ request }) => { auth.push(request.headers.get('authorization')); return HttpResponse.json({ resourceType: 'Patient', id: 'p1' }); }),
  http.get(`${BASE}/Coverage`, () => HttpResponse.json(searchset({ resourceType: 'Coverage', id: 'c1', status: 'active', payor: [{ reference: 'Organization/o1' }] }))),
  http.get(`${BASE}/Organization/o1`, () => HttpResponse.json({ resourceType: 'Organization', id: 'o1' })),
  http.get(`${BASE}/Device`, () => HttpResponse.json(searchset({ resourceType: 'Device', id: 'd1' }))),
  http.get(`${BASE}/Procedure`, ({ request }) => {
    seen.push(new URL(request.url).search);
    return HttpResponse.json(searchset(
      { resourceType: 'Procedure', id: 'pr-today', performedDateTime: '2026-03-02T10:00:00Z', performer: [{ actor: { reference: 'Practitioner/dr1' } }] },
      { resourceType: 'Procedure', id: 'pr-old', performedDateTime: '2025-11-02', performer: [{ actor: { reference: 'Practitioner/dr-old' } }] },
      { resourceType: 'Procedure', id: 'pr-bad', status: 'entered-in-error', performedDateTime: '2025-10-02' },
    ));
  }),
  http.get(`${BASE}/Practitioner/dr1`, () => HttpResponse.json({ resourceType: 'Practitioner', id: 'dr1' })),
  http.get(`${BASE}/MedicationAdministration`, () => new HttpResponse(null, { status: 403 })),
  http.get(`${BASE}/Condition`, () => HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'boom' }] }, { status: 500 })),
  http.get(`${BASE}/Encounter/e1`, () => new HttpResponse(null, { status: 404 })),
  http.get(`${BASE}/DocumentReference`, () => HttpResponse.json(searchset())),
  http.get(`${BASE}/PractitionerRole`, () => HttpResponse.json(searchset())),
];
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => { server.resetHandlers(); seen.length = 0; auth.length = 0; });
afterAll(() => server.close());

const port = () => createFhirPort({ base: BASE, getToken: () => 'tok' });
const ctx = (scope = ALL) => ({ patientId: 'p1', encounterId: 'e1', scopes: parseScopes(scope), today: new Date('2026-03-02T12:00:00Z') });

describe('readRecord', () => {
  it('reads everything in parallel, isolates failures as notices, and follows performer and payor references', async () => {
    const p = port();
    const r = await readRecord(p, ctx());
    expect(r.sessionExpired).toBe(false);
    const ids = r.resources.map((x) => `${x.resourceType}/${x.id}`).sort();
    expect(ids).toEqual(expect.arrayContaining(['Patient/p1', 'Coverage/c1', 'Organization/o1', 'Device/d1', 'Procedure/pr-today', 'Practitioner/dr1']));
    expect(ids).not.toContain('Practitioner/dr-old'); // only the visit's (latest day's) performer
    expect(r.notices).toEqual(expect.arrayContaining([
      { part: 'MedicationAdministration', kind: 'forbidden', status: 403 },
      { part: 'Condition', kind: 'failed', status: 500 },
      { part: 'Encounter', kind: 'not-found', status: 404 },
    ]));
    // the performers are asked for with the procedures (this EHR ignores _include, so they are read after)
    expect(seen[0]).toBe('?patient=p1&date=ge2025-03-02&_sort=-date&_count=50&_include=Procedure%3Aperformer');
    expect(auth[0]).toBe('Bearer tok');
    // 11 reads (incl. the visit's notes and the performer's roles); the Condition read that answered 500 was tried
    // MAX_READ_ATTEMPTS (3) times
    expect(p.requestCount).toBe(13);
  });

  it('sends the Procedure search first: its answer starts the longest chain of reads (six requests at a time per host)', async () => {
    const p = port();
    const order: string[] = [];
    const recording = { base: p.base, get requestCount() { return p.requestCount; },
      request: (path: string, init?: Parameters<typeof p.request>[1]) => { order.push(path.split('?')[0]!); return p.request(path, init); } };
    await readRecord(recording as typeof p, ctx());
    expect(order[0]).toBe('Procedure');
    // the reads that need nothing but the launch all go out before any read that waits for an answer
    const firstWave = ['Procedure', 'DocumentReference', 'Encounter/e1', 'Patient/p1', 'Coverage', 'Device', 'MedicationAdministration', 'Condition'];
    expect(order.slice(0, firstWave.length)).toEqual(firstWave);
  });

  it('does not read again what a search answered with _include (payer, performer): one wave of reads less', async () => {
    const included = (match: object, ...extra: object[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: [
      { resource: match, search: { mode: 'match' } }, ...extra.map((resource) => ({ resource, search: { mode: 'include' } }))] });
    const reads: string[] = [];
    server.use(
      http.get(`${BASE}/Coverage`, ({ request }) => HttpResponse.json(new URL(request.url).searchParams.get('_include') === 'Coverage:payor'
        ? included({ resourceType: 'Coverage', id: 'c1', status: 'active', payor: [{ reference: 'Organization/o1' }] }, { resourceType: 'Organization', id: 'o1' })
        : searchset())),
      http.get(`${BASE}/Procedure`, ({ request }) => HttpResponse.json(new URL(request.url).searchParams.get('_include') === 'Procedure:performer'
        ? included({ resourceType: 'Procedure', id: 'pr-today', performedDateTime: '2026-03-02T10:00:00Z', performer: [{ actor: { reference: 'Practitioner/dr1' } }] },
          { resourceType: 'Practitioner', id: 'dr1', name: [{ family: 'Included' }] })
        : searchset())),
      http.get(`${BASE}/Organization/o1`, () => { reads.push('Organization/o1'); return HttpResponse.json({ resourceType: 'Organization', id: 'o1' }); }),
      http.get(`${BASE}/Practitioner/dr1`, () => { reads.push('Practitioner/dr1'); return HttpResponse.json({ resourceType: 'Practitioner', id: 'dr1' }); }),
    );
    const r = await readRecord(port(), ctx());
    expect(reads).toEqual([]);
    const ids = r.resources.map((x) => `${x.resourceType}/${x.id}`);
    expect(ids).toEqual(expect.arrayContaining(['Coverage/c1', 'Organization/o1', 'Procedure/pr-today', 'Practitioner/dr1']));
    expect(ids.filter((x) => x === 'Practitioner/dr1')).toHaveLength(1);
  });

  it('does not ask for resource types the EHR did not grant', async () => {
    const p = port();
    const r = await readRecord(p, ctx('patient/Patient.read patient/Device.rs'));
    expect(r.notices.filter((n) => n.kind === 'not-granted').map((n) => n.part).sort())
      .toEqual(['Condition', 'Coverage', 'DocumentReference', 'Encounter', 'MedicationAdministration', 'Procedure']);
    // a missing scope is a notice, never a failure
    expect(p.requestCount).toBe(2);
  });

  it('reports an expired session on 401', async () => {
    server.use(http.get(`${BASE}/Device`, () => new HttpResponse(null, { status: 401 })));
    expect((await readRecord(port(), ctx())).sessionExpired).toBe(true);
  });

  it('times out a slow read after the limit and keeps the rest', async () => {
    server.use(http.get(`${BASE}/Device`, async () => { await delay(500); return HttpResponse.json(searchset()); }));
    const p = createFhirPort({ base: BASE, getToken: () => 'tok', timeoutMs: 100 });
    const r = await readRecord(p, ctx());
    expect(r.notices).toContainEqual({ part: 'Device', kind: 'timeout' });
    expect(r.resources.some((x) => x.resourceType === 'Patient')).toBe(true);
  });

  it('never sends the token to a foreign next link', async () => {
    let foreign = 0;
    server.use(
      http.get(`${BASE}/Device`, () => HttpResponse.json({ ...searchset({ resourceType: 'Device', id: 'd1' }), link: [{ relation: 'next', url: 'https://evil.test/fhir/Device?page=2' }] })),
      http.get('https://evil.test/*', () => { foreign++; return HttpResponse.json(searchset()); }),
    );
    await readRecord(port(), ctx());
    expect(foreign).toBe(0);
  });
});

describe('buildCollectionBundle', () => {
  it('makes a collection of unique resources without entered-in-error ones', () => {
    const b = buildCollectionBundle(`${BASE}/`, [
      { resourceType: 'Patient', id: 'p1' }, { resourceType: 'Patient', id: 'p1' },
      { resourceType: 'Procedure', id: 'x', status: 'entered-in-error' },
      { resourceType: 'Condition', id: 'c', verificationStatus: { coding: [{ code: 'entered-in-error' }] } },
      { resourceType: 'Device', id: 'd1' },
    ]);
    expect(b.type).toBe('collection');
    expect(b.entry?.map((e) => e.fullUrl)).toEqual([`${BASE}/Patient/p1`, `${BASE}/Device/d1`]);
  });
  it('picks the latest day\'s procedures as the visit', () => {
    expect(visitProcedures([{ resourceType: 'Procedure', id: 'a', performedPeriod: { start: '2026-01-01T09:00' } }, { resourceType: 'Procedure', id: 'b', performedDateTime: '2025-01-01' }]).map((p) => p.id)).toEqual(['a']);
  });
});

describe('readRecord: notes, medications, roles, long ids, the launch encounter', () => {
  const LONG = `e${'A1b2'.repeat(25)}`; // 101 characters, as Epic sends
  it('reads Medication by reference, the visit note and its Binary, roles and performers by identifier; tags the launch encounter', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${BASE}/Encounter/${LONG}`, () => HttpResponse.json({ resourceType: 'Encounter', id: LONG, status: 'finished' })),
      http.get(`${BASE}/Procedure`, () => HttpResponse.json(searchset(
        { resourceType: 'Procedure', id: 'pr1', performedDateTime: '2026-03-02T17:00:00Z', encounter: { reference: `Encounter/${LONG}` },
          code: { text: 'Intrathecal pump refill and reprogramming' },
          performer: [{ actor: { identifier: { system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.6', value: 'E1234' } } }, { actor: { reference: 'PractitionerRole/r1' } }] },
      ))),
      http.get(`${BASE}/PractitionerRole/r1`, () => HttpResponse.json({ resourceType: 'PractitionerRole', id: 'r1', practitioner: { reference: 'Practitioner/dr9' } })),
      http.get(`${BASE}/Practitioner/dr9`, () => HttpResponse.json({ resourceType: 'Practitioner', id: 'dr9' })),
      http.get(`${BASE}/Practitioner`, ({ request }) => { urls.push(new URL(request.url).search); return HttpResponse.json(searchset({ resourceType: 'Practitioner', id: 'dr-e' })); }),
      http.get(`${BASE}/PractitionerRole`, ({ request }) => { urls.push(new URL(request.url).search); return HttpResponse.json(searchset({ resourceType: 'PractitionerRole', id: 'r2', practitioner: { reference: 'Practitioner/dr9' } })); }),
      http.get(`${BASE}/MedicationAdministration`, ({ request }) => {
        urls.push(new URL(request.url).search);
        return HttpResponse.json(searchset(
          { resourceType: 'MedicationAdministration', id: 'ma1', medicationReference: { reference: 'Medication/m1' } },
          { resourceType: 'MedicationAdministration', id: 'ma2', medicationReference: { reference: 'Medication/m2' } },
          { resourceType: 'Medication', id: 'm1' },
        ));
      }),
      http.get(`${BASE}/Medication/m2`, () => HttpResponse.json({ resourceType: 'Medication', id: 'm2' })),
      http.get(`${BASE}/DocumentReference`, ({ request }) => {
        urls.push(new URL(request.url).search);
        return HttpResponse.json(searchset({ resourceType: 'DocumentReference', id: 'doc1', status: 'current', content: [{ attachment: { contentType: 'text/html', url: `${BASE}/Binary/b1` } }] }));
      }),
      http.get(`${BASE}/Binary/b1`, () => HttpResponse.json({ resourceType: 'Binary', id: 'b1', contentType: 'text/html', data: 'PHA+RG9zZSBpbmNyZWFzZWQ8L3A+' })),
    );
    const r = await readRecord(port(), { ...ctx(), encounterId: LONG });
    const ids = r.resources.map((x) => `${x.resourceType}/${x.id}`);
    expect(ids).toEqual(expect.arrayContaining(['Medication/m1', 'Medication/m2', 'DocumentReference/doc1', 'Binary/b1',
      'PractitionerRole/r1', 'Practitioner/dr9', 'Practitioner/dr-e', `Encounter/${LONG}`]));
    expect(urls).toContain('?patient=p1&_count=50&_include=MedicationAdministration%3Amedication');
    expect(urls).toContain(`?patient=p1&encounter=${LONG}&_count=20`);
    expect(urls).toContain('?identifier=urn%3Aoid%3A1.2.840.114350.1.13.0.1.7.5.737384.6%7CE1234');
    expect(urls).toContain('?practitioner=dr9');
    const enc = r.resources.find((x) => x.resourceType === 'Encounter');
    expect((enc?.meta as { tag?: { code?: string }[] }).tag?.map((t) => t.code)).toContain('launch-encounter');
  });

  it('a paged search with _include follows its next pages and is not read again without it', async () => {
    const queries: string[] = [];
    const page = (n: number) => ({ resourceType: 'Bundle', type: 'searchset', entry: [
      { resource: { resourceType: 'MedicationAdministration', id: `ma${n}`, medicationReference: { reference: `Medication/m${n}` } }, search: { mode: 'match' } },
      { resource: { resourceType: 'Medication', id: `m${n}` }, search: { mode: 'include' } }],
      ...(n === 1 ? { link: [{ relation: 'next', url: `${BASE}/MedicationAdministration?page=2` }] } : {}) });
    server.use(
      http.get(`${BASE}/MedicationAdministration`, ({ request }) => {
        const q = new URL(request.url).search;
        queries.push(q);
        return HttpResponse.json(page(q.includes('page=2') ? 2 : 1));
      }),
      http.get(`${BASE}/Medication/:id`, () => HttpResponse.json({ resourceType: 'OperationOutcome' }, { status: 500 })),
    );
    const r = await readRecord(port(), ctx());
    expect(queries).toEqual(['?patient=p1&_count=50&_include=MedicationAdministration%3Amedication', '?page=2']);
    const ids = r.resources.map((x) => `${x.resourceType}/${x.id}`);
    expect(ids).toEqual(expect.arrayContaining(['MedicationAdministration/ma1', 'MedicationAdministration/ma2', 'Medication/m1', 'Medication/m2']));
    expect(r.notices.filter((n) => n.part === 'Medication')).toEqual([]);
  });

  it('a server that refuses _include still gives the administrations; a 403 on notes is a notice', async () => {
    server.use(
      http.get(`${BASE}/MedicationAdministration`, ({ request }) => (new URL(request.url).searchParams.has('_include')
        ? HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'unsupported _include' }] }, { status: 400 })
        : HttpResponse.json(searchset({ resourceType: 'MedicationAdministration', id: 'ma1' })))),
      http.get(`${BASE}/DocumentReference`, () => new HttpResponse(null, { status: 403 })),
    );
    const r = await readRecord(port(), ctx());
    expect(r.resources.some((x) => x.id === 'ma1')).toBe(true);
    expect(r.notices).toContainEqual({ part: 'DocumentReference', kind: 'forbidden', status: 403 });
    expect(r.sessionExpired).toBe(false);
  });
});
