/**
 * Administrator sign-in through the EHR: a SMART standalone launch asking only for "openid fhirUser".
 * Browser-only (fhirclient redirects the window); the pure parts live in session.ts.
 */
import { FHIR } from '../../../launch/fhirclientPure';
import type { EhrProfileInfo } from './session.js';
import { sessionFromIdToken, stripAuthParams, type AdminSession } from './session.js';
import { strings } from './strings.js';

export const ADMIN_SCOPE = 'openid fhirUser';

/** Redirects to the EHR's authorize endpoint; resolves only if the redirect did not happen. */
export async function startSignIn(profile: EhrProfileInfo): Promise<void> {
  await FHIR.oauth2.authorize({
    iss: profile.issuers[0],
    clientId: profile.clientId,
    scope: ADMIN_SCOPE,
    redirectUri: '/admin',
    pkceMode: 'required',
    // inside an EHR frame, finish in the frame rather than in the parent window
    completeInTarget: true,
  });
}

/** On return to /admin with code/state: exchange the code, keep the id_token, clean the URL. */
export async function completeSignIn(): Promise<AdminSession> {
  const params = new URLSearchParams(window.location.search);
  const error = params.get('error');
  try {
    if (error) throw new Error(params.get('error_description') ?? error);
    const client = await FHIR.oauth2.ready();
    const idToken = client.state.tokenResponse?.id_token;
    if (!idToken) throw new Error(strings.noIdToken);
    return sessionFromIdToken(idToken);
  } finally {
    window.history.replaceState(window.history.state, '', stripAuthParams(window.location.href));
  }
}
