/**
 * Finishes the SMART launch in the browser. State is keyed by launch: the state key comes from the URL on the
 * redirect and from history.state on a reload (per tab and per frame), never from the shared SMART_KEY slot,
 * so two launches in two frames or tabs never mix. After ready(), code and state leave the URL.
 */
import { FHIR } from '../../../launch/fhirclientPure';
import type Client from 'fhirclient/lib/Client';
import { validateTokenResponse, type TokenResponse, fhirUserFromIdToken, relativeReference } from './tokenResponse';
import { launchWords, type Words } from '../errors';
import { forgetCodeVerifier, HISTORY_KEY } from './launchState';
import { mark } from '../metrics';
import { launchTokens, type LaunchTokens } from './launchTokens';
import { visitTag } from '../review/workStore';

export { clearLaunchState } from './launchState';

export interface Launch {
  client: Client;
  token: TokenResponse;
  /** the fhirclient state key: the launch id the server keys drafts and the ledger by */
  stateKey: string;
  serverUrl: string;
  /** the signed-in user, relative ("Practitioner/123") */
  fhirUser?: string;
  /** the tokens as they are now (renewed with the refresh token on a 401); `token` above is the launch's first answer */
  tokens: LaunchTokens;
  /** the visit's tag for the kept work (review/workStore.ts): a relaunch of the same visit takes the work up */
  workTag?: string;
}

export type LaunchOutcome = { ok: true; launch: Launch } | { ok: false; words: Words };

function cleanUrl(stateKey: string | undefined): void {
  const url = new URL(location.href);
  for (const p of ['code', 'state', 'session_state', 'error', 'error_description', 'iss']) url.searchParams.delete(p);
  history.replaceState(stateKey ? { [HISTORY_KEY]: stateKey } : null, '', url.pathname + url.search + url.hash);
}

export async function completeLaunch(): Promise<LaunchOutcome> {
  FHIR.oauth2.settings.fullSessionStorageSupport = false;
  FHIR.oauth2.settings.replaceBrowserHistory = false;
  const params = new URLSearchParams(location.search);
  const fromHistory = (history.state as Record<string, unknown> | null)?.[HISTORY_KEY];
  const stateKey = params.get('state') ?? (typeof fromHistory === 'string' ? fromHistory : undefined);
  if (!stateKey || !sessionStorage.getItem(stateKey)) {
    cleanUrl(undefined);
    return { ok: false, words: launchWords.noState };
  }
  let client: Client;
  try {
    client = await FHIR.oauth2.ready({ stateKey });
  } catch (err) {
    cleanUrl(undefined);
    sessionStorage.removeItem(stateKey);
    return { ok: false, words: launchWords.authFailed(String((err as Error).message ?? err).slice(0, 200)) };
  }
  mark('token');
  cleanUrl(stateKey);
  forgetCodeVerifier(stateKey);
  const check = validateTokenResponse(client.state.tokenResponse);
  if (!check.ok) return { ok: false, words: check.reason === 'no-patient' ? launchWords.noPatient : launchWords.badToken(check.detail) };
  const user = fhirUserFromIdToken(check.token.id_token);
  const serverUrl = client.state.serverUrl.replace(/\/+$/, '');
  const fhirUser = user ? relativeReference(user) : undefined;
  const workTag = await visitTag({ ehr: serverUrl, patient: check.token.patient, encounter: check.token.encounter, user: fhirUser });
  return {
    ok: true,
    launch: {
      client, token: check.token, stateKey, serverUrl, fhirUser, tokens: launchTokens(client),
      ...(workTag ? { workTag } : {}),
    },
  };
}
