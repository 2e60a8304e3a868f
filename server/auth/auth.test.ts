import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUserList, requireAdmin, requireRole, requireUser, sameOriginJsonOnly, tokenEquals, verifyIdToken, type AuthDeps } from './index';
import { startTestIssuer, unsecuredToken, type TestIssuer } from './testIssuer';

let issuer: TestIssuer;
let other: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
  other = await startTestIssuer(); // a real issuer that is NOT configured
});
afterAll(async () => { await issuer.close(); await other.close(); });

describe('verifyIdToken', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts RS256 and ES256 tokens from a configured issuer', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const v = await verifyIdToken(await issuer.sign({}, { alg }), [issuer.profile]);
      expect(v).toEqual({ fhirUser: `${issuer.iss}/Practitioner/dr-1`, iss: issuer.iss, sub: 'user-1' });
    }
    const rel = await verifyIdToken(await issuer.sign({ fhirUser: 'Practitioner/abc' }), [issuer.profile]);
    expect(rel.fhirUser).toBe('Practitioner/abc');
  });

  it.each([
    ['forged signature', async () => issuer.sign({}, { key: 'forged' }), /signature/],
    ['forged ES256 signature', async () => issuer.sign({}, { alg: 'ES256', key: 'forged' }), /signature/],
    ['wrong issuer (a real but unconfigured one)', async () => other.sign(), /not configured/],
    ['iss claim spoofed to a configured issuer', async () => other.sign({ iss: issuer.iss }), /signature/],
    ['wrong audience', async () => issuer.sign({ aud: 'someone-else' }), /aud/],
    ['expired', async () => issuer.sign({}, { expSecondsFromNow: -3600 }), /expired/],
    ['alg none', async () => unsecuredToken({ iss: issuer.iss, aud: 'pump-refill-coder', sub: 'x', exp: now() + 60, fhirUser: 'Practitioner/x' }), /algorithm|signature/],
    ['HS256', async () => unsecuredToken({ iss: issuer.iss, aud: 'pump-refill-coder', sub: 'x', exp: now() + 60, fhirUser: 'Practitioner/x' }, 'HS256'), /algorithm|signature/],
    ['no fhirUser', async () => issuer.sign({ fhirUser: undefined }), /fhirUser/],
    ['fhirUser not a reference', async () => issuer.sign({ fhirUser: 'javascript:alert(1)' }), /fhirUser/],
    ['not a JWT', async () => 'abc.def', /well-formed/],
  ])('rejects %s', async (_name, make, message) => {
    await expect(verifyIdToken(await make(), [issuer.profile])).rejects.toThrow(message);
  });

  it('tolerates small clock skew', async () => {
    await expect(verifyIdToken(await issuer.sign({}, { expSecondsFromNow: -10 }), [issuer.profile])).resolves.toBeTruthy();
  });

  it('fetches discovery once per issuer, and again after a failure', async () => {
    let calls = 0;
    let fail = true;
    const cache = new Map();
    const fetchSmartConfig = async (iss: string) => {
      calls++;
      if (fail) throw new Error('down');
      const r = await fetch(`${iss}/.well-known/smart-configuration`);
      return (await r.json()) as { jwks_uri?: unknown };
    };
    const token = await issuer.sign();
    await expect(verifyIdToken(token, [issuer.profile], { fetchSmartConfig, cache })).rejects.toThrow(/keys could not be fetched/);
    fail = false;
    await verifyIdToken(token, [issuer.profile], { fetchSmartConfig, cache });
    await verifyIdToken(token, [issuer.profile], { fetchSmartConfig, cache });
    expect(calls).toBe(2);
  });
});

describe('middleware', () => {
  const deps = (): AuthDeps => ({ profiles: [issuer.profile, { ...other.profile, id: 'no-admin-sign-in', adminSignIn: false }],
    adminToken: 'an-admin-token-of-decent-length',
    adminUsers: parseUserList(` ${issuer.iss}/Practitioner/admin-1 , https://elsewhere/fhir/Practitioner/admin-2, ${other.iss}/Practitioner/admin-3, Practitioner/admin-4`),
    billingUsers: [`${issuer.iss}/Practitioner/biller`] });
  const app = () => {
    const a = express();
    a.get('/user', requireUser(deps()), (req, res) => { res.json(req.user); });
    a.get('/admin', requireAdmin(deps()), (req, res) => { res.json(req.user); });
    a.get('/billing', requireRole(deps(), ['admin', 'billing']), (req, res) => { res.json(req.user); });
    a.post('/admin', sameOriginJsonOnly('https://app.example'), requireAdmin(deps()), express.json(), (_req, res) => { res.json({ ok: true }); });
    return a;
  };

  it('no token → 401 with WWW-Authenticate; wrong token → 401 invalid_token', async () => {
    const none = await request(app()).get('/admin');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await request(app()).get('/admin').set('Authorization', 'Bearer not-the-admin-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('invalid_token');
  });

  it('ADMIN_TOKEN right → admin; it is not a user for requireUser', async () => {
    const ok = await request(app()).get('/admin').set('Authorization', 'Bearer an-admin-token-of-decent-length');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: 'admin-token', fhirUser: 'admin-token' });
    expect((await request(app()).get('/user').set('Authorization', 'Bearer an-admin-token-of-decent-length')).status).toBe(401);
  });

  it('forged and expired id_tokens → 401', async () => {
    for (const t of [await issuer.sign({ fhirUser: 'Practitioner/admin-1' }, { key: 'forged' }),
      await issuer.sign({ fhirUser: 'Practitioner/admin-1' }, { expSecondsFromNow: -3600 })]) {
      const r = await request(app()).get('/admin').set('Authorization', `Bearer ${t}`);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
  });

  it('non-admin fhirUser → 403 on admin, 200 on user routes', async () => {
    const t = await issuer.sign({ fhirUser: `${issuer.iss}/Practitioner/nurse-1` });
    expect((await request(app()).get('/admin').set('Authorization', `Bearer ${t}`)).status).toBe(403);
    const u = await request(app()).get('/user').set('Authorization', `Bearer ${t}`);
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({ kind: 'user', fhirUser: `${issuer.iss}/Practitioner/nurse-1`, iss: issuer.iss });
  });

  it('admin by full fhirUser URL and issuer: the full URL, or a relative claim resolved against the issuer → 200', async () => {
    for (const fhirUser of [`${issuer.iss}/Practitioner/admin-1`, 'Practitioner/admin-1']) {
      const r = await request(app()).get('/admin').set('Authorization', `Bearer ${await issuer.sign({ fhirUser })}`);
      expect(r.status).toBe(200);
      expect(r.body.roles).toContain('admin');
    }
  });

  it('never admin by id alone, from another server, from a claim naming another server, or from an adminSignIn: false EHR', async () => {
    const refused: [string, () => Promise<string>][] = [
      // an entry for another server's Practitioner/admin-2 is not this issuer's Practitioner/admin-2
      ['same id on another server', () => issuer.sign({ fhirUser: 'Practitioner/admin-2' })],
      // the issuer signs a fhirUser URL that lies on another server: the entry does not lie under this issuer
      ['fhirUser on another server', () => issuer.sign({ fhirUser: 'https://elsewhere/fhir/Practitioner/admin-2' })],
      // a relative entry (Practitioner/admin-4) never matches, whatever the claim
      ['relative entry', () => issuer.sign({ fhirUser: 'Practitioner/admin-4' })],
      // the listed user, but signed by an EHR whose profile has adminSignIn: false
      ['adminSignIn: false profile', () => other.sign({ fhirUser: `${other.iss}/Practitioner/admin-3` })],
    ];
    for (const [why, make] of refused) {
      const r = await request(app()).get('/admin').set('Authorization', `Bearer ${await make()}`);
      expect(r.status, why).toBe(403);
    }
  });

  it('billing users reach billing routes, not admin routes', async () => {
    const t = await issuer.sign({ fhirUser: 'Practitioner/biller' });
    expect((await request(app()).get('/billing').set('Authorization', `Bearer ${await other.sign({ fhirUser: `${other.iss}/Practitioner/biller` })}`)).status).toBe(403);
    expect((await request(app()).get('/billing').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    expect((await request(app()).get('/admin').set('Authorization', `Bearer ${t}`)).status).toBe(403);
  });

  it('state-changing requests: foreign Origin → 403, non-JSON body → 415', async () => {
    const auth = 'Bearer an-admin-token-of-decent-length';
    const foreign = await request(app()).post('/admin').set('Authorization', auth).set('Origin', 'https://evil.example').send({});
    expect(foreign.status).toBe(403);
    const form = await request(app()).post('/admin').set('Authorization', auth).type('form').send('a=1');
    expect(form.status).toBe(415);
    const ok = await request(app()).post('/admin').set('Authorization', auth).set('Origin', 'https://app.example').send({ a: 1 });
    expect(ok.status).toBe(200);
  });

  it('tokenEquals compares in constant time over digests', () => {
    expect(tokenEquals('abc', 'abc')).toBe(true);
    expect(tokenEquals('abc', 'abcd')).toBe(false);
    expect(tokenEquals('', 'x')).toBe(false);
  });
});
