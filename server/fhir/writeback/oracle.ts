/**
 * Oracle Health (Millennium R4 DocumentReference create): PDF/XHTML/plain text, every date with a time, exactly one
 * `author` who must be the signed-in provider. No Claim in the R4 API and no Provenance write: the Claim stays in the
 * worklist. No conditional create is documented: the ledger prevents copies.
 * Update: Millennium documents `PUT /DocumentReference/{id}` (If-Match required, one content entry, provider access:
 * the single author must be the authorized provider), so a new version replaces the note's content in place.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import { DraftNotBuildableError, type VendorModule } from './common.js';

export const oracleModule: VendorModule = {
  supersede: 'update-in-place',
  finalize(drafts, ctx) {
    if (!/^Practitioner\//.test(ctx.author)) {
      throw new DraftNotBuildableError('Oracle Health takes one author, the signed-in provider (a Practitioner), and the signed-in user is not one.');
    }
    const now = ctx.now.toISOString();
    const doc = drafts.documentReference;
    const documentReference: DocumentReference = {
      ...doc,
      date: doc.date && doc.date.length > 10 ? doc.date : now,
      author: [{ reference: ctx.author }],
      content: [{ attachment: { ...doc.content[0]!.attachment, contentType: 'text/plain', creation: now } }],
    };
    return { claim: drafts.claim, documentReference };
  },
};
