/** The FHIR port's retry rules: reads are retried a bounded number of times, writes never. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createFhirPort, FhirHttpError, MAX_READ_ATTEMPTS, retryDelayMs } from './port';

const BASE = 'https://ehr.test/fhir';
let answers: (() => Response)[] = [];
let hits = 0;
const server = setupServer(
  http.all(`${BASE}/Device`, () => { hits++; return (answers.shift() ?? (() => HttpResponse.json({ resourceType: 'Bundle', type: 'searchset' })))(); }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => { answers = []; hits = 0; });
afterAll(() => server.close());

const waits: number[] = [];
const port = () => createFhirPort({ base: BASE, getToken: () => 'tok', sleep: async (ms) => { waits.push(ms); } });
const status = (code: number, headers: Record<string, string> = {}) => () => new HttpResponse(null, { status: code, headers });

describe('FHIR port retries', () => {
  it('retries a read after 429 (honouring Retry-After, capped) and 503, then succeeds', async () => {
    waits.length = 0;
    answers = [status(429, { 'retry-after': '30' }), status(503)];
    const res = await port().request('Device?patient=p1');
    expect(res.status).toBe(200);
    expect(hits).toBe(3);
    expect(waits).toEqual([2000, 500]);
  });

  it(`gives up after ${MAX_READ_ATTEMPTS} attempts and reports the last status`, async () => {
    answers = [status(500), status(502), status(504), status(500)];
    const err = await port().request('Device').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FhirHttpError);
    expect((err as FhirHttpError).status).toBe(504);
    expect(hits).toBe(MAX_READ_ATTEMPTS);
  });

  it('never retries a write, nor a refusal', async () => {
    answers = [status(503)];
    await expect(port().request('Device', { method: 'POST', body: { resourceType: 'Device' } })).rejects.toBeInstanceOf(FhirHttpError);
    expect(hits).toBe(1);
    hits = 0;
    answers = [status(403)];
    await expect(port().request('Device')).rejects.toBeInstanceOf(FhirHttpError);
    expect(hits).toBe(1);
  });

  it('reads Retry-After as seconds or an HTTP date, and backs off without one', () => {
    expect(retryDelayMs('1', 1)).toBe(1000);
    expect(retryDelayMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toUTCString(), 1, Date.UTC(2026, 0, 1))).toBe(1000);
    expect(retryDelayMs(null, 1)).toBe(250);
    expect(retryDelayMs(null, 2)).toBe(500);
    expect(retryDelayMs('nonsense', 1)).toBe(250);
  });
});
