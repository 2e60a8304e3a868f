/**
 * A launch of each vendor-shaped sandbox patient in its vendor's mode, read the way the app reads it (the client's
 * own readRecord and buildCollectionBundle over real HTTP with the token the sandbox issued), then POST
 * /api/evaluate: the lines must be the ones a careful coder bills for the corpus record the patient is built from
 * (test/corpus/sandbox-patients.json → expected.json).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCollectionBundle } from '../../client/src/fhir/bundle.js';
import { createFhirPort } from '../../client/src/fhir/port.js';
import { readRecord } from '../../client/src/fhir/reads.js';
import { parseScopes } from '../../client/src/smart/scopes.js';
import { CLINICIAN_SCOPES } from '../../launch/profiles.js';
import { EvaluateResponse } from '../../server/contracts/index.js';
import { getSandboxToken } from '../../server/sandbox/testing.js';
import { startTestServer } from '../../server/testing.js';

const here = import.meta.dirname;
const SandboxPatients = z.object({
  about: z.string(),
  patients: z.array(z.object({ patientId: z.string(), mode: z.enum(['epic', 'oracle']), record: z.string() })).min(6),
});
const Expected = z.object({
  records: z.array(z.object({ id: z.string(), expected: z.object({
    policyId: z.string(), why: z.string(), lines: z.array(z.object({ code: z.string(), units: z.number(), modifiers: z.array(z.string()) })),
  }).loose() }).loose()),
}).loose();

const patients = SandboxPatients.parse(JSON.parse(readFileSync(path.join(here, 'sandbox-patients.json'), 'utf8'))).patients;
const expected = new Map(Expected.parse(JSON.parse(readFileSync(path.join(here, 'expected.json'), 'utf8'))).records.map((r) => [r.id, r.expected]));
const lineKey = (l: { code: string; units: number; modifiers: string[] }) => `${l.code} ×${l.units}${l.modifiers.length ? ` ${[...l.modifiers].sort().join(',')}` : ''}`;

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('vendor-shaped sandbox patients launched in their vendor mode', () => {
  it('come in at least three per vendor, each tied to a corpus record with a coder\'s answer', () => {
    for (const mode of ['epic', 'oracle'] as const) expect(patients.filter((p) => p.mode === mode).length, mode).toBeGreaterThanOrEqual(3);
    for (const p of patients) expect(expected.has(p.record), p.record).toBe(true);
  });

  it.each(patients.map((p) => [p.patientId, p] as const))('%s shows the lines a coder would bill', async (_id, p) => {
    const want = expected.get(p.record)!;
    const token = await getSandboxToken(server.url, { patientId: p.patientId, mode: p.mode, scopes: CLINICIAN_SCOPES });
    const port = createFhirPort({ base: token.fhirBase, getToken: () => token.access_token });
    const read = await readRecord(port, { patientId: token.patient!, encounterId: token.encounter, scopes: parseScopes(token.scope), today: new Date() });
    expect(read.sessionExpired).toBe(false);
    const bundle = buildCollectionBundle(token.fhirBase, read.resources);
    const res = await fetch(`${server.url}/api/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bundle }) });
    expect(res.status, JSON.stringify(read.notices)).toBe(200);
    const body = EvaluateResponse.parse(await res.json());
    expect({ policy: body.determination.policy.id, lines: body.determination.lines.map(lineKey).sort() }, `${p.patientId}: ${want.why}`)
      .toEqual({ policy: want.policyId, lines: want.lines.map(lineKey).sort() });
  });
});
