/**
 * Epic mode, where Epic's documented behaviour differs (research/anchors.md "Epic"):
 * - no provider-side Claim create (only Da Vinci PAS $submit): writes to Claim are refused, Claim write scopes are
 *   not granted;
 * - DocumentReference.Create (Clinical Notes): text/plain base64 only, `context.encounter` required (an existing
 *   encounter of the same patient), only the first attachment is saved;
 * - no conditional create: `If-None-Exist` is ignored, so a replay makes a duplicate;
 * - no batch/transaction at the base;
 * - embedded display: the EHR shows its own banner (need_patient_banner false).
 */
import type { Encounter } from '@medplum/fhirtypes';
import { withoutWrite } from '../scopes.js';
import { mediaType, refusal, type VendorMode } from './types.js';

const WRITABLE = new Set(['DocumentReference']);

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
