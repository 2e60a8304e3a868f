/**
 * Tokens do not outlive their use (issue 10 item 8): fhirclient keeps access, refresh and id tokens and the PKCE
 * verifier in sessionStorage under the launch's state key; clearLaunchState removes them when the launch is over,
 * and the admin sign-in's state goes as soon as the session is kept and on sign-out.
 */
import { describe, expect, it } from 'vitest';
import { clearLaunchState, forgetCodeVerifier } from './launchState.js';
import { browserSessionStore, sessionFromIdToken } from '../admin/session.js';

function fakeStorage(init: Record<string, string> = {}) {
  const m = new Map<string, string>(Object.entries(init));
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}
const fhirclientState = (extra: Record<string, unknown> = {}) => JSON.stringify({
  serverUrl: 'https://ehr/fhir', codeVerifier: 'verifier-abc', clientId: 'pump-refill-coder',
  tokenResponse: { access_token: 'at-123', refresh_token: 'rt-456', id_token: 'a.b.c', patient: 'p1' }, ...extra,
});
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('clearLaunchState', () => {
  it('removes the launch\'s tokens and verifier, and the SMART_KEY pointer naming it', () => {
    const storage = fakeStorage({ 'launch-a': fhirclientState(), 'launch-b': fhirclientState(), SMART_KEY: JSON.stringify('launch-a'), other: 'kept' });
    expect(clearLaunchState('launch-a', storage)).toEqual(['launch-a']);
    expect([...storage.m.keys()].sort()).toEqual(['launch-b', 'other']);
    expect(storage.m.get('launch-b')).toContain('at-123'); // another frame's launch is not touched
  });

  it('keeps another launch\'s pointer; without a key clears what SMART_KEY points at', () => {
    const storage = fakeStorage({ 'launch-a': fhirclientState(), 'launch-b': fhirclientState(), SMART_KEY: JSON.stringify('launch-b') });
    clearLaunchState('launch-a', storage);
    expect(storage.m.get('SMART_KEY')).toBe(JSON.stringify('launch-b'));
    expect(clearLaunchState(undefined, storage)).toEqual(['launch-b']);
    expect(storage.m.size).toBe(0);
  });

  it('never throws when storage is blocked', () => {
    const blocked = { getItem: () => { throw new Error('SecurityError'); }, removeItem: () => { throw new Error('SecurityError'); } };
    expect(clearLaunchState('x', blocked)).toEqual([]);
  });
});

describe('admin session and fhirclient state', () => {
  it('keeping the signed-in session removes fhirclient\'s tokens and verifier; sign-out leaves no token at all', () => {
    const storage = fakeStorage({ 'admin-state': fhirclientState(), SMART_KEY: JSON.stringify('admin-state') });
    const store = browserSessionStore(storage);
    const idToken = `${b64url({ alg: 'RS256' })}.${b64url({ fhirUser: 'https://ehr/fhir/Practitioner/a', exp: 2_000_000_000 })}.sig`;
    store.set(sessionFromIdToken(idToken));
    const everything = () => [...storage.m.entries()].flat().join(' ');
    expect(everything()).not.toMatch(/at-123|rt-456|verifier-abc/);
    expect(storage.m.has('SMART_KEY')).toBe(false);
    // a later sign-in's leftovers are gone on sign-out too
    storage.m.set('admin-state-2', fhirclientState());
    storage.m.set('SMART_KEY', JSON.stringify('admin-state-2'));
    store.set(undefined);
    expect(storage.m.size).toBe(0);
  });
});

describe('forgetCodeVerifier', () => {
  it('drops the PKCE verifier after the code exchange and keeps the tokens a reload and a refresh need', () => {
    const storage = fakeStorage({ k1: fhirclientState() });
    expect(forgetCodeVerifier('k1', storage)).toBe(true);
    const kept = JSON.parse(storage.m.get('k1')!) as Record<string, unknown>;
    expect(kept.codeVerifier).toBeUndefined();
    expect(kept).toMatchObject({ serverUrl: 'https://ehr/fhir', tokenResponse: { refresh_token: 'rt-456' } });
    expect(forgetCodeVerifier('k1', storage)).toBe(false);
    expect(forgetCodeVerifier('missing', storage)).toBe(false);
    expect(forgetCodeVerifier('k1', { getItem: () => { throw new Error('blocked'); }, setItem: () => undefined })).toBe(false);
  });
});
