/** What every vendor module takes and gives (server/fhir/writeback/{generic,epic,oracle}.ts). */
import type { Claim, DocumentReference, Provenance } from '@medplum/fhirtypes';
import type { RecordReferences, Supersedes } from '../../contracts/index.js';

/** A draft the target EHR cannot take as built (e.g. Epic without an encounter). */
export class DraftNotBuildableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftNotBuildableError';
  }
}

export interface GenericDrafts { claim: Claim; documentReference: DocumentReference; provenance: Provenance }
/** vendor-ready: Provenance only where the EHR accepts it */
export interface VendorDrafts { claim: Claim; documentReference: DocumentReference; provenance?: Provenance }
export interface FinalizeContext { now: Date; author: string; references: RecordReferences }

export interface VendorModule {
  finalize(drafts: GenericDrafts, ctx: FinalizeContext): VendorDrafts;
  /** how this EHR lets a new version take the place of the earlier one (what its API allows) */
  readonly supersede: Supersedes['note'];
}

export const RELATED_CLAIM_SYSTEM = 'http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship';
