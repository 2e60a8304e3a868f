/**
 * The repository tests, run against PGlite (pglite.test.ts) and a real PostgreSQL (postgres.test.ts).
 * `openDb` returns a fresh connection to the SAME database each call (for PostgreSQL), so the
 * two-instance tests really share data; `sharedData: false` skips those for PGlite in memory.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PayerMappingInput } from '../contracts/index';
import type { Db } from './db';
import { storeOnDb } from './index';
import { migrate } from './migrate';
import { ConflictError, LedgerConflictError, NotFoundError, StaleVersionError, type Store } from './types';

export interface SuiteOptions {
  openDb: () => Promise<Db>;
  sharedData: boolean;
}

const input = (over: Partial<PayerMappingInput> = {}): PayerMappingInput => ({
  priority: 100, enabled: true, match: { payerName: 'U of U*' }, policyId: 'uuhp', lineOfBusiness: 'commercial', ...over,
});

export function repositorySuite(label: string, opts: SuiteOptions) {
  describe(`store repositories on ${label}`, () => {
    let db: Db;
    let store: Store;
    const extra: Db[] = [];

    beforeAll(async () => {
      db = await opts.openDb();
      await migrate(db);
      store = storeOnDb(db);
    });
    afterAll(async () => {
      for (const d of extra) await d.close();
      await store?.close();
    });
    beforeEach(async () => {
      await db.exec('TRUNCATE payer_mappings, audit_log, worklist, write_ledger, visit_versions, visit_grants, visits; UPDATE mapping_state SET defaults_installed = false');
    });

    it('migrations are idempotent and recorded', async () => {
      expect(await migrate(db)).toEqual([]);
      const r = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(r.rows.map((x) => Number(x.version))).toContain(1);
    });

    describe('mappings', () => {
      it('creates with a uuid and version 1, or with the given id', async () => {
        const a = await store.mappings.create(input({ note: 'n', options: { reprogrammingMeaning: 'any-settings-update' } }));
        expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(a.version).toBe(1);
        expect(a.options).toEqual({ reprogrammingMeaning: 'any-settings-update' });
        const b = await store.mappings.create(input(), 'my-id');
        expect(b.id).toBe('my-id');
        expect(await store.mappings.get('my-id')).toEqual(b);
        expect(await store.mappings.get('nope')).toBeNull();
        await expect(store.mappings.create(input(), 'my-id')).rejects.toBeInstanceOf(ConflictError);
        expect((await store.mappings.list()).map((m) => m.id).sort()).toEqual([a.id, 'my-id'].sort());
      });

      it('update bumps the version; a stale version is rejected with the current row', async () => {
        const a = await store.mappings.create(input(), 'm1');
        const b = await store.mappings.update('m1', input({ priority: 200 }), 1);
        expect(b.version).toBe(2);
        expect(b.priority).toBe(200);
        const err = await store.mappings.update('m1', input({ priority: 300 }), a.version).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StaleVersionError);
        expect((err as StaleVersionError).current).toEqual(b);
        expect((await store.mappings.get('m1'))?.priority).toBe(200);
        await expect(store.mappings.update('gone', input(), 1)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('two concurrent updates from the same version: exactly one wins', async () => {
        await store.mappings.create(input(), 'm1');
        const results = await Promise.allSettled([
          store.mappings.update('m1', input({ priority: 1 }), 1),
          store.mappings.update('m1', input({ priority: 2 }), 1),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r) => r.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(StaleVersionError);
      });

      it('delete needs the current version', async () => {
        await store.mappings.create(input(), 'm1');
        await store.mappings.update('m1', input(), 1);
        await expect(store.mappings.delete('m1', 1)).rejects.toBeInstanceOf(StaleVersionError);
        const gone = await store.mappings.delete('m1', 2);
        expect(gone.id).toBe('m1');
        expect(await store.mappings.get('m1')).toBeNull();
        await expect(store.mappings.delete('m1', 2)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('replaceAll swaps the whole set and bumps versions of kept ids', async () => {
        await store.mappings.create(input(), 'keep');
        await store.mappings.create(input(), 'drop');
        const out = await store.mappings.replaceAll([{ ...input({ priority: 5 }), id: 'keep' }, input({ priority: 6 })]);
        expect(out).toHaveLength(2);
        const list = await store.mappings.list();
        expect(list.map((m) => m.id)).not.toContain('drop');
        expect(list.find((m) => m.id === 'keep')?.version).toBe(2);
      });

      it('import rollback: one row violating a constraint leaves everything as it was', async () => {
        await store.mappings.create(input(), 'a');
        await store.mappings.create(input(), 'b');
        const before = await store.mappings.list();
        // duplicate primary key in the second and third rows
        await expect(store.mappings.replaceAll([
          { ...input(), id: 'x' }, { ...input(), id: 'y' }, { ...input(), id: 'y' },
        ])).rejects.toThrow();
        expect(await store.mappings.list()).toEqual(before);
        // a CHECK constraint (negative priority slips past a caller that skipped zod)
        await expect(store.mappings.replaceAll([{ ...input(), id: 'z' }, { ...input({ priority: -1 }), id: 'w' }]))
          .rejects.toThrow();
        expect(await store.mappings.list()).toEqual(before);
      });

      it('installDefaultsOnFirstStart installs once', async () => {
        expect(await store.mappings.installDefaultsOnFirstStart([{ ...input(), id: 'd1' }])).toBe(true);
        expect(await store.mappings.installDefaultsOnFirstStart([{ ...input(), id: 'd2' }])).toBe(false);
        expect((await store.mappings.list()).map((m) => m.id)).toEqual(['d1']);
      });

      it('never reinstalls the defaults after an administrator removed every mapping', async () => {
        expect(await store.mappings.installDefaultsOnFirstStart([{ ...input(), id: 'd1' }])).toBe(true);
        await store.mappings.delete('d1', 1);
        expect(await store.mappings.installDefaultsOnFirstStart([{ ...input(), id: 'd1' }])).toBe(false);
        expect(await store.mappings.list()).toEqual([]);
      });

      it('the change counter moves with every committed change, not with a rolled-back one', async () => {
        const c0 = await store.mappings.changeCount();
        await store.mappings.create(input(), 'c');
        const c1 = await store.mappings.changeCount();
        expect(c1).toBeGreaterThan(c0);
        await store.mappings.replaceAll([{ ...input(), id: 'q' }, { ...input(), id: 'q' }]).catch(() => undefined);
        expect(await store.mappings.changeCount()).toBe(c1);
        await store.mappings.update('c', input({ enabled: false }), 1);
        expect(await store.mappings.changeCount()).toBeGreaterThan(c1);
      });

      it('a mapping change and its audit entry commit or roll back together', async () => {
        await expect(store.transaction(async (tx) => {
          await tx.mappings.create(input(), 't1');
          await tx.audit.record({ actor: 'admin-token', action: 'mapping.create', entityType: 'mapping', entityId: 't1' });
          throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(await store.mappings.get('t1')).toBeNull();
        expect(await store.audit.list({ limit: 10 })).toEqual([]);
      });
    });

    describe('audit', () => {
      it('lists newest first with filters', async () => {
        await store.audit.record({ actor: 'Practitioner/a', action: 'mapping.create', entityType: 'mapping', entityId: '1',
          after: { id: '1' } });
        await store.audit.record({ actor: 'admin-token', action: 'mapping.update', entityType: 'mapping', entityId: '1',
          before: { v: 1 }, after: { v: 2 } });
        await store.audit.record({ actor: 'Practitioner/a', action: 'writeback.claim', entityType: 'Claim', entityId: 'c1',
          patientId: 'p1', resourceIds: ['Claim/c1'], codes: ['62370', 'J0475'] });
        const all = await store.audit.list({ limit: 50 });
        expect(all.map((e) => e.action)).toEqual(['writeback.claim', 'mapping.update', 'mapping.create']);
        expect(all[0]).toMatchObject({ patientId: 'p1', resourceIds: ['Claim/c1'], codes: ['62370', 'J0475'] });
        expect(all[1]).toMatchObject({ before: { v: 1 }, after: { v: 2 } });
        expect(new Date(all[0]!.at).getTime()).not.toBeNaN();
        expect((await store.audit.list({ actor: 'Practitioner/a', limit: 50 })).map((e) => e.action))
          .toEqual(['writeback.claim', 'mapping.create']);
        expect(await store.audit.list({ action: 'mapping.update', limit: 50 })).toHaveLength(1);
        expect(await store.audit.list({ limit: 1 })).toHaveLength(1);
        expect(await store.audit.list({ since: '2999-01-01T00:00:00Z', limit: 50 })).toEqual([]);
      });
    });

    describe('worklist', () => {
      const item = (visitKey: string) => ({
        visitKey, launchId: 'launch-0001', patientId: 'pat-1', serviceDate: '2025-03-04',
        claim: { resourceType: 'Claim', status: 'draft' }, codes: [{ code: '62370', modifiers: [], units: 1 }],
        createdBy: 'Practitioner/dr',
      });
      it('upserts by visitKey, pages by status, marks exported', async () => {
        const a = await store.worklist.upsert(item('v1'));
        expect(a.status).toBe('draft');
        await store.worklist.upsert(item('v2'));
        const a2 = await store.worklist.upsert({ ...item('v1'), codes: [{ code: '62369', units: 1 }], createdBy: 'Practitioner/other' });
        expect(a2.codes).toEqual([{ code: '62369', units: 1 }]);
        expect(a2.createdBy).toBe('Practitioner/dr');
        expect(a2.createdAt).toBe(a.createdAt);
        expect((await store.worklist.page({ limit: 10, offset: 0 })).total).toBe(2);
        const exported = await store.worklist.markExported(['v1']);
        expect(exported.map((e) => e.status)).toEqual(['exported']);
        expect((await store.worklist.page({ status: 'draft', limit: 10, offset: 0 })).items.map((i) => i.visitKey)).toEqual(['v2']);
        // an item already written to the EHR keeps that status when exported
        await store.worklist.upsert({ ...item('v2'), status: 'written-to-ehr', ehrClaimId: 'Claim/9' });
        await store.worklist.markExported(['v2']);
        expect((await store.worklist.get('v2'))?.status).toBe('written-to-ehr');
        expect(await store.worklist.get('nope')).toBeNull();
      });
    });

    describe('write ledger', () => {
      it('reserve → new once; then pending; complete → done with the id', async () => {
        expect(await store.ledger.reserve('v1', 'claim', 'https://ehr/fhir')).toEqual({ state: 'new', attempt: 1 });
        expect(await store.ledger.reserve('v1', 'claim', 'https://ehr/fhir')).toMatchObject({ state: 'pending' });
        // another kind or another EHR is a separate write
        expect(await store.ledger.reserve('v1', 'documentReference', 'https://ehr/fhir')).toEqual({ state: 'new', attempt: 1 });
        expect(await store.ledger.reserve('v1', 'claim', 'https://other/fhir')).toEqual({ state: 'new', attempt: 1 });
        await store.ledger.complete('v1', 'claim', 'https://ehr/fhir', 'Claim/123');
        expect(await store.ledger.reserve('v1', 'claim', 'https://ehr/fhir')).toMatchObject({ state: 'done', resourceId: 'Claim/123' });
        const entries = await store.ledger.get('v1');
        expect(entries).toHaveLength(3);
        expect(entries.find((e) => e.resourceKind === 'claim' && e.ehrBase === 'https://ehr/fhir')?.state).toBe('done');
      });

      it('release (by the attempt holding it) lets a retry after a certain failure reserve anew; done entries stay', async () => {
        await store.ledger.reserve('v2', 'claim', 'b');
        // an attempt that never held it frees nothing
        await store.ledger.release('v2', 'claim', 'b', 1, 7);
        expect(await store.ledger.reserve('v2', 'claim', 'b')).toMatchObject({ state: 'pending', inProgress: true });
        await store.ledger.release('v2', 'claim', 'b', 1, 1);
        expect(await store.ledger.reserve('v2', 'claim', 'b')).toEqual({ state: 'new', attempt: 1 });
        await store.ledger.complete('v2', 'claim', 'b', 'Claim/1');
        await store.ledger.release('v2', 'claim', 'b', 1, 1);
        expect(await store.ledger.reserve('v2', 'claim', 'b')).toMatchObject({ state: 'done' });
      });

      it('concurrent reserves: exactly one "new"', async () => {
        const dbs = opts.sharedData ? await Promise.all([opts.openDb(), opts.openDb()]) : [];
        extra.push(...dbs);
        const stores = [store, ...dbs.map(storeOnDb)];
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
          stores[i % stores.length]!.ledger.reserve('race', 'documentReference', 'https://ehr/fhir')));
        expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
        expect(results.filter((r) => r.state === 'pending')).toHaveLength(11);
        // within the window every other caller is told the write is in progress (the database's clock decides)
        expect(results.filter((r) => r.state === 'pending' && r.inProgress === true)).toHaveLength(11);
      });

      it('a stale pending reservation is taken over by exactly one of concurrent resumers; a stale holder cannot release it', async () => {
        const dbs = opts.sharedData ? await Promise.all([opts.openDb(), opts.openDb(), opts.openDb()]) : [];
        extra.push(...dbs);
        const stores = [store, ...dbs.map(storeOnDb)];
        const first = await store.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1);
        expect(first).toEqual({ state: 'new', attempt: 1 });
        // the window has not passed: in progress
        expect(await store.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1)).toMatchObject({ state: 'pending', inProgress: true });
        // the first attempt died a minute ago
        await db.query(`UPDATE write_ledger SET reserved_at = now() - interval '1 minute' WHERE visit_key = 'stale'`);
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
          stores[i % stores.length]!.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1)));
        const winners = results.filter((r) => r.state === 'pending' && r.inProgress === false);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ attempt: 2 });
        expect(results.filter((r) => r.state === 'pending' && r.inProgress === true)).toHaveLength(11);
        // the stale first holder's late release (attempt 1) leaves the resumer's reservation alone; the resumer's own frees it
        await store.ledger.release('stale', 'claim', 'https://ehr/fhir', 1, 1);
        expect(await store.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1)).toMatchObject({ state: 'pending', inProgress: true });
        await store.ledger.release('stale', 'claim', 'https://ehr/fhir', 1, 2);
        expect(await store.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1)).toEqual({ state: 'new', attempt: 1 });
        // a done entry is never taken over, however old
        await store.ledger.complete('stale', 'claim', 'https://ehr/fhir', 'Claim/7', 1);
        await db.query(`UPDATE write_ledger SET reserved_at = now() - interval '1 hour' WHERE visit_key = 'stale'`);
        expect(await store.ledger.reserve('stale', 'claim', 'https://ehr/fhir', 1)).toMatchObject({ state: 'done', resourceId: 'Claim/7' });
        // a window of 0 (given by the caller) makes any pending reservation stale at once
        await store.ledger.reserve('stale', 'provenance', 'https://ehr/fhir', 1);
        // the holder keeps its reservation before a write that follows a wait: not stale, still its own
        await db.query(`UPDATE write_ledger SET reserved_at = now() - interval '1 minute' WHERE visit_key = 'stale' AND resource_kind = 'provenance'`);
        expect(await store.ledger.reserve('stale', 'provenance', 'https://ehr/fhir', 1, undefined, 1)).toMatchObject({ state: 'pending', inProgress: false, attempt: 1 });
        expect(await store.ledger.reserve('stale', 'provenance', 'https://ehr/fhir', 1)).toMatchObject({ state: 'pending', inProgress: true });
        // a holder whose reservation was taken over is told it is in progress (it must not write)
        expect(await store.ledger.reserve('stale', 'provenance', 'https://ehr/fhir', 1, 0)).toMatchObject({ inProgress: false, attempt: 2 });
        expect(await store.ledger.reserve('stale', 'provenance', 'https://ehr/fhir', 1, undefined, 1)).toMatchObject({ state: 'pending', inProgress: true });
        await store.ledger.reserve('stale', 'documentReference', 'https://ehr/fhir', 1);
        expect(await store.ledger.reserve('stale', 'documentReference', 'https://ehr/fhir', 1, 0)).toMatchObject({ state: 'pending', inProgress: false, attempt: 2 });
      });
    });

    describe('visits and versions (one visit, one claim)', () => {
      const visit = { visitKey: 'a'.repeat(32), ehrBase: 'https://ehr/fhir', patientId: 'p1', serviceDate: '2026-03-02' };
      const version = (n: number, by = 'Practitioner/dr1', extra: Record<string, unknown> = {}) => ({
        visitKey: visit.visitKey, version: n, vendor: 'generic' as const, claimToEhr: true, createdBy: by,
        drafts: { claim: { resourceType: 'Claim', n }, documentReference: { resourceType: 'DocumentReference', n } },
        codes: [{ code: '62370', system: 'CPT' as const, units: 1 }], ...extra,
      });

      it('the secret is made once and shared; grants expire and are per user and EHR', async () => {
        const a = await store.visits.secret();
        expect(a).toMatch(/^[a-f0-9]{64}$/);
        expect(await store.visits.secret()).toBe(a);
        await store.visits.ensure(visit);
        await store.visits.grant({ visitKey: visit.visitKey, iss: visit.ehrBase, sub: 'u1', fhirUser: 'Practitioner/dr1', expiresAt: new Date(Date.now() + 60_000) });
        await store.visits.grant({ visitKey: visit.visitKey, iss: visit.ehrBase, sub: 'u2', fhirUser: 'Practitioner/dr2', expiresAt: new Date(Date.now() - 1) });
        expect(await store.visits.granted(visit.visitKey, visit.ehrBase, 'u1')).toMatchObject({ patientId: 'p1' });
        expect(await store.visits.granted(visit.visitKey, visit.ehrBase, 'u2')).toBeNull();
        expect(await store.visits.granted(visit.visitKey, 'https://other/fhir', 'u1')).toBeNull();
      });

      it('a version number is taken once; no worklist row until the note is written; completion is atomic and idempotent', async () => {
        await store.visits.ensure(visit);
        expect(await store.visits.insertVersion(version(1), { payer: 'Medicare', patientName: 'Ann Example', patientMrn: 'M1' })).toBe(true);
        expect(await store.visits.insertVersion(version(1, 'Practitioner/dr2'), {})).toBe(false);
        expect((await store.visits.version(visit.visitKey, 1))?.createdBy).toBe('Practitioner/dr1');
        expect(await store.worklist.get(visit.visitKey)).toBeNull();
        await store.ledger.reserve(visit.visitKey, 'documentReference', visit.ehrBase, 1);
        await store.visits.completeStep(visit.visitKey, 1, 'documentReference', visit.ehrBase, 'doc-1');
        await store.visits.completeStep(visit.visitKey, 1, 'documentReference', visit.ehrBase, 'doc-1');
        await expect(store.visits.completeStep(visit.visitKey, 1, 'documentReference', visit.ehrBase, 'forged')).rejects.toBeInstanceOf(LedgerConflictError);
        expect(await store.worklist.get(visit.visitKey)).toMatchObject({ status: 'draft', currentVersion: 1, ehrDocumentReferenceId: 'doc-1', payer: 'Medicare', patientName: 'Ann Example', patientMrn: 'M1' });
        await store.visits.completeStep(visit.visitKey, 1, 'claim', visit.ehrBase, 'claim-1');
        expect(await store.worklist.get(visit.visitKey)).toMatchObject({ status: 'written-to-ehr', ehrClaimId: 'claim-1' });
      });

      it('a failed completion rolls back the ledger with the worklist (one transaction)', async () => {
        await store.visits.ensure(visit);
        // no such version: the ledger entry must not be marked done either
        await expect(store.visits.completeStep(visit.visitKey, 9, 'documentReference', visit.ehrBase, 'doc-9')).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.ledger.get(visit.visitKey)).toEqual([]);
      });

      it('a new written version becomes current, the old one superseded and kept; exported then changed is flagged', async () => {
        await store.visits.ensure(visit);
        await store.visits.insertVersion(version(1), {});
        await store.visits.completeStep(visit.visitKey, 1, 'documentReference', visit.ehrBase, 'doc-1');
        expect(await store.worklist.markExported([visit.visitKey])).toHaveLength(1);
        expect(await store.worklist.get(visit.visitKey)).toMatchObject({ status: 'exported', exportedVersion: 1, changedAfterExport: false });
        // repeating v1's completion does not undo the export
        await store.visits.completeStep(visit.visitKey, 1, 'documentReference', visit.ehrBase, 'doc-1');
        expect((await store.worklist.get(visit.visitKey))?.status).toBe('exported');
        await store.visits.insertVersion(version(2, 'Practitioner/dr2', { supersedesVersion: 1 }), {});
        await store.visits.completeStep(visit.visitKey, 2, 'documentReference', visit.ehrBase, 'doc-2');
        expect(await store.worklist.get(visit.visitKey)).toMatchObject({ status: 'draft', currentVersion: 2, versionCount: 2, exportedVersion: 1, changedAfterExport: true, createdBy: 'Practitioner/dr2' });
        expect((await store.visits.versions(visit.visitKey)).map((v) => [v.version, v.state])).toEqual([[2, 'written'], [1, 'superseded']]);
        // a late completion of the old version never takes the row back
        await store.visits.completeStep(visit.visitKey, 1, 'claim', visit.ehrBase, 'claim-1');
        expect((await store.worklist.get(visit.visitKey))?.currentVersion).toBe(2);
      });

      it('a refusal answered to a holder whose reservation was taken over does not mark the note failed', async () => {
        await store.visits.ensure(visit);
        await store.visits.insertVersion(version(1), {});
        await store.ledger.reserve(visit.visitKey, 'documentReference', visit.ehrBase, 1);
        expect(await store.ledger.reserve(visit.visitKey, 'documentReference', visit.ehrBase, 1, 0)).toMatchObject({ attempt: 2 });
        await store.visits.noteFailed(visit.visitKey, 1, 'documentReference', visit.ehrBase, 1);
        expect((await store.visits.version(visit.visitKey, 1))?.state).toBe('drafted');
        expect(await store.worklist.get(visit.visitKey)).toBeNull();
        expect((await store.ledger.get(visit.visitKey)).map((e) => e.state)).toEqual(['pending']);
        await store.visits.noteFailed(visit.visitKey, 1, 'documentReference', visit.ehrBase, 2);
        expect((await store.visits.version(visit.visitKey, 1))?.state).toBe('note-failed');
      });

      it('a refused note: note-failed, shown while nothing was written, never exported', async () => {
        await store.visits.ensure(visit);
        await store.visits.insertVersion(version(1), {});
        await store.ledger.reserve(visit.visitKey, 'documentReference', visit.ehrBase, 1);
        await store.visits.noteFailed(visit.visitKey, 1, 'documentReference', visit.ehrBase, 1);
        expect(await store.worklist.get(visit.visitKey)).toMatchObject({ status: 'note-failed', noteStatus: 'failed' });
        expect((await store.worklist.markExported([visit.visitKey]))[0]?.status).toBe('note-failed');
        expect((await store.worklist.page({ status: 'draft', limit: 10, offset: 0 })).total).toBe(0);
        expect(await store.ledger.get(visit.visitKey)).toEqual([]);
      });
    });

    it.runIf(opts.sharedData)('two Store instances on one database see each other\'s mapping change at once', async () => {
      const other = await opts.openDb();
      extra.push(other);
      const second = storeOnDb(other);
      const before = await second.mappings.changeCount();
      const created = await store.mappings.create(input(), 'shared');
      expect(await second.mappings.get('shared')).toEqual(created);
      expect(await second.mappings.changeCount()).toBeGreaterThan(before);
      const updated = await second.mappings.update('shared', input({ policyId: 'icare-ma' }), 1);
      expect(await store.mappings.get('shared')).toEqual(updated);
      await expect(store.mappings.update('shared', input(), 1)).rejects.toBeInstanceOf(StaleVersionError);
    });
  });
}
