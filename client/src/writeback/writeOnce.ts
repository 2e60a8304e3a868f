/**
 * Writes one resource at most once per visit, whatever happens around it (second click, reload, retry after a
 * network error): reserve in the app's ledger; 'done' → reuse the id; otherwise create (conditionally where the
 * EHR supports it, else after checking by identifier that an interrupted earlier attempt did not land); then
 * complete the ledger entry with the id.
 */
import { APP_IDENTIFIER_SYSTEM } from '../../../server/contracts/index';
import type { LedgerKind } from '../api/drafts';
import type { Bundle, Resource } from '../fhir/types';
import { FhirHttpError } from '../fhir/port';
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
  kind: LedgerKind;
  resource: Resource & { resourceType: 'DocumentReference' | 'Claim' };
  /** send If-None-Exist on the app identifier (generic SMART servers) */
  conditional: boolean;
}

/** How long a pending reservation counts as a write still in flight (the FHIR timeout is 15 s). */
export const IN_PROGRESS_MS = 30_000;

export async function writeOnce(ctx: WriteContext, opts: WriteOnceOptions): Promise<WrittenResource> {
  const { resource, kind, visitKey } = opts;
  const type = resource.resourceType;
  const identifier = appIdentifier(resource);
  const reservation = await ctx.ledger.reserve(visitKey, kind);
  if (reservation.state === 'done' && reservation.resourceId) {
    return { resourceType: type, id: reservation.resourceId, reused: true };
  }
  // A reservation younger than this is another click or tab still writing; older ones were interrupted.
  if (reservation.state === 'pending' && reservation.reservedAt && Date.now() - Date.parse(reservation.reservedAt) < IN_PROGRESS_MS) {
    throw new WriteInProgressError(type);
  }
  const query = identifier ? `identifier=${encodeURIComponent(`${APP_IDENTIFIER_SYSTEM}|${identifier}`)}` : undefined;
  if (reservation.state !== 'new' && !(opts.conditional && query)) {
    // An earlier attempt started and did not finish: look for what it may have written before writing again.
    if (!query) throw new WriteUncertainError(type);
    let existing: string | undefined;
    try {
      const found = await ctx.fhir.request<Bundle>(`${type}?patient=${encodeURIComponent(ctx.patientId)}&${query}`);
      existing = found.body?.entry?.map((e) => e.resource).find((r) => r?.resourceType === type && r.id)?.id;
    } catch (err) {
      if (err instanceof FhirHttpError && err.status === 401) throw err;
      throw new WriteUncertainError(type);
    }
    if (existing) {
      await ctx.ledger.complete(visitKey, kind, existing);
      return { resourceType: type, id: existing, reused: true };
    }
  }
  let res;
  try {
    res = await ctx.fhir.request<Resource>(type, {
      method: 'POST',
      body: resource,
      headers: opts.conditional && query ? { 'if-none-exist': query } : {},
    });
  } catch (err) {
    // A definite refusal (400/403/409/412/422…: nothing was created) frees the reservation, so a retry after
    // the fix goes ahead at once instead of reporting "being written right now". 401, 5xx, timeouts and network
    // errors stay pending: the write may have landed, and the next attempt checks before writing.
    if (err instanceof FhirHttpError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 408 && err.status !== 429) {
      await ctx.ledger.release?.(visitKey, kind).catch(() => undefined);
    }
    throw err;
  }
  const id = idFrom(res.body, res.location, type);
  if (!id) throw new FhirHttpError(502, `the EHR did not say which ${type} it created`, type);
  await ctx.ledger.complete(visitKey, kind, id);
  // 200 to a conditional create = the resource already existed (an earlier attempt landed).
  return { resourceType: type, id, reused: opts.conditional && res.status === 200 };
}

/** The drafts must point at this launch's patient; anything else is refused before a byte is written. */
export function assertSamePatient(resource: Resource, field: 'subject' | 'patient', patientId: string): boolean {
  const ref = (resource[field] as { reference?: string } | undefined)?.reference;
  return ref === `Patient/${patientId}` || (typeof ref === 'string' && ref.endsWith(`/Patient/${patientId}`));
}
