/**
 * Issue 10 items 3, 6, 7, 8 (server side), through the real server:
 *  - bad input is a 4xx naming the field, never a 500: 5,000-level overrides, NUL bytes, impossible dates;
 *  - every error carries a request id; a 5xx is logged under it;
 *  - a declared Content-Length over a route's limit is a 413 at once, the admin limit (1 MB) really applies,
 *    Node's own 408 carries the security headers;
 *  - requests during start-up never hang; /api/readyz reports a damaged store with 503 and a reason;
 *  - the request log carries no patient ids (sandbox FHIR paths included).
 */
import { connect, createServer as createNetServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing';
import { configFromEnv } from '../../server/config';
import { startServer, type RunningServer } from '../../server/http/app';
import { getSandboxToken } from '../../server/sandbox/testing';
import { openStore } from '../../server/store/index';
import { loadFixture } from '../../server/fhir/testing';
import { ROOT } from '../e2e/helpers';

let app: RunningServer;
const logChunks: Buffer[] = [];
beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, cb) { logChunks.push(Buffer.from(chunk)); cb(); } });
  app = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: sink });
}, 90_000);
afterAll(async () => { await app?.close(); });
const logText = () => Buffer.concat(logChunks).toString('utf8');

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const post = (route: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${app.url}${route}`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** one raw HTTP exchange: what the server sends back and when */
function raw(port: number, request: string, waitMs = 3000): Promise<{ text: string; ms: number; closed: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const done = () => { socket.destroy(); resolve({ text, ms: Date.now() - started, closed }); };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d) => { text += d.toString('utf8'); });
    socket.on('end', () => { closed = true; clearTimeout(timer); done(); });
    socket.on('error', () => { clearTimeout(timer); done(); });
    socket.write(request);
  });
}
const portOf = (r: RunningServer) => Number(new URL(r.url).port);

describe('bad input → 4xx naming the field, never a 500', () => {
  it('overrides nested 5,000 levels deep → 400 too-deep (no stack overflow)', async () => {
    // 5,000 levels, 25 KB: written by hand (JSON.stringify itself recurses)
    const bundle = JSON.stringify(loadFixture('pt-uuhp-commercial'));
    const body = `{"bundle":${bundle},"overrides":{"device":${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}}}`;
    const res = await post('/api/evaluate', body);
    expect(res.status).toBe(400);
    const answer = await res.json() as { error: { code: string; message: string; requestId: string } };
    expect(answer.error.code).toBe('too-deep');
    expect(answer.error.message).toMatch(/^overrides\.device\.a\.a.*nested more than 64 levels/);
    expect(answer.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('NUL bytes in draft fields, admin ids, notes, payer names, audit filters, worklist ids → 400 naming the field', async () => {
    const cases: [string, Promise<Response>][] = [
      ['evaluate facts payer name', post('/api/evaluate', { facts: { ...validFacts(), coverage: { payerName: 'Acme\u0000', lineOfBusiness: 'commercial' } } })],
      ['mapping note', post('/api/admin/mappings', { priority: 1, enabled: true, match: { payerName: 'x' }, policyId: 'uuhp', lineOfBusiness: 'commercial', note: 'a\u0000b' }, admin)],
      ['mapping id', post('/api/admin/mappings', { id: 'a\u0000', priority: 1, enabled: true, match: { payerName: 'x' }, policyId: 'uuhp', lineOfBusiness: 'commercial' }, admin)],
      ['audit filter', fetch(`${app.url}/api/admin/audit?actor=a%00b`, { headers: admin })],
      ['worklist id', fetch(`${app.url}/api/worklist/abc%00def`, { headers: admin })],
      ['mapping id in the path', fetch(`${app.url}/api/admin/mappings/a%00`, { headers: admin })],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      const body = await res.json() as { error: { code: string; message: string } };
      expect(res.status, what).toBe(400);
      expect(body.error.message, what).toMatch(/NUL/);
    }
  });

  it('impossible dates (2026-02-30) → 400 at the schema, for facts, overrides and the audit filter', async () => {
    const facts = await post('/api/evaluate', { facts: { ...validFacts(), serviceDate: '2026-02-30' } });
    expect(facts.status).toBe(400);
    expect(((await facts.json()) as { error: { message: string } }).error.message).toMatch(/serviceDate: is not a real calendar date/);
    const overrides = await post('/api/evaluate', { facts: validFacts(), overrides: { lastRefillDate: '2026-13-01' } });
    expect(overrides.status).toBe(400);
    const audit = await fetch(`${app.url}/api/admin/audit?since=2026-02-30`, { headers: admin });
    expect(audit.status).toBe(400);
    expect(((await audit.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('since');
  });
});

describe('errors carry a request id; 5xx are logged under it', () => {
  it('a store failure during evaluation → 503 with the request id, logged', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
    const broken = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: sink });
    try {
      // the mapping table loses a column behind the app's back (bit-rot, a bad manual change)
      await broken.store.db.exec('ALTER TABLE payer_mappings DROP COLUMN match');
      await broken.store.db.exec('UPDATE mapping_state SET change_count = change_count + 1');
      const res = await fetch(`${broken.url}/api/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ facts: validFacts() }) });
      expect(res.status).toBe(503);
      const body = await res.json() as { error: { code: string; requestId: string; message: string } };
      expect(body.error.code).toBe('unavailable');
      expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.error.message).toContain(body.error.requestId);
      const log = Buffer.concat(chunks).toString('utf8');
      expect(log).toContain(`"requestId":"${body.error.requestId}"`);
      expect(log).toMatch(/unhandled error/);
      // and readiness says so, with the reason
      const ready = await fetch(`${broken.url}/api/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reason: string }).reason).toMatch(/payer mappings cannot be read/);
    } finally {
      await broken.close();
    }
  });
});

describe('sockets: limits that apply, answers at once, headers everywhere', () => {
  it('a declared Content-Length over the limit → 413 at once with security headers, connection closed', async () => {
    for (const route of ['/api/evaluate', '/api/admin/mappings/import']) {
      const r = await raw(portOf(app), `POST ${route} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{`);
      expect(r.text, route).toMatch(/^HTTP\/1\.1 413/);
      expect(r.ms, route).toBeLessThan(2000);
      expect(r.closed, route).toBe(true);
      expect(r.text.toLowerCase(), route).toContain('content-security-policy:');
      expect(r.text.toLowerCase(), route).toContain('x-content-type-options: nosniff');
    }
  });

  it('the admin router\'s 1 MB limit applies (the API\'s 2 MB parser no longer runs first)', async () => {
    const big = JSON.stringify({ mappings: [{ note: 'x'.repeat(1_200_000) }] });
    const res = await post('/api/admin/mappings/import', big, admin);
    expect(res.status).toBe(413);
    const small = await post('/api/evaluate', { facts: validFacts(), overrides: { services: { analysisReason: 'y'.repeat(400) } }, pad: 'z'.repeat(1_200_000) });
    expect(small.status).toBe(400); // 1.2 MB is under the API's 2 MB: read, then refused for the unknown key
  });

  it('a request that never finishes its headers → Node\'s 408 with the security headers', async () => {
    const quick = await startServer(configFromEnv({ PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }));
    quick.server.headersTimeout = 500;
    quick.server.requestTimeout = 500;
    try {
      const r = await raw(portOf(quick), 'GET /api/healthz HTTP/1.1\r\nHost: localhost\r\n', 10_000);
      expect(r.text).toMatch(/^HTTP\/1\.1 408/);
      expect(r.text.toLowerCase()).toContain('content-security-policy:');
      expect(r.text.toLowerCase()).toContain('referrer-policy: no-referrer');
    } finally {
      await quick.close();
    }
  }, 30_000);

  it('requests during start-up are refused or answered at once, never left hanging', async () => {
    // the server in its own process: this one's clock keeps running while it loads. Other test processes on this
    // machine may take the chosen free port first: then the child exits (port in use) and we try another port.
    let verified = false;
    for (let attempt = 0; attempt < 3 && !verified; attempt++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: 'memory://', LOG_LEVEL: 'silent', NODE_OPTIONS: '' }, stdio: 'ignore',
      });
      try {
        const slow: number[] = [];
        let ready = false;
        const deadline = Date.now() + 60_000;
        let probes = 0;
        while (!ready && Date.now() < deadline && child.exitCode === null) {
          const r = await raw(port, 'GET /api/healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 5000);
          probes++;
          if (r.ms >= 2000) slow.push(r.ms);
          if (r.text) {
            if (!/x-request-id:/i.test(r.text)) break; // another program's server holds the port
            expect(r.text).toMatch(/^HTTP\/1\.1 200/);
            ready = true;
          }
          await new Promise((res) => setTimeout(res, 20));
        }
        if (!ready) continue;
        expect(probes).toBeGreaterThan(1);
        expect(slow).toEqual([]);
        verified = true;
      } finally {
        child.kill('SIGTERM');
      }
    }
    expect(verified).toBe(true);
  }, 90_000);

  it('listens on loopback by default while the sandbox runs', () => {
    const a = app.server.address();
    expect(a && typeof a === 'object' && a.address).toBe('127.0.0.1');
  });
});

describe('store health', () => {
  it('/api/healthz is liveness; /api/readyz checks the store and says ready', async () => {
    expect(await (await fetch(`${app.url}/api/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${app.url}/api/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.json() as { ok: boolean; checks: { id: string; ok: boolean }[]; counts: { mappings: number } };
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.id)).toEqual(['store-reachable', 'migrations-at-head', 'mapping-state', 'mappings-readable', 'mappings-present']);
    expect(body.counts.mappings).toBeGreaterThan(0);
  });

  it('an emptied mapping table (no admin did it) → readyz 503 with the reason, and the admin API flags it', async () => {
    const s = await startTestServer();
    try {
      await s.store.db.exec('DELETE FROM payer_mappings'); // behind the app's back: no audit entry
      const ready = await fetch(`${s.url}/api/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reason: string }).reason).toMatch(/payer mapping table is empty although the defaults were installed/);
      const flag = await fetch(`${s.url}/api/admin/store-health`, { headers: admin });
      expect(await flag.json()).toMatchObject({ ok: false, mappingsEmpty: true });
      expect((await fetch(`${s.url}/api/admin/store-health`)).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('a damaged data folder → one line naming the folder and what to do (not "Aborted()")', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prc-corrupt-'));
    try {
      const dataDir = path.join(dir, 'data');
      const first = await openStore({ dataDir });
      await first.close();
      writeFileSync(path.join(dataDir, 'global', 'pg_control'), Buffer.alloc(100, 7));
      let message = '';
      try { await openStore({ dataDir }); } catch (err) { message = (err as Error).message; }
      expect(message).toContain(`the data folder ${dataDir} (DATA_DIR)`);
      expect(message).toMatch(/restore the folder from a backup, or move it away/);
      expect(message).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FRAME_ANCESTORS', () => {
  it('adds the EHR screen origins to frame-ancestors on every answer, beside self and the FHIR issuers', async () => {
    const { securityHeaderSet } = await import('../../server/http/security');
    const profiles = [{ id: 'epic', name: 'Epic', vendor: 'epic' as const, issuers: ['https://fhir.example-health.org/api/FHIR/R4'], clientId: 'c', scopes: 'openid', adminSignIn: false }];
    const csp = securityHeaderSet(profiles, 'https://coder.example.org', { frameAncestors: ['https://epicweb.example-health.org'] })['content-security-policy']!;
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/fhir\.example-health\.org https:\/\/epicweb\.example-health\.org(;|$)/);
    // and the app's own answers use the configured set
    const res = await fetch(`${app.url}/api/healthz`);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' http:\/\/localhost:\d+/);
  });
});

describe('logs without patient ids', () => {
  it('sandbox FHIR paths and API keys are logged without their ids', async () => {
    const t = await getSandboxToken(app.url, { patientId: 'pt-uuhp-commercial' });
    await fetch(`${t.fhirBase}/Patient/pt-uuhp-commercial`, { headers: { authorization: `Bearer ${t.access_token}` } });
    await fetch(`${t.fhirBase}/Coverage?patient=pt-uuhp-commercial`, { headers: { authorization: `Bearer ${t.access_token}` } });
    await fetch(`${app.url}/api/worklist/0123456789abcdef0123`, { headers: admin });
    await new Promise((r) => setTimeout(r, 50));
    const log = logText();
    expect(log).toContain('"path":"/sandbox/fhir/Patient/:id"');
    expect(log).toContain('"path":"/api/worklist/:key"');
    expect(log).not.toContain('pt-uuhp-commercial');
    expect(log).not.toContain('0123456789abcdef0123');
  });
});

function validFacts() {
  return {
    serviceDate: '2025-03-04', patient: { state: 'UT' }, coverage: { lineOfBusiness: 'commercial' },
    device: { kind: 'implanted-programmable-pump', route: 'intrathecal' },
    services: { electronicAnalysis: true, refill: true, reprogramming: 'none' },
    performer: { role: 'physician', physicianSkillRequired: false },
    drugs: [], diagnoses: ['G89.4'], separateEvaluation: { performed: false },
  };
}

/** a free TCP port on loopback */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer();
    srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => resolve(p)); });
  });
}
