/**
 * The repository suite against a real PostgreSQL server.
 * - TEST_DATABASE_URL set → that database is used (it must be disposable: tables are truncated).
 * - otherwise, when initdb/pg_ctl are found (PATH or /usr/lib/postgresql/<n>/bin), a throwaway cluster
 *   is started in a temp dir on a free port (as the `postgres` user when running as root) and removed after.
 * - otherwise the suite is skipped with a console message (CI installs the binaries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from './db';
import { openStore } from './index';
import { repositorySuite } from './repository.suite';
import { findPgBin, startCluster, type Cluster } from './postgres-testing';

const envUrl = process.env.TEST_DATABASE_URL;
const bin = envUrl ? null : findPgBin();
if (!envUrl && !bin) {
  console.warn('[postgres.test] SKIPPED: TEST_DATABASE_URL is not set and no initdb/pg_ctl binaries were found '
    + '(install PostgreSQL server binaries, e.g. apt-get install postgresql).');
}

describe.runIf(Boolean(envUrl || bin))('PostgreSQL', () => {
  let cluster: Cluster | null = null;
  let url = envUrl ?? '';
  const t0 = Date.now();

  beforeAll(async () => {
    if (!envUrl) {
      cluster = await startCluster(bin!);
      url = cluster.url;
    }
    console.info(`[postgres.test] server ready in ${Date.now() - t0} ms`);
  });
  afterAll(() => {
    cluster?.stop();
    console.info(`[postgres.test] total ${Date.now() - t0} ms`);
  });

  repositorySuite('PostgreSQL', { openDb: () => openPostgres(url, 4), sharedData: true });

  it('two instances starting together on an empty database both migrate without a race', async () => {
    const admin = await openPostgres(url, 1);
    const name = `prc_race_${process.pid}_${Date.now()}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    const raceUrl = url.replace(/\/[^/]*$/, `/${name}`);
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: raceUrl, poolSize: 2 })));
      expect(stores.every((s) => s.driver === 'postgres')).toBe(true);
      await stores[0]!.mappings.create({ priority: 1, enabled: true, match: { payerName: 'x' }, policyId: 'uuhp', lineOfBusiness: 'commercial' }, 'r');
      expect((await stores[2]!.mappings.get('r'))?.id).toBe('r');
      for (const s of stores) await s.close();
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
      await admin.close();
    }
  });
});
