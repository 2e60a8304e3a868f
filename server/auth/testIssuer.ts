/**
 * Test helper: a tiny OpenID issuer (SMART discovery + JWKS) on a random port, and a signer for id_tokens.
 * Used by auth and admin API tests; production code never imports it.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { EhrProfile } from '../../launch/profiles';

export interface TestIssuer {
  iss: string;
  profile: EhrProfile;
  /** an id_token; claims override the defaults (iss, aud = client id, sub, fhirUser, exp in 5 min) */
  sign(claims?: Record<string, unknown>, opts?: { alg?: 'RS256' | 'ES256'; key?: 'good' | 'forged'; expSecondsFromNow?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(clientId = 'pump-refill-coder'): Promise<TestIssuer> {
  const rs = await generateKeyPair('RS256');
  const es = await generateKeyPair('ES256');
  const forgedRs = await generateKeyPair('RS256');
  const forgedEs = await generateKeyPair('ES256');
  const jwk = async (k: CryptoKey, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(k)), kid, alg, use: 'sig' });
  const jwks = { keys: [await jwk(rs.publicKey, 'rs1', 'RS256'), await jwk(es.publicKey, 'es1', 'ES256')] };

  const app = express();
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iss = `${base}/fhir`;
  app.get('/fhir/.well-known/smart-configuration', (_req, res) => { res.json({ issuer: iss, jwks_uri: `${base}/jwks` }); });
  app.get('/jwks', (_req, res) => { res.json(jwks); });

  const profile: EhrProfile = { id: 'test-ehr', name: 'Test EHR', vendor: 'generic', issuers: [iss], clientId,
    scopes: 'openid fhirUser', adminSignIn: true };

  return {
    iss,
    profile,
    async sign(claims = {}, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const pair = alg === 'RS256' ? (opts.key === 'forged' ? forgedRs : rs) : (opts.key === 'forged' ? forgedEs : es);
      const now = Math.floor(Date.now() / 1000);
      const body = { iss, aud: clientId, sub: 'user-1', fhirUser: `${iss}/Practitioner/dr-1`, iat: now,
        exp: now + (opts.expSecondsFromNow ?? 300), ...claims };
      return new SignJWT(body).setProtectedHeader({ alg, kid: alg === 'RS256' ? 'rs1' : 'es1', typ: 'JWT' }).sign(pair.privateKey);
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/** an unsigned token (alg none) or an HS256 token, for negative tests */
export function unsecuredToken(claims: Record<string, unknown>, alg: 'none' | 'HS256' = 'none'): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.${alg === 'none' ? '' : 'c2lnbmF0dXJl'}`;
}
