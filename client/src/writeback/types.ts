/** One write-back interface, one adapter per EHR vendor (generic SMART, Epic, Oracle Health). */
import type { Drafts, LedgerKind, LedgerPort } from '../api/drafts';
import type { FhirPort } from '../fhir/port';
import type { GrantedScopes } from '../smart/scopes';
import type { Capability } from './capability';

export interface PlanStep {
  kind: LedgerKind;
  resourceType: 'DocumentReference' | 'Claim';
  /** what the clinician is told, e.g. "DocumentReference (note for signature)" */
  label: string;
  conditionalCreate: boolean;
}

export interface Plan {
  vendor: 'generic' | 'epic' | 'oracle';
  steps: PlanStep[];
  /** the Claim draft stays in the app's billing worklist (always true when no Claim step) */
  claimInWorklistOnly: boolean;
  /** why the Claim is not written to the EHR, in words */
  claimReason?: string;
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
}

export interface WrittenResource { resourceType: 'DocumentReference' | 'Claim'; id: string; reused: boolean }
export interface WriteResult { visitKey: string; written: WrittenResource[]; claimInWorklist: boolean }

export interface WriteBackAdapter {
  readonly vendor: Plan['vendor'];
  describe(cap: Capability, grantedScopes: GrantedScopes, launch: { encounterId?: string }): Plan;
  write(drafts: Drafts, ctx: WriteContext): Promise<WriteResult>;
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
