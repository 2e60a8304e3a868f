/** The vendor modules: the server's one place for what each EHR takes (DESIGN.md data flow step 5). */
import type { Claim, DocumentReference } from '@medplum/fhirtypes';
import type { EhrVendor, Supersedes } from '../../contracts/index.js';
import { RELATED_CLAIM_SYSTEM, type FinalizeContext, type GenericDrafts, type VendorDrafts, type VendorModule } from './common.js';
import { epicModule } from './epic.js';
import { genericModule } from './generic.js';
import { oracleModule } from './oracle.js';

export { DraftNotBuildableError } from './common.js';
export type { VendorDrafts } from './common.js';

export const VENDOR_MODULES: Readonly<Record<EhrVendor, VendorModule>> = { generic: genericModule, epic: epicModule, oracle: oracleModule };

export function finalizeFor(vendor: EhrVendor, drafts: GenericDrafts, ctx: FinalizeContext): VendorDrafts {
  return VENDOR_MODULES[vendor].finalize(drafts, ctx);
}

/** Marks the new version's resources as taking the place of the earlier version's, as the vendor allows. */
export function applySupersede(drafts: VendorDrafts, s: Supersedes): VendorDrafts {
  if (s.note === 'update-in-place') return drafts; // same id: the EHR keeps the note's history itself
  const documentReference: DocumentReference = s.documentReferenceId
    ? { ...drafts.documentReference, relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${s.documentReferenceId}` } }] }
    : drafts.documentReference;
  const claim: Claim = s.claimId
    ? { ...drafts.claim, related: [{ claim: { reference: `Claim/${s.claimId}` }, relationship: { coding: [{ system: RELATED_CLAIM_SYSTEM, code: 'prior', display: 'Prior Claim' }] } }] }
    : drafts.claim;
  return { ...drafts, documentReference, claim };
}
