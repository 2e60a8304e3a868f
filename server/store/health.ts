/**
 * Store health for /api/readyz and the admin screens: the store answers, the schema is at the newest migration,
 * every payer mapping row reads back as a valid mapping, and the counts make sense. An empty mapping table after
 * the defaults were installed is a problem an administrator must see (every evaluation would fall back to the
 * CPT-only rules): when no audited admin action explains it, the store is reported not ready.
 */
import { PayerMapping } from '../contracts/index';
import type { Db } from './db';
import { loadMigrations } from './migrate';

export interface HealthCheck {
  id: 'store-reachable' | 'migrations-at-head' | 'mappings-readable' | 'mapping-state' | 'mappings-present';
  ok: boolean;
  /** true: the app cannot serve correctly (readyz 503); false: a problem an administrator should look at */
  fatal: boolean;
  message: string;
}

export interface StoreHealth {
  ok: boolean;
  checks: HealthCheck[];
  /** counts read (when the store answered) */
  counts?: { mappings: number; worklist: number };
  /** the admin screens' flag: the mapping table is empty although the defaults were installed */
  mappingsEmpty: boolean;
}

const short = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 160);

export async function checkStoreHealth(db: Db, migrations = loadMigrations()): Promise<StoreHealth> {
  const checks: HealthCheck[] = [];
  const add = (c: HealthCheck) => { checks.push(c); return c.ok; };
  const done = (extra: Partial<StoreHealth> = {}): StoreHealth => ({
    ok: checks.every((c) => c.ok || !c.fatal), checks, mappingsEmpty: false, ...extra,
  });

  try {
    await db.query('SELECT 1');
    add({ id: 'store-reachable', ok: true, fatal: true, message: 'the store answers' });
  } catch (err) {
    add({ id: 'store-reachable', ok: false, fatal: true, message: `the store does not answer: ${short(err)}` });
    return done();
  }

  try {
    const rows = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r.version));
    const expected = migrations.map((m) => m.version);
    const missing = expected.filter((v) => !rows.includes(v));
    const unknown = rows.filter((v) => !expected.includes(v));
    add(missing.length === 0 && unknown.length === 0
      ? { id: 'migrations-at-head', ok: true, fatal: true, message: `schema at migration ${expected.at(-1) ?? 0}` }
      : { id: 'migrations-at-head', ok: false, fatal: true, message: missing.length
        ? `migrations not applied: ${missing.join(', ')} (restart the app to apply them)`
        : `the store has migrations this version does not know (${unknown.join(', ')}): it was used by a newer version of the app` });
  } catch (err) {
    add({ id: 'migrations-at-head', ok: false, fatal: true, message: `the migration table cannot be read: ${short(err)}` });
  }

  let defaultsInstalled = false;
  try {
    const st = await db.query<{ n: number; installed: boolean; changes: string }>(
      'SELECT count(*)::int AS n, bool_and(defaults_installed) AS installed, max(change_count)::text AS changes FROM mapping_state');
    const row = st.rows[0];
    defaultsInstalled = row?.installed === true;
    add(Number(row?.n) === 1 && Number(row?.changes) >= 0
      ? { id: 'mapping-state', ok: true, fatal: true, message: 'the mapping change counter is in place' }
      : { id: 'mapping-state', ok: false, fatal: true, message: `the mapping change counter has ${row?.n ?? 0} rows instead of 1: restore the store from a backup` });
  } catch (err) {
    add({ id: 'mapping-state', ok: false, fatal: true, message: `the mapping change counter cannot be read: ${short(err)}` });
  }

  let mappings = 0;
  let worklist = 0;
  try {
    const rows = (await db.query<Record<string, unknown>>(
      'SELECT id, version, priority, enabled, match, policy_id, line_of_business, options, note FROM payer_mappings')).rows;
    mappings = rows.length;
    const bad = rows.filter((r) => !PayerMapping.safeParse({
      id: r.id, version: r.version, priority: r.priority, enabled: r.enabled,
      match: typeof r.match === 'string' ? JSON.parse(r.match) : r.match,
      policyId: r.policy_id, lineOfBusiness: r.line_of_business,
      ...(r.options != null ? { options: typeof r.options === 'string' ? JSON.parse(r.options) : r.options } : {}),
      ...(r.note != null ? { note: r.note } : {}),
    }).success).map((r) => String(r.id));
    add(bad.length === 0
      ? { id: 'mappings-readable', ok: true, fatal: true, message: `${mappings} payer mappings read` }
      : { id: 'mappings-readable', ok: false, fatal: true, message: `${bad.length} payer mappings are damaged (${bad.slice(0, 5).join(', ')}): fix or delete them on the admin screen, or import a saved export` });
    worklist = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM worklist')).rows[0]?.n ?? 0);
  } catch (err) {
    add({ id: 'mappings-readable', ok: false, fatal: true, message: `the payer mappings cannot be read: ${short(err)}` });
    return done();
  }

  let mappingsEmpty = false;
  if (mappings === 0 && defaultsInstalled) {
    mappingsEmpty = true;
    // an administrator's delete or import leaves an audit entry; a table emptied behind the app's back does not
    const last = await db.query<{ action: string; after: unknown }>(
      "SELECT action, after FROM audit_log WHERE entity_type = 'PayerMapping' ORDER BY id DESC LIMIT 1").catch(() => ({ rows: [] }));
    const explained = last.rows[0] && (last.rows[0].action === 'mapping.delete' || last.rows[0].action === 'mapping.import');
    add(explained
      ? { id: 'mappings-present', ok: false, fatal: false, message: 'an administrator removed every payer mapping: every evaluation uses the CPT-only rules until mappings are added or imported' }
      : { id: 'mappings-present', ok: false, fatal: true, message: 'the payer mapping table is empty although the defaults were installed and no administrator removed them: the store may be damaged; import a saved export on the admin screen or restore the store from a backup' });
  } else {
    add({ id: 'mappings-present', ok: true, fatal: false, message: mappings === 0 ? 'no payer mappings yet' : `${mappings} payer mappings` });
  }
  return done({ counts: { mappings, worklist }, mappingsEmpty });
}
