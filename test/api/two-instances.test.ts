/**
 * Two app instances on one PostgreSQL: an administrator's mapping change on one is followed by the very next
 * evaluation on the other, without a restart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN } from '../../server/testing.js';
import { freshPostgresDatabase } from '../../server/store/postgres-testing.js';
import type { PayerMapping } from '../../server/contracts/index.js';

const bundle = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../server/sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8')) as unknown;
const database = await freshPostgresDatabase('prc_instances');
if (!database) console.warn('[two-instances] SKIPPED: no TEST_DATABASE_URL and no PostgreSQL binaries (CI installs them)');

describe.runIf(Boolean(database))('two instances on one PostgreSQL', () => {
  let a: Awaited<ReturnType<typeof startTestServer>>;
  let b: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    a = await startTestServer({ DATABASE_URL: database!.url });
    b = await startTestServer({ DATABASE_URL: database!.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const policyOn = async (server: typeof a) => {
    const res = await fetch(`${server.url}/api/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bundle }) });
    return ((await res.json()) as { determination: { policy: { id: string } } }).determination.policy.id;
  };

  it('an edit on instance A decides instance B\'s next evaluation', async () => {
    expect(a.store.driver).toBe('postgres');
    expect(await policyOn(b)).toBe('uuhp');

    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const current = await fetch(`${a.url}/api/admin/mappings/uuhp-commercial`, { headers: admin });
    expect(current.status).toBe(200);
    const mapping = (await current.json()) as PayerMapping;
    const { id: _id, version: _v, ...input } = mapping;
    const put = await fetch(`${a.url}/api/admin/mappings/uuhp-commercial`, {
      method: 'PUT', headers: { ...admin, 'if-match': current.headers.get('etag')! }, body: JSON.stringify({ ...input, policyId: 'cpt-default' }),
    });
    expect(put.status).toBe(200);

    expect(await policyOn(b)).toBe('cpt-default');

    // and a stale write from B (still holding the old version) is refused, not lost
    const stale = await fetch(`${b.url}/api/admin/mappings/uuhp-commercial`, {
      method: 'PUT', headers: { ...admin, 'if-match': current.headers.get('etag')! }, body: JSON.stringify({ ...input, priority: 1 }),
    });
    expect(stale.status).toBe(412);
  });
});
