/**
 * Oracle Health (Cerner Millennium) mode, where its documented behaviour differs (research/anchors.md "Oracle Health"):
 * - the tenant is a path segment: /sandbox/oracle/<tenant>/fhir (any uuid-like tenant);
 * - access tokens last 570 s; online_access brings a refresh token;
 * - no Claim in the Millennium R4 API: Claim writes refused, Claim write scopes not granted;
 * - DocumentReference create: `date` with a time, exactly one `author` who must be the signed-in provider,
 *   content types text/plain, application/pdf, application/xhtml+xml, text/html (and text/rtf);
 * - no conditional create documented: `If-None-Exist` is ignored; no batch/transaction at the base.
 */
import { withoutWrite } from '../scopes.js';
import { mediaType, refusal, type VendorMode } from './types.js';

const WRITABLE = new Set(['DocumentReference']);
const CONTENT_TYPES = new Set(['text/plain', 'application/pdf', 'application/xhtml+xml', 'text/html', 'text/rtf']);
export const TENANT_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Oracle's public sandbox tenant, used for the home page's launch links. */
export const DEFAULT_TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';

export const oracleMode: VendorMode = {
  id: 'oracle',
  label: 'Oracle Health mode',
  accessTokenSeconds: 570,
  needPatientBanner: false,
  conditionalCreate: false,
  transactions: false,
  writableTypes: WRITABLE,
  refuseWrite: (resourceType) => ({
    status: 403,
    message: `${resourceType} create/update is not supported by the Oracle Health Millennium R4 API (sandbox Oracle mode)`,
  }),
  adjustScope: (scope) => (scope.resourceType === '*' || WRITABLE.has(scope.resourceType) ? scope.raw : withoutWrite(scope)),
  async checkWrite({ resource, userRef }) {
    if (resource.resourceType !== 'DocumentReference') return { ok: true, resource };
    // R4 types DocumentReference.date as instant (validation already rejects a bare date); Oracle also requires it.
    if (!resource.date || !/T\d{2}:\d{2}/.test(resource.date)) {
      return refusal(400, 'Oracle mode: DocumentReference.date is required and must carry a time (e.g. 2026-11-20T10:30:00Z)', 'required');
    }
    const authors = resource.author ?? [];
    if (authors.length !== 1) return refusal(400, 'Oracle mode: exactly one author is required for provider access');
    if (userRef && authors[0]!.reference !== userRef) {
      return refusal(403, `Oracle mode: the author must be the signed-in provider (${userRef})`, 'forbidden');
    }
    const contents = resource.content ?? [];
    for (const c of contents) {
      if (!CONTENT_TYPES.has(mediaType(c.attachment?.contentType))) {
        return refusal(400, `Oracle mode: content type ${c.attachment?.contentType ?? '(none)'} is not accepted; use text/plain, application/pdf, application/xhtml+xml or text/html`);
      }
    }
    return { ok: true, resource };
  },
};
