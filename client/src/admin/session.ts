/**
 * Who is signed in to the admin screens. The EHR's id_token lives in sessionStorage (survives a reload of the
 * frame, gone with the tab); a pasted ADMIN_TOKEN lives in memory only. Nothing goes to localStorage.
 * fhirclient's own state from the sign-in (access and refresh tokens, PKCE verifier) is removed as soon as the
 * session is kept (the admin screens only send the id_token) and again on sign-out.
 */
import { z } from 'zod';
import { clearLaunchState } from '../smart/launchState.js';

export interface AdminSession {
  /** bearer sent to the API */
  token: string;
  source: 'ehr' | 'admin-token';
  /** the id_token's fhirUser claim, e.g. "https://ehr/fhir/Practitioner/123" */
  fhirUser?: string;
  /** display name when the id_token carries one */
  name?: string;
  /** seconds since epoch, from the id_token */
  expiresAt?: number;
}

const KEY = 'pump-refill-coder.admin.session';

const Claims = z.looseObject({
  fhirUser: z.string().optional(),
  profile: z.string().optional(),
  sub: z.string().optional(),
  name: z.string().optional(),
  exp: z.number().optional(),
});

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Read (not verify: the server does that) the claims the screens display. */
export function sessionFromIdToken(idToken: string): AdminSession {
  let claims: z.infer<typeof Claims> = {};
  try {
    const payload = idToken.split('.')[1];
    if (payload) {
      const parsed = Claims.safeParse(JSON.parse(base64UrlDecode(payload)));
      if (parsed.success) claims = parsed.data;
    }
  } catch { /* unreadable: the server will answer 401 */ }
  return { token: idToken, source: 'ehr', fhirUser: claims.fhirUser ?? claims.profile ?? claims.sub, name: claims.name, expiresAt: claims.exp };
}

export interface SessionStore { get(): AdminSession | undefined; set(s: AdminSession | undefined): void }

/** sessionStorage for EHR sessions, memory for admin tokens; sign-out (set(undefined)) also clears fhirclient's state. */
export function browserSessionStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined): SessionStore {
  const forgetFhirclientState = () => { if (storage) clearLaunchState(undefined, storage); };
  let memory: AdminSession | undefined;
  return {
    get() {
      if (memory) return memory;
      try {
        const raw = storage?.getItem(KEY);
        if (!raw) return undefined;
        const s = JSON.parse(raw) as AdminSession;
        if (s.source !== 'ehr' || typeof s.token !== 'string') return undefined;
        if (s.expiresAt && s.expiresAt * 1000 < Date.now()) { storage?.removeItem(KEY); return undefined; }
        memory = s;
        return s;
      } catch { return undefined; }
    },
    set(s) {
      memory = s;
      try {
        if (s?.source === 'ehr') storage?.setItem(KEY, JSON.stringify(s));
        else storage?.removeItem(KEY);
      } catch { /* storage blocked in some frames: memory still works */ }
      // signed in (the id_token is kept above) or signed out: fhirclient's tokens and verifier are not needed
      forgetFhirclientState();
    },
  };
}

/** Does this URL carry an OAuth answer (code/state or error)? */
export function hasAuthResponse(search: string): boolean {
  const q = new URLSearchParams(search);
  return (q.has('code') && q.has('state')) || q.has('error');
}

/** The same URL without the OAuth parameters. */
export function stripAuthParams(href: string): string {
  const u = new URL(href);
  for (const k of ['code', 'state', 'error', 'error_description', 'error_uri', 'session_state', 'iss']) u.searchParams.delete(k);
  return `${u.pathname}${u.search}${u.hash}`;
}

export const EhrProfileInfo = z.looseObject({
  id: z.string(),
  name: z.string(),
  issuers: z.array(z.string()).min(1),
  clientId: z.string(),
  adminSignIn: z.boolean().optional(),
});
export type EhrProfileInfo = z.infer<typeof EhrProfileInfo>;

/** GET /api/ehr-profiles → the profiles an administrator may sign in with. */
export function adminProfiles(body: unknown): EhrProfileInfo[] {
  const list = Array.isArray(body) ? body : (body as { profiles?: unknown })?.profiles;
  const parsed = z.array(z.unknown()).safeParse(list);
  if (!parsed.success) return [];
  return parsed.data.flatMap((p) => {
    const r = EhrProfileInfo.safeParse(p);
    return r.success && r.data.adminSignIn === true ? [r.data] : [];
  });
}
