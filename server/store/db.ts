/**
 * The one database seam: a tiny `Db` interface implemented for PGlite (embedded, in DATA_DIR or
 * `memory://`) and for a `pg` Pool (PostgreSQL via DATABASE_URL). Repositories only see `Db`.
 *
 * Parameters: pass JSON as a string and cast it in SQL as `$1::text::jsonb`; both drivers then send
 * a plain text parameter (PGlite would otherwise JSON-encode a string a second time).
 */
import { mkdirSync } from 'node:fs';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export type Row = Record<string, unknown>;

export interface Db {
  /** one statement, positional parameters $1…$n */
  query<R extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** several statements, no parameters (migrations) */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in a transaction (commit on success, rollback on throw). Inside a transaction,
   * `transaction` runs fn in the same transaction (no nesting, no savepoints).
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly driver: 'pglite' | 'postgres';
}

// ---------------------------------------------------------------- PGlite

type PGliteTx = Parameters<Parameters<PGliteType['transaction']>[0]>[0];

function pgliteTxDb(tx: PGliteTx): Db {
  const db: Db = {
    driver: 'pglite',
    async query<R extends Row>(sql: string, params?: unknown[]) {
      const r = await tx.query<R>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql) { await tx.exec(sql); },
    transaction: (fn) => fn(db),
    async close() { /* owned by the outer Db */ },
  };
  return db;
}

export async function openPglite(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  return {
    driver: 'pglite',
    async query<R extends Row>(sql: string, params?: unknown[]) {
      const r = await pg.query<R>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql) { await pg.exec(sql); },
    // PGlite is one connection: its transaction() takes an exclusive lock, so concurrent callers queue.
    transaction: (fn) => pg.transaction((tx) => fn(pgliteTxDb(tx))),
    close: () => pg.close(),
  };
}

// ---------------------------------------------------------------- PostgreSQL (pg Pool)

function clientDb(client: PoolClient): Db {
  const db: Db = {
    driver: 'postgres',
    async query<R extends Row>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql) { await client.query(sql); },
    transaction: (fn) => fn(db),
    async close() { /* released by the pool Db */ },
  };
  return db;
}

export async function openPostgres(databaseUrl: string, poolSize = 10): Promise<Db> {
  const pg = await import('pg');
  const PoolCtor = (pg.default?.Pool ?? (pg as unknown as { Pool: typeof Pool }).Pool);
  const pool: Pool = new PoolCtor({ connectionString: databaseUrl, max: poolSize });
  // an idle client losing its connection (server restart) must not crash the process
  pool.on('error', () => { /* the next query reconnects */ });
  return {
    driver: 'postgres',
    async query<R extends Row>(sql: string, params?: unknown[]) {
      const r = await pool.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql) { await pool.query(sql); },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try { await client.query('ROLLBACK'); } catch { /* connection gone: the server rolls back */ }
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
