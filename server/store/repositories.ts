/** The repository layer, written once against `Db` (PGlite and PostgreSQL alike). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PayerMapping, PayerMappingInput } from '../contracts/index';
import type { Db, Row } from './db';
import { IN_PROGRESS_MS } from './types';
import {
  ConflictError, LedgerConflictError, NotFoundError, StaleVersionError,
  type NewVersion, type StoredVersion, type Visit, type VisitRepository, type WorklistDisplay, type WorklistPage,
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
  if (r.current_version != null) w.currentVersion = Number(r.current_version);
  if (r.version_count != null) w.versionCount = Number(r.version_count);
  if (r.exported_version != null) w.exportedVersion = Number(r.exported_version);
  w.changedAfterExport = w.exportedVersion !== undefined && w.currentVersion !== undefined && w.exportedVersion !== w.currentVersion;
  if (r.note_status != null) w.noteStatus = r.note_status as 'written' | 'failed';
  if (r.payer != null) w.payer = String(r.payer);
  if (r.patient_name != null) w.patientName = String(r.patient_name);
  if (r.patient_mrn != null) w.patientMrn = String(r.patient_mrn);
  if (r.ehr_base != null) w.ehrBase = String(r.ehr_base);
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
    async page(filter) {
      const limit = Math.max(1, Math.min(filter.limit, 5000));
      const offset = Math.max(0, filter.offset);
      const where = filter.status ? 'WHERE status = $1' : '';
      const params: unknown[] = filter.status ? [filter.status] : [];
      const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM worklist ${where}`, params);
      const r = await db.query(`SELECT * FROM worklist ${where} ORDER BY updated_at DESC, visit_key LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset]);
      return { items: r.rows.map(toWorklist), total: Number(total.rows[0]?.n ?? 0) } satisfies WorklistPage;
    },
    get,
    async markExported(visitKeys) {
      if (visitKeys.length === 0) return [];
      // a failed note is never billable: exporting does not change it
      const r = await db.query(
        `UPDATE worklist SET status = CASE WHEN status IN ('written-to-ehr', 'note-failed') THEN status ELSE 'exported' END,
           exported_version = CASE WHEN status = 'note-failed' THEN exported_version ELSE current_version END, updated_at = now()
         WHERE visit_key = ANY($1::text[]) RETURNING *`, [visitKeys]);
      return r.rows.map(toWorklist);
    },
  };
}

// ---------------------------------------------------------------- write ledger

function toLedger(r: Row): LedgerEntry {
  const e: LedgerEntry = {
    visitKey: String(r.visit_key), resourceKind: r.resource_kind as LedgerKind, ehrBase: String(r.ehr_base),
    version: Number(r.version ?? 1),
    state: r.state as 'pending' | 'done', createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
  const id = opt(r.resource_id as string | null);
  if (id !== undefined) e.resourceId = id;
  return e;
}

async function ledgerComplete(db: Db, visitKey: string, kind: LedgerKind, ehrBase: string, resourceId: string, version: number) {
  // done is final: the same id again is a harmless retry; another id is refused (never overwrite a written id)
  const r = await db.query(
    `INSERT INTO write_ledger (visit_key, resource_kind, ehr_base, version, state, resource_id) VALUES ($1, $2, $3, $5, 'done', $4)
     ON CONFLICT (visit_key, resource_kind, ehr_base, version) DO UPDATE SET state = 'done', resource_id = $4, updated_at = now()
       WHERE write_ledger.state = 'pending' OR write_ledger.resource_id = $4
     RETURNING visit_key`, [visitKey, kind, ehrBase, resourceId, version]);
  if (r.rows.length !== 1) throw new LedgerConflictError('this write is already recorded with another resource id');
}

export function ledgerRepository(db: Db): WriteLedgerRepository {
  const reserve = async (visitKey: string, kind: LedgerKind, ehrBase: string, version = 1, inProgressMs = IN_PROGRESS_MS, attempt?: number): Promise<Reservation> => {
    const key = [visitKey, kind, ehrBase, version];
    if (attempt !== undefined) {
      // the holder of `attempt` keeps its reservation before a write that follows a wait (a search, a renewal)
      const kept = await db.query(
        `UPDATE write_ledger SET reserved_at = now(), updated_at = now()
         WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND version = $4 AND state = 'pending' AND attempt = $5
         RETURNING reserved_at`, [...key, attempt]);
      if (kept.rows[0]) return { state: 'pending', reservedAt: iso(kept.rows[0].reserved_at), inProgress: false, attempt };
      // not held by that attempt any more: answered as to anyone (done, another holder in progress, stale, or new)
    }
    for (;;) {
      // INSERT … ON CONFLICT DO NOTHING is atomic on the primary key: of two concurrent callers exactly
      // one inserts (and gets 'new'); the other waits for that insert to commit and then gets nothing back.
      const ins = await db.query(
        `INSERT INTO write_ledger (visit_key, resource_kind, ehr_base, version, state) VALUES ($1, $2, $3, $4, 'pending')
         ON CONFLICT DO NOTHING RETURNING attempt`, key);
      if (ins.rows.length === 1) return { state: 'new', attempt: Number(ins.rows[0]!.attempt) };
      // A pending reservation older than the window (by the database's clock, the same for every instance) is taken
      // over by compare-and-set: of concurrent resumers exactly one matches (PostgreSQL re-checks the WHERE on the
      // row another UPDATE just committed, whose reserved_at is now fresh), so exactly one is told to go ahead.
      const took = await db.query(
        `UPDATE write_ledger SET reserved_at = now(), attempt = attempt + 1, updated_at = now()
         WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND version = $4 AND state = 'pending'
           AND reserved_at <= now() - make_interval(secs => $5::double precision / 1000)
         RETURNING *`, [...key, inProgressMs]);
      if (took.rows[0]) {
        const e = took.rows[0];
        return { state: 'pending', reservedAt: iso(e.reserved_at), inProgress: false, attempt: Number(e.attempt) };
      }
      const cur = await db.query('SELECT * FROM write_ledger WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND version = $4', key);
      const row = cur.rows[0];
      if (!row) continue; // released in between: try again
      const e = toLedger(row);
      if (e.state === 'done') return { state: 'done', reservedAt: iso(row.reserved_at), ...(e.resourceId !== undefined ? { resourceId: e.resourceId } : {}) };
      // held by another attempt within the window (or it was just taken over by another resumer)
      return { state: 'pending', reservedAt: iso(row.reserved_at), inProgress: true };
    }
  };
  return {
    reserve,
    complete: (visitKey, kind, ehrBase, resourceId, version = 1) => ledgerComplete(db, visitKey, kind, ehrBase, resourceId, version),
    async release(visitKey, kind, ehrBase, version, attempt) {
      await releasePending(db, visitKey, kind, ehrBase, version, attempt);
    },
    async get(visitKey) {
      const r = await db.query('SELECT * FROM write_ledger WHERE visit_key = $1 ORDER BY version, resource_kind, ehr_base', [visitKey]);
      return r.rows.map(toLedger);
    },
  };
}

/**
 * Drops a pending reservation (never a done entry) of that attempt only, so a holder whose reservation went stale and
 * was taken over cannot free it under the resumer now writing. True when no pending reservation of another attempt is
 * left in its place.
 */
async function releasePending(db: Db, visitKey: string, kind: LedgerKind, ehrBase: string, version: number, attempt: number): Promise<boolean> {
  const del = await db.query(
    `DELETE FROM write_ledger WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND version = $4 AND state = 'pending'
       AND attempt = $5 RETURNING visit_key`, [visitKey, kind, ehrBase, version, attempt]);
  if (del.rows.length) return true;
  const left = await db.query(`SELECT 1 FROM write_ledger WHERE visit_key = $1 AND resource_kind = $2 AND ehr_base = $3 AND version = $4`,
    [visitKey, kind, ehrBase, version]);
  return left.rows.length === 0;
}

// ---------------------------------------------------------------- visits and versions

function toVisit(r: Row): Visit {
  const v: Visit = { visitKey: String(r.visit_key), ehrBase: String(r.ehr_base), patientId: String(r.patient_id), serviceDate: String(r.service_date) };
  if (r.encounter_id != null) v.encounterId = String(r.encounter_id);
  return v;
}

function toVersion(r: Row): StoredVersion {
  const v: StoredVersion = {
    visitKey: String(r.visit_key), version: Number(r.version), state: r.state as StoredVersion['state'],
    vendor: r.vendor as StoredVersion['vendor'], drafts: parsed(r.drafts), codes: parsed(r.codes),
    claimToEhr: Boolean(r.claim_to_ehr), supersedeDone: Boolean(r.supersede_done),
    createdBy: String(r.created_by), createdAt: iso(r.created_at),
  };
  if (r.supersedes_version != null) v.supersedesVersion = Number(r.supersedes_version);
  if (r.author_display != null) v.authorDisplay = String(r.author_display);
  if (r.written_at != null) v.writtenAt = iso(r.written_at);
  if (r.ehr_document_reference_id != null) v.ehrDocumentReferenceId = String(r.ehr_document_reference_id);
  if (r.ehr_claim_id != null) v.ehrClaimId = String(r.ehr_claim_id);
  return v;
}

export function visitRepository(db: Db): VisitRepository {
  const version = async (d: Db, visitKey: string, n: number, lock = false) => {
    const r = await d.query(`SELECT * FROM visit_versions WHERE visit_key = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`, [visitKey, n]);
    return r.rows[0] ? { row: r.rows[0], v: toVersion(r.rows[0]) } : null;
  };
  /** the worklist row follows version n of the visit (called inside a transaction) */
  const follow = async (tx: Db, visit: Visit, row: Row, v: StoredVersion, status: 'draft' | 'written-to-ehr' | 'note-failed') => {
    const count = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM visit_versions WHERE visit_key = $1', [visit.visitKey]);
    await tx.query(
      `INSERT INTO worklist (visit_key, launch_id, patient_id, service_date, claim, status, ehr_claim_id, ehr_document_reference_id,
         codes, created_by, current_version, version_count, note_status, payer, patient_name, patient_mrn, ehr_base)
       VALUES ($1, '-', $2, $3, $4::text::jsonb, $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (visit_key) DO UPDATE SET claim = EXCLUDED.claim,
         -- repeating a completion never undoes billing's progress on the same version
         status = CASE WHEN worklist.current_version = EXCLUDED.current_version AND EXCLUDED.status = 'draft'
                         AND worklist.status IN ('exported', 'written-to-ehr') THEN worklist.status ELSE EXCLUDED.status END, ehr_claim_id = EXCLUDED.ehr_claim_id,
         ehr_document_reference_id = EXCLUDED.ehr_document_reference_id, codes = EXCLUDED.codes, created_by = EXCLUDED.created_by,
         current_version = EXCLUDED.current_version, version_count = EXCLUDED.version_count, note_status = EXCLUDED.note_status,
         payer = EXCLUDED.payer, patient_name = EXCLUDED.patient_name, patient_mrn = EXCLUDED.patient_mrn, ehr_base = EXCLUDED.ehr_base,
         updated_at = now()`,
      [visit.visitKey, visit.patientId, visit.serviceDate, JSON.stringify(v.drafts.claim), status, v.ehrClaimId ?? null,
        v.ehrDocumentReferenceId ?? null, JSON.stringify(v.codes), v.createdBy, v.version, Number(count.rows[0]?.n ?? 1),
        status === 'note-failed' ? 'failed' : 'written', row.payer ?? null, row.patient_name ?? null, row.patient_mrn ?? null, visit.ehrBase]);
  };
  const getVisit = async (d: Db, visitKey: string) => {
    const r = await d.query('SELECT * FROM visits WHERE visit_key = $1', [visitKey]);
    return r.rows[0] ? toVisit(r.rows[0]) : null;
  };
  return {
    async secret() {
      await db.query('INSERT INTO app_secret (id, secret) VALUES (1, $1) ON CONFLICT DO NOTHING', [randomBytes(32).toString('hex')]);
      const r = await db.query<{ secret: string }>('SELECT secret FROM app_secret WHERE id = 1');
      return String(r.rows[0]!.secret);
    },
    async ensure(v) {
      await db.query(
        `INSERT INTO visits (visit_key, ehr_base, patient_id, service_date, encounter_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [v.visitKey, v.ehrBase, v.patientId, v.serviceDate, v.encounterId ?? null]);
      return (await getVisit(db, v.visitKey))!;
    },
    async grant(g) {
      await db.query(
        `INSERT INTO visit_grants (visit_key, iss, sub, fhir_user, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (visit_key, iss, sub) DO UPDATE SET expires_at = GREATEST(visit_grants.expires_at, EXCLUDED.expires_at), fhir_user = EXCLUDED.fhir_user`,
        [g.visitKey, g.iss, g.sub, g.fhirUser, g.expiresAt.toISOString()]);
    },
    async granted(visitKey, iss, sub) {
      const r = await db.query(
        `SELECT v.* FROM visits v JOIN visit_grants g ON g.visit_key = v.visit_key
         WHERE v.visit_key = $1 AND g.iss = $2 AND g.sub = $3 AND g.expires_at > now() AND v.ehr_base = $2`, [visitKey, iss, sub]);
      return r.rows[0] ? toVisit(r.rows[0]) : null;
    },
    async versions(visitKey) {
      const r = await db.query('SELECT * FROM visit_versions WHERE visit_key = $1 ORDER BY version DESC', [visitKey]);
      return r.rows.map(toVersion);
    },
    async version(visitKey, n) { return (await version(db, visitKey, n))?.v ?? null; },
    async insertVersion(v: NewVersion, display: WorklistDisplay) {
      const r = await db.query(
        `INSERT INTO visit_versions (visit_key, version, state, vendor, drafts, codes, claim_to_ehr, supersedes_version, created_by,
           author_display, payer, patient_name, patient_mrn)
         VALUES ($1, $2, 'drafted', $3, $4::text::jsonb, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT DO NOTHING RETURNING version`,
        [v.visitKey, v.version, v.vendor, JSON.stringify(v.drafts), JSON.stringify(v.codes), v.claimToEhr, v.supersedesVersion ?? null,
          v.createdBy, v.authorDisplay ?? null, display.payer ?? null, display.patientName ?? null, display.patientMrn ?? null]);
      return r.rows.length === 1;
    },
    completeStep(visitKey, n, kind, ehrBase, resourceId) {
      return db.transaction(async (tx) => {
        const visit = await getVisit(tx, visitKey);
        const found = await version(tx, visitKey, n, true);
        if (!visit || !found) throw new NotFoundError('visit version', `${visitKey}#${n}`);
        await ledgerComplete(tx, visitKey, kind, ehrBase, resourceId, n);
        if (kind === 'provenance') return; // recorded in the ledger only
        const column = kind === 'claim' ? 'ehr_claim_id' : 'ehr_document_reference_id';
        const upd = await tx.query(
          `UPDATE visit_versions SET ${column} = $3,
             state = CASE WHEN $4 AND state IN ('drafted', 'note-failed') THEN 'written' ELSE state END,
             written_at = CASE WHEN $4 THEN COALESCE(written_at, now()) ELSE written_at END
           WHERE visit_key = $1 AND version = $2 RETURNING *`, [visitKey, n, resourceId, kind === 'documentReference']);
        const row = upd.rows[0]!;
        const v = toVersion(row);
        if (v.state !== 'written') return; // a Claim step of a version whose note is not recorded yet: the note step follows
        // the newest written version is current; an older one finishing late never takes the row back
        const newer = await tx.query(`SELECT 1 FROM visit_versions WHERE visit_key = $1 AND version > $2 AND state IN ('written', 'superseded')`, [visitKey, n]);
        if (newer.rows.length) return;
        await tx.query(`UPDATE visit_versions SET state = 'superseded' WHERE visit_key = $1 AND version < $2 AND state = 'written'`, [visitKey, n]);
        await follow(tx, visit, row, v, v.ehrClaimId ? 'written-to-ehr' : 'draft');
      });
    },
    noteFailed(visitKey, n, kind, ehrBase, attempt) {
      return db.transaction(async (tx) => {
        // a refusal answered to a holder whose reservation was taken over (or already done) changes nothing
        if (!(await releasePending(tx, visitKey, kind, ehrBase, n, attempt))) return;
        if (kind !== 'documentReference') return;
        const upd = await tx.query(`UPDATE visit_versions SET state = 'note-failed' WHERE visit_key = $1 AND version = $2 AND state = 'drafted' RETURNING *`, [visitKey, n]);
        const visit = await getVisit(tx, visitKey);
        const row = upd.rows[0];
        if (!row || !visit) return;
        // a failed note shows on the worklist only while the visit has no written version
        const written = await tx.query(`SELECT 1 FROM visit_versions WHERE visit_key = $1 AND state IN ('written', 'superseded')`, [visitKey]);
        if (!written.rows.length) await follow(tx, visit, row, toVersion(row), 'note-failed');
      });
    },
    async markSupersedeDone(visitKey, n) {
      await db.query('UPDATE visit_versions SET supersede_done = true WHERE visit_key = $1 AND version = $2', [visitKey, n]);
    },
  };
}
