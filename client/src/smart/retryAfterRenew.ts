/**
 * The one rule for a 401 during Write, for the app's own server (the id_token has expired) and for the EHR (the
 * access token has): renew the tokens with the refresh token, then make the call once more with the new tokens. No
 * refresh token, a refused renewal, or a second 401 ends in SessionExpiredError, which the screen turns into the
 * relaunch words. Never a loop: at most one renewal and one retry per call.
 *
 * The caller decides what "once more" is. For the app server it is the same request (its routes are idempotent or
 * were refused before doing anything: a 401 is answered before the handler runs). For an EHR write it is the write's
 * idempotent path (writeback/writeOnce.ts), never a blind resend of a POST.
 */
import { ApiCallError } from '../api/errors';
import { FhirHttpError } from '../fhir/port';
import type { LaunchTokens } from './launchTokens';

export type RenewFailure = 'cannot-renew' | 'renew-refused' | 'refused-after-renew';

/** The sign-in ran out and could not be renewed; `by` says who refused it (the EHR or the app's own server). */
export class SessionExpiredError extends Error {
  constructor(readonly reason: RenewFailure, readonly by: 'ehr' | 'app') {
    super(reason === 'cannot-renew' ? 'the sign-in expired and this launch has no refresh token'
      : reason === 'renew-refused' ? 'the sign-in expired and the EHR refused to renew it'
        : 'the sign-in was refused again after renewing it');
  }
}

export const isUnauthorized = (err: unknown): err is ApiCallError | FhirHttpError =>
  (err instanceof ApiCallError || err instanceof FhirHttpError) && err.status === 401;

/** the EHR refused the token (directly, or when the app server checked the patient with it), or the app server */
const byWhom = (err: ApiCallError | FhirHttpError): 'ehr' | 'app' =>
  err instanceof FhirHttpError || err.code === 'ehr-token-expired' ? 'ehr' : 'app';

/**
 * `call()`; on a 401, renew and `retry()` (default: `call` again) exactly once. Without `tokens` a 401 is passed on
 * unchanged (callers outside a browser launch, e.g. the fault tests, keep today's behaviour).
 */
export async function retryOnceAfterRenew<T>(tokens: LaunchTokens | undefined, call: () => Promise<T>, retry: () => Promise<T> = call): Promise<T> {
  const generation = tokens?.generation ?? 0;
  let by: 'ehr' | 'app';
  try {
    return await call();
  } catch (err) {
    if (!tokens || !isUnauthorized(err)) throw err;
    by = byWhom(err);
    // another call may have renewed while this one was under way: then its tokens are already new
    if (tokens.generation === generation) {
      if (!tokens.canRenew()) throw new SessionExpiredError(tokens.refused ? 'renew-refused' : 'cannot-renew', by);
      if (!(await tokens.renew())) throw new SessionExpiredError('renew-refused', by);
    }
  }
  try {
    return await retry();
  } catch (err) {
    if (isUnauthorized(err)) throw new SessionExpiredError('refused-after-renew', byWhom(err));
    throw err;
  }
}
