/**
 * Writes one resource of one version at most once, whatever happens around it (second click, reload, relaunch, retry
 * after a network error): reserve in the app's ledger; 'done' → reuse the id (and repeat the idempotent completion, so
 * a completion whose answer was lost is recorded); 'pending' and in progress (the server says so, by its clock) →
 * write nothing and say another window is writing; otherwise ('new', or a stale reservation the server handed to this
 * caller alone) create (conditionally where the EHR supports it, else after searching for what an interrupted earlier
 * attempt may have written) or update in place; then complete.
 * An EHR write answered 401 is retried once after renewing the tokens, by the same idempotent path.
 */
import { APP_IDENTIFIER_SYSTEM } from '../../../server/contracts/plain';
import type { LedgerKind } from '../../../server/contracts/index';
import type { Bundle, Resource } from '../fhir/types';
import { FhirHttpError, type FhirResponse } from '../fhir/port';
import { retryOnceAfterRenew } from '../smart/retryAfterRenew';
import { WriteInProgressError, WriteUncertainError, type WriteContext, type WrittenResource } from './types';

export function appIdentifier(resource: Resource): string | undefined {
  const ids = resource.identifier as { system?: string; value?: string }[] | undefined;
  return ids?.find((i) => i.system === APP_IDENTIFIER_SYSTEM)?.value;
}

const idFrom = (body: Resource | undefined, location: string | undefined, type: string): string | undefined => {
  if (body?.resourceType === type && body.id) return body.id;
  const m = location ? new RegExp(`${type}/([A-Za-z0-9.-]{1,64})`).exec(location) : null;
  return m?.[1];
};

export interface WriteOnceOptions {
  visitKey: string;
  version: number;
  kind: LedgerKind;
  resource: Resource & { resourceType: 'DocumentReference' | 'Claim' | 'Provenance' };
  /** send If-None-Exist with `search` (generic SMART servers) */
  conditional: boolean;
  /** the search that finds this resource if an earlier attempt wrote it, e.g. identifier=system|value */
  search?: string;
  /** update this existing resource in place (PUT) instead of creating one */
  updateId?: string;
}

/** A definite refusal: nothing was created (401, 408, 429 and 5xx may have landed, or will be retried). */
export const definitelyRefused = (err: unknown) =>
  err instanceof FhirHttpError && err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status);

export async function writeOnce(ctx: WriteContext, opts: WriteOnceOptions): Promise<WrittenResource> {
  const { resource, kind, visitKey, version } = opts;
  const type = resource.resourceType;
  const reservation = await ctx.ledger.reserve(visitKey, version, kind);
  if (reservation.state === 'done' && reservation.resourceId) {
    await ctx.ledger.complete(visitKey, version, kind, reservation.resourceId);
    return { resourceType: type, id: reservation.resourceId, reused: true };
  }
  // The server decides, by its clock, whether an earlier reservation may still be writing; a stale one it hands to
  // exactly one caller (inProgress: false). Anything else — including an answer that does not say — writes nothing.
  if (reservation.state !== 'new' && reservation.inProgress !== false) throw new WriteInProgressError(type);
  let attempt = reservation.attempt;
  const release = () => ctx.ledger.release(visitKey, version, kind, attempt).catch(() => undefined);
  /**
   * Before a write that follows a wait (a search, a renewal of the tokens), this attempt keeps its reservation, so
   * the server never judges it stale while it is still writing (every EHR write then starts within one request's
   * timeout of the last keep, well inside the server's window). The id when another attempt finished it meanwhile;
   * WriteInProgressError when another window took it over.
   */
  const keep = async (): Promise<string | undefined> => {
    if (attempt === undefined) return undefined; // a ledger that does not number attempts: nothing to keep
    const r = await ctx.ledger.reserve(visitKey, version, kind, attempt);
    if (r.state === 'done' && r.resourceId) return r.resourceId;
    if (r.state !== 'new' && r.inProgress !== false) throw new WriteInProgressError(type);
    attempt = r.attempt;
    return undefined;
  };
  if (opts.updateId) {
    // PUT is idempotent: repeating it after an interruption writes the same content again, never a copy
    const path = `${type}/${encodeURIComponent(opts.updateId)}`;
    // read the version, then PUT matching it — as one operation: after a 401 (on the read or the PUT) both are done
    // again with the renewed token, so the retried PUT matches the version the EHR holds now (a PUT answered 401
    // that landed anyway, or another edit meanwhile, moved it), not the one read before the first try
    const put = async () => {
      const current = await ctx.fhir.request<Resource & { meta?: { versionId?: string } }>(path);
      const vid = current.body?.meta?.versionId;
      return ctx.fhir.request<Resource>(path, {
        method: 'PUT', body: { ...resource, id: opts.updateId }, headers: vid ? { 'if-match': `W/"${vid}"` } : {},
      });
    };
    try {
      await retryOnceAfterRenew(ctx.tokens, put);
    } catch (err) {
      if (definitelyRefused(err)) await release();
      throw err;
    }
    await ctx.ledger.complete(visitKey, version, kind, opts.updateId);
    return { resourceType: type, id: opts.updateId, reused: false };
  }
  const query = opts.search;
  if (reservation.state !== 'new' && !(opts.conditional && query)) {
    // An earlier attempt started and did not finish: look for what it may have written before writing again.
    if (!query) throw new WriteUncertainError(type);
    const existing = (await findWritten(ctx, type, query)) ?? (await keep());
    if (existing) {
      await ctx.ledger.complete(visitKey, version, kind, existing);
      return { resourceType: type, id: existing, reused: true };
    }
  }
  let posts = 0;
  const create = async (): Promise<Created> => {
    posts++;
    return {
      res: await ctx.fhir.request<Resource>(type, {
        method: 'POST',
        body: resource,
        headers: opts.conditional && query ? { 'if-none-exist': query } : {},
      }),
    };
  };
  // The EHR answered the POST 401 and the tokens were renewed. The retry cannot write a second copy (a second Claim
  // to bill): it runs under the same ledger reservation this call holds (no other attempt writes this resource of
  // this version meanwhile), and it takes the same idempotent path as resuming an interrupted write — a conditional
  // create where the EHR offers it (If-None-Exist on the identifier the server stamped: a POST that did land is
  // answered 200 with that resource), otherwise a search on that identifier first, creating only when nothing is
  // there; the ledger is then completed with the one id the EHR holds. A second 401 stops (no loop) and leaves the
  // reservation pending, so the Write after a relaunch checks the EHR before writing.
  const createAfterRenew = async (): Promise<Created> => {
    const finished = await keep();
    if (finished) return { existing: finished };
    if (opts.conditional && query) return create();
    if (!query) throw new WriteUncertainError(type);
    const existing = (await findWritten(ctx, type, query)) ?? (await keep());
    return existing ? { existing } : create();
  };
  let created: Created;
  try {
    created = await retryOnceAfterRenew(ctx.tokens, create, createAfterRenew);
  } catch (err) {
    // A definite refusal frees the reservation (a refused note marks the version "note failed"), so a retry after the
    // fix goes ahead at once. 401, 5xx, timeouts and network errors stay pending: the next attempt checks first.
    // The refusal proves only that this POST wrote nothing: where an earlier one may have landed (a resumed
    // reservation whose conditional create skipped the search, or a POST answered 401 before the retry), the EHR is
    // searched first — what is there is recorded, and an unanswered search leaves the reservation pending.
    if (!definitelyRefused(err)) throw err;
    if (reservation.state === 'new' && posts <= 1) { await release(); throw err; }
    if (!query) throw err;
    const earlier = await findWritten(ctx, type, query).then((id) => ({ id }), () => null);
    if (!earlier) throw err;
    if (!earlier.id) { await release(); throw err; }
    created = { existing: earlier.id };
  }
  if ('existing' in created) {
    await ctx.ledger.complete(visitKey, version, kind, created.existing);
    return { resourceType: type, id: created.existing, reused: true };
  }
  const { res } = created;
  const id = idFrom(res.body, res.location, type);
  if (!id) throw new FhirHttpError(502, `the EHR did not say which ${type} it created`, type);
  await ctx.ledger.complete(visitKey, version, kind, id);
  // 200 to a conditional create = the resource already existed (an earlier attempt landed).
  return { resourceType: type, id, reused: opts.conditional && res.status === 200 };
}

type Created = { res: FhirResponse<Resource> } | { existing: string };

/** The id of what an earlier attempt wrote, found by its identifier; a search that fails leaves the outcome unknown. */
async function findWritten(ctx: WriteContext, type: string, query: string): Promise<string | undefined> {
  try {
    const found = await ctx.fhir.request<Bundle>(`${type}?${query}`);
    return found.body?.entry?.map((e) => e.resource).find((r) => r?.resourceType === type && r.id)?.id;
  } catch (err) {
    if (err instanceof FhirHttpError && err.status === 401) throw err;
    throw new WriteUncertainError(type);
  }
}

/** The drafts must point at this launch's patient; anything else is refused before a byte is written. */
export function assertSamePatient(resource: Resource, field: 'subject' | 'patient', patientId: string): boolean {
  const ref = (resource[field] as { reference?: string } | undefined)?.reference;
  return ref === `Patient/${patientId}` || (typeof ref === 'string' && ref.endsWith(`/Patient/${patientId}`));
}
