/**
 * /api/drafts, /api/visits and the write ledger through the real server with real sandbox tokens (issues #9, #10.1):
 * the server derives the visit, the EHR proves the patient, the codes must be the app's own, every change is a new
 * version, and each refused case below is refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing.js';
import { getSandboxToken, type SandboxToken } from '../../server/sandbox/testing.js';
import { DraftsResponse, EHR_TOKEN_HEADER, EvaluateResponse, VisitStatus, type DraftRequest } from '../../server/contracts/index.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../server/sandbox/fixtures/${name}.json`), 'utf8'));

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const post = (route: string, body: unknown, token?: SandboxToken | string, ehrToken = true) => fetch(server.url + route, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${typeof token === 'string' ? token : token.id_token}` } : {}),
    ...(token && typeof token !== 'string' && ehrToken ? { [EHR_TOKEN_HEADER]: token.access_token } : {}),
  },
  body: JSON.stringify(body),
});

async function draftRequestFor(name: string, extra: Partial<DraftRequest> = {}): Promise<DraftRequest> {
  const evaluated = EvaluateResponse.parse(await (await post('/api/evaluate', { bundle: fixture(name) })).json());
  return {
    facts: evaluated.facts,
    acceptedLines: evaluated.determination.lines.map(({ code, system, display, modifiers, units }) => ({ code, system, display, modifiers, units })),
    checklist: evaluated.determination.checklist.map((c) => ({ id: c.id, text: c.text, required: c.required, checked: c.required })),
    author: { reference: 'Practitioner/someone-else', display: 'Dr Test' },
    references: evaluated.references,
    policy: evaluated.determination.policy,
    plan: { claimToEhr: true, provenanceToEhr: true },
    ...extra,
  };
}

const drafted = async (r: Response) => { expect(r.status, await r.clone().text()).toBe(200); return DraftsResponse.parse(await r.json()); };
const step = (visitKey: string, kind: string, name: string, body: object, token: SandboxToken | string) =>
  post(`/api/ledger/${visitKey}/${kind}/${name}`, body, token);

describe('POST /api/drafts', () => {
  it('refuses anyone without a verified EHR id_token, and a launch that sends no EHR token', async () => {
    const body = await draftRequestFor('pt-uuhp-commercial');
    expect((await post('/api/drafts', body)).status).toBe(401);
    expect((await post('/api/drafts', body, 'not-a-jwt')).status).toBe(401);
    const forged = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.' + 'A'.repeat(40);
    expect((await post('/api/drafts', body, forged)).status).toBe(401);
    const token = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
    const noEhr = await post('/api/drafts', body, token, false);
    expect(noEhr.status).toBe(401);
    expect(JSON.stringify(await noEhr.json())).toContain(EHR_TOKEN_HEADER);
  });

  it('derives the visit on the server: the same visit from two launches is one visit; the author is the signed-in user', async () => {
    const body = await draftRequestFor('pt-uuhp-commercial', { launchId: 'launch-client-says-00001' });
    const a = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
    const first = await drafted(await post('/api/drafts', body, a));
    expect(first.version).toBe(1);
    expect(first.resumed).toBe(false);
    expect((first.documentReference.author as { reference: string }[])[0]!.reference).toBe('Practitioner/sandbox-clinician');
    // no identifier the app writes contains anything the client sent as a launch id
    expect(JSON.stringify(first)).not.toContain('launch-client-says');
    // a relaunch (new launch, new tokens, another client launch id): the same visit, the unfinished version handed back
    const b = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
    const again = await drafted(await post('/api/drafts', { ...body, launchId: 'launch-client-says-00002' }, b));
    expect(again).toMatchObject({ visitKey: first.visitKey, version: 1, resumed: true });
    const status = VisitStatus.parse(await (await post('/api/visits/lookup', {
      patientId: 'pt-uuhp-commercial', serviceDate: body.facts.serviceDate,
      ...(body.references.encounter ? { encounterId: body.references.encounter.split('/')[1] } : {}),
    }, b)).json());
    expect(status.visitKey).toBe(first.visitKey);
    expect(status.versions.map((v) => v.state)).toEqual(['drafted']);
  });

  it('refuses a patient the launch cannot read (foreign patient)', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const res = await post('/api/drafts', await draftRequestFor('pt-uuhp-commercial'), token);
    expect(res.status).toBe(403);
    const lookup = await post('/api/visits/lookup', { patientId: 'pt-uuhp-commercial', serviceDate: '2026-01-01' }, token);
    expect(lookup.status).toBe(403);
  });

  it('refuses codes that are not from the evaluation of the submitted facts', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const body = await draftRequestFor('pt-medicare-ca');
    const forged = { ...body, acceptedLines: [...body.acceptedLines, { code: '99215', system: 'CPT' as const, display: 'E/M', modifiers: [], units: 9 }] };
    const res = await post('/api/drafts', forged, token);
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('99215');
    const inflated = { ...body, acceptedLines: body.acceptedLines.map((l, i) => (i === 0 ? { ...l, units: l.units + 5 } : l)) };
    expect((await post('/api/drafts', inflated, token)).status).toBe(422);
  });

  it('answers a malformed draft request with a 400 naming the field', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const res = await post('/api/drafts', { launchId: 'x' }, token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/launchId|facts/);
  });
});

describe('the write ledger and versions', () => {
  it('one reservation among concurrent retries; completion is atomic with the worklist and idempotent; a forged id is refused', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-icare-ma-wi' });
    const d = await drafted(await post('/api/drafts', await draftRequestFor('pt-icare-ma-wi'), token));
    const reserve = () => step(d.visitKey, 'documentReference', 'reserve', { version: 1 }, token).then((r) => r.json() as Promise<{ state: string; resourceId?: string }>);
    const results = await Promise.all([reserve(), reserve(), reserve(), reserve()]);
    expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
    // no worklist item before the note is written
    expect(await server.store.worklist.get(d.visitKey)).toBeNull();
    expect((await step(d.visitKey, 'documentReference', 'complete', { version: 1, resourceId: 'doc-1' }, token)).status).toBe(204);
    expect((await step(d.visitKey, 'documentReference', 'complete', { version: 1, resourceId: 'doc-1' }, token)).status).toBe(204);
    expect((await step(d.visitKey, 'documentReference', 'complete', { version: 1, resourceId: 'forged-9' }, token)).status).toBe(409);
    expect(await reserve()).toMatchObject({ state: 'done', resourceId: 'doc-1' });
    const item = await server.store.worklist.get(d.visitKey);
    expect(item).toMatchObject({ status: 'draft', ehrDocumentReferenceId: 'doc-1', currentVersion: 1, noteStatus: 'written' });
    expect(item?.patientName).toBeTruthy();
  });

  it('refuses ledger steps on a visit of another launch (reserve, release, complete) and unknown keys alike', async () => {
    const owner = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const d = await drafted(await post('/api/drafts', await draftRequestFor('pt-medicare-ca'), owner));
    const stranger = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
    for (const name of ['reserve', 'release']) {
      expect((await step(d.visitKey, 'documentReference', name, { version: 1 }, stranger)).status).toBe(404);
    }
    expect((await step(d.visitKey, 'documentReference', 'complete', { version: 1, resourceId: 'doc-x' }, stranger)).status).toBe(404);
    expect((await step('ab'.repeat(16), 'documentReference', 'reserve', { version: 1 }, owner)).status).toBe(404);
    // the owner's entry is untouched
    expect(await (await step(d.visitKey, 'documentReference', 'reserve', { version: 1 }, owner)).json()).toEqual({ state: 'new', attempt: 1 });
  });

  it('a re-post by another user never overwrites the first author: the written visit answers 409, an update is a new version', async () => {
    const first = await getSandboxToken(server.url, { patientId: 'pt-centene-ga' });
    const body = await draftRequestFor('pt-centene-ga');
    const v1 = await drafted(await post('/api/drafts', body, first));
    expect((await step(v1.visitKey, 'documentReference', 'reserve', { version: 1 }, first)).status).toBe(200);
    expect((await step(v1.visitKey, 'documentReference', 'complete', { version: 1, resourceId: 'doc-a' }, first)).status).toBe(204);
    for (const kind of ['claim', 'provenance']) {
      await step(v1.visitKey, kind, 'reserve', { version: 1 }, first);
      expect((await step(v1.visitKey, kind, 'complete', { version: 1, resourceId: `${kind}-a` }, first)).status).toBe(204);
    }
    // another user (the sandbox admin, signed in with user-level read of patients) on the same visit
    const other = await getSandboxToken(server.url, { patientId: 'pt-centene-ga', user: 'sandbox-admin' });
    const repost = await post('/api/drafts', body, other);
    expect(repost.status).toBe(409);
    expect(((await repost.json()) as { error: { code: string } }).error.code).toBe('already-written');
    // without the other user's own launch of the patient: refused outright
    // (an access token the EHR does not accept is a 401 the client can cure by renewing it, not "not your patient")
    expect((await post('/api/drafts', body, { ...other, access_token: 'x'.repeat(40) })).status).toBe(401);
    // an update is version 2 by the other user; version 1 keeps its author and codes
    const v2 = await drafted(await post('/api/drafts', { ...body, update: { supersedes: 1 } }, other));
    expect(v2.version).toBe(2);
    expect(v2.supersedes).toEqual({ version: 1, documentReferenceId: 'doc-a', claimId: 'claim-a', note: 'replace-new' });
    expect(v2.documentReference.relatesTo).toEqual([{ code: 'replaces', target: { reference: 'DocumentReference/doc-a' } }]);
    const versions = await server.store.visits.versions(v1.visitKey);
    expect(versions.map((v) => [v.version, v.state, v.createdBy.split('/').pop()])).toEqual([[2, 'drafted', 'sandbox-admin'], [1, 'written', 'sandbox-clinician']]);
    // while version 2 is unfinished, every draft for the visit is handed version 2 to finish (never a third copy)
    expect(await drafted(await post('/api/drafts', { ...body, update: { supersedes: 1 } }, other))).toMatchObject({ version: 2, resumed: true });
  });

  it('a refused note marks the version note-failed and shows it, never as a billable draft', async () => {
    const name = 'pt-healthyu-medicaid';
    const token = await getSandboxToken(server.url, { patientId: name });
    const d = await drafted(await post('/api/drafts', await draftRequestFor(name), token));
    expect(d.resumed).toBe(false);
    await step(d.visitKey, 'documentReference', 'reserve', { version: d.version }, token);
    expect((await step(d.visitKey, 'documentReference', 'release', { version: d.version }, token)).status).toBe(204);
    expect(await server.store.worklist.get(d.visitKey)).toMatchObject({ status: 'note-failed', noteStatus: 'failed' });
    const list = await fetch(`${server.url}/api/worklist?status=draft`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(((await list.json()) as { items: { visitKey: string }[] }).items.map((i) => i.visitKey)).not.toContain(d.visitKey);
    // the next draft is a fresh version 2
    expect((await drafted(await post('/api/drafts', await draftRequestFor(name), token))).version).toBe(d.version + 1);
  });
});
