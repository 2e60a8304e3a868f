/**
 * Test helper: a throwaway PostgreSQL cluster in a temp dir on a free port (as the `postgres` user when root),
 * for the repository suite and the two-instance test when TEST_DATABASE_URL is not given.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from './db';

export function findPgBin(): string | null {
  const candidates: string[] = [];
  for (const p of (process.env.PATH ?? '').split(':')) if (p) candidates.push(p);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    for (const v of readdirSync(lib).sort((a, b) => Number(b) - Number(a))) candidates.push(join(lib, v, 'bin'));
  }
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

export async function freePort(): Promise<number> {
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

export interface Cluster { url: string; stop(): void }

export async function startCluster(bin: string): Promise<Cluster> {
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

/** A fresh database of its own on TEST_DATABASE_URL's server (or a throwaway cluster), so suites never share tables. */
export async function freshPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const envUrl = process.env.TEST_DATABASE_URL;
  const bin = envUrl ? null : findPgBin();
  if (!envUrl && !bin) return null;
  const cluster = envUrl ? null : await startCluster(bin!);
  const serverUrl = envUrl ?? cluster!.url;
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = await openPostgres(serverUrl, 1);
  await admin.exec(`CREATE DATABASE ${name}`);
  return {
    url: serverUrl.replace(/\/[^/]*$/, `/${name}`),
    async drop() {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
      cluster?.stop();
    },
  };
}
