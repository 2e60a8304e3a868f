/**
 * /api/drafts, the write ledger and the billing worklist through the real server with real sandbox id_tokens:
 * only a signed-in EHR user gets drafts; the author is the verified user; the same visit never makes two items.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing.js';
import { getSandboxToken } from '../../server/sandbox/testing.js';
import { EvaluateResponse, type DraftRequest } from '../../server/contracts/index.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../server/sandbox/fixtures/${name}.json`), 'utf8'));

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const post = (route: string, body: unknown, token?: string) => fetch(server.url + route, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

async function draftRequestFor(name: string, launchId: string): Promise<DraftRequest> {
  const evaluated = EvaluateResponse.parse(await (await post('/api/evaluate', { bundle: fixture(name) })).json());
  return {
    launchId,
    facts: evaluated.facts,
    acceptedLines: evaluated.determination.lines.map(({ code, system, display, modifiers, units }) => ({ code, system, display, modifiers, units })),
    checklist: evaluated.determination.checklist.map((c) => ({ id: c.id, text: c.text, required: c.required, checked: c.required })),
    author: { reference: 'Practitioner/someone-else' },
    references: evaluated.references,
    policy: evaluated.determination.policy,
  };
}

describe('POST /api/drafts', () => {
  it('refuses anyone without a verified EHR id_token', async () => {
    const body = await draftRequestFor('pt-uuhp-commercial', 'launch-anon-0001');
    expect((await post('/api/drafts', body)).status).toBe(401);
    expect((await post('/api/drafts', body, 'not-a-jwt')).status).toBe(401);
    // a token signed by someone else's key, shaped like a real one
    const forged = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.' + 'A'.repeat(40);
    expect((await post('/api/drafts', body, forged)).status).toBe(401);
  });

  it('builds the Claim draft and checklist note for the verified user and keeps one worklist item per visit', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-uuhp-commercial' });
    expect(token.id_token).toBeTruthy();
    const body = await draftRequestFor('pt-uuhp-commercial', 'launch-uuhp-0001');
    const first = await post('/api/drafts', body, token.id_token);
    expect(first.status).toBe(200);
    const drafts = (await first.json()) as { visitKey: string; claim: { status: string; item: { productOrService: { coding: { code: string }[] } }[]; provider: { reference: string } }; documentReference: { author: { reference: string }[] } };
    expect(drafts.claim.status).toBe('draft');
    expect(drafts.claim.item.map((i) => i.productOrService.coding[0]!.code)).toEqual(body.acceptedLines.map((l) => l.code));
    // the author is the signed-in user from the id_token, not what the body said
    expect(drafts.documentReference.author[0]!.reference).toBe('Practitioner/sandbox-clinician');

    const again = (await (await post('/api/drafts', body, token.id_token)).json()) as { visitKey: string };
    expect(again.visitKey).toBe(drafts.visitKey);

    const list = await fetch(`${server.url}/api/worklist`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(list.status).toBe(200);
    const items = ((await list.json()) as { items: { visitKey: string; patientId: string }[] }).items.filter((i) => i.visitKey === drafts.visitKey);
    expect(items).toHaveLength(1);
    expect(JSON.stringify(items)).not.toMatch(/birthDate|"name"/);

    // a clinician is not a billing user: the worklist stays closed to them
    const denied = await fetch(`${server.url}/api/worklist`, { headers: { authorization: `Bearer ${token.id_token}` } });
    expect(denied.status).toBe(403);
  });

  it('answers a malformed draft request with a 400 naming the field', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const res = await post('/api/drafts', { launchId: 'x' }, token.id_token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/launchId|facts/);
  });
});

describe('the write ledger', () => {
  it('hands out a write to exactly one of several concurrent retries and remembers the id', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-icare-ma-wi' });
    const ehrBase = `${server.url}/sandbox/epic/fhir`;
    const unknownVisit = await post(`/api/ledger/${'ab'.repeat(16)}/documentReference/reserve`, { ehrBase }, token.id_token);
    expect(unknownVisit.status).toBe(409);
    const drafted = await post('/api/drafts', await draftRequestFor('pt-icare-ma-wi', 'launch-icare-0001'), token.id_token);
    const { visitKey } = (await drafted.json()) as { visitKey: string };
    const reserve = () => post(`/api/ledger/${visitKey}/documentReference/reserve`, { ehrBase }, token.id_token).then((r) => r.json() as Promise<{ state: string; resourceId?: string }>);
    const results = await Promise.all([reserve(), reserve(), reserve(), reserve()]);
    expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
    expect((await post(`/api/ledger/${visitKey}/documentReference/complete`, { ehrBase, resourceId: 'doc-1' }, token.id_token)).status).toBe(204);
    expect(await reserve()).toMatchObject({ state: 'done', resourceId: 'doc-1' });
    // the note is in the EHR but the Claim is not: the worklist item stays a draft for billing, with the note's id
    const item = await server.store.worklist.get(visitKey);
    expect(item).toMatchObject({ status: 'draft', ehrDocumentReferenceId: 'doc-1' });
  });

  it('releases a pending reservation after a refused write, but never a finished one', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-medicare-ca' });
    const ehrBase = `${server.url}/sandbox/fhir`;
    const { visitKey } = (await (await post('/api/drafts', await draftRequestFor('pt-medicare-ca', 'launch-release-0001'), token.id_token)).json()) as { visitKey: string };
    const step = (kind: string, name: string, body: object = {}) => post(`/api/ledger/${visitKey}/${kind}/${name}`, { ehrBase, ...body }, token.id_token);
    expect(await (await step('documentReference', 'reserve')).json()).toEqual({ state: 'new' });
    expect((await step('documentReference', 'release')).status).toBe(204);
    expect(await (await step('documentReference', 'reserve')).json()).toEqual({ state: 'new' });

    expect(await (await step('claim', 'reserve')).json()).toEqual({ state: 'new' });
    expect((await step('claim', 'complete', { resourceId: 'claim-7' })).status).toBe(204);
    expect((await step('claim', 'release')).status).toBe(204);
    expect(await (await step('claim', 'reserve')).json()).toMatchObject({ state: 'done', resourceId: 'claim-7' });
  });

  it('refuses EHRs that are not configured', async () => {
    const token = await getSandboxToken(server.url, { patientId: 'pt-icare-ma-wi' });
    const res = await post(`/api/ledger/${'cd'.repeat(16)}/claim/reserve`, { ehrBase: 'https://evil.example/fhir' }, token.id_token);
    expect(res.status).toBe(400);
  });
});
