/** The write-back plan (said before the click) and the write's context and result. Shapes shared with the server live in server/contracts/writeback.ts. */
import type { EhrVendor, LedgerKind } from '../../../server/contracts/index';
import type { LedgerPort } from '../api/drafts';
import type { FhirPort } from '../fhir/port';
import type { LaunchTokens } from '../smart/launchTokens';

export interface PlanStep {
  kind: LedgerKind;
  resourceType: 'DocumentReference' | 'Claim' | 'Provenance';
  /** what the clinician is told, e.g. "DocumentReference (note for signature)" */
  label: string;
  conditionalCreate: boolean;
}

export interface Plan {
  vendor: EhrVendor;
  steps: PlanStep[];
  /** the Claim draft stays in the app's billing worklist (always true when no Claim step) */
  claimInWorklistOnly: boolean;
  /** why the Claim is not written to the EHR, in words */
  claimReason?: string;
  /** a Provenance is written to the EHR (only where it accepts one) */
  provenanceToEhr: boolean;
  /** an update can mark the earlier note superseded (generic) or replace it in place (Epic, Oracle) */
  canUpdate: boolean;
  /** what Update will do to the earlier version, in words */
  updateSummary: string;
  /** set when nothing can be written: the reason, in words */
  blocked?: string;
  /** one sentence for the screen: "Will write: …" */
  summary: string;
}

export interface WriteContext {
  fhir: FhirPort;
  ledger: LedgerPort;
  plan: Plan;
  patientId: string;
  encounterId?: string;
  /** the signed-in user, e.g. "Practitioner/123" (relative) */
  fhirUser?: string;
  /** the launch's tokens: an EHR write answered 401 is retried once after renewing them (smart/retryAfterRenew.ts) */
  tokens?: LaunchTokens;
}

export interface WrittenResource { resourceType: 'DocumentReference' | 'Claim' | 'Provenance'; id: string; reused: boolean }
export interface WriteResult {
  visitKey: string; version: number; written: WrittenResource[]; claimInWorklist: boolean;
  /** the earlier version's note/Claim were marked superseded/cancelled (or replaced in place) */
  superseded?: number;
  /** an unfinished earlier write of this version was completed instead of building a new one */
  resumed: boolean;
}

/** The written-twice guard could not tell whether an earlier attempt reached the EHR. */
export class WriteUncertainError extends Error {
  constructor(readonly resourceType: string) { super(`an earlier ${resourceType} write may have reached the EHR`); }
}
/** Another click or tab reserved this write moments ago and may still be writing: wait rather than race it. */
export class WriteInProgressError extends Error {
  constructor(readonly resourceType: string) { super(`a ${resourceType} write for this visit is in progress`); }
}
/** The drafts do not point at the launch's patient: never written. */
export class WrongPatientError extends Error { constructor() { super('the drafts are for another patient than this launch'); } }
export class PlanBlockedError extends Error {}
/** The launch has no id_token (or access token) to sign the drafts with: the EHR did not say who the user is. */
export class NoIdTokenError extends Error { constructor() { super('the launch has no id_token and access token to sign the drafts with'); } }
