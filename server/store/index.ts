/**
 * The app's store: PGlite (embedded PostgreSQL in DATA_DIR, default ./data, or `memory://` for tests)
 * when no DATABASE_URL is set, else a `pg` Pool on PostgreSQL so several app instances share one store.
 * One schema and one set of migrations (./migrations), applied at open.
 *
 * Opening checks the store and fails with one line naming the data folder (or the database) and what to do
 * (StoreOpenError); `health()` answers /api/readyz (see ./health.ts).
 */
import path from 'node:path';
import type { Db } from './db';
import { openPglite, openPostgres } from './db';
import { migrate } from './migrate';
import { auditRepository, ledgerRepository, mappingRepository, visitRepository, worklistRepository } from './repositories';
import type { Store } from './types';
import { checkStoreHealth, type StoreHealth } from './health';

export * from './types';
export type { Db } from './db';
export type { StoreHealth, HealthCheck } from './health';

export interface OpenStoreOptions {
  /** postgres://… — when set, PostgreSQL is used */
  databaseUrl?: string;
  /** PGlite data directory (default ./data); `memory://` keeps everything in memory */
  dataDir?: string;
  /** pg pool size (default 10) */
  poolSize?: number;
}

/** The store could not be opened: `message` is one line naming where and what to do. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

export interface OpenedStore extends Store {
  /** reachability, migrations at head, mappings readable, counts sane */
  health(): Promise<StoreHealth>;
  /** the database itself (health checks, maintenance and tests that damage a store on purpose); writes through it are seen by the caches */
  readonly db: Db;
}

function repositories(db: Db) {
  return {
    visits: visitRepository(db),
    mappings: mappingRepository(db),
    audit: auditRepository(db),
    worklist: worklistRepository(db),
    ledger: ledgerRepository(db),
  };
}

/**
 * PGlite is embedded: only this process can change its data, so the mapping change counter (read before every
 * evaluation to notice mapping edits) can be answered from memory until this process writes anything. A write
 * statement, or the end of a transaction, moves `generation`; a counter read is cached only when no write
 * happened while it was in flight. On PostgreSQL (several instances) the counter is always read.
 */
function cachedChangeCount(db: Db): { db: Db; changeCount(read: () => Promise<number>): Promise<number> } {
  let generation = 0;
  let cached: { generation: number; value: number } | null = null;
  const isRead = (sql: string) => /^\s*select\b/i.test(sql) && !/\bfor\s+update\b/i.test(sql);
  const watch = (inner: Db): Db => ({
    driver: inner.driver,
    async query(sql, params) {
      const write = !isRead(sql);
      if (write) generation++;
      try { return await inner.query(sql, params); } finally { if (write) generation++; }
    },
    async exec(sql) { generation++; try { await inner.exec(sql); } finally { generation++; } },
    async transaction(fn) {
      generation++;
      try { return await inner.transaction((tx) => fn(watch(tx))); } finally { generation++; }
    },
    close: () => inner.close(),
  });
  return {
    db: watch(db),
    async changeCount(read) {
      if (cached && cached.generation === generation) return cached.value;
      const started = generation;
      const value = await read();
      if (generation === started) cached = { generation, value };
      return value;
    },
  };
}

export function storeOnDb(db: Db): OpenedStore {
  const counter = db.driver === 'pglite' ? cachedChangeCount(db) : null;
  const base = counter ? counter.db : db;
  const withCounter = (r: ReturnType<typeof repositories>) => {
    if (!counter) return r;
    const read = r.mappings.changeCount.bind(r.mappings);
    return { ...r, mappings: { ...r.mappings, changeCount: () => counter.changeCount(read) } };
  };
  return {
    ...withCounter(repositories(base)),
    driver: db.driver,
    transaction: (fn) => base.transaction((tx) => fn(repositories(tx))),
    health: () => checkStoreHealth(base),
    db: base,
    close: () => db.close(),
  };
}

/** "postgres://user:secret@db:5432/app" → "db:5432/app" (never the password) */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);

function openFailure(opts: OpenStoreOptions, err: unknown, stage: 'open' | 'migrate'): StoreOpenError {
  const reason = oneLine(err instanceof Error ? err.message : String(err)) || 'unknown error';
  if (opts.databaseUrl) {
    return new StoreOpenError(stage === 'open'
      ? `The store at ${describeDatabaseUrl(opts.databaseUrl)} (DATABASE_URL) could not be reached (${reason}): check DATABASE_URL and that PostgreSQL is running.`
      : `The store at ${describeDatabaseUrl(opts.databaseUrl)} (DATABASE_URL) could not be brought up to date (${reason}): check the database user's rights, or restore the database from a backup.`);
  }
  const dir = opts.dataDir ?? './data';
  const where = dir.startsWith('memory://') ? 'the in-memory store' : `the data folder ${path.resolve(dir)} (DATA_DIR)`;
  return new StoreOpenError(`The store in ${where} could not be opened (${reason}): it may be damaged or in use by another running copy of the app. Stop the other copy, or restore the folder from a backup, or move it away to start with an empty store (the default payer mappings come back; the worklist and audit log do not).`);
}

/** PGlite (emscripten) prints "Aborted(…)" on a damaged data folder before it throws: keep that off the console. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { error, warn } = console;
  console.error = () => undefined;
  console.warn = () => undefined;
  try { return await fn(); } finally { console.error = error; console.warn = warn; }
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  let db: Db;
  try {
    db = opts.databaseUrl
      ? await openPostgres(opts.databaseUrl, opts.poolSize)
      : await quietly(() => openPglite(opts.dataDir ?? './data'));
    if (opts.databaseUrl) await db.query('SELECT 1');
  } catch (err) {
    throw openFailure(opts, err, 'open');
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw openFailure(opts, err, 'migrate');
  }
  return storeOnDb(db);
}
