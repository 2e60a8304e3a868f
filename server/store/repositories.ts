/** The repository layer, written once against `Db` (PGlite and PostgreSQL alike). */
import { randomUUID } from 'node:crypto';
import type { PayerMapping, PayerMappingInput } from '../contracts/index';
import type { Db, Row } from './db';
import {
  ConflictError, NotFoundError, StaleVersionError,
  type AuditEntry, type AuditInput, type AuditQuery, type AuditRepository, type LedgerEntry, type LedgerKind,
  type MappingRepository, type Reservation, type WorklistItem, type WorklistRepository, type WorklistStatus,
  type WorklistUpsert, type WriteLedgerRepository, type WorklistCode,
} from './types';

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
/** jsonb comes back parsed from both drivers; tolerate text just in case */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) as T : v as T);
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

// ---------------------------------------------------------------- mappings

const MAPPING_COLUMNS = 'id, version, priority, enabled, match, policy_id, line_of_business, options, note, name';

function toMapping(r: Row): PayerMapping {
  const m: PayerMapping = {
    id: String(r.id),
    version: Number(r.version),
    priority: Number(r.priority),
    enabled: Boolean(r.enabled),
    match: parsed(r.match),
    policyId: r.policy_id as PayerMapping['policyId'],
    lineOfBusiness: r.line_of_business as PayerMapping['lineOfBusiness'],
  };
  if (r.options !== null && r.options !== undefined) m.options = parsed(r.options);
  if (r.note !== null && r.note !== undefined) m.note = String(r.note);
  if (r.name !== null && r.name !== undefined) m.name = String(r.name);
  return m;
}

function mappingParams(input: PayerMappingInput) {
  return [input.priority, input.enabled, JSON.stringify(input.match), input.policyId, input.lineOfBusiness,
    json(input.options), input.note ?? null, input.name ?? null];
}

export function mappingRepository(db: Db): MappingRepository {
  async function get(d: Db, id: string) {
    const r = await d.query(`SELECT ${MAPPING_COLUMNS} FROM payer_mappings WHERE id = $1`, [id]);
    return r.rows[0] ? toMapping(r.rows[0]) : null;
  }
  async function insert(d: Db, input: PayerMappingInput, id: string, version: number) {
    const r = await d.query(
      `INSERT INTO payer_mappings (id, version, priority, enabled, match, policy_id, line_of_business, options, note, name)
       VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8::text::jsonb, $9, $10) RETURNING ${MAPPING_COLUMNS}`,
      [id, version, ...mappingParams(input)]);
    return toMapping(r.rows[0]!);
  }
  /** after a versioned write matched no row: stale or gone? */
  async function explainMiss(d: Db, id: string, expectedVersion: number): Promise<never> {
    const current = await get(d, id);
    if (!current) throw new NotFoundError('mapping', id);
    throw new StaleVersionError(current, expectedVersion);
  }

  return {
    async list() {
      const r = await db.query(`SELECT ${MAPPING_COLUMNS} FROM payer_mappings ORDER BY priority DESC, id`);
      return r.rows.map(toMapping);
    },
    get: (id) => get(db, id),
    async create(input, id) {
      try {
        return await insert(db, input, id ?? randomUUID(), 1);
      } catch (e) {
        if (isUniqueViolation(e)) throw new ConflictError(`a mapping with id ${id} already exists`);
        throw e;
      }
    },
    async update(id, input, expectedVersion) {
      const r = await db.query(
        `UPDATE payer_mappings SET version = version + 1, priority = $3, enabled = $4, match = $5::text::jsonb,
           policy_id = $6, line_of_business = $7, options = $8::text::jsonb, note = $9, name = $10, updated_at = now()
         WHERE id = $1 AND version = $2 RETURNING ${MAPPING_COLUMNS}`,
        [id, expectedVersion, ...mappingParams(input)]);
      return r.rows[0] ? toMapping(r.rows[0]) : explainMiss(db, id, expectedVersion);
    },
    async delete(id, expectedVersion) {
      const r = await db.query(`DELETE FROM payer_mappings WHERE id = $1 AND version = $2 RETURNING ${MAPPING_COLUMNS}`,
        [id, expectedVersion]);
      return r.rows[0] ? toMapping(r.rows[0]) : explainMiss(db, id, expectedVersion);
    },
    replaceAll(mappings) {
      return db.transaction(async (tx) => {
        const previous = new Map((await tx.query('SELECT id, version FROM payer_mappings FOR UPDATE')).rows
          .map((r) => [String(r.id), Number(r.version)]));
        await tx.query('DELETE FROM payer_mappings');
        const out: PayerMapping[] = [];
        for (const m of mappings) {
          const { id, ...input } = m as PayerMappingInput & { id?: string; version?: number };
          delete (input as { version?: number }).version;
          const mid = id ?? randomUUID();
          out.push(await insert(tx, input, mid, (previous.get(mid) ?? 0) + 1));
        }
        return out;
      });
    },
    installDefaultsOnFirstStart(defaults) {
      return db.transaction(async (tx) => {
        // serialise concurrent first starts of several instances
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['pump-refill-coder:default-mappings']);
        const st = await tx.query<{ done: boolean }>('SELECT defaults_installed AS done FROM mapping_state WHERE id = 1');
        if (st.rows[0]?.done) return false;
        const n = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM payer_mappings');
        const empty = Number(n.rows[0]?.n ?? 0) === 0;
        if (empty) {
          for (const m of defaults) {
            const { id, ...input } = m;
            await insert(tx, input, id ?? randomUUID(), 1);
          }
        }
        await tx.query('UPDATE mapping_state SET defaults_installed = true WHERE id = 1');
        return empty;
      });
    },
    async changeCount() {
      const r = await db.query<{ n: string }>('SELECT change_count::text AS n FROM mapping_state WHERE id = 1');
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}

// ---------------------------------------------------------------- audit

function toAudit(r: Row): AuditEntry {
  const e: AuditEntry = {
    id: Number(r.id), at: iso(r.at), actor: String(r.actor), action: String(r.action), entityType: String(r.entity_type),
  };
  if (r.entity_id != null) e.entityId = String(r.entity_id);
  if (r.patient_id != null) e.patientId = String(r.patient_id);
  if (r.resource_ids != null) e.resourceIds = parsed(r.resource_ids);
  if (r.codes != null) e.codes = parsed(r.codes);
  if (r.before != null) e.before = parsed(r.before);
  if (r.after != null) e.after = parsed(r.after);
  return e;
}

export function auditRepository(db: Db): AuditRepository {
  return {
    async record(a: AuditInput) {
      const r = await db.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id, patient_id, resource_ids, codes, before, after)
         VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8::text::jsonb, $9::text::jsonb) RETURNING *`,
        [a.actor, a.action, a.entityType, a.entityId ?? null, a.patientId ?? null, json(a.resourceIds), json(a.codes),
          json(a.before), json(a.after)]);
      return toAudit(r.rows[0]!);
    },
    async list(q: AuditQuery) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, v: unknown) => { params.push(v); where.push(clause.replace('?', `$${params.length}`)); };
      if (q.action) add('action = ?', q.action);
      if (q.actor) add('actor = ?', q.actor);
      if (q.entityType) add('entity_type = ?', q.entityType);
      if (q.since) add('at >= ?::timestamptz', q.since);
      params.push(Math.max(1, Math.min(q.limit, 1000)));
      const r = await db.query(
        `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
        params);
      return r.rows.map(toAudit);
    },
  };
}

// ---------------------------------------------------------------- worklist

function toWorklist(r: Row): WorklistItem {
  const w: WorklistItem = {
    visitKey: String(r.visit_key), launchId: String(r.launch_id), patientId: String(r.patient_id),
    claim: parsed(r.claim), status: r.status as WorklistStatus, codes: parsed<WorklistCode[]>(r.codes),
    createdAt: iso(r.created_at), updatedAt: iso(r.updated_at), createdBy: String(r.created_by),
  };
  if (r.service_date != null) w.serviceDate = String(r.service_date);
  if (r.ehr_claim_id != null) w.ehrClaimId = String(r.ehr_claim_id);
  if (r.ehr_document_reference_id != null) w.ehrDocumentReferenceId = String(r.ehr_document_reference_id);
  return w;
}

export function worklistRepository(db: Db): WorklistRepository {
  const get = async (visitKey: string) => {
    const r = await db.query('SELECT * FROM worklist WHERE visit_key = $1', [visitKey]);
    return r.rows[0] ? toWorklist(r.rows[0]) : null;
  };
  return {
    async upsert(i: WorklistUpsert) {
      const r = await db.query(
        `INSERT INTO worklist (visit_key, launch_id, patient_id, service_date, claim, status, ehr_claim_id,
           ehr_document_reference_id, codes, created_by)
         VALUES ($1, $2, $3, $4, $5::text::jsonb, COALESCE($6, 'draft'), $7, $8, $9::text::jsonb, $10)
         ON CONFLICT (visit_key) DO UPDATE SET
           claim = EXCLUDED.claim, codes = EXCLUDED.codes,
           service_date = COALESCE(EXCLUDED.service_date, worklist.service_date),
           status = COALESCE($6, worklist.status),
           ehr_claim_id = COALESCE(EXCLUDED.ehr_claim_id, worklist.ehr_claim_id),
           ehr_document_reference_id = COALESCE(EXCLUDED.ehr_document_reference_id, worklist.ehr_document_reference_id),
           updated_at = now()
         RETURNING *`,
        [i.visitKey, i.launchId, i.patientId, i.serviceDate ?? null, JSON.stringify(i.claim), i.status ?? null,
          i.ehrClaimId ?? null, i.ehrDocumentReferenceId ?? null, JSON.stringify(i.codes), i.createdBy]);
      return toWorklist(r.rows[0]!);
    },
    async list(filter = {}) {
      const limit = Math.max(1, Math.min(filter.limit ?? 500, 5000));
      const r = filter.status
        ? await db.query('SELECT * FROM worklist WHERE status = $1 ORDER BY updated_at DESC, visit_key LIMIT $2', [filter.status, limit])
        : await db.query('SELECT * FROM worklist ORDER BY updated_at DESC, visit_key LIMIT $1', [limit]);
      return r.rows.map(toWorklist);
    },
    get,
    async markExported(visitKeys) {
      if (visitKeys.length === 0) return [];
      const r = await db.query(
        `UPDATE worklist SET status = CASE WHEN status = 'written-to-ehr' THEN status ELSE 'exported' END, updated_at = now()
         WHERE visit_key = ANY($1::text[]) RETURNING *`, [visitKeys]);
      return r.rows.map(toWorklist);
    },
    async markWritten(visitKey, ids) {
      const r = await db.query(
        // the item is 'written-to-ehr' only once the Claim itself is in the EHR; a note alone leaves it for billing
        `UPDATE worklist SET status = CASE WHEN $2::text IS NOT NULL THEN 'written-to-ehr' ELSE status END,
           ehr_claim_id = COALESCE($2, ehr_claim_id),
           ehr_document_reference_id = COALESCE($3, ehr_document_reference_id), updated_at = now()
         WHERE visit_key = $1 RETURNING *`, [visitKey, ids.ehrClaimId ?? null, ids.ehrDocumentReferenceId ?? null]);
      if (!r.rows[0]) throw new NotFoundError('worklist item', visitKey);
      return toWorklist(r.rows[0]);
    },
  };
}

// ---------------------------------------------------------------- write ledger

function toLedger(r: Row): LedgerEntry {
  const e: LedgerEntry = {
    visitKey: String(r.visit_key), resourceKind: r.resource_kind as LedgerKind, ehrBase: String(r.ehr_base),
    state: r.state as 'pending' | 'done', createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
  const id = opt(r.resource_id as string | null);
  if (id !== undefined) e.resourceId = id;
  return e;
}

export function ledgerRepository(db: Db): WriteLedgerRepository {
  const reserve = async (visitKey: string, kind: LedgerKind, ehrBase: string): Promise<Reservation> => {
      // INSERT … ON CONFLICT DO NOTHING is atomic on the primary key: of two concurrent callers exactly
      // one inserts (and gets 'new'); the other waits for that insert to commit and then gets nothing back.
      const ins = await db.query(
        `INSERT INTO write_ledger (visit_key, resource_kind, ehr_base, state) VALUES ($1, $2, $3, 'pending')
         ON CONFLICT DO NOTHING RETURNING visit_key`, [visitKey, kind, ehrBase]);
      if (ins.rows.length === 1) return { state: 'new' };
      const cur = await db.query('SELECT * FROM write_ledger WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3',
        [visitKey, kind, ehrBase]);
      const row = cur.rows[0];
      if (!row) return reserve(visitKey, kind, ehrBase); // released in between: try again
      const e = toLedger(row);
      return e.resourceId !== undefined
        ? { state: e.state, resourceId: e.resourceId, reservedAt: e.createdAt }
        : { state: e.state, reservedAt: e.createdAt };
  };
  return {
    reserve,
    async complete(visitKey, kind, ehrBase, resourceId) {
      const r = await db.query(
        `INSERT INTO write_ledger (visit_key, resource_kind, ehr_base, state, resource_id) VALUES ($1, $2, $3, 'done', $4)
         ON CONFLICT (visit_key, resource_kind, ehr_base) DO UPDATE SET state = 'done', resource_id = $4, updated_at = now()
         RETURNING visit_key`, [visitKey, kind, ehrBase, resourceId]);
      if (r.rows.length !== 1) throw new Error('ledger complete failed');
    },
    async release(visitKey, kind, ehrBase) {
      await db.query(`DELETE FROM write_ledger WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND state = 'pending'`,
        [visitKey, kind, ehrBase]);
    },
    async get(visitKey) {
      const r = await db.query('SELECT * FROM write_ledger WHERE visit_key = $1 ORDER BY resource_kind, ehr_base', [visitKey]);
      return r.rows.map(toLedger);
    },
  };
}
