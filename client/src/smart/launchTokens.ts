/**
 * The launch's tokens as they are now, and their renewal with the refresh token. fhirclient keeps the token response
 * in `client.state.tokenResponse` and replaces it when it refreshes (merging in the new access token, the rotated
 * refresh token and a new id_token when the EHR sends one), so callers read the tokens here at the moment they send a
 * request, never a copy taken at launch. fhirclient's refresh() is single-flight: calls made while one runs share it.
 *
 * Tokens leave this module only for an Authorization (or x-ehr-access-token) header. Nothing here logs them or what
 * the token endpoint answered; fhirclient persists its state in the launch's storage (sessionStorage, or memory where
 * the frame has none), never in localStorage.
 */
import type Client from 'fhirclient/lib/Client';

export interface Credentials { idToken?: string; accessToken?: string }

export interface LaunchTokens {
  /** the id_token (the app server's bearer) and the EHR access token, as they are now */
  current(): Credentials;
  /** the launch got a refresh token (and a scope that lets fhirclient use it) */
  canRenew(): boolean;
  /**
   * Renews the tokens through fhirclient's refresh. True when a new access token arrived; false when this launch
   * cannot renew or the EHR refused (then fhirclient drops the refresh token, so it is never tried twice). Never throws.
   */
  renew(): Promise<boolean>;
  /** moves when the access token changes: a call that failed with an older generation retries without renewing again */
  readonly generation: number;
  /** a renewal was refused (fhirclient then dropped the refresh token): say so rather than "no refresh token" */
  readonly refused: boolean;
  /** the access token expires within `seconds` by the EHR's expires_in (false when the EHR did not say) */
  expiresWithin(seconds: number): boolean;
}

/** The part of fhirclient's Client this module uses. */
export interface RefreshingClient {
  state: { tokenResponse?: { access_token?: string; id_token?: string; refresh_token?: string; scope?: string }; expiresAt?: number };
  refresh(): Promise<unknown>;
}

const perClient = new WeakMap<object, LaunchTokens>();

/** The launch's tokens; one instance per fhirclient Client, so the reads and Write share its renewal state. */
export function launchTokens(client: RefreshingClient | Client): LaunchTokens {
  let t = perClient.get(client);
  if (!t) perClient.set(client, (t = create(client as RefreshingClient)));
  return t;
}

function create(c: RefreshingClient): LaunchTokens {
  // the generation counts the access tokens seen: any renewal (this module's, or fhirclient's own) moves it once
  let generation = 0;
  let seen = c.state.tokenResponse?.access_token;
  const currentGeneration = () => {
    const now = c.state.tokenResponse?.access_token;
    if (now !== seen) { seen = now; generation++; }
    return generation;
  };
  let refused = false;
  const canRenew = () => {
    const t = c.state.tokenResponse;
    // fhirclient refuses to refresh without offline_access or online_access in the granted scope
    return !!t?.refresh_token && /\b(offline|online)_access\b/.test(t.scope ?? '');
  };
  return {
    current: () => {
      const t = c.state.tokenResponse;
      return {
        ...(typeof t?.id_token === 'string' && t.id_token ? { idToken: t.id_token } : {}),
        ...(typeof t?.access_token === 'string' && t.access_token ? { accessToken: t.access_token } : {}),
      };
    },
    canRenew,
    async renew() {
      if (!canRenew()) return false;
      try {
        await c.refresh();
      } catch {
        // invalid_grant, a network error, a token response without access_token: the launch cannot go on silently
        refused = true;
        return false;
      }
      return !!c.state.tokenResponse?.access_token;
    },
    get generation() { return currentGeneration(); },
    get refused() { return refused; },
    expiresWithin(seconds) {
      const at = c.state.expiresAt;
      return typeof at === 'number' && Number.isFinite(at) && at - seconds < Date.now() / 1000;
    },
  };
}
