/**
 * How Update works in each vendor mode of the sandbox, through the real client write path:
 * generic — a new note that replaces the old one (old: superseded), a new Claim (old: cancelled);
 * Epic and Oracle Health — the same note updated in place (PUT), no Claim and no Provenance in the EHR.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing.js';
import { DEFAULT_PATIENT_SCOPES, getSandboxToken, type SandboxMode } from '../../server/sandbox/testing.js';
import { APP_IDENTIFIER_SYSTEM, EvaluateResponse, type DraftRequest } from '../../server/contracts/index.js';
import { createDrafts, createLedger } from '../../client/src/api/drafts.js';
import { createFhirPort } from '../../client/src/fhir/port.js';
import { parseScopes } from '../../client/src/smart/scopes.js';
import { describePlan, draftPlanOf, writeDrafts } from '../../client/src/writeback/adapters.js';
import { parseCapability } from '../../client/src/writeback/capability.js';

const SCOPES = `${DEFAULT_PATIENT_SCOPES} patient/DocumentReference.u patient/Claim.u patient/Provenance.c`;
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
  (globalThis as { __PRC_API_ORIGIN__?: string }).__PRC_API_ORIGIN__ = server.url;
}, 60_000);
afterAll(async () => { await server?.close(); });

async function writeTwice(mode: SandboxMode, patient: string) {
  const token = await getSandboxToken(server.url, { patientId: patient, scopes: SCOPES, mode });
  const bundle = JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../server/sandbox/fixtures/${patient}.json`), 'utf8'));
  const ev = EvaluateResponse.parse(await (await fetch(`${server.url}/api/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bundle }) })).json());
  const references = { ...ev.references, ...(token.encounter ? { encounter: `Encounter/${token.encounter}` } : {}) };
  const base: DraftRequest = {
    facts: ev.facts, references, policy: ev.determination.policy,
    acceptedLines: ev.determination.lines.map(({ code, system, display, modifiers, units }) => ({ code, system, display, modifiers, units })),
    checklist: ev.determination.checklist.map((c) => ({ id: c.id, text: c.text, required: c.required, checked: false })),
    author: { reference: 'Practitioner/sandbox-clinician' },
  };
  const cap = parseCapability(await (await fetch(`${token.fhirBase}/metadata`)).json());
  const vendor = mode === 'generic' ? 'generic' : mode;
  const plan = describePlan(vendor, cap, parseScopes(token.scope), { ...(token.encounter ? { encounterId: token.encounter } : {}), fhirUser: 'Practitioner/sandbox-clinician' });
  const creds = { idToken: token.id_token!, accessToken: token.access_token };
  const ctx = {
    fhir: createFhirPort({ base: token.fhirBase, getToken: () => token.access_token }), ledger: createLedger(creds), plan, patientId: patient,
    ...(token.encounter ? { encounterId: token.encounter } : {}), fhirUser: 'Practitioner/sandbox-clinician',
  };
  const planned = { plan: draftPlanOf(plan) };
  const v1 = await writeDrafts(await createDrafts({ ...base, ...planned }, creds), ctx);
  const changed = { ...base, checklist: base.checklist.map((c) => ({ ...c, checked: true })) };
  const v2 = await writeDrafts(await createDrafts({ ...changed, ...planned, update: { supersedes: v1.version } }, creds), ctx);
  const docs = ((await (await fetch(`${token.fhirBase}/DocumentReference?patient=${patient}&_count=200`, { headers: { authorization: `Bearer ${token.access_token}` } })).json()) as { entry?: { resource: { id: string; status: string; identifier?: { system?: string; value?: string }[] } }[] })
    .entry?.map((e) => e.resource).filter((d) => d.identifier?.some((i) => i.system === APP_IDENTIFIER_SYSTEM && i.value?.startsWith(v1.visitKey))) ?? [];
  return { plan, v1, v2, docs, granted: parseScopes(token.scope) };
}

describe('Update per vendor mode', () => {
  it('generic: a new note replaces the old one, which is marked superseded', async () => {
    const { plan, v1, v2, docs, granted } = await writeTwice('generic', 'pt-icare-ma-wi');
    // Provenance goes to the EHR exactly when the sandbox grants its write (server/sandbox/clients.ts registration)
    expect(plan.provenanceToEhr).toBe(granted.has('Provenance', 'c'));
    const doc = (r: typeof v1) => r.written.find((w) => w.resourceType === 'DocumentReference')!.id;
    expect(v2.version).toBe(2);
    expect(doc(v2)).not.toBe(doc(v1));
    expect(docs.filter((d) => d.status === 'current').map((d) => d.id)).toEqual([doc(v2)]);
    expect(docs.find((d) => d.id === doc(v1))?.status).toBe('superseded');
  });

  it.each([['epic', 'pt-uuhp-commercial'], ['oracle', 'pt-medicare-ca']] as const)('%s: the same note is updated in place; no Claim, no Provenance in the EHR', async (mode, patient) => {
    const { plan, v1, v2, docs } = await writeTwice(mode, patient);
    expect(plan.steps.map((s) => s.resourceType)).toEqual(['DocumentReference']);
    const id = v1.written[0]!.id;
    expect(v2.written.map((w) => [w.resourceType, w.id])).toEqual([['DocumentReference', id]]);
    expect(docs.map((d) => d.id)).toEqual([id]);
    const item = await server.store.worklist.get(v1.visitKey);
    expect(item).toMatchObject({ currentVersion: 2, versionCount: 2, ehrDocumentReferenceId: id });
  });
});
