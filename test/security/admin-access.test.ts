/**
 * Admin access-control inventory (security.md C2/C3/C4): every /api/admin and /api/worklist route answers 401
 * without a token and 403 to a valid clinician id_token that is neither admin nor billing; state-changing requests
 * with a foreign Origin are refused even with the admin token. The hard-coded list is checked against the routers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from 'express';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { createAdminRouter } from '../../server/http/admin/index';
import { createWorklistRouter } from '../../server/http/worklist';
import { getSandboxToken } from '../../server/sandbox/testing';
import type { Store } from '../../server/store/index';

const ADMIN_ROUTES = [
  'GET /mappings', 'GET /mappings/export', 'GET /mappings/:id', 'POST /mappings', 'POST /mappings/preview',
  'POST /mappings/import', 'PUT /mappings/:id', 'DELETE /mappings/:id', 'GET /audit',
];
const WORKLIST_ROUTES = ['GET /', 'GET /export.csv', 'POST /export', 'GET /:visitKey/claim.json', 'GET /:visitKey'];

/** "METHOD path" of every route registered on an Express router */
function routesOf(router: Router): string[] {
  const stack = (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return stack.filter((l) => l.route).flatMap((l) => Object.keys(l.route!.methods).filter((m) => l.route!.methods[m])
    .map((m) => `${m.toUpperCase()} ${l.route!.path}`));
}

const concrete = (p: string) => p.replace(':id', 'no-such-mapping').replace(':visitKey', 'no-such-visit');

let app: RunningServer;
let clinicianIdToken: string;
beforeAll(async () => {
  app = await startTestServer();
  const t = await getSandboxToken(app.url, { user: 'sandbox-clinician' });
  clinicianIdToken = t.id_token!;
}, 60_000);
afterAll(async () => { await app?.close(); });

describe('admin and worklist access control', () => {
  it('the inventory is complete (matches the routers\' own route tables)', () => {
    const deps = { store: {} as Store, profiles: [], adminUsers: [], billingUsers: [], publicOrigin: 'http://localhost' };
    expect(routesOf(createAdminRouter(deps)).sort()).toEqual([...ADMIN_ROUTES].sort());
    expect(routesOf(createWorklistRouter(deps)).sort()).toEqual([...WORKLIST_ROUTES].sort());
  });

  it('every route: 401 without a token, 401 with a forged token, 403 for a non-admin clinician', async () => {
    expect(clinicianIdToken.split('.')).toHaveLength(3);
    const all = [...ADMIN_ROUTES.map((r) => ['/api/admin', r] as const), ...WORKLIST_ROUTES.map((r) => ['/api/worklist', r] as const)];
    const forged = `${clinicianIdToken.split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
    const reachable: string[] = [];
    for (const [prefix, r] of all) {
      const [method, p] = r.split(' ') as [string, string];
      const url = `${app.url}${prefix}${concrete(p) === '/' ? '' : concrete(p)}`;
      const send = (auth?: string) => fetch(url, {
        method,
        headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(method === 'POST' || method === 'PUT' ? { 'content-type': 'application/json' } : {}) },
        body: method === 'POST' || method === 'PUT' ? '{}' : undefined,
      });
      const none = await send();
      const bad = await send(forged);
      const clinician = await send(clinicianIdToken);
      if (none.status !== 401) reachable.push(`${method} ${prefix}${p}: no token → ${none.status}`);
      if (bad.status !== 401) reachable.push(`${method} ${prefix}${p}: forged token → ${bad.status}`);
      if (clinician.status !== 403) reachable.push(`${method} ${prefix}${p}: clinician → ${clinician.status}`);
      // the answers carry no data
      expect(JSON.stringify(await clinician.json())).not.toMatch(/payerPattern|visitKey"|patientId/);
    }
    console.log(`METRIC admin-routes=${all.length} reachable-unauthenticated=${reachable.length}`);
    expect(reachable).toEqual([]);
  });

  it('state-changing requests from a foreign Origin are refused, even with the admin token', async () => {
    const attempts: [string, string][] = [
      ['POST', '/api/admin/mappings'], ['POST', '/api/admin/mappings/preview'], ['POST', '/api/admin/mappings/import'],
      ['PUT', '/api/admin/mappings/uuhp'], ['DELETE', '/api/admin/mappings/uuhp'], ['POST', '/api/worklist'],
    ];
    const accepted: string[] = [];
    for (const [method, p] of attempts) {
      for (const origin of ['https://evil.example', 'null', app.url.replace('localhost', '127.0.0.1')]) {
        const res = await fetch(`${app.url}${p}`, {
          method,
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, origin, 'content-type': 'application/json', 'if-match': '"1"' },
          body: method === 'DELETE' ? undefined : '{}',
        });
        if (res.status !== 403) accepted.push(`${method} ${p} from ${origin} → ${res.status}`);
      }
    }
    // a form-style body (what a cross-site HTML form can send) is refused too, even from the app's own origin
    const form = await fetch(`${app.url}/api/admin/mappings`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/plain' }, body: '{}',
    });
    expect(form.status).toBe(415);
    console.log(`METRIC csrf-attempts=${attempts.length * 3 + 1} accepted=${accepted.length}`);
    expect(accepted).toEqual([]);
    // the mappings are unchanged
    const list = await fetch(`${app.url}/api/admin/mappings/uuhp`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect([200, 404]).toContain(list.status);
  });
});
