/**
 * /api/evaluate and /api/policies through the real server (sandbox on, PGlite in memory):
 * bad input gets a 400 naming the problem, never a 500; every fixture evaluates with cited lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer } from '../../server/testing.js';
import { EvaluateResponse } from '../../server/contracts/index.js';

const fixturesDir = path.resolve(import.meta.dirname, '../../server/sandbox/fixtures');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, bundle: JSON.parse(readFileSync(path.join(fixturesDir, f), 'utf8')) as unknown }));

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const post = (route: string, body: string | object, headers: Record<string, string> = {}) =>
  fetch(server.url + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/evaluate', () => {
  it('evaluates every sandbox patient into cited lines, facts with sources, and the resolved policy', async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
    for (const { file, bundle } of fixtures) {
      const res = await post('/api/evaluate', { bundle });
      expect(res.status, file).toBe(200);
      const body = EvaluateResponse.parse(await res.json());
      expect(Object.keys(body.factSources).length, file).toBeGreaterThan(5);
      expect(body.factSources['device.kind'], file).toBeDefined();
      for (const line of body.determination.lines) expect(line.citations.length, `${file} ${line.code}`).toBeGreaterThan(0);
      expect(body.determination.lines.length + body.determination.warnings.length, file).toBeGreaterThan(0);
    }
  });

  it('re-evaluates with the clinician\'s overrides and marks them as the clinician\'s', async () => {
    const { bundle } = fixtures.find((f) => f.file === 'pt-uuhp-commercial.json')!;
    const base = EvaluateResponse.parse(await (await post('/api/evaluate', { bundle })).json());
    const overridden = EvaluateResponse.parse(await (await post('/api/evaluate', {
      bundle, overrides: { services: { electronicAnalysis: true, refill: false, reprogramming: 'none' } },
    })).json());
    expect(overridden.facts.services.refill).toBe(false);
    expect(overridden.factSources['services.refill']?.status).toBe('clinician');
    expect(base.determination.lines.map((l) => l.code)).toContain('62370');
    // analysis only, no refill, no reprogramming → 62367 (AMA CPT), and the refill code is gone
    expect(overridden.determination.lines.map((l) => l.code)).toContain('62367');
    expect(overridden.determination.lines.map((l) => l.code)).not.toContain('62370');
  });

  it.each([
    ['not JSON', '{"bundle": ', 400, /JSON/],
    ['neither bundle nor facts', {}, 400, /bundle|facts/],
    ['both bundle and facts', { bundle: {}, facts: {} }, 400, /exactly one/],
    ['a resource that is not a Bundle', { bundle: { resourceType: 'Patient', id: 'x' } }, 400, /Bundle/],
    ['a Bundle whose entries are not resources', { bundle: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: 42 }] } }, 400, /entry/],
    ['facts with a wrong field', { facts: { serviceDate: 'yesterday' } }, 400, /serviceDate|patient|coverage/],
    ['unknown top-level field', { bundle: { resourceType: 'Bundle', type: 'collection' }, hack: true }, 400, /hack|Unrecognized/i],
  ])('answers %s with a 400 that names the problem', async (_name, body, status, pattern) => {
    const res = await post('/api/evaluate', body as object);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
    expect(json.error.code).toBeTruthy();
    expect(JSON.stringify(json.error)).toMatch(pattern);
  });

  it('never answers 500 to arbitrary JSON', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.jsonValue(), fc.record({ bundle: fc.jsonValue() }), fc.record({ facts: fc.jsonValue() }),
        fc.record({ bundle: fc.record({ resourceType: fc.constant('Bundle'), type: fc.constant('collection'), entry: fc.array(fc.record({ resource: fc.jsonValue() })) }) })),
      async (body) => {
        const res = await post('/api/evaluate', JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
      }), { numRuns: 150 });
  });
});

describe('read-only routes', () => {
  it('lists the five policy modules with versions and sources', async () => {
    const body = (await (await fetch(`${server.url}/api/policies`)).json()) as { policies: { id: string; version: string; sources: unknown[] }[] };
    expect(body.policies.map((p) => p.id).sort()).toEqual(['centene-cp-mp-173', 'cms-medicare', 'cpt-default', 'icare-ma', 'uuhp']);
    for (const p of body.policies) { expect(p.version).toBeTruthy(); expect(p.sources.length).toBeGreaterThan(0); }
  });

  it('publishes the EHR profiles the launch page may use, and answers unknown routes with JSON 404', async () => {
    const body = (await (await fetch(`${server.url}/api/ehr-profiles`)).json()) as { profiles: { issuers: string[] }[] };
    expect(body.profiles.flatMap((p) => p.issuers)).toContain(`${server.url}/sandbox/fhir`);
    const missing = await fetch(`${server.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });

  it('sends security headers that allow framing only by configured EHRs', async () => {
    const res = await fetch(`${server.url}/api/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
