/** Store record types (zod where the data crosses the HTTP boundary). */
import { z } from 'zod';
import type { PayerMapping, PayerMappingInput } from '../contracts/index';

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

export const WorklistStatus = z.enum(['draft', 'exported', 'written-to-ehr']);
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
}
export interface WorklistRepository {
  /**
   * Insert, or update claim/codes/serviceDate (and ehr ids when given) of the existing item for this
   * visitKey. createdAt/createdBy stay; status stays unless `status` is given.
   */
  upsert(item: WorklistUpsert): Promise<WorklistItem>;
  list(filter?: { status?: WorklistStatus; limit?: number }): Promise<WorklistItem[]>;
  get(visitKey: string): Promise<WorklistItem | null>;
  /** marks the given items exported (items already written to the EHR keep that status); returns them */
  markExported(visitKeys: string[]): Promise<WorklistItem[]>;
  markWritten(visitKey: string, ids: { ehrClaimId?: string; ehrDocumentReferenceId?: string }): Promise<WorklistItem>;
}

// ---------------------------------------------------------------- write ledger

export type LedgerKind = 'claim' | 'documentReference';
export type Reservation = { state: 'new' } | { state: 'pending' | 'done'; resourceId?: string; reservedAt: string };
export interface LedgerEntry {
  visitKey: string; resourceKind: LedgerKind; ehrBase: string; state: 'pending' | 'done';
  resourceId?: string; createdAt: string; updatedAt: string;
}
export interface WriteLedgerRepository {
  /**
   * Claims the right to write (visitKey, kind) to ehrBase. Exactly one caller ever gets 'new';
   * others get the existing entry: 'pending' (a write is in flight or its outcome is unknown — search
   * the EHR by the app identifier before writing again) or 'done' with the resource id.
   */
  reserve(visitKey: string, kind: LedgerKind, ehrBase: string): Promise<Reservation>;
  complete(visitKey: string, kind: LedgerKind, ehrBase: string, resourceId: string): Promise<void>;
  /** drops a pending reservation after a write that certainly failed (the EHR said 4xx), so a retry may write */
  release(visitKey: string, kind: LedgerKind, ehrBase: string): Promise<void>;
  get(visitKey: string): Promise<LedgerEntry[]>;
}

export interface Repositories {
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
