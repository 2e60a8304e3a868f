/**
 * Epic mode, where Epic's documented behaviour differs (research/anchors.md "Epic"):
 * - no provider-side Claim create (only Da Vinci PAS $submit): writes to Claim are refused, Claim write scopes are
 *   not granted;
 * - DocumentReference.Create (Clinical Notes): text/plain base64 only, `context.encounter` required (an existing
 *   encounter of the same patient), only the first attachment is saved;
 * - no conditional create: `If-None-Exist` is ignored, so a replay makes a duplicate;
 * - no batch/transaction at the base;
 * - embedded display: the EHR shows its own banner (need_patient_banner false);
 * - searchsets carry Epic's warnings as OperationOutcome entries (search.mode "outcome", details coded in Epic's
 *   OID 1.2.840.114350.1.13.0.1.7.2.657369): 4101 when nothing matched, 59204 when a Condition search without a
 *   category leaves out sub-types the client is not authorized for (as public Epic integration code shows).
 */
import type { Encounter, OperationOutcome } from '@medplum/fhirtypes';
import { withoutWrite } from '../scopes.js';
import { mediaType, refusal, type VendorMode } from './types.js';

const WRITABLE = new Set(['DocumentReference']);
const EPIC_OUTCOME_OID = 'urn:oid:1.2.840.114350.1.13.0.1.7.2.657369';

function epicWarning(code: string, issueCode: 'informational' | 'suppressed', text: string, diagnostics?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'warning', code: issueCode, details: { coding: [{ system: EPIC_OUTCOME_OID, code, display: text }], text }, ...(diagnostics ? { diagnostics } : {}) }],
  };
}

export const epicMode: VendorMode = {
  id: 'epic',
  label: 'Epic mode',
  accessTokenSeconds: 3600,
  needPatientBanner: false,
  conditionalCreate: false,
  transactions: false,
  writableTypes: WRITABLE,
  refuseWrite: (resourceType) => ({
    status: 403,
    message: `${resourceType} create/update is not available to this client in Epic mode (Epic offers no provider-side ${resourceType} write)`,
  }),
  adjustScope: (scope) => (scope.resourceType === '*' || WRITABLE.has(scope.resourceType) ? scope.raw : withoutWrite(scope)),
  searchOutcomes({ resourceType, query, matches }) {
    const out: OperationOutcome[] = [];
    if (resourceType === 'Condition' && !query.has('category')) {
      out.push(epicWarning('59204', 'suppressed', "The authenticated client's search request applies to a sub-resource that the client is not authorized for. Results of this sub-type will not be returned.",
        'Client not authorized for Condition - Health Concerns'));
    }
    if (matches === 0) out.push(epicWarning('4101', 'informational', 'Resource request returns no results.'));
    return out;
  },
  async checkWrite({ resource, repo, patientId }) {
    if (resource.resourceType !== 'DocumentReference') return { ok: true, resource };
    const first = resource.content?.[0]?.attachment;
    if (!first || mediaType(first.contentType) !== 'text/plain' || !first.data) {
      return refusal(400, 'Epic mode: DocumentReference content must be a text/plain attachment with base64 data');
    }
    const encRef = resource.context?.encounter?.[0]?.reference;
    if (!encRef) return refusal(400, 'Epic mode: DocumentReference.context.encounter is required', 'required');
    const m = /^Encounter\/([A-Za-z0-9\-.]{1,64})$/.exec(encRef);
    let encounter: Encounter | undefined;
    if (m) encounter = await repo.readResource<Encounter>('Encounter', m[1]!).catch(() => undefined);
    if (!encounter) return refusal(400, `Epic mode: context.encounter ${encRef} is not an existing Encounter`);
    const subject = resource.subject?.reference;
    if (encounter.subject?.reference !== subject || (patientId && subject !== `Patient/${patientId}`)) {
      return refusal(400, 'Epic mode: context.encounter must belong to the same patient as the note');
    }
    // Epic only saves the first attachment.
    return { ok: true, resource: { ...resource, content: [resource.content![0]!] } };
  },
};
