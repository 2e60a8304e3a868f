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
import { APP_IDENTIFIER_SYSTEM, DraftsResponse, EHR_TOKEN_HEADER, EvaluateResponse, VisitStatus, type DraftRequest } from '../../server/contracts/index.js';
import { createDrafts, createLedger, type LedgerPort } from '../../client/src/api/drafts.js';
import { createFhirPort } from '../../client/src/fhir/port.js';
import { parseScopes } from '../../client/src/smart/scopes.js';
import * as adapters from '../../client/src/writeback/adapters.js'; // describePlan, draftPlanOf, writeDrafts
import { parseCapability } from '../../client/src/writeback/capability.js';
import { PlanBlockedError, type Plan } from '../../client/src/writeback/types.js';
import { writeErrorToWords } from '../../client/src/errors.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../server/sandbox/fixtures/${name}.json`), 'utf8'));

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
  (globalThis as { __PRC_API_ORIGIN__?: string }).__PRC_API_ORIGIN__ = server.url;
});
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
    // the unfinished version says what finishing it writes: its drafted plan, whatever the resuming launch's
    expect(status.versions[0]?.plan).toEqual(first.plan);
    expect(status.versions[0]?.codes).toEqual(body.acceptedLines.map((l) => l.code));
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
    const reserve = () => step(d.visitKey, 'documentReference', 'reserve', { version: 1 }, token).then((r) => r.json() as Promise<{ state: string; resourceId?: string; inProgress?: boolean }>);
    const results = await Promise.all([reserve(), reserve(), reserve(), reserve()]);
    expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
    // the others are told, by the server's clock, that the write is in progress (the client then writes nothing)
    expect(results.filter((r) => r.state === 'pending' && r.inProgress === true)).toHaveLength(3);
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
    const { attempt } = await (await step(d.visitKey, 'documentReference', 'reserve', { version: d.version }, token)).json() as { attempt: number };
    // without the attempt its reserve was given, a release could free another window's live reservation: refused
    const bare = await step(d.visitKey, 'documentReference', 'release', { version: d.version }, token);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/^attempt: required/);
    expect(await (await step(d.visitKey, 'documentReference', 'reserve', { version: d.version }, token)).json()).toMatchObject({ state: 'pending', inProgress: true });
    expect((await step(d.visitKey, 'documentReference', 'release', { version: d.version, attempt }, token)).status).toBe(204);
    expect(await server.store.worklist.get(d.visitKey)).toMatchObject({ status: 'note-failed', noteStatus: 'failed' });
    const list = await fetch(`${server.url}/api/worklist?status=draft`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(((await list.json()) as { items: { visitKey: string }[] }).items.map((i) => i.visitKey)).not.toContain(d.visitKey);
    // the next draft is a fresh version 2
    expect((await drafted(await post('/api/drafts', await draftRequestFor(name), token))).version).toBe(d.version + 1);
  });
});

/** scopes of a launch that may create notes but not Claims (and update nothing) */
const NOTE_ONLY = 'launch openid fhirUser online_access patient/*.rs user/Practitioner.rs patient/DocumentReference.c';

/** the real client write path (api/drafts + writeback/adapters) for one sandbox launch; `stopAt` kills it before that ledger step */
async function clientFor(patient: string, scopes?: string) {
  const token = await getSandboxToken(server.url, { patientId: patient, ...(scopes ? { scopes } : {}) });
  const cap = parseCapability(await (await fetch(`${token.fhirBase}/metadata`)).json());
  const plan: Plan = adapters.describePlan('generic', cap, parseScopes(token.scope), { fhirUser: 'Practitioner/sandbox-clinician' });
  const creds = { idToken: token.id_token!, accessToken: token.access_token };
  const posts: string[] = [];
  const real = createFhirPort({ base: token.fhirBase, getToken: () => token.access_token });
  const fhir = { ...real, request: ((p: string, init?: { method?: string }) => { if (init?.method && init.method !== 'GET') posts.push(`${init.method} ${p.split('?')[0]}`); return real.request(p, init as never); }) as typeof real.request };
  const write = async (req: DraftRequest, stopAt?: string) => {
    const drafts = await createDrafts({ ...req, plan: planned(plan) }, creds);
    const ledger = createLedger(creds);
    const stopping: LedgerPort = {
      ...ledger,
      reserve: (k, v, kind, attempt) => (stopAt === `reserve ${kind}` ? Promise.reject(new Error(`killed before reserve ${kind}`)) : ledger.reserve(k, v, kind, attempt)),
    };
    return { drafts, result: await adapters.writeDrafts(drafts, { fhir, ledger: stopping, plan, patientId: patient, fhirUser: 'Practitioner/sandbox-clinician' }) };
  };
  const inEhr = async (type: string, visitKey: string) => ((await (await fetch(`${token.fhirBase}/${type}?patient=${patient}&_count=500`, { headers: { authorization: `Bearer ${token.access_token}` } })).json()) as { entry?: { resource: { id: string; status: string; identifier?: { system?: string; value?: string }[] } }[] })
    .entry?.map((e) => e.resource).filter((r) => r.identifier?.some((i) => i.system === APP_IDENTIFIER_SYSTEM && i.value?.startsWith(visitKey))) ?? [];
  return { token, plan, write, posts, inEhr };
}
/** what the app's screen sends as the plan (client/src/review/useWriteBack.ts) */
const planned = adapters.draftPlanOf;

describe('the plan a version was drafted with', () => {
  it('an update on a generic EHR without update permission ends finished (the earlier note left to the clinician), not stuck', async () => {
    const patient = 'pt-uuhp-commercial';
    const base = await draftRequestFor(patient);
    const req = { ...base, facts: { ...base.facts, serviceDate: '2024-05-06' } };
    const c = await clientFor(patient);
    expect(c.plan.canUpdate).toBe(false);
    const v1 = (await c.write(req)).result;
    const changed = { ...req, checklist: req.checklist.map((x, i) => (i === 0 ? { ...x, checked: !x.checked } : x)) };
    const { drafts, result: v2 } = await c.write({ ...changed, update: { supersedes: v1.version } });
    expect(v2.version).toBe(2);
    expect(v2.superseded).toBeUndefined(); // nothing in the EHR was changed: the plan told the clinician to do it
    // the same review again is the written version 2 (not an unfinished one handed back), and the next update is 3
    const same = DraftsResponse.parse(await (await post('/api/drafts', { ...changed, update: { supersedes: 2 }, plan: planned(c.plan) }, c.token)).json());
    expect(same).toMatchObject({ version: 2, resumed: false });
    expect(drafts.plan).toMatchObject({ supersede: false });
    const again = { ...changed, checklist: changed.checklist.map((x, i) => (i === 0 ? { ...x, checked: !x.checked } : x)) };
    const v3 = await c.write({ ...again, update: { supersedes: 2 } });
    expect(v3.result).toMatchObject({ version: 3, resumed: false });
    expect(c.posts.filter((p) => p.startsWith('PUT'))).toEqual([]);
  });

  it('a version drafted with a Claim to the EHR, resumed by a launch that cannot write Claims: said before anything is written; a launch that can finishes it', async () => {
    const patient = 'pt-medicare-ca';
    const base = await draftRequestFor(patient);
    const req = { ...base, facts: { ...base.facts, serviceDate: '2024-05-07' } };
    const first = await clientFor(patient);
    expect(first.plan.steps.map((s) => s.kind)).toContain('claim');
    // the first window wrote the note and died before the Claim
    await expect(first.write(req, 'reserve claim')).rejects.toThrow(/killed before reserve claim/);
    const noteOnly = await clientFor(patient, NOTE_ONLY);
    expect(noteOnly.plan.steps.map((s) => s.kind)).toEqual(['documentReference']);
    const err = await noteOnly.write(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanBlockedError);
    expect(writeErrorToWords(err).message).toBe('Nothing was written: this visit has an unfinished version that was prepared to write the Claim draft to the EHR, and this launch cannot write it (the EHR did not grant the Claim write scope); relaunch with the Claim write permission to finish it.');
    expect(noteOnly.posts).toEqual([]);
    const resumer = await clientFor(patient);
    const { drafts, result } = await resumer.write(req);
    expect(drafts).toMatchObject({ version: 1, resumed: true, plan: { claimToEhr: true } });
    expect(result.written.map((w) => `${w.resourceType} ${w.reused}`)).toEqual(['DocumentReference true', 'Claim false']);
    expect(await resumer.inEhr('Claim', result.visitKey)).toHaveLength(1);
    expect(await resumer.inEhr('DocumentReference', result.visitKey)).toHaveLength(1);
  });

  it('a version drafted without a Claim to the EHR, resumed by a launch that could write one: the note only, as drafted, and finished', async () => {
    const patient = 'pt-icare-ma-wi';
    const base = await draftRequestFor(patient);
    const req = { ...base, facts: { ...base.facts, serviceDate: '2024-05-08' } };
    const noteOnly = await clientFor(patient, NOTE_ONLY);
    await expect(noteOnly.write(req, 'reserve documentReference')).rejects.toThrow(/killed/);
    const full = await clientFor(patient);
    const { drafts, result } = await full.write(req);
    expect(drafts).toMatchObject({ version: 1, resumed: true, plan: { claimToEhr: false } });
    expect(result.written.map((w) => w.resourceType)).toEqual(['DocumentReference']);
    expect(full.posts).toEqual(['POST DocumentReference']);
    expect(await full.inEhr('Claim', result.visitKey)).toEqual([]);
    // finished: the same review again is the written version
    expect((await full.write(req)).drafts).toMatchObject({ version: 1, resumed: false });
    expect(await server.store.worklist.get(result.visitKey)).toMatchObject({ status: 'draft', currentVersion: 1 });
  });
});
