/** Store record types (zod where the data crosses the HTTP boundary). */
import { z } from 'zod';
import type { PayerMapping, PayerMappingInput } from '../contracts/index';
import type { DraftedPlan, EhrVendor, LedgerKind, Reservation, Supersedes, VersionState } from '../contracts/writeback';

// ---------------------------------------------------------------- errors

/** update/delete with an If-Match version that is no longer current (HTTP 412). */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(readonly current: PayerMapping, readonly expectedVersion: number) {
    super(`mapping ${current.id} is at version ${current.version}, not ${expectedVersion}: someone else changed it`);
  }
}
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly entity: string, readonly id: string) { super(`${entity} ${id} not found`); }
}
/** create with an id that already exists (HTTP 409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(message: string) { super(message); }
}

// ---------------------------------------------------------------- mappings

export interface MappingRepository {
  list(): Promise<PayerMapping[]>;
  get(id: string): Promise<PayerMapping | null>;
  /** version 1; id = a random uuid unless given. Throws ConflictError when the id exists. */
  create(input: PayerMappingInput, id?: string): Promise<PayerMapping>;
  /** throws StaleVersionError (carrying the current row) when expectedVersion is not current; NotFoundError when gone */
  update(id: string, input: PayerMappingInput, expectedVersion: number): Promise<PayerMapping>;
  /** returns the deleted row; StaleVersionError / NotFoundError as update */
  delete(id: string, expectedVersion: number): Promise<PayerMapping>;
  /**
   * Import: replaces every mapping in one transaction (all or nothing). Rows keep their id; each gets
   * version = (previous version of that id, if any) + 1, or 1, so stale ETags held by other admins fail.
   */
  replaceAll(mappings: (PayerMappingInput & { id?: string })[]): Promise<PayerMapping[]>;
  /** installs the defaults when the table is empty (first start); returns true when it did */
  /**
   * Installs the defaults on the store's first start only (true when it did). Later starts never reinstall them,
   * even when an administrator has removed every mapping.
   */
  installDefaultsOnFirstStart(defaults: (PayerMappingInput & { id?: string })[]): Promise<boolean>;
  /** a counter that moves with every committed mapping change (cheap per-evaluation freshness check) */
  changeCount(): Promise<number>;
}

// ---------------------------------------------------------------- audit

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string;
  patientId?: string;
  resourceIds?: string[];
  codes?: string[];
  before?: unknown;
  after?: unknown;
}
export interface AuditEntry extends AuditInput { id: number; at: string }
export interface AuditQuery { action?: string; actor?: string; entityType?: string; since?: string; limit: number }
export interface AuditRepository {
  record(entry: AuditInput): Promise<AuditEntry>;
  /** newest first */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- worklist

/** note-failed: the EHR refused the visit's note, so nothing is billable yet (shown, never exported by default) */
export const WorklistStatus = z.enum(['draft', 'exported', 'written-to-ehr', 'note-failed']);
export type WorklistStatus = z.infer<typeof WorklistStatus>;
export const WorklistCode = z.object({
  code: z.string().min(1).max(20),
  system: z.enum(['CPT', 'HCPCS']).optional(),
  modifiers: z.array(z.string().max(4)).max(4).optional(),
  units: z.number().int().positive().optional(),
});
export type WorklistCode = z.infer<typeof WorklistCode>;

export const WorklistUpsert = z.object({
  visitKey: z.string().min(1).max(200),
  launchId: z.string().min(1).max(128),
  /** a FHIR logical id or "Patient/<id>" reference — never a name */
  patientId: z.string().min(1).max(200),
  serviceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  claim: z.record(z.string(), z.unknown()),
  codes: z.array(WorklistCode).max(50),
  status: WorklistStatus.optional(),
  ehrClaimId: z.string().max(200).optional(),
  ehrDocumentReferenceId: z.string().max(200).optional(),
  /** fhirUser of the clinician who confirmed it */
  createdBy: z.string().min(1).max(500),
});
export type WorklistUpsert = z.infer<typeof WorklistUpsert>;

export interface WorklistItem {
  visitKey: string; launchId: string; patientId: string; serviceDate?: string;
  claim: Record<string, unknown>;
  status: WorklistStatus;
  ehrClaimId?: string; ehrDocumentReferenceId?: string;
  codes: WorklistCode[];
  createdAt: string; updatedAt: string; createdBy: string;
  /** the written version billing works from, and how many versions the visit has */
  currentVersion?: number; versionCount?: number;
  /** the version last exported; differs from currentVersion when the visit changed after export */
  exportedVersion?: number; changedAfterExport?: boolean;
  noteStatus?: 'written' | 'failed';
  payer?: string;
  /** as the EHR gave them; billing users only, never logged or audited */
  patientName?: string; patientMrn?: string;
  ehrBase?: string;
}
export interface WorklistPage { items: WorklistItem[]; total: number }
export interface WorklistRepository {
  /**
   * Insert, or update claim/codes/serviceDate (and ehr ids when given) of the existing item for this
   * visitKey. createdAt/createdBy stay; status stays unless `status` is given.
   */
  upsert(item: WorklistUpsert): Promise<WorklistItem>;
  /** one page, newest first, with the total the filter matches */
  page(filter: { status?: WorklistStatus; limit: number; offset: number }): Promise<WorklistPage>;
  get(visitKey: string): Promise<WorklistItem | null>;
  /** marks the given items exported (items already written to the EHR keep that status); returns them */
  markExported(visitKeys: string[]): Promise<WorklistItem[]>;
}

// ---------------------------------------------------------------- write ledger

export type { LedgerKind, Reservation } from '../contracts/writeback';
export interface LedgerEntry {
  visitKey: string; resourceKind: LedgerKind; ehrBase: string; version: number; state: 'pending' | 'done';
  resourceId?: string; createdAt: string; updatedAt: string;
}
/** How long a pending reservation counts as a write still in flight (the client's FHIR timeout is 15 s). */
export const IN_PROGRESS_MS = 30_000;

export interface WriteLedgerRepository {
  /**
   * Claims the right to write (visitKey, kind) to ehrBase. Exactly one caller ever gets 'new'. Others get the
   * existing entry: 'done' with the resource id, or 'pending' — inProgress: true while the reservation is younger
   * than `inProgressMs` by the database's clock (another attempt may be writing: do not write), inProgress: false to
   * exactly one caller once it is older (taken over by compare-and-set, attempt + 1: search the EHR by the app
   * identifier for what the earlier attempt wrote before writing again). With `attempt`, the holder of that attempt
   * keeps its reservation (reserved_at = now) and is answered inProgress: false with the same attempt; when it no
   * longer holds it, the answer is as to anyone.
   */
  reserve(visitKey: string, kind: LedgerKind, ehrBase: string, version?: number, inProgressMs?: number, attempt?: number): Promise<Reservation>;
  /** idempotent with the same id; a different id for a 'done' entry is refused (LedgerConflictError) */
  complete(visitKey: string, kind: LedgerKind, ehrBase: string, resourceId: string, version?: number): Promise<void>;
  /**
   * drops a pending reservation after a write that certainly failed (the EHR said 4xx), so a retry may write; only
   * when `attempt` (the number its reserve answered) still holds it: a holder taken over since cannot free it
   */
  release(visitKey: string, kind: LedgerKind, ehrBase: string, version: number, attempt: number): Promise<void>;
  get(visitKey: string): Promise<LedgerEntry[]>;
}

/** a ledger entry already done with another resource id (a forged or confused completion) */
export class LedgerConflictError extends Error {
  override readonly name = 'LedgerConflictError';
  constructor(message: string) { super(message); }
}

// ---------------------------------------------------------------- visits and their versions

export interface Visit { visitKey: string; ehrBase: string; patientId: string; serviceDate: string; encounterId?: string }
export interface StoredVersion {
  visitKey: string; version: number; state: VersionState; vendor: EhrVendor;
  drafts: { claim: Record<string, unknown>; documentReference: Record<string, unknown>; provenance?: Record<string, unknown>; supersedes?: Supersedes;
    /** hash of what was reviewed (facts, lines, checklist, author): the same review again is this version */
    fingerprint?: string;
    /** the writes planned when it was drafted (absent on versions drafted before it was kept) */
    plan?: DraftedPlan };
  codes: WorklistCode[]; claimToEhr: boolean; supersedesVersion?: number; supersedeDone: boolean;
  createdBy: string; authorDisplay?: string; createdAt: string; writtenAt?: string;
  ehrDocumentReferenceId?: string; ehrClaimId?: string;
}
export interface NewVersion extends Omit<StoredVersion, 'state' | 'createdAt' | 'writtenAt' | 'ehrDocumentReferenceId' | 'ehrClaimId' | 'supersedeDone'> {}
/** what the worklist row shows besides the Claim (from the EHR's Patient and the facts) */
export interface WorklistDisplay { payer?: string; patientName?: string; patientMrn?: string }
export interface VisitRepository {
  /** the HMAC secret behind visit keys: made once per store, shared by every instance */
  secret(): Promise<string>;
  ensure(visit: Visit): Promise<Visit>;
  grant(g: { visitKey: string; iss: string; sub: string; fhirUser: string; expiresAt: Date }): Promise<void>;
  /** the visit when (iss, sub) holds an unexpired grant for it */
  granted(visitKey: string, iss: string, sub: string): Promise<Visit | null>;
  versions(visitKey: string): Promise<StoredVersion[]>;
  version(visitKey: string, version: number): Promise<StoredVersion | null>;
  /** inserts version v.version; false when that number exists already (a concurrent draft won) */
  insertVersion(v: NewVersion, display: WorklistDisplay): Promise<boolean>;
  /**
   * One transaction: ledger entry done, the version updated, the worklist row made or moved to this version
   * (an earlier current version becomes superseded). Idempotent: repeating it changes nothing.
   */
  completeStep(visitKey: string, version: number, kind: LedgerKind, ehrBase: string, resourceId: string): Promise<void>;
  /** the EHR refused the note: the version is note-failed, its reservation dropped, the worklist shows it */
  noteFailed(visitKey: string, version: number, kind: LedgerKind, ehrBase: string, attempt: number): Promise<void>;
  markSupersedeDone(visitKey: string, version: number): Promise<void>;
}

export interface Repositories {
  visits: VisitRepository;
  mappings: MappingRepository;
  audit: AuditRepository;
  worklist: WorklistRepository;
  ledger: WriteLedgerRepository;
}
export interface Store extends Repositories {
  /** runs fn with repositories bound to one transaction (e.g. a mapping change and its audit entry) */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  readonly driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}
