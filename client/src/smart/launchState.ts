/**
 * Ending a launch's stored state (no fhirclient import here, so the admin screens and tests can use it without
 * loading the browser bundle). Re-exported by ./session.ts, where the launch starts.
 */

/** the tab's history entry names its launch's state key under this key (./session.ts) */
export const HISTORY_KEY = 'prcStateKey';
/** fhirclient's pointer to the "current" state key (settings.SMART_KEY) */
const FHIRCLIENT_SMART_KEY = 'SMART_KEY';

type KeyStorage = Pick<Storage, 'getItem' | 'removeItem'>;

const storedKey = (raw: string | null): string | undefined => {
  if (!raw) return undefined;
  try { const v = JSON.parse(raw) as unknown; return typeof v === 'string' ? v : undefined; } catch { return undefined; }
};

/**
 * Forgets a launch that is over: fhirclient's state for it (access, refresh and id tokens, the PKCE code verifier,
 * the token endpoint) leaves sessionStorage, the shared SMART_KEY pointer goes when it names this launch, and the
 * tab's history entry no longer points at it. Called on the admin's sign-out; the clinician's launch keeps its
 * tokens for the tab's life, because Update and the refresh at Write still need them. Without a key, the launch this tab's history or SMART_KEY points at is cleared.
 * Returns the state keys removed. Never throws (storage may be blocked in some EHR frames).
 */
export function clearLaunchState(stateKey?: string, storage?: KeyStorage): string[] {
  const removed: string[] = [];
  try {
    const store: KeyStorage | undefined = storage ?? (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
    if (!store) return removed;
    const fromHistory = typeof history === 'undefined' ? undefined : (history.state as Record<string, unknown> | null)?.[HISTORY_KEY];
    const pointer = storedKey(store.getItem(FHIRCLIENT_SMART_KEY));
    const key = stateKey ?? (typeof fromHistory === 'string' ? fromHistory : pointer);
    if (key && store.getItem(key) !== null) { store.removeItem(key); removed.push(key); }
    if (pointer && (pointer === key || store.getItem(pointer) === null)) store.removeItem(FHIRCLIENT_SMART_KEY);
    if (key && typeof history !== 'undefined' && fromHistory === key) {
      history.replaceState({ ...(history.state as Record<string, unknown>), [HISTORY_KEY]: undefined }, '');
    }
  } catch { /* storage blocked: nothing kept that we could remove */ }
  return removed;
}


/**
 * The PKCE code verifier is needed once, for the code exchange; after ready() it is dropped from fhirclient's stored
 * state, so it does not sit in sessionStorage for the tab's life (a reload and a token refresh never use it).
 * Never throws.
 */
export function forgetCodeVerifier(stateKey: string, storage?: Pick<Storage, 'getItem' | 'setItem'>): boolean {
  try {
    const store = storage ?? (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
    const raw = store?.getItem(stateKey);
    if (!store || !raw) return false;
    const state = JSON.parse(raw) as Record<string, unknown>;
    if (!('codeVerifier' in state)) return false;
    delete state.codeVerifier;
    store.setItem(stateKey, JSON.stringify(state));
    return true;
  } catch { return false; }
}
