import { describe, expect, it } from 'vitest';
import { buildAuthorizeConfigs, checkDiscoveredEndpoints, checkLaunchUrl, describeProblem, parseProfiles, randomStateKey, type PublicProfile } from './launchCheck';

const profiles: PublicProfile[] = [
  { id: 'sandbox', name: 'Sandbox', vendor: 'generic', issuers: ['http://localhost:8080/sandbox/fhir'], clientId: 'prc', scopes: 'launch openid fhirUser patient/Patient.rs' },
  { id: 'epic', name: 'Epic', vendor: 'epic', issuers: ['https://fhir.epic.test/api/FHIR/R4'], clientId: 'prc-epic', scopes: 'launch openid' },
];

describe('checkLaunchUrl', () => {
  it('accepts a configured issuer with a launch context', () => {
    const r = checkLaunchUrl('?iss=http%3A%2F%2Flocalhost%3A8080%2Fsandbox%2Ffhir&launch=abc', profiles);
    expect(r).toMatchObject({ ok: true, iss: 'http://localhost:8080/sandbox/fhir', launch: 'abc', profile: { id: 'sandbox' } });
  });

  it.each([
    'https://evil.example/fhir',
    'http://localhost:8080/sandbox/fhir/',            // trailing slash is another string
    'HTTP://LOCALHOST:8080/sandbox/fhir',
    'http://localhost:8080@evil.example/sandbox/fhir',
    'http://fhir.epic.test/api/FHIR/R4',               // downgrade
    'https://fhir.epic.test.evil.example/api/FHIR/R4',
    'https://fhir.epic.test/api/FHIR/R4/../../x',
  ])('refuses the unknown issuer %s and names it in the message', (iss) => {
    const r = checkLaunchUrl(`?iss=${encodeURIComponent(iss)}&launch=x`, profiles);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toEqual({ kind: 'unknown-issuer', iss });
    expect(describeProblem(r.problem).message).toBe(`This EHR (${iss}) is not configured for Pump Refill Coder. Ask your administrator to add it.`);
  });

  it.each(['fhirServiceUrl', 'clientId', 'patientId', 'client_id', 'redirect_uri', 'scope', 'encounterId', 'FHIRSERVICEURL'])(
    'refuses a launch URL carrying %s, even with a good iss', (param) => {
      const r = checkLaunchUrl(`?iss=${encodeURIComponent('http://localhost:8080/sandbox/fhir')}&launch=x&${param}=https://evil.example`, profiles);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem.kind).toBe('override');
    });

  it('refuses fhirServiceUrl alone, a repeated iss, and a missing iss or launch', () => {
    expect(checkLaunchUrl('?fhirServiceUrl=https://evil.example/fhir', profiles)).toMatchObject({ ok: false, problem: { kind: 'override' } });
    expect(checkLaunchUrl('?iss=http://localhost:8080/sandbox/fhir&iss=https://evil.example&launch=x', profiles)).toMatchObject({ ok: false, problem: { kind: 'duplicate-param', name: 'iss' } });
    expect(checkLaunchUrl('?launch=x', profiles)).toMatchObject({ ok: false, problem: { kind: 'missing-iss' } });
    expect(checkLaunchUrl('?iss=http://localhost:8080/sandbox/fhir', profiles)).toMatchObject({ ok: false, problem: { kind: 'missing-launch' } });
  });

  it('keeps a hostile iss as text (the page renders it with textContent)', () => {
    const iss = '<img src=x onerror=alert(1)>';
    const r = checkLaunchUrl(`?iss=${encodeURIComponent(iss)}&launch=x`, profiles);
    expect(!r.ok && describeProblem(r.problem).message).toContain(iss);
  });
});

describe('authorize configuration', () => {
  it('gives one exact-match configuration per issuer with PKCE required, completion in the same frame, and no redirect before the endpoints are checked', () => {
    const key = randomStateKey();
    const cfgs = buildAuthorizeConfigs(profiles, key);
    expect(cfgs).toEqual([
      { issMatch: 'http://localhost:8080/sandbox/fhir', clientId: 'prc', scope: profiles[0]!.scopes, redirectUri: './', pkceMode: 'required', completeInTarget: true, stateKey: key, noRedirect: true },
      { issMatch: 'https://fhir.epic.test/api/FHIR/R4', clientId: 'prc-epic', scope: 'launch openid', redirectUri: './', pkceMode: 'required', completeInTarget: true, stateKey: key, noRedirect: true },
    ]);
  });

  it('makes state keys of at least 128 random bits, base64url, never repeated', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => randomStateKey()));
    expect(keys.size).toBe(2000);
    for (const k of [...keys].slice(0, 50)) {
      expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes
    }
    expect(() => randomStateKey(crypto, 8)).toThrow();
  });
});

describe('parseProfiles and checkDiscoveredEndpoints', () => {
  it('drops malformed profiles', () => {
    const list = parseProfiles({ profiles: [profiles[0], { id: 'x', issuers: 'nope' }, null] });
    expect(list.map((p) => p.id)).toEqual(['sandbox']);
    expect(() => parseProfiles({})).toThrow();
  });

  it('requires S256 and endpoints on https or the issuer origin, on what fhirclient saved', () => {
    const iss = 'http://localhost:8080/sandbox/fhir';
    // the shape fhirclient's authorize() saves under the state key (lib/smart.js: getSecurityExtensions)
    const good = { codeChallengeMethods: ['S256'], authorizeUri: 'http://localhost:8080/sandbox/auth/authorize', tokenUri: 'http://localhost:8080/sandbox/auth/token' };
    expect(checkDiscoveredEndpoints(iss, good)).toBeNull();
    expect(checkDiscoveredEndpoints(iss, { ...good, codeChallengeMethods: ['plain'] })).toMatch(/PKCE/);
    expect(checkDiscoveredEndpoints(iss, { ...good, codeChallengeMethods: undefined })).toMatch(/PKCE/);
    expect(checkDiscoveredEndpoints(iss, { ...good, tokenUri: 'http://evil.example/token' })).toMatch(/token_endpoint is not on https/);
    expect(checkDiscoveredEndpoints(iss, { ...good, authorizeUri: '' })).toMatch(/authorization_endpoint is missing/);
    expect(checkDiscoveredEndpoints(iss, { ...good, tokenUri: 'https://user:pw@auth.example/token' })).toMatch(/credentials/);
    expect(checkDiscoveredEndpoints(iss, null)).toMatch(/could not be read/);
    expect(checkDiscoveredEndpoints('https://fhir.epic.test/api/FHIR/R4', { ...good, authorizeUri: 'https://auth.epic.test/authorize', tokenUri: 'https://auth.epic.test/token' })).toBeNull();
  });
});
