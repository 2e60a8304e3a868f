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
  /** the visit's tag for the kept work (review/workStore.ts): a relaunch of the same visit takes the work up; set once its digest is done (see completeLaunch) */
  workTag?: string;
}

export type LaunchOutcome = { ok: true; launch: Launch } | { ok: false; words: Words };

function cleanUrl(stateKey: string | undefined): void {
  const url = new URL(location.href);
  for (const p of ['code', 'state', 'session_state', 'error', 'error_description', 'iss']) url.searchParams.delete(p);
  history.replaceState(stateKey ? { [HISTORY_KEY]: stateKey } : null, '', url.pathname + url.search + url.hash);
}

/**
 * `onAuthorized` is called with the launch the moment its token is in and checked (the record's reads start there);
 * the launch's `workTag` is set on that same object before the returned promise settles.
 */
export async function completeLaunch(onAuthorized?: (launch: Launch) => void): Promise<LaunchOutcome> {
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
  const launch: Launch = { client, token: check.token, stateKey, serverUrl, fhirUser, tokens: launchTokens(client) };
  // before anything awaits: the work tag's digest below yields to whatever task is queued (React's chunk evaluating)
  try { onAuthorized?.(launch); } catch { /* the caller's early start never breaks the launch */ }
  const workTag = await visitTag({ ehr: serverUrl, patient: check.token.patient, encounter: check.token.encounter, user: fhirUser });
  if (workTag) launch.workTag = workTag;
  return { ok: true, launch };
}
