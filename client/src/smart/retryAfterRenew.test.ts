/**
 * The one "on 401 renew and retry once" rule, with fhirclient's real Client.refresh() against a token endpoint played
 * by msw: parallel 401s share one refresh; a call refused with tokens already renewed by another call retries without
 * refreshing again; anything but a 401 is passed on untouched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Client from 'fhirclient/lib/Client';
import { ApiCallError } from '../api/http';
import { FhirHttpError } from '../fhir/port';
import { launchTokens } from './launchTokens';
import { retryOnceAfterRenew, SessionExpiredError } from './retryAfterRenew';

const TOKEN_URI = 'https://ehr.test/auth/token';
let refreshes = 0;
const server = setupServer(http.post(TOKEN_URI, async () => {
  refreshes++;
  await new Promise((r) => setTimeout(r, 20)); // long enough for a second caller to arrive while it runs
  return HttpResponse.json({ access_token: `at-${refreshes + 1}`, id_token: `id-${refreshes + 1}`, refresh_token: `rt-${refreshes + 1}`, token_type: 'Bearer', expires_in: 3600 });
}));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => { refreshes = 0; });
afterAll(() => server.close());

const client = (scope = 'launch openid fhirUser online_access') => new Client({
  options: {}, btoa: (s: string) => Buffer.from(s).toString('base64'),
  getStorage: () => ({ get: async () => undefined, set: async () => undefined, unset: async () => true }),
} as never, { serverUrl: 'https://ehr.test/fhir', tokenUri: TOKEN_URI, clientId: 'prc', key: 'k', tokenResponse: { access_token: 'at-1', id_token: 'id-1', refresh_token: 'rt-1', scope } });

/** a call the server answers 401 unless it carries one of `accepted` */
const callWith = (tokens: ReturnType<typeof launchTokens>, accepted: string[], sent: string[]) => async () => {
  const t = tokens.current().idToken!;
  sent.push(t);
  if (!accepted.includes(t)) throw new ApiCallError(401, 'unauthorized', 'expired');
  return t;
};

describe('retryOnceAfterRenew', () => {
  it('two calls refused at once share one refresh, and both are retried with the new id_token', async () => {
    const tokens = launchTokens(client());
    const sent: string[] = [];
    const call = callWith(tokens, ['id-2'], sent);
    expect(await Promise.all([retryOnceAfterRenew(tokens, call), retryOnceAfterRenew(tokens, call)])).toEqual(['id-2', 'id-2']);
    expect(refreshes).toBe(1);
    expect(sent).toEqual(['id-1', 'id-1', 'id-2', 'id-2']);
    expect(tokens.generation).toBe(1);
  });

  it('a call refused after another renewed (its tokens are already new) retries without a second refresh', async () => {
    const tokens = launchTokens(client());
    const sent: string[] = [];
    let release!: () => void;
    const slow = async () => { const t = tokens.current().idToken!; await new Promise<void>((r) => { release = r; }); sent.push(t); throw new FhirHttpError(401, undefined, 'x'); };
    const first = retryOnceAfterRenew(tokens, slow, async () => 'retried');
    await retryOnceAfterRenew(tokens, callWith(tokens, ['id-2'], sent)); // renews to id-2 while `slow` is in flight
    release();
    expect(await first).toBe('retried');
    expect(refreshes).toBe(1);
  });

  it('not a 401, or no tokens: passed on unchanged, nothing renewed; a scope without online/offline_access cannot renew', async () => {
    const tokens = launchTokens(client());
    const refused = new ApiCallError(403, 'forbidden', 'no');
    await expect(retryOnceAfterRenew(tokens, async () => { throw refused; })).rejects.toBe(refused);
    const expired = new FhirHttpError(401, undefined, 'x');
    await expect(retryOnceAfterRenew(undefined, async () => { throw expired; })).rejects.toBe(expired);
    expect(refreshes).toBe(0);
    const noScope = launchTokens(client('launch openid fhirUser'));
    expect(noScope.canRenew()).toBe(false);
    await expect(retryOnceAfterRenew(noScope, async () => { throw expired; })).rejects.toMatchObject({ reason: 'cannot-renew', by: 'ehr' });
    expect(refreshes).toBe(0);
    await expect(retryOnceAfterRenew(noScope, async () => { throw expired; })).rejects.toBeInstanceOf(SessionExpiredError);
  });
});
