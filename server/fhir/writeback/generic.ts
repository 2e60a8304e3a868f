/**
 * Generic SMART R4 servers (and the sandbox's generic mode): the note as UTF-8 plain text, the Claim draft where the
 * CapabilityStatement offers Claim create, and the Provenance. Conditional create on the app identifier.
 * Update: a new DocumentReference that `relatesTo: replaces` the old one, which is then marked `superseded`
 * (FHIR R4 DocumentReference.relatesTo / status), and a new Claim `related` to the prior one, which is cancelled.
 */
import type { VendorModule } from './common.js';

export const genericModule: VendorModule = {
  supersede: 'replace-new',
  finalize(drafts) {
    return { claim: drafts.claim, documentReference: drafts.documentReference, provenance: drafts.provenance };
  },
};
