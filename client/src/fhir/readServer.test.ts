import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createFhirPort } from './port';
import { serveReads, type WorkerScope } from './readServer';
import { readOffThread, prepareReadWorker } from './readOffThread';
import type { FromWorker, ReadJob, ToWorker } from './readProtocol';
import { parseScopes } from '../smart/scopes';

const BASE = 'https://ehr.test/fhir';
const searchset = (...resources: object[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
const tokens: (string | null)[] = [];
const server = setupServer(
  http.get(`${BASE}/Patient/p1`, ({ request }) => {
    const auth = request.headers.get('authorization');
    tokens.push(auth);
    return auth === 'Bearer fresh' ? HttpResponse.json({ resourceType: 'Patient', id: 'p1' }) : new HttpResponse(null, { status: 401 });
  }),
  http.get(`${BASE}/Coverage`, () => HttpResponse.json(searchset({ resourceType: 'Coverage', id: 'c1', status: 'active' }))),
  http.get(`${BASE}/Device`, () => HttpResponse.json(searchset({ resourceType: 'Device', id: 'd1' }))),
  http.get(`${BASE}/Procedure`, () => HttpResponse.json(searchset())),
  http.get(`${BASE}/MedicationAdministration`, () => HttpResponse.json(searchset())),
  http.get(`${BASE}/Condition`, () => new HttpResponse(null, { status: 403 })),
  http.get(`${BASE}/metadata`, () => HttpResponse.json({ resourceType: 'CapabilityStatement', rest: [] })),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => { tokens.length = 0; vi.unstubAllGlobals(); });
afterAll(() => server.close());

const job: ReadJob = { type: 'read', base: BASE, accessToken: 'old', canRenew: true, patientId: 'p1', scope: 'patient/*.rs', todayMs: Date.parse('2026-03-02') };

/** a worker scope in this thread: what the worker posts, and a way to message it */
function fakeScope() {
  const posted: FromWorker[] = [];
  let listener: ((e: { data: ToWorker }) => void) | undefined;
  const scope: WorkerScope = { postMessage: (m) => posted.push(m), addEventListener: (_t, l) => { listener = l; } };
  return { scope, posted, send: (data: ToWorker) => listener?.({ data }) };
}

describe('the worker side of the record read', () => {
  it('posts each answer\'s resources, asks the page for a renewed token on a 401, and ends with the record and the CapabilityStatement', async () => {
    const w = fakeScope();
    serveReads(w.scope);
    w.send(job);
    await vi.waitFor(() => expect(w.posted.some((m) => m.type === 'renew')).toBe(true));
    const renew = w.posted.find((m) => m.type === 'renew') as { id: number };
    w.send({ type: 'renewed', id: renew.id, accessToken: 'fresh' });
    await vi.waitFor(() => expect(w.posted.at(-1)?.type).toBe('done'));
    const done = w.posted.at(-1) as Extract<FromWorker, { type: 'done' }>;
    expect(tokens).toEqual(['Bearer old', 'Bearer fresh']);
    expect(done.record.sessionExpired).toBe(false);
    expect(done.record.resources.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(['Coverage/c1', 'Device/d1', 'Patient/p1']);
    expect(done.record.notices).toEqual([{ part: 'Condition', kind: 'forbidden', status: 403 }]);
    expect(done.metadata).toMatchObject({ resourceType: 'CapabilityStatement' });
    expect(done.requestCount).toBe(8); // 6 reads + the retried Patient + metadata
    const reported = w.posted.filter((m) => m.type === 'resources').flatMap((m) => m.resources.map((r) => r.resourceType));
    expect(reported.sort()).toEqual(['Coverage', 'Device', 'Patient']); // the record's reads (metadata is not shown)
  });

  it('without a renewal the 401 ends the read as a session that expired', async () => {
    const w = fakeScope();
    serveReads(w.scope);
    w.send({ ...job, canRenew: false });
    await vi.waitFor(() => expect(w.posted.at(-1)?.type).toBe('done'));
    expect((w.posted.at(-1) as Extract<FromWorker, { type: 'done' }>).record.sessionExpired).toBe(true);
    expect(w.posted.some((m) => m.type === 'renew')).toBe(false);
  });
});

const request = (renew?: () => Promise<string | undefined>) => ({
  port: createFhirPort({ base: BASE, getToken: () => 'fresh' }), accessToken: 'old', renew,
  ctx: { patientId: 'p1', scopes: parseScopes('patient/*.rs'), today: new Date('2026-03-02') },
});

describe('the page side: a worker when one starts, else this thread', () => {
  it('with no Worker (or one whose script fails) reads on this thread with the page\'s port', async () => {
    const here = await readOffThread(request());
    expect(here.workerRequests).toBe(0);
    expect(here.record.resources.some((r) => r.resourceType === 'Patient')).toBe(true);

    class FailingWorker {
      onmessage: unknown; onmessageerror: unknown;
      onerror: ((e: { preventDefault(): void }) => void) | undefined;
      postMessage() { queueMicrotask(() => this.onerror?.({ preventDefault() {} })); }
      terminate = vi.fn();
    }
    vi.stubGlobal('Worker', FailingWorker);
    const fallback = await readOffThread(request());
    expect(fallback.workerRequests).toBe(0);
    expect(fallback.metadata).toMatchObject({ resourceType: 'CapabilityStatement' });
  });

  it('in the worker: the prepared one takes the job, the renewal is the page\'s, the worker is ended after', async () => {
    const terminated: boolean[] = [];
    class InThreadWorker {
      onmessage: ((e: { data: FromWorker }) => void) | undefined;
      onerror: unknown; onmessageerror: unknown;
      private inbox: ((e: { data: ToWorker }) => void) | undefined;
      constructor() { serveReads({ postMessage: (m) => queueMicrotask(() => this.onmessage?.({ data: m })), addEventListener: (_t, l) => { this.inbox = l; } }); }
      postMessage(data: ToWorker) { queueMicrotask(() => this.inbox?.({ data })); }
      terminate() { terminated.push(true); }
    }
    vi.stubGlobal('Worker', InThreadWorker);
    prepareReadWorker();
    const renew = vi.fn(async () => 'fresh');
    const seen: string[] = [];
    const read = await readOffThread({ ...request(renew), onResources: (rs) => seen.push(...rs.map((r) => r.resourceType)) });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(read.workerRequests).toBe(8);
    expect(read.record.resources.some((r) => r.resourceType === 'Patient')).toBe(true);
    expect(seen).toContain('Coverage');
    expect(terminated).toEqual([true]);
  });
});
