import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../../auth/testIssuer';
import { defaultMappings } from '../../mappings/index';
import { openStore, type Store } from '../../store/index';
import { createWorklistRouter, CSV_HEADER } from '../worklist';
import { createAdminRouter } from './index';

const ORIGIN = 'https://coder.example.org';
const ADMIN_TOKEN = 'test-admin-token-0123456789';
let issuer: TestIssuer;
let store: Store;
let app: express.Express;
let adminJwt: string;
let nurseJwt: string;
let billerJwt: string;

const validInput = {
  priority: 500, enabled: true, match: { payerName: 'Acme*', coverageType: ['5'] }, policyId: 'uuhp', lineOfBusiness: 'commercial',
  note: 'test',
};

beforeAll(async () => {
  issuer = await startTestIssuer();
  store = await openStore({ dataDir: 'memory://' });
  await store.mappings.installDefaultsOnFirstStart(defaultMappings());
  app = express();
  const common = { store, profiles: [issuer.profile], adminToken: ADMIN_TOKEN, adminUsers: [`${issuer.iss}/Practitioner/admin-1`], publicOrigin: ORIGIN };
  app.use('/api/admin', createAdminRouter(common));
  app.use('/api/worklist', createWorklistRouter({ ...common, billingUsers: [`${issuer.iss}/Practitioner/biller-1`] }));
  adminJwt = await issuer.sign({ fhirUser: `${issuer.iss}/Practitioner/admin-1` });
  nurseJwt = await issuer.sign({ fhirUser: `${issuer.iss}/Practitioner/nurse-1` });
  billerJwt = await issuer.sign({ fhirUser: 'Practitioner/biller-1' });
});
afterAll(async () => { await store.close(); await issuer.close(); });

const admin = () => ({ Authorization: `Bearer ${ADMIN_TOKEN}` });
const as = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });

describe('admin API: authentication and authorisation', () => {
  const routes: [string, string][] = [['get', '/api/admin/mappings'], ['get', '/api/admin/mappings/x'], ['post', '/api/admin/mappings'],
    ['put', '/api/admin/mappings/x'], ['delete', '/api/admin/mappings/x'], ['post', '/api/admin/mappings/preview'],
    ['get', '/api/admin/mappings/export'], ['post', '/api/admin/mappings/import'], ['get', '/api/admin/audit'],
    ['get', '/api/worklist'], ['get', '/api/worklist/export.csv'], ['get', '/api/worklist/v1'], ['get', '/api/worklist/v1/claim.json']];

  it.each(routes)('%s %s: no token 401, wrong token 401, forged/expired id_token 401, non-admin 403', async (method, path) => {
    const call = () => (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path);
    const none = await call();
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await call().set('Authorization', 'Bearer wrong')).status).toBe(401);
    const forged = await issuer.sign({ fhirUser: 'Practitioner/admin-1' }, { key: 'forged' });
    expect((await call().set(as(forged))).status).toBe(401);
    const expired = await issuer.sign({ fhirUser: 'Practitioner/admin-1' }, { expSecondsFromNow: -7200 });
    expect((await call().set(as(expired))).status).toBe(401);
    const wrongAud = await issuer.sign({ fhirUser: 'Practitioner/admin-1', aud: 'other-app' });
    expect((await call().set(as(wrongAud))).status).toBe(401);
    const nurse = await call().set(as(nurseJwt));
    expect(nurse.status).toBe(403);
    expect(nurse.body.error.code).toBe('forbidden');
  });

  it('admin by id_token and by ADMIN_TOKEN; billing users only on the worklist', async () => {
    expect((await request(app).get('/api/admin/mappings').set(as(adminJwt))).status).toBe(200);
    expect((await request(app).get('/api/admin/mappings').set(admin())).status).toBe(200);
    expect((await request(app).get('/api/admin/mappings').set(as(billerJwt))).status).toBe(403);
    expect((await request(app).get('/api/worklist').set(as(billerJwt))).status).toBe(200);
    expect((await request(app).get('/api/worklist').set(as(adminJwt))).status).toBe(200);
  });

  it('a foreign Origin cannot change anything; a form body gets 415', async () => {
    const r = await request(app).post('/api/admin/mappings').set(admin()).set('Origin', 'https://evil.example').send(validInput);
    expect(r.status).toBe(403);
    const f = await request(app).post('/api/admin/mappings').set(admin()).type('form').send('priority=1');
    expect(f.status).toBe(415);
    const same = await request(app).post('/api/admin/mappings').set(admin()).set('Origin', ORIGIN).send({ ...validInput, id: 'origin-ok' });
    expect(same.status).toBe(201);
  });

  it('responses are not cacheable', async () => {
    const r = await request(app).get('/api/admin/mappings').set(admin());
    expect(r.headers['cache-control']).toBe('no-store');
  });
});

describe('admin API: mappings', () => {
  it('lists the installed defaults', async () => {
    const r = await request(app).get('/api/admin/mappings').set(admin());
    expect(r.body.mappings.length).toBeGreaterThan(10);
    expect(r.body.mappings.map((m: { id: string }) => m.id)).toContain('uuhp-healthy-u-plan');
  });

  it('create → 201 with ETag and Location; get with ETag; audit records the actor', async () => {
    // the change counter every instance's evaluation path reads moves with the committed change
    const before = await store.mappings.changeCount();
    const c = await request(app).post('/api/admin/mappings').set(as(adminJwt)).send(validInput);
    expect(c.status).toBe(201);
    expect(c.headers.etag).toBe('"1"');
    expect(c.headers.location).toBe(`/api/admin/mappings/${c.body.id}`);
    expect(c.body).toMatchObject({ ...validInput, version: 1 });
    expect(await store.mappings.changeCount()).toBe(before + 1);
    const g = await request(app).get(c.headers.location!).set(admin());
    expect(g.status).toBe(200);
    expect(g.headers.etag).toBe('"1"');
    const audit = await request(app).get('/api/admin/audit?action=mapping.create&limit=1').set(admin());
    expect(audit.body.entries[0]).toMatchObject({ actor: `${issuer.iss}/Practitioner/admin-1`, entityId: c.body.id,
      after: { id: c.body.id } });
    expect((await request(app).get('/api/admin/mappings/nope').set(admin())).status).toBe(404);
  });

  it('validation errors → 400 naming the fields; unknown policyId → 400', async () => {
    const r = await request(app).post('/api/admin/mappings').set(admin())
      .send({ ...validInput, priority: -3, match: { states: ['Utah'], extra: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['priority', 'match.states.0', 'match']));
    const p = await request(app).post('/api/admin/mappings').set(admin()).send({ ...validInput, policyId: 'aetna' });
    expect(p.status).toBe(400);
    expect(p.body.error.details[0].path).toBe('policyId');
    const bad = await request(app).post('/api/admin/mappings').set(admin()).set('Content-Type', 'application/json').send('{"priority":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-json');
  });

  it('PUT/DELETE: 428 without If-Match, 412 when stale with the current row, 200/204 when current', async () => {
    const c = await request(app).post('/api/admin/mappings').set(admin()).send({ ...validInput, id: 'cc-1' });
    expect(c.status).toBe(201);
    expect((await request(app).put('/api/admin/mappings/cc-1').set(admin()).send(validInput)).status).toBe(428);
    const u = await request(app).put('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"1"').send({ ...validInput, priority: 7 });
    expect(u.status).toBe(200);
    expect(u.headers.etag).toBe('"2"');
    // another admin still holding version 1
    const stale = await request(app).put('/api/admin/mappings/cc-1').set(as(adminJwt)).set('If-Match', 'W/"1"').send({ ...validInput, priority: 9 });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('stale');
    expect(stale.body.error.details.current).toMatchObject({ id: 'cc-1', version: 2, priority: 7 });
    // the body may carry id/version back as read
    const round = await request(app).put('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"2"').send(u.body);
    expect(round.status).toBe(200);
    expect((await request(app).put('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"3"').send({ ...validInput, id: 'other' })).status).toBe(400);
    expect((await request(app).delete('/api/admin/mappings/cc-1').set(admin())).status).toBe(428);
    expect((await request(app).delete('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"1"')).status).toBe(412);
    expect((await request(app).delete('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"3"')).status).toBe(204);
    expect((await request(app).delete('/api/admin/mappings/cc-1').set(admin()).set('If-Match', '"3"')).status).toBe(404);
    const audit = await request(app).get('/api/admin/audit?entityType=PayerMapping&limit=3').set(admin());
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['mapping.delete', 'mapping.update', 'mapping.update']);
    expect(audit.body.entries[1]).toMatchObject({ actor: 'admin-token', before: { version: 2 }, after: { version: 3 } });
  });

  it('preview with a FHIR Coverage and its Organization', async () => {
    const r = await request(app).post('/api/admin/mappings/preview').set(admin()).send({
      coverage: { resourceType: 'Coverage', type: { coding: [{ system: 'https://nahdo.org/sopt', code: '211' }] },
        payor: [{ reference: 'Organization/o1' }],
        class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'Healthy U' }] },
      organizations: [{ resourceType: 'Organization', id: 'o1', name: 'University of Utah Health Plans' }],
      patientState: 'UT',
    });
    expect(r.status).toBe(200);
    expect(r.body.winner.id).toBe('uuhp-healthy-u-plan');
    expect(r.body.policy).toEqual({ id: 'uuhp', lineOfBusiness: 'medicaid' });
    const why = r.body.reasons.find((x: { mappingId: string }) => x.mappingId === 'uuhp-healthy-u-plan').reason;
    expect(why).toContain("plan 'Healthy U' matched");
    // the result in words: the policy's title and the line of business, not their ids
    expect(why).toMatch(/\(priority 300 → U of U Health Plans — .+, Medicaid\) — wins/);
    expect(r.body.tie).toBeUndefined();
    const none = await request(app).post('/api/admin/mappings/preview').set(admin()).send({ match: { payerNames: ['Nobody Insurance'] } });
    expect(none.body).toMatchObject({ winner: null, policy: { id: 'cpt-default', lineOfBusiness: 'unknown' } });
    expect((await request(app).post('/api/admin/mappings/preview').set(admin()).send({})).status).toBe(400);
  });

  it('export → attachment; import is all-or-nothing and names the bad row and field', async () => {
    const ex = await request(app).get('/api/admin/mappings/export').set(admin());
    expect(ex.status).toBe(200);
    expect(ex.headers['content-disposition']).toMatch(/^attachment; filename="payer-mappings-\d{4}-\d{2}-\d{2}\.json"$/);
    const exported = JSON.parse(ex.text).mappings as { id: string; version: number }[];
    const before = (await request(app).get('/api/admin/mappings').set(admin())).body.mappings;

    const bad = await request(app).post('/api/admin/mappings/import').set(admin())
      .send({ mappings: [...exported.slice(0, 3), { ...validInput, id: 'bad-row', lineOfBusiness: 'dental' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('mappings.3.lineOfBusiness');
    expect(bad.body.error.details[0].message).toMatch(/^Mapping 4 \(bad-row\): line of business 'dental' is not one of: commercial, chip, medicaid/);
    expect(bad.body.error.message).toMatch(/^Nothing was imported: Mapping 4 \(bad-row\): line of business/);
    const dup = await request(app).post('/api/admin/mappings/import').set(admin())
      .send({ mappings: [{ ...validInput, id: 'd' }, { ...validInput, id: 'd' }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details[0].path).toBe('mappings.1.id');
    expect(dup.body.error.details[0].message).toBe("Mapping 2 (d): id 'd' is already used by Mapping 1 (d)");
    expect((await request(app).get('/api/admin/mappings').set(admin())).body.mappings).toEqual(before);

    const ok = await request(app).post('/api/admin/mappings/import').set(admin()).send({ mappings: exported });
    expect(ok.status).toBe(200);
    expect(ok.body.mappings).toHaveLength(exported.length);
    expect(ok.body.mappings[0].version).toBe(exported[0]!.version + 1);
    const audit = await request(app).get('/api/admin/audit?action=mapping.import').set(admin());
    expect(audit.body.entries).toHaveLength(1);
  });

  it('audit: newest first, filters validated', async () => {
    const all = (await request(app).get('/api/admin/audit').set(admin())).body.entries as { id: number; at: string }[];
    expect(all.length).toBeGreaterThan(3);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.id).toBeGreaterThan(all[i]!.id);
    expect((await request(app).get('/api/admin/audit?actor=admin-token&limit=2').set(admin())).body.entries).toHaveLength(2);
    expect((await request(app).get('/api/admin/audit?since=2999-01-01').set(admin())).body.entries).toEqual([]);
    const bad = await request(app).get('/api/admin/audit?limit=0&since=yesterday').set(admin());
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['limit', 'since']);
    expect((await request(app).get('/api/admin/audit?bogus=1').set(admin())).status).toBe(400);
  });
});

describe('admin API: ties need a confirmation', () => {
  // U of U Health Plans — Medicaid (Healthy U) matches 'U*of U* Health Plan*' + type 2 at priority 250 → uuhp medicaid
  const rival = { name: 'Georgia Medicaid by type', priority: 250, enabled: true, match: { payerName: 'University of Utah Health Plans', coverageType: ['21'] },
    policyId: 'centene-cp-mp-173', lineOfBusiness: 'medicaid' } as const;

  it('POST of a mapping that would tie → 409 naming the mappings; nothing saved; confirmTie saves it and the audit says so', async () => {
    const before = (await request(app).get('/api/admin/mappings').set(admin())).body.mappings.length;
    const r = await request(app).post('/api/admin/mappings').set(admin()).send({ ...rival, id: 'ga-medicaid' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('mapping-tie');
    expect(r.body.error.message).toMatch(/^'Georgia Medicaid by type' \(Centene CP\.MP\.173.*, Medicaid\) would tie with 'U of U Health Plans — Medicaid \(Healthy U\)' \(U of U Health Plans.*, Medicaid\) at priority 250/);
    expect(r.body.error.message).toContain('confirmTie: true');
    expect(r.body.error.details.ties).toEqual([expect.objectContaining({ id: 'uuhp-medicaid', name: 'U of U Health Plans — Medicaid (Healthy U)', priority: 250, policyId: 'uuhp' })]);
    expect((await request(app).get('/api/admin/mappings').set(admin())).body.mappings).toHaveLength(before);

    const ok = await request(app).post('/api/admin/mappings').set(admin()).send({ ...rival, id: 'ga-medicaid', confirmTie: true });
    expect(ok.status).toBe(201);
    expect(ok.body.confirmTie).toBeUndefined();
    expect(ok.body.name).toBe('Georgia Medicaid by type');
    const audit = await request(app).get('/api/admin/audit?action=mapping.create&limit=1').set(admin());
    expect(audit.body.entries[0].after).toMatchObject({ id: 'ga-medicaid', confirmedTieWith: ['uuhp-medicaid'] });

    // the preview now shows the tie, with no winner: CPT-only rules
    const p = await request(app).post('/api/admin/mappings/preview').set(admin())
      .send({ match: { payerNames: ['University of Utah Health Plans'], coverageTypes: ['211'] } });
    expect(p.body.tie.sort()).toEqual(['ga-medicaid', 'uuhp-medicaid']);
    expect(p.body.winner).toBeNull();
    expect(p.body.policy).toEqual({ id: 'cpt-default', lineOfBusiness: 'unknown' });

    const del = await request(app).delete('/api/admin/mappings/ga-medicaid').set(admin()).set('If-Match', '"1"');
    expect(del.status).toBe(204);
  });

  it('PUT that creates a tie (here: re-enabling or moving a priority) → 409 until confirmed; same result or other conditions → no tie', async () => {
    const c = await request(app).post('/api/admin/mappings').set(admin()).send({ ...rival, id: 'ga-2', priority: 249 });
    expect(c.status).toBe(201);
    const tie = await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"1"').send({ ...rival, priority: 250 });
    expect(tie.status).toBe(409);
    expect(tie.body.error.details.ties.map((t: { id: string }) => t.id)).toEqual(['uuhp-medicaid']);
    // a stale If-Match is still a 412 first, whatever the tie
    expect((await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"7"').send({ ...rival, priority: 250 })).status).toBe(412);
    // agreeing with the other mapping is no tie; nor are disjoint conditions (another state)
    expect((await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"1"')
      .send({ ...rival, priority: 250, policyId: 'uuhp' })).status).toBe(200);
    expect((await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"2"')
      .send({ ...rival, priority: 250, match: { ...rival.match, states: ['GA'] }, enabled: false })).status).toBe(200);
    // disabled, it ties with nothing; enabled again it does (uuhp-medicaid names no state, so a GA member can match both)
    const enable = await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"3"')
      .send({ ...rival, priority: 250, match: { ...rival.match, states: ['GA'] } });
    expect(enable.status).toBe(409);
    const confirmed = await request(app).put('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"3"')
      .send({ ...rival, priority: 250, match: { ...rival.match, states: ['GA'] }, confirmTie: true });
    expect(confirmed.status).toBe(200);
    expect((await request(app).delete('/api/admin/mappings/ga-2').set(admin()).set('If-Match', '"4"')).status).toBe(204);
  });

  it('import: ties among the file\'s rows → 409 naming rows and mappings; nothing imported; confirmTie imports', async () => {
    const exported = JSON.parse((await request(app).get('/api/admin/mappings/export').set(admin())).text).mappings as Record<string, unknown>[];
    const rows = [...exported, { ...rival, id: 'ga-3' }];
    const r = await request(app).post('/api/admin/mappings/import').set(admin()).send({ mappings: rows });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('mapping-tie');
    expect(r.body.error.message).toMatch(/^Nothing was imported: 1 pair of mappings in the file would tie/);
    expect(r.body.error.message).toMatch(/Mapping \d+ \(U of U Health Plans — Medicaid \(Healthy U\)\) .* and Mapping \d+ \(Georgia Medicaid by type\) .* at priority 250/);
    expect(r.body.error.details.ties[0].mappings.map((m: { id: string }) => m.id)).toEqual(['uuhp-medicaid', 'ga-3']);
    expect((await request(app).get('/api/admin/mappings/ga-3').set(admin())).status).toBe(404);
    const ok = await request(app).post('/api/admin/mappings/import').set(admin()).send({ mappings: rows, confirmTie: true });
    expect(ok.status).toBe(200);
    const back = await request(app).post('/api/admin/mappings/import').set(admin()).send({ mappings: exported });
    expect(back.status).toBe(200);
  });

  it('validation messages are in words, never zod text', async () => {
    const r = await request(app).post('/api/admin/mappings').set(admin())
      .send({ ...validInput, priority: -3, match: { states: ['Utah'], extra: 1 }, policyId: 'aetna' });
    expect(r.status).toBe(400);
    const byPath = Object.fromEntries(r.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(byPath.priority).toBe('priority must be 0 or more');
    expect(byPath['match.states.0']).toBe('the 1st state must be a two-letter US state code (it is "Utah")');
    expect(byPath.match).toBe("unknown field 'extra' in the match conditions");
    expect(byPath.policyId).toMatch(/^policy 'aetna' is not one of: U of U Health Plans \(uuhp\), iCare/);
    expect(r.body.error.message).not.toMatch(/Too small|Invalid option|Unrecognized key|expected number/);
  });
});

describe('worklist API', () => {
  beforeEach(async () => {
    await store.worklist.upsert({ visitKey: 'visit-a', launchId: 'launch-000001', patientId: 'pat-1', serviceDate: '2025-03-04',
      claim: { resourceType: 'Claim', status: 'draft', patient: { reference: 'Patient/pat-1' } },
      codes: [{ code: '62370', modifiers: [], units: 1 }, { code: 'J0475', units: 40 }], createdBy: 'Practitioner/dr-1' });
    await store.worklist.upsert({ visitKey: 'visit-b', launchId: 'launch-000002', patientId: '=cmd|calc', claim: { resourceType: 'Claim',
      billablePeriod: { start: '2025-02-01' } }, codes: [{ code: '62369', modifiers: ['26', 'KX'], units: 1 }], createdBy: 'Practitioner/dr-2' });
  });

  it('lists items without the Claim body, filters by status, reads one with its Claim', async () => {
    const r = await request(app).get('/api/worklist?status=draft').set(as(billerJwt));
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { visitKey: string }) => i.visitKey).sort()).toEqual(['visit-a', 'visit-b']);
    expect(r.body.items[0].claim).toBeUndefined();
    const one = await request(app).get('/api/worklist/visit-a').set(as(billerJwt));
    expect(one.body.claim.resourceType).toBe('Claim');
    expect((await request(app).get('/api/worklist/nope').set(as(billerJwt))).status).toBe(404);
    expect((await request(app).get('/api/worklist?status=paid').set(as(billerJwt))).status).toBe(400);
  });

  it('CSV export: readable columns, formula-safe, changes nothing; POST /export marks exactly the filtered items after the count is confirmed', async () => {
    const r = await request(app).get('/api/worklist/export.csv?status=draft').set(as(billerJwt));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="worklist-/);
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    const a = lines.find((l) => l.startsWith('visit-a'))!;
    expect(a).toContain(',pat-1,2025-03-04,,62370 x1; J0475 x40,draft,');
    const b = lines.find((l) => l.startsWith('visit-b'))!;
    expect(b).toContain(",'=cmd|calc,2025-02-01,,62369-26-KX x1,draft");
    // downloading marked nothing
    expect((await request(app).get('/api/worklist?status=draft').set(as(billerJwt))).body.items).toHaveLength(2);
    // a stale count (the list changed since the person confirmed) is refused
    expect((await request(app).post('/api/worklist/export').set(as(billerJwt)).send({ status: 'draft', expectedCount: 5 })).status).toBe(409);
    const marked = await request(app).post('/api/worklist/export').set(as(billerJwt)).send({ status: 'draft', expectedCount: 2 });
    expect(marked.status).toBe(200);
    expect(marked.body.exported).toBe(2);
    expect((await request(app).get('/api/worklist?status=draft').set(as(billerJwt))).body.items).toEqual([]);
    const audit = await store.audit.list({ action: 'worklist.export', limit: 1 });
    expect(audit[0]).toMatchObject({ actor: 'Practitioner/biller-1', resourceIds: expect.arrayContaining(['visit-a#1', 'visit-b#1']) });
    const again = await request(app).get('/api/worklist/export.csv?status=draft').set(as(billerJwt));
    expect(again.text).toBe(`${CSV_HEADER.join(',')}\r\n`);
  });

  it('claim.json download is FHIR JSON, never changes the status, and is audited', async () => {
    await store.worklist.upsert({ visitKey: 'visit-c', launchId: 'launch-000003', patientId: 'pat-3', status: 'draft',
      claim: { resourceType: 'Claim', id: 'c3' }, codes: [], createdBy: 'Practitioner/dr-1' });
    const r = await request(app).get('/api/worklist/visit-c/claim.json').set(admin());
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="claim-visit-c.json"');
    expect(JSON.parse(r.text)).toEqual({ resourceType: 'Claim', id: 'c3' });
    expect((await store.worklist.get('visit-c'))?.status).toBe('draft');
    expect((await store.audit.list({ action: 'worklist.download-claim', limit: 1 }))[0]).toMatchObject({ actor: 'admin-token', entityId: 'visit-c' });
  });
});
