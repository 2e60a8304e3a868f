/** POST /api/drafts and the write ledger (/api/ledger/…), both with the launch's id_token as bearer. */
import { DraftResponse, type DraftRequest } from '../../../server/contracts/index';
import { apiPost, ApiCallError, type ApiOptions } from './http';
import type { Resource } from '../fhir/types';

export interface Drafts { visitKey: string; claim: Resource; documentReference: Resource; provenance: Resource }

export async function createDrafts(req: DraftRequest, idToken: string, opts: ApiOptions = {}): Promise<Drafts> {
  const res = await apiPost<unknown>('/api/drafts', req, { ...opts, bearer: idToken });
  const parsed = DraftResponse.safeParse(res.body);
  if (!parsed.success) throw new ApiCallError(502, 'bad-response', 'the app server sent drafts the app does not understand');
  return parsed.data as unknown as Drafts;
}

export type LedgerKind = 'documentReference' | 'claim';
export type Reservation = { state: 'new' } | { state: 'pending' | 'done'; resourceId?: string; reservedAt?: string };

export interface LedgerPort {
  reserve(visitKey: string, kind: LedgerKind): Promise<Reservation>;
  complete(visitKey: string, kind: LedgerKind, resourceId: string): Promise<void>;
  /** drops a pending reservation after the EHR definitely refused the write (nothing was created) */
  release?(visitKey: string, kind: LedgerKind): Promise<void>;
}

export function createLedger(ehrBase: string, idToken: string, opts: ApiOptions = {}): LedgerPort {
  const path = (visitKey: string, kind: LedgerKind, step: string) =>
    `/api/ledger/${encodeURIComponent(visitKey)}/${kind}/${step}`;
  return {
    async reserve(visitKey, kind) {
      const res = await apiPost<Reservation>(path(visitKey, kind, 'reserve'), { ehrBase }, { ...opts, bearer: idToken });
      const r = res.body;
      if (!r || !['new', 'pending', 'done'].includes((r as { state?: string }).state ?? '')) {
        throw new ApiCallError(502, 'bad-response', 'the write ledger answered something unexpected');
      }
      return r;
    },
    async complete(visitKey, kind, resourceId) {
      await apiPost<unknown>(path(visitKey, kind, 'complete'), { ehrBase, resourceId }, { ...opts, bearer: idToken });
    },
    async release(visitKey, kind) {
      await apiPost<unknown>(path(visitKey, kind, 'release'), { ehrBase }, { ...opts, bearer: idToken });
    },
  };
}
