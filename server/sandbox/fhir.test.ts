import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSandboxToken, SANDBOX_WRITER_CLIENT_ID, sandboxFhirBase, startSandboxServer, type RunningSandbox, type SandboxToken } from './testing.js';

let s: RunningSandbox;
let base: string;
let token: SandboxToken;
const PATIENT = 'pt-uuhp-commercial';
const OTHER = 'pt-medicare-ca';

beforeAll(async () => {
  s = await startSandboxServer();
  base = sandboxFhirBase(s.url);
  token = await getSandboxToken(s.url, { patientId: PATIENT });
});
afterAll(async () => s?.close());

function fhir(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token !== '') headers.set('authorization', `Bearer ${init.token ?? token.access_token}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  return fetch(`${base}/${path}`, { ...init, headers });
}
async function json<T = Record<string, any>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

const documentReference = (patient = PATIENT, key = 'visit-1') => ({
  resourceType: 'DocumentReference',
  status: 'current',
  docStatus: 'preliminary',
  identifier: [{ system: 'urn:pump-refill-coder:write', value: key }],
  subject: { reference: `Patient/${patient}` },
  date: '2026-11-20T10:30:00Z',
  author: [{ reference: 'Practitioner/sandbox-clinician' }],
  context: { encounter: [{ reference: `Encounter/enc-${patient}` }] },
  content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Refill checklist: residual volume recorded').toString('base64') } }],
});

const claim = (patient = PATIENT) => ({
  resourceType: 'Claim',
  status: 'draft',
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
  use: 'claim',
  patient: { reference: `Patient/${patient}` },
  created: '2026-11-20',
  provider: { reference: 'Practitioner/sandbox-clinician' },
  priority: { coding: [{ code: 'normal' }] },
  insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/cov-${patient}` } }],
  item: [{ sequence: 1, productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '62370' }] }, quantity: { value: 1 } }],
});

describe('FHIR server with a patient token', () => {
  it('reads the patient in context and searches its Coverage with the payer included', async () => {
    const p = await fhir(`Patient/${PATIENT}`);
    expect(p.status).toBe(200);
    expect((await json(p)).name[0].family).toBe('Sandoval');
    const b = await json(await fhir(`Coverage?patient=${PATIENT}&_include=Coverage:payor`));
    expect(b.resourceType).toBe('Bundle');
    expect(b.entry.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`)).toEqual(['Coverage/cov-pt-uuhp-commercial', 'Organization/org-uuhp']);
    expect(b.entry[0].fullUrl).toBe(`${base}/Coverage/cov-pt-uuhp-commercial`);
  });

  it('pages with _count and gives a next link', async () => {
    const b = await json(await fhir(`Procedure?patient=Patient/${PATIENT}&_count=1`));
    expect(b.entry).toHaveLength(1);
    expect(b.total).toBe(2);
    const next = b.link.find((l: any) => l.relation === 'next').url as string;
    const b2 = await json(await fetch(next, { headers: { authorization: `Bearer ${token.access_token}` } }));
    expect(b2.entry).toHaveLength(1);
    expect(b2.entry[0].resource.id).not.toBe(b.entry[0].resource.id);
  });

  it('answers 401 with WWW-Authenticate without a token or with a bad one', async () => {
    const none = await fhir(`Patient/${PATIENT}`, { token: '' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await json(none)).resourceType).toBe('OperationOutcome');
    const bad = await fhir(`Patient/${PATIENT}`, { token: 'not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('a token issued for another base (Epic mode) is not accepted here', async () => {
    const epic = await getSandboxToken(s.url, { patientId: PATIENT, mode: 'epic' });
    expect((await fhir(`Patient/${PATIENT}`, { token: epic.access_token })).status).toBe(401);
  });

  it('answers 403 for a type or interaction the scopes do not grant', async () => {
    const narrow = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/Patient.rs' });
    const res = await fhir(`Coverage?patient=${PATIENT}`, { token: narrow.access_token });
    expect(res.status).toBe(403);
    expect((await json(res)).issue[0].code).toBe('forbidden');
    const write = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(documentReference()), token: narrow.access_token });
    expect(write.status).toBe(403);
  });

  it('keeps a patient token inside its patient compartment', async () => {
    // another patient's record is as absent as a missing one (no existence oracle)
    expect((await fhir(`Patient/${OTHER}`)).status).toBe(404);
    expect((await fhir(`Coverage/cov-${OTHER}`)).status).toBe(404);
    expect((await fhir(`Coverage?patient=${OTHER}`)).status).toBe(403);
    // a search without patient= is restricted to the patient in context
    const all = await json(await fhir('Coverage'));
    expect(all.entry.map((e: any) => e.resource.beneficiary.reference)).toEqual([`Patient/${PATIENT}`]);
    const pts = await json(await fhir('Patient'));
    expect(pts.entry.map((e: any) => e.resource.id)).toEqual([PATIENT]);
    // writing for another patient is refused
    const res = await fhir('Claim', { method: 'POST', body: JSON.stringify(claim(OTHER)) });
    expect(res.status).toBe(403);
    // resources outside the compartment (the payer) stay readable
    expect((await fhir('Organization/org-uuhp')).status).toBe(200);
  });

  it('a user-level token reads across patients', async () => {
    const user = await getSandboxToken(s.url, { scopes: 'openid fhirUser user/Patient.rs', clientId: SANDBOX_WRITER_CLIENT_ID });
    expect(user.scope).toBe('openid fhirUser user/Patient.rs');
    const b = await json(await fhir('Patient', { token: user.access_token }));
    expect(b.total).toBeGreaterThan(1);
  });

  it('creates a Claim draft and a DocumentReference (201, Location)', async () => {
    const res = await fhir('Claim', { method: 'POST', body: JSON.stringify(claim()) });
    expect(res.status).toBe(201);
    const c = await json(res);
    expect(res.headers.get('location')).toContain(`${base}/Claim/${c.id}/_history/`);
    expect((await fhir(`Claim/${c.id}`)).status).toBe(200);
  });

  it('conditional create (If-None-Exist) returns the same resource on retry, no duplicate', async () => {
    const headers = { 'if-none-exist': 'identifier=urn:pump-refill-coder:write|cond-1' };
    const first = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(documentReference(PATIENT, 'cond-1')), headers });
    expect(first.status).toBe(201);
    const second = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(documentReference(PATIENT, 'cond-1')), headers });
    expect(second.status).toBe(200);
    expect((await json(second)).id).toBe((await json(first)).id);
    const found = await json(await fhir('DocumentReference?identifier=urn:pump-refill-coder:write|cond-1'));
    expect(found.total).toBe(1);
  });

  it('updates a resource it wrote', async () => {
    const created = await json(await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(documentReference(PATIENT, 'upd-1')) }));
    const scoped = await getSandboxToken(s.url, { patientId: PATIENT, scopes: 'launch patient/DocumentReference.cruds', clientId: SANDBOX_WRITER_CLIENT_ID });
    const res = await fhir(`DocumentReference/${created.id}`, { method: 'PUT', body: JSON.stringify({ ...created, docStatus: 'final' }), token: scoped.access_token });
    expect(res.status).toBe(200);
    expect((await json(res)).docStatus).toBe('final');
  });

  it('answers 400 OperationOutcome for an invalid resource, malformed JSON, a wrong type and a bad id; 404 for unknown types', async () => {
    const invalid = await fhir('Claim', { method: 'POST', body: JSON.stringify({ resourceType: 'Claim', patient: { reference: `Patient/${PATIENT}` }, bogus: 1 }) });
    expect(invalid.status).toBe(400);
    const oo = await json(invalid);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(oo)).toContain('Claim.status');
    const malformed = await fhir('Claim', { method: 'POST', body: '{"resourceType": "Claim",' });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).resourceType).toBe('OperationOutcome');
    expect((await fhir('Claim', { method: 'POST', body: JSON.stringify(documentReference()) })).status).toBe(400);
    expect((await fhir('Patient/bad$id')).status).toBe(400);
    const unknown = await fhir('Nonsense/1');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).resourceType).toBe('OperationOutcome');
    expect((await fhir('Coverage/does-not-exist')).status).toBe(404);
  });

  it('runs a transaction (create with If-None-Exist inside) and checks each entry', async () => {
    const bundle = {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:5c1d2b5e-1111-4a4a-9c9c-000000000001', resource: claim(), request: { method: 'POST', url: 'Claim', ifNoneExist: 'identifier=urn:x|tx-1' } }],
    };
    (bundle.entry[0]!.resource as any).identifier = [{ system: 'urn:x', value: 'tx-1' }];
    const res = await fhir('', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(200);
    const b = await json(res);
    expect(b.type).toBe('transaction-response');
    const again = await json(await fhir('', { method: 'POST', body: JSON.stringify(bundle) }));
    expect(again.entry[0].response.location ?? again.entry[0].resource?.id).toBeDefined();
    expect((await json(await fhir('Claim?identifier=urn:x|tx-1'))).total).toBe(1);
    const foreign = { ...bundle, entry: [{ ...bundle.entry[0]!, resource: claim(OTHER) }] };
    expect((await fhir('', { method: 'POST', body: JSON.stringify(foreign) })).status).toBe(403);
  });
});

describe('bad input never gives a 500', () => {
  it('junk queries, ids, bodies and methods answer 4xx OperationOutcome (or 200 for ignorable params)', async () => {
    const cases: [string, RequestInit][] = [
      ['Procedure?date=not-a-date', {}],
      ['Procedure?_count=abc', {}],
      ['Procedure?_sort=nonsense', {}],
      ['Coverage?_include=Nope:nothing', {}],
      ['Patient?_id=' + '%00'.repeat(5), {}],
      ['Claim', { method: 'POST', body: '[]' }],
      ['Claim', { method: 'POST', body: 'null' }],
      ['Claim/x', { method: 'PUT', body: JSON.stringify({ resourceType: 'Claim', id: 'y' }) }],
      ['Claim/x', { method: 'PATCH', body: '[]' }],
      ['', { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: '../../etc' } }] }) }],
      ['', { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) }],
      ['', {}],
      ['$graphql', { method: 'POST', body: '{}' }],
      ['Patient/x/$everything', {}],
      ['Patient/%E0%A4%A', {}],
      ['Patient?name=%E0%A4%A', {}],
      ['DocumentReference', { method: 'POST', body: JSON.stringify({ resourceType: 'DocumentReference' }), headers: { 'if-none-exist': 'bogus-param=1&&&' } }],
    ];
    for (const [path, init] of cases) {
      const res = await fhir(path, init);
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(500);
      if (res.status >= 400) expect(((await res.json()) as { resourceType: string }).resourceType, path).toBe('OperationOutcome');
    }
  });
});
