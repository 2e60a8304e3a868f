/**
 * One press of Write: the drafts from the app's server, then the ordered EHR writes through the ledger. Every call
 * reads the launch's tokens when it is sent, and a 401 from either side is renewed and retried once
 * (smart/retryAfterRenew.ts) — so an id_token or access token that expired while the clinician reviewed does not
 * end the Write.
 *
 * Why a retry is safe here: the app server answers 401 before any handler runs (no version made, nothing reserved),
 * and its steps are idempotent anyway (the same drafts again are the same version; complete/release repeat as no-ops).
 * EHR writes are retried by writeOnce under the reservation they hold, by conditional create or search-then-create.
 */
import type { DraftRequest } from '../../../server/contracts/index';
import { createDrafts, createLedger, type LaunchCredentials, type LedgerPort } from '../api/drafts';
import type { FhirPort } from '../fhir/port';
import type { LaunchTokens } from '../smart/launchTokens';
import { retryOnceAfterRenew } from '../smart/retryAfterRenew';
import { writeDrafts } from './adapters';
import { NoIdTokenError, type Plan, type WriteResult } from './types';

export interface WriteVisitContext {
  tokens: LaunchTokens;
  fhir: FhirPort;
  plan: Plan;
  patientId: string;
  encounterId?: string;
  fhirUser: string;
}

/** renew before Write when the access token has less than this left (seconds) */
export const RENEW_AHEAD_S = 60;

function both(tokens: LaunchTokens): LaunchCredentials {
  const c = tokens.current();
  if (!c.idToken || !c.accessToken) throw new NoIdTokenError();
  return { idToken: c.idToken, accessToken: c.accessToken };
}

/** every ledger step renewed and retried once on 401 (each is answered 401 before it changes anything) */
function renewingLedger(ledger: LedgerPort, tokens: LaunchTokens): LedgerPort {
  return {
    reserve: (...a) => retryOnceAfterRenew(tokens, () => ledger.reserve(...a)),
    complete: (...a) => retryOnceAfterRenew(tokens, () => ledger.complete(...a)),
    release: (...a) => retryOnceAfterRenew(tokens, () => ledger.release(...a)),
    superseded: (...a) => retryOnceAfterRenew(tokens, () => ledger.superseded(...a)),
  };
}

export async function writeVisit(request: DraftRequest, ctx: WriteVisitContext): Promise<WriteResult> {
  const { tokens } = ctx;
  // an access token the EHR said is about to expire is renewed first (the app server proves the patient with it):
  // one round trip instead of a refused call and a retry
  if (tokens.canRenew() && tokens.expiresWithin(RENEW_AHEAD_S)) await tokens.renew();
  // The server grants this launch's user the visit bound to the EHR access token the drafts call carries (a hash of
  // it). The ledger steps send that same access token even if the EHR's is renewed during the writes, and always the
  // current id_token (the app server's sign-in).
  let grant = both(tokens).accessToken;
  const draftCreds = () => { const c = both(tokens); grant = c.accessToken; return c; };
  const drafts = await retryOnceAfterRenew(tokens, () => createDrafts(request, draftCreds));
  const ledger = renewingLedger(createLedger(() => ({ idToken: both(tokens).idToken, accessToken: grant })), tokens);
  return writeDrafts(drafts, {
    fhir: ctx.fhir, ledger, plan: ctx.plan, tokens,
    patientId: ctx.patientId, fhirUser: ctx.fhirUser,
    ...(ctx.encounterId ? { encounterId: ctx.encounterId } : {}),
  });
}
