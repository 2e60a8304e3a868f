/**
 * Epic (Clinical Notes create, DocumentReference.Create R4): text/plain only, the first attachment only, the encounter
 * required (context.encounter), `docStatus: preliminary` so the note waits for the clinician's signature. No conditional
 * create or delete, no provider-side Claim create, no Provenance write: the Claim stays in the worklist and the app's
 * ledger (with a search by identifier) keeps retries from making copies.
 * Update: the preliminary note is updated in place (PUT on the same DocumentReference id) so there is never a second
 * note; once the clinician signed it, Epic refuses the change and the clinician amends it in Epic.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import { DraftNotBuildableError, type VendorModule } from './common.js';

export const epicModule: VendorModule = {
  supersede: 'update-in-place',
  finalize(drafts, ctx) {
    if (!ctx.references.encounter) {
      throw new DraftNotBuildableError('Epic files a clinical note only against an encounter (context.encounter), and this launch has none: open the app from the visit\'s encounter.');
    }
    const first = drafts.documentReference.content[0]!.attachment;
    const documentReference: DocumentReference = {
      ...drafts.documentReference,
      docStatus: 'preliminary',
      content: [{ attachment: { ...first, contentType: 'text/plain' } }],
      context: { ...drafts.documentReference.context, encounter: [{ reference: ctx.references.encounter }] },
    };
    return { claim: drafts.claim, documentReference };
  },
};
