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

// ------------------------------------------------------------------------------- vendor-shaped sandbox patients

type Entry = { fullUrl?: string; resource: Record<string, any>; search?: { mode?: string } };
type Searchset = { resourceType: string; type: string; total?: number; entry?: Entry[] };
const matches = (b: Searchset) => (b.entry ?? []).filter((e) => e.search?.mode !== 'outcome').map((e) => e.resource);
const outcomes = (b: Searchset) => (b.entry ?? []).filter((e) => e.search?.mode === 'outcome').map((e) => e.resource);
const epicCodes = (b: Searchset) => outcomes(b).flatMap((o) => o.issue.map((i: any) => i.details.coding[0].code));

describe('Epic-shaped patients in Epic mode', () => {
  const get = async (patientId: string) => {
    const token = await getSandboxToken(s.url, { patientId, mode: 'epic', scopes: 'launch openid fhirUser patient/*.rs' });
    const fhir = client(sandboxFhirBase(s.url, 'epic'), token);
    return { token, json: async (p: string) => (await (await fhir(p)).json()) as any };
  };

  it('puts Epic\'s warnings into searchsets as OperationOutcome entries, outside the total', async () => {
    const { json } = await get('pt-epic-evening-medicare-ca');
    const conditions = (await json('Condition?patient=pt-epic-evening-medicare-ca')) as Searchset;
    expect(matches(conditions).length).toBe(2);
    expect(conditions.total).toBe(2);
    expect(epicCodes(conditions)).toEqual(['59204']);
    expect(outcomes(conditions)[0]!.issue[0].severity).toBe('warning');
    const none = (await json('Device?patient=pt-epic-evening-medicare-ca&type=no-such-type')) as Searchset;
    expect(matches(none)).toEqual([]);
    expect(epicCodes(none)).toEqual(['4101']);
    const withCategory = (await json('Condition?patient=pt-epic-evening-medicare-ca&category=encounter-diagnosis')) as Searchset;
    expect(epicCodes(withCategory)).toEqual([]);
  });

  it('serves the record as Epic does: long ids from searches, taxonomy in an Epic-OID identifier, no qualification, the note as a DocumentReference, UTC instants', async () => {
    const { json, token } = await get('pt-epic-evening-medicare-ca');
    const coverage = matches(await json('Coverage?patient=pt-epic-evening-medicare-ca'))[0]!;
    const procedure = matches(await json('Procedure?patient=pt-epic-evening-medicare-ca&code=62369')).sort((a, b) => b.performedDateTime.localeCompare(a.performedDateTime))[0]!;
    expect(coverage.id.length).toBeGreaterThan(64);
    expect(procedure.id.length).toBeGreaterThanOrEqual(66);
    expect(coverage.order).toBe(1);
    expect(coverage.payor[0].identifier.system).toBe('http://open.epic.com/FHIR/StructureDefinition/payer-id');
    expect(procedure.performedDateTime).toBe('2026-11-21T02:55:00Z'); // 18:55 PST on 2026-11-20
    const practitioner = await json(procedure.performer[0].actor.reference);
    expect(practitioner.qualification).toBeUndefined();
    expect(practitioner.identifier.find((i: any) => i.system.startsWith('urn:oid:1.2.840.114350')).value).toBeDefined();
    expect(practitioner.identifier.map((i: any) => i.value)).toContain('207LP2900X');
    const note = matches(await json('DocumentReference?patient=pt-epic-evening-medicare-ca'))[0]!;
    expect(note.context.encounter[0].reference).toBe(`Encounter/${token.encounter}`);
    expect(Buffer.from(note.content[0].attachment.data, 'base64').toString('utf8')).toMatch(/Daily dose increased from 4\.0 mg\/day to 4\.5 mg\/day/);
    const admin = matches(await json('MedicationAdministration?patient=pt-epic-evening-medicare-ca'))[0]!;
    expect(admin.medicationCodeableConcept).toBeUndefined();
    const medication = await json(admin.medicationReference.reference);
    expect(medication.ingredient[0].strength.numerator).toMatchObject({ value: 25, code: 'mg' });
  });

  it('finds the visit\'s note by a bare encounter id, as Epic does (DocumentReference?encounter=<id>)', async () => {
    const { json, token } = await get('pt-epic-evening-medicare-ca');
    for (const enc of [token.encounter, `Encounter/${token.encounter}`]) {
      const found = matches(await json(`DocumentReference?patient=pt-epic-evening-medicare-ca&encounter=${enc}`));
      expect(found.map((d) => d.context.encounter[0].reference), enc).toEqual([`Encounter/${token.encounter}`]);
    }
  });

  it('keeps a baclofen note as an HTML Binary the client reads by url', async () => {
    const { json } = await get('pt-epic-baclofen-uuhp-ut');
    const note = matches(await json('DocumentReference?patient=pt-epic-baclofen-uuhp-ut'))[0]!;
    expect(note.content[0].attachment.contentType).toBe('text/html');
    const binary = await json(note.content[0].attachment.url);
    const html = Buffer.from(binary.data, 'base64').toString('utf8');
    expect(html).toContain('<p>Physician skill required for difficult access and complex reprogramming of the periodic bolus schedule.</p>');
    expect(html).toContain('Gablofen 2000 mcg/mL');
  });

  it('hands over the old encounter the user opened the chart from, although today\'s visit is newer (stale launch context)', async () => {
    const { json, token } = await get('pt-epic-stale-launch-wi');
    const launched = await json(`Encounter/${token.encounter}`);
    expect(launched.period.start).toBe('2026-08-28T14:00:00Z');
    const all = matches(await json('Encounter?patient=pt-epic-stale-launch-wi'));
    expect(all.map((e) => e.period.start).sort().at(-1)).toBe('2026-11-20T15:30:00Z');
    const today = matches(await json('Procedure?patient=pt-epic-stale-launch-wi'))[0]!;
    expect(today.encounter.reference).not.toBe(`Encounter/${token.encounter}`);
  });

  it('lists a programmable shunt valve before the pump, and a same-day IV drug under another encounter', async () => {
    const shunt = await get('pt-epic-shunt-valve-rn-or');
    const devices = matches(await shunt.json('Device?patient=pt-epic-shunt-valve-rn-or'));
    expect(devices.map((d) => d.deviceName[0].name)).toEqual(['VALVE CODMAN CERTAS PLUS PROGRAMMABLE', 'PUMP SYNCHROMED II 40ML']);
    const iv = await get('pt-epic-same-day-iv-tx');
    const admins = matches(await iv.json('MedicationAdministration?patient=pt-epic-same-day-iv-tx'));
    const encounters = new Set(admins.map((a) => a.context.reference));
    expect(admins).toHaveLength(2);
    expect(encounters.size).toBe(2);
    expect(encounters.has(`Encounter/${iv.token.encounter}`)).toBe(true);
  });

  it('adds no OperationOutcome entries in the generic mode', async () => {
    const token = await getSandboxToken(s.url, { patientId: 'pt-epic-evening-medicare-ca', scopes: 'launch openid fhirUser patient/*.rs' });
    const res = await client(sandboxFhirBase(s.url), token)('Condition?patient=pt-epic-evening-medicare-ca');
    expect(outcomes((await res.json()) as Searchset)).toEqual([]);
  });
});

describe('Oracle-shaped patients in Oracle Health mode', () => {
  const get = async (patientId: string) => {
    const token = await getSandboxToken(s.url, { patientId, mode: 'oracle', scopes: 'launch openid fhirUser patient/*.rs' });
    const fhir = client(sandboxFhirBase(s.url, 'oracle'), token);
    return { token, json: async (p: string) => (await (await fhir(p)).json()) as any };
  };

  it('serves contained Medication and Location, Coverage without order beside a stale SELF PAY, is-physician and date-only procedures', async () => {
    const { json, token } = await get('pt-oracle-selfpay-homestate-mo');
    const coverages = matches(await json('Coverage?patient=pt-oracle-selfpay-homestate-mo'));
    expect(coverages.map((c) => c.payor[0].display).sort()).toEqual(['Home State Health', 'SELF PAY']);
    expect(coverages.every((c) => c.order === undefined)).toBe(true);
    const admin = matches(await json('MedicationAdministration?patient=pt-oracle-selfpay-homestate-mo'))[0]!;
    expect(admin.medicationReference.reference).toBe(`#${admin.contained[0].id}`);
    expect(admin.contained[0].ingredient[0].strength.numerator).toMatchObject({ value: 25, code: 'mg' });
    expect(admin.dosage.dose).toMatchObject({ value: 20, code: 'mL' });
    const procedure = matches(await json('Procedure?patient=pt-oracle-selfpay-homestate-mo'))[0]!;
    expect(procedure.performedDateTime).toBe('2026-11-20');
    const practitioner = await json(procedure.performer[0].actor.reference);
    expect(practitioner.extension).toEqual([{ valueBoolean: true, url: 'https://fhir-ehr.cerner.com/r4/StructureDefinition/is-physician' }]);
    expect(practitioner.qualification[0].code.coding[0].system).toMatch(/^https:\/\/fhir\.cerner\.com\/.+\/codeSet\/29600$/);
    const encounter = await json(`Encounter/${token.encounter}`);
    expect(encounter.location[0].location.reference).toBe('#loc1');
    expect(encounter.contained[0]).toMatchObject({ resourceType: 'Location', address: { state: 'MO' } });
  });

  it('has a text-only procedure, an evening visit in UTC, a second non-pump device and a stale launch encounter', async () => {
    const text = await get('pt-oracle-text-only-icare-wi');
    const proc = matches(await text.json('Procedure?patient=pt-oracle-text-only-icare-wi'))[0]!;
    expect(proc.code).toEqual({ text: 'Intrathecal pump refill and reprogramming' });
    const evening = await get('pt-oracle-evening-wellcare-ks');
    expect((await evening.json(`Encounter/${evening.token.encounter}`)).period.start).toBe('2026-11-21T01:15:00.000Z'); // 19:15 CST on 11-20
    const ed = await get('pt-oracle-same-day-ed-baclofen-fl');
    const devices = matches(await ed.json('Device?patient=pt-oracle-same-day-ed-baclofen-fl'));
    expect(devices.map((d) => d.type.text)).toEqual(['Insulin Pump', 'Intrathecal baclofen pump']);
    const stale = await get('pt-oracle-stale-launch-wa');
    expect((await stale.json(`Encounter/${stale.token.encounter}`)).period.start).toBe('2026-09-18T16:00:00.000Z');
  });
});
