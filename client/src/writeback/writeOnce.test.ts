/**
 * writeOnce against a small in-memory ledger and EHR that keep what the assertions count:
 *   - the in-progress guard: the ledger (the app server, by its clock) says whether an earlier reservation is still
 *     writing; the browser's clock plays no part, so a skewed clock neither writes over a write in flight nor stalls
 *     a stale one the server handed to this caller;
 *   - an update in place (PUT) answered 401 is retried after renewing the tokens with the version tag read again
 *     inside the retry (If-Match), not the one read before the first try.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerPort, Reservation } from '../api/drafts';
import { FhirHttpError, type FhirPort, type FhirRequestInit, type FhirResponse } from '../fhir/port';
import type { LaunchTokens } from '../smart/launchTokens';
import { WriteInProgressError, type Plan, type WriteContext } from './types';
import { writeOnce } from './writeOnce';

const PLAN: Plan = {
  vendor: 'generic', steps: [], claimInWorklistOnly: true, provenanceToEhr: false, canUpdate: true, updateSummary: '', summary: '',
};
const KEY = 'b'.repeat(32);

/** the ledger answers `answer` to reserve and records every step */
function ledgerSaying(answer: Reservation) {
  const steps: string[] = [];
  const ledger: LedgerPort = {
    reserve: async (_k, v, kind, attempt) => { steps.push(`reserve ${kind} v${v}${attempt ? ` attempt ${attempt}` : ''}`); return answer; },
    complete: async (_k, _v, kind, id) => { steps.push(`complete ${kind} ${id}`); },
    release: async (_k, _v, kind, attempt) => { steps.push(`release ${kind} attempt ${attempt}`); },
    superseded: async () => { steps.push('superseded'); },
  };
  return { ledger, steps };
}

/** an EHR holding DocumentReferences with a version each; PUT honours If-Match; `onPut` may refuse a PUT first */
function ehr(onPut?: (n: number, doc: { versionId: number }) => number | undefined) {
  const docs = new Map<string, { versionId: number; body: Record<string, unknown> }>([['doc-1', { versionId: 1, body: { resourceType: 'DocumentReference', id: 'doc-1' } }]]);
  const log: string[] = [];
  let puts = 0;
  let created = 0;
  const fhir: FhirPort = {
    base: 'https://ehr.test/fhir',
    requestCount: 0,
    async request<T>(path: string, init: FhirRequestInit = {}): Promise<FhirResponse<T>> {
      const method = init.method ?? 'GET';
      log.push(`${method} ${path}${init.headers?.['if-match'] ? ` if-match ${init.headers['if-match']}` : ''}`);
      if (method === 'POST') {
        const id = `created-${++created}`;
        return { status: 201, body: { ...(init.body as object), id } as T };
      }
      if (method === 'GET' && path.includes('?')) return { status: 200, body: { resourceType: 'Bundle', entry: [] } as T };
      const id = decodeURIComponent(path.split('/')[1]!);
      const doc = docs.get(id);
      if (!doc) throw new FhirHttpError(404, 'not found', path);
      if (method === 'GET') return { status: 200, body: { ...doc.body, meta: { versionId: String(doc.versionId) } } as T };
      const refused = onPut?.(++puts, doc);
      if (refused) throw new FhirHttpError(refused, 'refused', path);
      if (init.headers?.['if-match'] !== `W/"${doc.versionId}"`) throw new FhirHttpError(412, 'version conflict', path);
      doc.versionId++;
      doc.body = init.body as Record<string, unknown>;
      return { status: 200, body: { ...doc.body, meta: { versionId: String(doc.versionId) } } as T };
    },
  };
  return { fhir, log, docs, created: () => created };
}

/** tokens that renew once (the count says how often) */
function renewingTokens() {
  const t = { renewals: 0, generation: 0 };
  const tokens: LaunchTokens = {
    current: () => ({ idToken: 'id', accessToken: `at-${t.generation}` }), canRenew: () => true,
    renew: async () => { t.renewals++; t.generation++; return true; },
    get generation() { return t.generation; }, refused: false, expiresWithin: () => false,
  };
  return { tokens, t };
}

const note = { resourceType: 'DocumentReference' as const, status: 'current', identifier: [{ system: 'urn:x', value: 'v' }] };
const ctxOf = (ledger: LedgerPort, fhir: FhirPort, tokens?: LaunchTokens): WriteContext => ({ ledger, fhir, plan: PLAN, patientId: 'p1', ...(tokens ? { tokens } : {}) });

describe('the in-progress guard is the server\'s', () => {
  it('pending and in progress by the server\'s clock: nothing written, even when the browser\'s clock says the reservation is old', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'pending', reservedAt: '2020-01-01T00:00:00.000Z', inProgress: true });
    const e = ehr();
    const err = await writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 1, kind: 'documentReference', resource: note, conditional: false, search: 'identifier=urn:x|v' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(WriteInProgressError);
    expect(e.log).toEqual([]); // not even a search
    expect(steps).toEqual(['reserve documentReference v1']); // and the reservation is not released
  });

  it('a pending answer that does not say is treated as in progress (never a blind write)', async () => {
    const { ledger } = ledgerSaying({ state: 'pending', reservedAt: new Date(Date.now() - 3_600_000).toISOString() });
    const e = ehr();
    await expect(writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 1, kind: 'claim', resource: { ...note, resourceType: 'Claim' }, conditional: false, search: 'identifier=urn:x|v' }))
      .rejects.toBeInstanceOf(WriteInProgressError);
    expect(e.created()).toBe(0);
  });

  it('a stale reservation handed to this caller (inProgress false) is resumed at once, even when the browser\'s clock says it is brand new: search first, then one create', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'pending', reservedAt: new Date(Date.now() + 60_000).toISOString(), inProgress: false, attempt: 3 });
    const e = ehr();
    const w = await writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 2, kind: 'documentReference', resource: note, conditional: false, search: 'identifier=urn:x|v' });
    expect(w).toEqual({ resourceType: 'DocumentReference', id: 'created-1', reused: false });
    expect(e.log).toEqual(['GET DocumentReference?identifier=urn:x|v', 'POST DocumentReference']);
    // the search took a while: the attempt keeps its reservation (attempt 3) before it posts
    expect(steps).toEqual(['reserve documentReference v2', 'reserve documentReference v2 attempt 3', 'complete documentReference created-1']);
  });

  it('another window took the reservation over while this one searched: nothing posted, said as in progress', async () => {
    const answers: Reservation[] = [
      { state: 'pending', reservedAt: new Date().toISOString(), inProgress: false, attempt: 2 },
      { state: 'pending', reservedAt: new Date().toISOString(), inProgress: true },
    ];
    const { ledger, steps } = ledgerSaying(answers[0]!);
    ledger.reserve = async (_k, v, kind, attempt) => { steps.push(`reserve ${kind} v${v}${attempt ? ` attempt ${attempt}` : ''}`); return answers.shift()!; };
    const e = ehr();
    await expect(writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 1, kind: 'claim', resource: { ...note, resourceType: 'Claim' }, conditional: false, search: 'identifier=urn:x|v' }))
      .rejects.toBeInstanceOf(WriteInProgressError);
    expect(e.log).toEqual(['GET Claim?identifier=urn:x|v']);
    expect(e.created()).toBe(0);
    expect(steps).toEqual(['reserve claim v1', 'reserve claim v1 attempt 2']);
  });

  it('a create retried after a 401 keeps the reservation first; if another attempt finished it meanwhile, its id is reused', async () => {
    const answers: Reservation[] = [{ state: 'new', attempt: 1 }, { state: 'done', resourceId: 'claim-9', reservedAt: new Date().toISOString() }];
    const { ledger, steps } = ledgerSaying(answers[0]!);
    ledger.reserve = async (_k, v, kind, attempt) => { steps.push(`reserve ${kind} v${v}${attempt ? ` attempt ${attempt}` : ''}`); return answers.shift()!; };
    const e = ehr();
    let posts = 0;
    const inner = e.fhir.request.bind(e.fhir);
    e.fhir.request = async (path, init) => {
      if (init?.method === 'POST' && ++posts === 1) throw new FhirHttpError(401, 'expired', path);
      return inner(path, init);
    };
    const { tokens } = renewingTokens();
    const w = await writeOnce(ctxOf(ledger, e.fhir, tokens), { visitKey: KEY, version: 1, kind: 'claim', resource: { ...note, resourceType: 'Claim' }, conditional: false, search: 'identifier=urn:x|v' });
    expect(w).toEqual({ resourceType: 'Claim', id: 'claim-9', reused: true });
    expect(posts).toBe(1);
    expect(steps).toEqual(['reserve claim v1', 'reserve claim v1 attempt 1', 'complete claim claim-9']);
  });

  it('a definite refusal of a taken-over write releases with the attempt the server gave (so it cannot free another holder\'s reservation)', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'pending', reservedAt: new Date().toISOString(), inProgress: false, attempt: 4 });
    const e = ehr();
    const inner = e.fhir.request.bind(e.fhir);
    e.fhir.request = async (path, init) => {
      if (init?.method === 'POST') { e.log.push(`POST ${path}`); throw new FhirHttpError(422, 'invalid', path); }
      return inner(path, init);
    };
    await expect(writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 1, kind: 'documentReference', resource: note, conditional: true, search: 'identifier=urn:x|v' }))
      .rejects.toBeInstanceOf(FhirHttpError);
    // (the earlier holder's POST may have landed: the EHR is searched, finds nothing, and only then is it freed)
    expect(e.log).toEqual(['POST DocumentReference', 'GET DocumentReference?identifier=urn:x|v']);
    expect(steps).toEqual(['reserve documentReference v1', 'release documentReference attempt 4']);
  });
});

describe('a definite refusal frees the reservation only when nothing earlier can have landed', () => {
  /** the EHR refuses every POST (422) and holds `found` under the app identifier (what an earlier attempt wrote) */
  const refusing = (found: string[]) => {
    const e = ehr();
    const inner = e.fhir.request.bind(e.fhir);
    e.fhir.request = async (path, init) => {
      e.log.push(`${init?.method ?? 'GET'} ${path}`);
      if (init?.method === 'POST') throw new FhirHttpError(422, 'refused', path);
      if (path.includes('?')) return { status: 200, body: { resourceType: 'Bundle', entry: found.map((id) => ({ resource: { resourceType: 'DocumentReference', id } })) } } as never;
      return inner(path, init);
    };
    return e;
  };

  it('a resumed conditional create refused 422, where the earlier attempt\'s note is in the EHR: that note is recorded, the reservation not freed', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'pending', reservedAt: new Date().toISOString(), inProgress: false, attempt: 2 });
    const e = refusing(['doc-earlier']);
    const w = await writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 2, kind: 'documentReference', resource: note, conditional: true, search: 'identifier=urn:x|v' });
    expect(w).toEqual({ resourceType: 'DocumentReference', id: 'doc-earlier', reused: true });
    expect(e.log).toEqual(['POST DocumentReference', 'GET DocumentReference?identifier=urn:x|v']);
    expect(steps).toEqual(['reserve documentReference v2', 'complete documentReference doc-earlier']);
  });

  it('a create answered 401 (it may have landed), then refused on the retry: searched before anything is freed', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'new', attempt: 1 });
    const e = refusing([]);
    let first = true;
    const refusingPost = e.fhir.request.bind(e.fhir);
    e.fhir.request = async (path, init) => {
      if (init?.method === 'POST' && first) { first = false; e.log.push('POST 401'); throw new FhirHttpError(401, 'expired', path); }
      return refusingPost(path, init);
    };
    const { tokens } = renewingTokens();
    await expect(writeOnce(ctxOf(ledger, e.fhir, tokens), { visitKey: KEY, version: 1, kind: 'documentReference', resource: note, conditional: true, search: 'identifier=urn:x|v' }))
      .rejects.toMatchObject({ status: 422 });
    expect(e.log).toEqual(['POST 401', 'POST DocumentReference', 'GET DocumentReference?identifier=urn:x|v']);
    // nothing there: now the reservation is freed (with its attempt)
    expect(steps).toEqual(['reserve documentReference v1', 'reserve documentReference v1 attempt 1', 'release documentReference attempt 1']);
  });

  it('the first POST of a new reservation refused: freed at once, no search', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'new', attempt: 1 });
    const e = refusing(['never-looked-at']);
    await expect(writeOnce(ctxOf(ledger, e.fhir), { visitKey: KEY, version: 1, kind: 'documentReference', resource: note, conditional: true, search: 'identifier=urn:x|v' }))
      .rejects.toMatchObject({ status: 422 });
    expect(e.log).toEqual(['POST DocumentReference']);
    expect(steps).toEqual(['reserve documentReference v1', 'release documentReference attempt 1']);
  });
});

describe('an update in place retried after a 401', () => {
  it('reads the version tag again inside the retry: the second PUT matches the version the EHR now holds', async () => {
    const { ledger, steps } = ledgerSaying({ state: 'new', attempt: 1 });
    // the first PUT is answered 401 — and (a gateway that checked the token late) it did land: the version moved on
    const e = ehr((n, doc) => { if (n === 1) { doc.versionId++; return 401; } return undefined; });
    const { tokens, t } = renewingTokens();
    const w = await writeOnce(ctxOf(ledger, e.fhir, tokens), { visitKey: KEY, version: 2, kind: 'documentReference', resource: note, conditional: false, updateId: 'doc-1' });
    expect(t.renewals).toBe(1);
    expect(e.log).toEqual([
      'GET DocumentReference/doc-1', 'PUT DocumentReference/doc-1 if-match W/"1"',
      'GET DocumentReference/doc-1', 'PUT DocumentReference/doc-1 if-match W/"2"',
    ]);
    expect(w).toEqual({ resourceType: 'DocumentReference', id: 'doc-1', reused: false });
    expect(e.docs.get('doc-1')?.versionId).toBe(3);
    expect(steps).toEqual(['reserve documentReference v2', 'complete documentReference doc-1']);
  });

  it('a 401 on the read before the PUT is renewed and the read repeated (one renewal, one PUT)', async () => {
    const { ledger } = ledgerSaying({ state: 'new', attempt: 1 });
    const e = ehr();
    const { tokens, t } = renewingTokens();
    const inner = e.fhir.request.bind(e.fhir);
    let reads = 0;
    e.fhir.request = async (path, init) => {
      if ((init?.method ?? 'GET') === 'GET' && ++reads === 1) { e.log.push(`GET ${path} 401`); throw new FhirHttpError(401, 'expired', path); }
      return inner(path, init);
    };
    await writeOnce(ctxOf(ledger, e.fhir, tokens), { visitKey: KEY, version: 2, kind: 'documentReference', resource: note, conditional: false, updateId: 'doc-1' });
    expect(t.renewals).toBe(1);
    expect(e.log).toEqual(['GET DocumentReference/doc-1 401', 'GET DocumentReference/doc-1', 'PUT DocumentReference/doc-1 if-match W/"1"']);
  });
});
