import { describe, expect, it } from 'vitest';
import { adminProfiles, browserSessionStore, hasAuthResponse, sessionFromIdToken, stripAuthParams } from './session.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const idToken = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256' })}.${b64url(claims)}.sig`;

function fakeStorage() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('admin session', () => {
  it('reads fhirUser, name and expiry from the id_token', () => {
    const s = sessionFromIdToken(idToken({ fhirUser: 'http://ehr/fhir/Practitioner/sandbox-admin', name: 'Avery Administrator', exp: 2_000_000_000 }));
    expect(s).toMatchObject({ source: 'ehr', fhirUser: 'http://ehr/fhir/Practitioner/sandbox-admin', name: 'Avery Administrator', expiresAt: 2_000_000_000 });
  });

  it('keeps an EHR session in sessionStorage but an admin token in memory only', () => {
    const storage = fakeStorage();
    const store = browserSessionStore(storage);
    store.set({ token: 'secret-admin-token', source: 'admin-token' });
    expect(storage.m.size).toBe(0);
    expect(store.get()?.token).toBe('secret-admin-token');
    expect(browserSessionStore(storage).get()).toBeUndefined(); // a reload forgets the admin token

    store.set(sessionFromIdToken(idToken({ fhirUser: 'Practitioner/a', exp: 2_000_000_000 })));
    expect(browserSessionStore(storage).get()?.fhirUser).toBe('Practitioner/a');
    store.set(undefined);
    expect(storage.m.size).toBe(0);
  });

  it('forgets an expired EHR session', () => {
    const storage = fakeStorage();
    browserSessionStore(storage).set(sessionFromIdToken(idToken({ fhirUser: 'Practitioner/a', exp: 1 })));
    expect(browserSessionStore(storage).get()).toBeUndefined();
  });

  it('spots and removes the OAuth answer in the URL', () => {
    expect(hasAuthResponse('?code=abc&state=xyz')).toBe(true);
    expect(hasAuthResponse('?error=access_denied')).toBe(true);
    expect(hasAuthResponse('?tab=1')).toBe(false);
    expect(stripAuthParams('https://app.example/admin?code=abc&state=xyz&keep=1#top')).toBe('/admin?keep=1#top');
  });

  it('offers only the profiles marked for admin sign-in', () => {
    const profiles = adminProfiles({ profiles: [
      { id: 'sandbox', name: 'Sandbox', issuers: ['http://x/sandbox/fhir'], clientId: 'c', adminSignIn: true, vendor: 'generic' },
      { id: 'sandbox-epic', name: 'Epic', issuers: ['http://x/sandbox/epic/fhir'], clientId: 'c', adminSignIn: false },
      { id: 'broken' },
    ] });
    expect(profiles.map((p) => p.id)).toEqual(['sandbox']);
    expect(adminProfiles('nonsense')).toEqual([]);
  });
});
