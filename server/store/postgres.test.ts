/**
 * The repository suite against a real PostgreSQL server.
 * - TEST_DATABASE_URL set → that database is used (it must be disposable: tables are truncated).
 * - otherwise, when initdb/pg_ctl are found (PATH or /usr/lib/postgresql/<n>/bin), a throwaway cluster
 *   is started in a temp dir on a free port (as the `postgres` user when running as root) and removed after.
 * - otherwise the suite is skipped with a console message (CI installs the binaries).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from './db';
import { openStore } from './index';
import { repositorySuite } from './repository.suite';

function findPgBin(): string | null {
  const candidates: string[] = [];
  for (const p of (process.env.PATH ?? '').split(':')) if (p) candidates.push(p);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    for (const v of readdirSync(lib).sort((a, b) => Number(b) - Number(a))) candidates.push(join(lib, v, 'bin'));
  }
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Cluster { url: string; stop(): void }

async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'prc-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  // postgres refuses to run as root: drop to the postgres user via the uid/gid spawn options
  const run = (cmd: string, args: string[]) => execFileSync(join(bin, cmd), args,
    { stdio: 'pipe', ...(asRoot ? { uid, gid } : {}), env: { ...process.env, LC_ALL: 'C' } });
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
