/**
 * The app's store: PGlite (embedded PostgreSQL in DATA_DIR, default ./data, or `memory://` for tests)
 * when no DATABASE_URL is set, else a `pg` Pool on PostgreSQL so several app instances share one store.
 * One schema and one set of migrations (./migrations), applied at open.
 */
import type { Db } from './db';
import { openPglite, openPostgres } from './db';
import { migrate } from './migrate';
import { auditRepository, ledgerRepository, mappingRepository, visitRepository, worklistRepository } from './repositories';
import type { Store } from './types';

export * from './types';
export type { Db } from './db';

export interface OpenStoreOptions {
  /** postgres://… — when set, PostgreSQL is used */
  databaseUrl?: string;
  /** PGlite data directory (default ./data); `memory://` keeps everything in memory */
  dataDir?: string;
  /** pg pool size (default 10) */
  poolSize?: number;
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

export function storeOnDb(db: Db): Store {
  return {
    ...repositories(db),
    driver: db.driver,
    transaction: (fn) => db.transaction((tx) => fn(repositories(tx))),
    close: () => db.close(),
  };
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.poolSize)
    : await openPglite(opts.dataDir ?? './data');
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return storeOnDb(db);
}
