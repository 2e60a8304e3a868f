import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSandboxToken, sandboxFhirBase, startSandboxServer, type RunningSandbox, type SandboxToken } from './testing.js';

let s: RunningSandbox;
const PATIENT = 'pt-icare-ma-wi';
const text = (t: string) => Buffer.from(t).toString('base64');

beforeAll(async () => {
  s = await startSandboxServer();
});
afterAll(async () => s?.close());

function client(base: string, token: SandboxToken) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token.access_token}`);
    if (init.body) headers.set('content-type', 'application/fhir+json');
    return fetch(`${base}/${path}`, { ...init, headers });
  };
}

const note = (over: Record<string, unknown> = {}) => ({
  resourceType: 'DocumentReference',
  status: 'current',
  docStatus: 'preliminary',
  identifier: [{ system: 'urn:pump-refill-coder:write', value: 'k-1' }],
  subject: { reference: `Patient/${PATIENT}` },
  date: '2026-11-20T10:30:00Z',
  author: [{ reference: 'Practitioner/sandbox-clinician' }],
  context: { encounter: [{ reference: `Encounter/enc-${PATIENT}` }] },
  content: [{ attachment: { contentType: 'text/plain', data: text('Refill documentation') } }],
  ...over,
});

const claim = {
  resourceType: 'Claim', status: 'draft', use: 'claim', created: '2026-11-20',
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
  patient: { reference: `Patient/${PATIENT}` }, provider: { reference: 'Practitioner/sandbox-clinician' },
  priority: { coding: [{ code: 'normal' }] },
  insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/cov-${PATIENT}` } }],
};

const asking = 'launch openid fhirUser patient/*.rs patient/Claim.c patient/DocumentReference.c';

describe('Epic mode', () => {
  let base: string;
  let fhir: ReturnType<typeof client>;
  let token: SandboxToken;
  beforeAll(async () => {
    base = sandboxFhirBase(s.url, 'epic');
    token = await getSandboxToken(s.url, { patientId: PATIENT, mode: 'epic', scopes: asking });
    fhir = client(base, token);
  });

  it('launches without a patient banner and does not grant Claim writes', () => {
    expect(token.need_patient_banner).toBe(false);
    expect(token.scope.split(' ')).not.toContain('patient/Claim.c');
    expect(token.scope.split(' ')).toContain('patient/DocumentReference.c');
  });

  it('its CapabilityStatement offers no Claim create and no conditional create', async () => {
    const cs = (await (await fetch(`${base}/metadata`)).json()) as { rest: { resource: { type: string; interaction: { code: string }[]; conditionalCreate?: boolean }[]; interaction: unknown[] }[] };
    const claimRes = cs.rest[0]!.resource.find((r) => r.type === 'Claim')!;
    expect(claimRes.interaction.map((i) => i.code)).not.toContain('create');
    const doc = cs.rest[0]!.resource.find((r) => r.type === 'DocumentReference')!;
    expect(doc.interaction.map((i) => i.code)).toContain('create');
    expect(doc.conditionalCreate).toBe(false);
    expect(cs.rest[0]!.interaction).toEqual([]);
  });

  it('refuses POST Claim with a 403 OperationOutcome, even with a user-level Claim scope', async () => {
    const res = await fhir('Claim', { method: 'POST', body: JSON.stringify(claim) });
    expect(res.status).toBe(403);
    const oo = (await res.json()) as { resourceType: string; issue: { details: { text: string } }[] };
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue[0]!.details.text).toMatch(/Epic/);
  });

  it('accepts a text/plain note with context.encounter, keeps only the first attachment', async () => {
    const res = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note({ content: [
      { attachment: { contentType: 'text/plain', data: text('first') } },
      { attachment: { contentType: 'text/plain', data: text('second') } },
    ] })) });
    expect(res.status).toBe(201);
    const doc = (await res.json()) as { content: unknown[] };
    expect(doc.content).toHaveLength(1);
  });

  it('refuses other content types and a note without context.encounter or with another patient\'s encounter', async () => {
    const pdf = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note({ content: [{ attachment: { contentType: 'application/pdf', data: text('%PDF') } }] })) });
    expect(pdf.status).toBe(400);
    expect(JSON.stringify(await pdf.json())).toContain('text/plain');
    const noEnc = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note({ context: undefined })) });
    expect(noEnc.status).toBe(400);
    expect(JSON.stringify(await noEnc.json())).toContain('context.encounter');
    const otherEnc = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note({ context: { encounter: [{ reference: 'Encounter/enc-pt-medicare-ca' }] } })) });
    expect(otherEnc.status).toBe(400);
  });

  it('ignores If-None-Exist: a replay makes a duplicate', async () => {
    const body = JSON.stringify(note({ identifier: [{ system: 'urn:pump-refill-coder:write', value: 'epic-dup' }] }));
    const headers = { 'if-none-exist': 'identifier=urn:pump-refill-coder:write|epic-dup' };
    const a = await fhir('DocumentReference', { method: 'POST', body, headers });
    const b = await fhir('DocumentReference', { method: 'POST', body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const found = (await (await fhir('DocumentReference?identifier=urn:pump-refill-coder:write|epic-dup')).json()) as { total: number };
    expect(found.total).toBe(2);
  });

  it('refuses transactions', async () => {
    const res = await fhir('', { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }) });
    expect(res.status).toBe(405);
  });
});

describe('Oracle Health mode', () => {
  const tenant = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
  let base: string;
  let fhir: ReturnType<typeof client>;
  let token: SandboxToken;
  beforeAll(async () => {
    base = sandboxFhirBase(s.url, 'oracle', tenant);
    token = await getSandboxToken(s.url, { patientId: PATIENT, mode: 'oracle', tenant, scopes: `${asking} online_access` });
    fhir = client(base, token);
  });

  it('uses the tenant path: any UUID tenant works, others do not; tokens are short-lived and tenant-bound', async () => {
    expect(token.expires_in).toBe(570);
    expect(token.tenant).toBe(tenant);
    expect(token.refresh_token).toBeDefined();
    const other = sandboxFhirBase(s.url, 'oracle', '0b8a0111-e8e6-4c26-a91c-5069cbc6b1ca');
    expect((await fetch(`${other}/metadata`)).status).toBe(200);
    expect((await fetch(`${other}/Patient/${PATIENT}`, { headers: { authorization: `Bearer ${token.access_token}` } })).status).toBe(401);
    const bad = await fetch(`${s.url}/sandbox/oracle/not-a-tenant/fhir/metadata`);
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect((await fhir(`Patient/${PATIENT}`)).status).toBe(200);
  });

  it('refuses Claim create', async () => {
    const res = await fhir('Claim', { method: 'POST', body: JSON.stringify(claim) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('accepts a note with a dated time, one author (the signed-in provider) and an allowed type', async () => {
    const res = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note({ content: [{ attachment: { contentType: 'application/xhtml+xml', data: text('<div>ok</div>') } }] })) });
    expect(res.status).toBe(201);
  });

  it('refuses a date without time, zero or two authors, another author, and an unsupported type', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ date: undefined }, 400, 'time'],
      [{ date: '2026-11-20' }, 400, 'DocumentReference.date'],
      [{ author: [] }, 400, 'author'],
      [{ author: [{ reference: 'Practitioner/sandbox-clinician' }, { reference: 'Practitioner/pract-brandt-md' }] }, 400, 'author'],
      [{ author: [{ reference: 'Practitioner/pract-brandt-md' }] }, 403, 'signed-in provider'],
      [{ content: [{ attachment: { contentType: 'image/png', data: text('png') } }] }, 400, 'content type'],
    ];
    for (const [over, status, message] of cases) {
      const res = await fhir('DocumentReference', { method: 'POST', body: JSON.stringify(note(over)) });
      expect(res.status, JSON.stringify(over)).toBe(status);
      expect(JSON.stringify(await res.json())).toContain(message);
    }
  });
});
