/**
 * Write-back shapes shared by server and client, defined once (DESIGN.md "Write-back: one visit, one claim"):
 * the vendor list, the EHR profile, the write ledger and the visit's version history.
 *
 * A visit is patient + service date (+ encounter) on one EHR, never a launch or a user. The server derives its key
 * (an HMAC under a store-held secret, so the identifiers written to the EHR are not guessable keys — and they grant
 * nothing anyway: every step is checked against the signed-in user's launch).
 */
import { z } from 'zod';
import { EHR_VENDORS } from './plain.js';

export { EHR_VENDORS } from './plain.js';
export const EhrVendor = z.enum(EHR_VENDORS);
export type EhrVendor = z.infer<typeof EhrVendor>;

export const EhrProfile = z.object({
  /** stable id, e.g. "sandbox", "sandbox-epic", "epic-prod" */
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: z.string().min(1).max(100),
  vendor: EhrVendor,
  /** exact FHIR base URLs (the `iss` values) this profile accepts; no patterns, no trailing slash */
  issuers: z.array(z.string().url()).min(1),
  /** the client id registered with this EHR */
  clientId: z.string().min(1).max(200),
  /** scopes requested at launch; the app degrades (and says so) when fewer are granted */
  scopes: z.string().min(1).max(2000),
  /** issuers that also act as the admin sign-in (standalone launch with openid fhirUser) */
  adminSignIn: z.boolean().default(false),
}).strict();
export type EhrProfile = z.infer<typeof EhrProfile>;

/** visit keys: 32 lowercase hex characters (HMAC-SHA256, truncated) */
export const VisitKey = z.string().regex(/^[a-f0-9]{32}$/);

export const LedgerKind = z.enum(['documentReference', 'claim', 'provenance']);
export type LedgerKind = z.infer<typeof LedgerKind>;
export const LedgerStep = z.enum(['reserve', 'complete', 'release']);
export type LedgerStep = z.infer<typeof LedgerStep>;
/**
 * The ledger's answer to reserve. 'new': nothing was reserved before — write. 'done': written, reuse resourceId.
 * 'pending': an earlier attempt reserved it; the server (by its own clock) says whether that attempt may still be
 * writing (inProgress: true — write nothing, another window is at it) or its reservation went stale and was just
 * handed to this caller alone (inProgress: false — check the EHR for what the earlier attempt wrote, then write).
 * `attempt` numbers the holder of the reservation (sent back with release, so a stale holder cannot drop it).
 */
export const Reservation = z.union([
  z.object({ state: z.literal('new'), attempt: z.number().int().positive().optional() }),
  z.object({
    state: z.enum(['pending', 'done']), resourceId: z.string().optional(), reservedAt: z.string(),
    inProgress: z.boolean().optional(), attempt: z.number().int().positive().optional(),
  }),
]);
export type Reservation = z.infer<typeof Reservation>;
/** body of POST /api/ledger/:visitKey/:kind/:step */
export const LedgerRequest = z.object({
  version: z.number().int().positive().max(10_000),
  resourceId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/).optional(),
  /**
   * the attempt the caller's reservation was given. release (required): a reservation taken over since is left alone. reserve:
   * the holder keeps its reservation before a write that follows a wait (or learns another window took it over).
   */
  attempt: z.number().int().positive().max(1_000_000).optional(),
}).strict();
export type LedgerRequest = z.infer<typeof LedgerRequest>;

/** One stored version of a visit's drafts, as the clinician's screen and the worklist see it. */
export const VersionState = z.enum([
  'drafted',     // built, not (yet) written: a write is due or in flight
  'written',     // the note (and where planned the Claim) is in the EHR: the worklist's current version
  'note-failed', // the EHR definitely refused the note: nothing was written
  'superseded',  // a later written version replaced it
]);
export type VersionState = z.infer<typeof VersionState>;
/**
 * The writes a version was drafted with (from the plan of the launch that drafted it). A resumed version is finished
 * by this plan, not by the plan of the launch resuming it: the server waits for exactly these steps.
 */
export const DraftedPlan = z.object({
  claimToEhr: z.boolean(),
  provenanceToEhr: z.boolean(),
  /** the earlier version's note is marked superseded (and its Claim cancelled) by the client (generic, replace-new) */
  supersede: z.boolean(),
});
export type DraftedPlan = z.infer<typeof DraftedPlan>;

export const VisitVersion = z.object({
  version: z.number().int().positive(),
  state: VersionState,
  createdAt: z.string(),
  createdBy: z.string(),
  authorDisplay: z.string().optional(),
  writtenAt: z.string().optional(),
  documentReferenceId: z.string().optional(),
  claimId: z.string().optional(),
  codes: z.array(z.string()),
  /** a drafted (unfinished) version: the writes finishing it will make, whatever the resuming launch's own plan */
  plan: DraftedPlan.optional(),
});
export type VisitVersion = z.infer<typeof VisitVersion>;
export const VisitStatus = z.object({
  visitKey: VisitKey,
  /** newest first */
  versions: z.array(VisitVersion),
  /** the version billing works from (the newest written one) */
  current: z.number().int().positive().optional(),
});
export type VisitStatus = z.infer<typeof VisitStatus>;

/** What the client must do to the earlier version's resources when a new version supersedes it. */
export const Supersedes = z.object({
  version: z.number().int().positive(),
  documentReferenceId: z.string().optional(),
  claimId: z.string().optional(),
  /**
   * replace-new: write a new note that `relatesTo: replaces` the old one, then mark the old one superseded (generic).
   * update-in-place: PUT the new content onto the same DocumentReference id (Epic, Oracle: no second note).
   */
  note: z.enum(['replace-new', 'update-in-place']),
});
export type Supersedes = z.infer<typeof Supersedes>;

export const WriteStepPlan = z.object({
  kind: LedgerKind,
  resourceType: z.enum(['DocumentReference', 'Claim', 'Provenance']),
  method: z.enum(['create', 'update']),
  /** send If-None-Exist on the app identifier */
  conditional: z.boolean(),
});
export type WriteStepPlan = z.infer<typeof WriteStepPlan>;


/** POST /api/drafts answer: the vendor-ready resources of one version and how to write them. */
export const DraftsResponse = z.object({
  visitKey: VisitKey,
  version: z.number().int().positive(),
  /** true when an unfinished earlier attempt of this version is handed back to be completed (nothing new built) */
  resumed: z.boolean(),
  vendor: EhrVendor,
  claim: z.record(z.string(), z.unknown()),
  documentReference: z.record(z.string(), z.unknown()),
  /** only for EHRs that accept Provenance (generic); Epic and Oracle Health do not offer a Provenance write */
  provenance: z.record(z.string(), z.unknown()).optional(),
  supersedes: Supersedes.optional(),
  /** the writes this version was drafted with (always sent by the server; a resumed version follows it) */
  plan: DraftedPlan.optional(),
});
export type DraftsResponse = z.infer<typeof DraftsResponse>;

/** POST /api/visits/lookup: which visit this launch is on, and what was written for it. */
export const VisitLookupRequest = z.object({
  patientId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
  serviceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  encounterId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/).optional(),
}).strict();
export type VisitLookupRequest = z.infer<typeof VisitLookupRequest>;

/** The header carrying the launch's EHR access token to the app server (POST /api/drafts, /api/visits/lookup). */
export { EHR_TOKEN_HEADER } from './plain.js';
