/**
 * POST /api/drafts, /api/visits/lookup and the write ledger (/api/ledger/…): the launch's id_token as bearer and its
 * EHR access token in x-ehr-access-token (the server asks the EHR itself whether this launch may read the patient).
 */
import type { DraftRequest, DraftsResponse, LedgerKind, Reservation, VisitLookupRequest, VisitStatus } from '../../../server/contracts/index';
import { EHR_TOKEN_HEADER } from '../../../server/contracts/plain';
import { apiPost, ApiCallError, type ApiOptions } from './http';

export type Drafts = DraftsResponse;
export type { LedgerKind, Reservation } from '../../../server/contracts/index';

export interface LaunchCredentials { idToken: string; accessToken: string }
/** the credentials, or a function read at each request (so a retry after renewing the tokens sends the new ones) */
export type CredentialSource = LaunchCredentials | (() => LaunchCredentials);
const auth = (source: CredentialSource, opts: ApiOptions): ApiOptions => {
  const c = typeof source === 'function' ? source() : source;
  return { ...opts, bearer: c.idToken, headers: { ...opts.headers, [EHR_TOKEN_HEADER]: c.accessToken } };
};

export async function createDrafts(req: DraftRequest, creds: CredentialSource, opts: ApiOptions = {}): Promise<Drafts> {
  const res = await apiPost<unknown>('/api/drafts', req, auth(creds, opts));
  const parsed = (await import('./schemas')).DraftsResponse.safeParse(res.body);
  if (!parsed.success) throw new ApiCallError(502, 'bad-response', 'the app server sent drafts the app does not understand');
  return parsed.data;
}

export async function lookupVisit(req: VisitLookupRequest, creds: CredentialSource, opts: ApiOptions = {}): Promise<VisitStatus> {
  const res = await apiPost<unknown>('/api/visits/lookup', req, auth(creds, opts));
  const parsed = (await import('./schemas')).VisitStatus.safeParse(res.body);
  if (!parsed.success) throw new ApiCallError(502, 'bad-response', 'the app server sent a visit status the app does not understand');
  return parsed.data;
}

export interface LedgerPort {
  /** with `attempt` (the one reserve gave): the holder keeps its reservation before a write that follows a wait */
  reserve(visitKey: string, version: number, kind: LedgerKind, attempt?: number): Promise<Reservation>;
  /** idempotent: completing again with the same id changes nothing */
  complete(visitKey: string, version: number, kind: LedgerKind, resourceId: string): Promise<void>;
  /**
   * drops a pending reservation after the EHR definitely refused the write (nothing was created); `attempt` is the
   * one reserve gave, so a reservation another window took over since is left alone
   */
  release(visitKey: string, version: number, kind: LedgerKind, attempt?: number): Promise<void>;
  /** the earlier version's resources were marked superseded in the EHR */
  superseded(visitKey: string, version: number): Promise<void>;
}

export function createLedger(creds: CredentialSource, opts: ApiOptions = {}): LedgerPort {
  const path = (visitKey: string, kind: LedgerKind, step: string) => `/api/ledger/${encodeURIComponent(visitKey)}/${kind}/${step}`;
  return {
    async reserve(visitKey, version, kind, attempt) {
      const res = await apiPost<unknown>(path(visitKey, kind, 'reserve'), { version, ...(attempt ? { attempt } : {}) }, auth(creds, opts));
      const r = (await import('./schemas')).Reservation.safeParse(res.body);
      if (!r.success) throw new ApiCallError(502, 'bad-response', 'the write ledger answered something unexpected');
      return r.data;
    },
    async complete(visitKey, version, kind, resourceId) {
      await apiPost<unknown>(path(visitKey, kind, 'complete'), { version, resourceId }, auth(creds, opts));
    },
    async release(visitKey, version, kind, attempt) {
      await apiPost<unknown>(path(visitKey, kind, 'release'), { version, ...(attempt ? { attempt } : {}) }, auth(creds, opts));
    },
    async superseded(visitKey, version) {
      await apiPost<unknown>(`/api/visits/${encodeURIComponent(visitKey)}/versions/${version}/superseded`, {}, auth(creds, opts));
    },
  };
}
