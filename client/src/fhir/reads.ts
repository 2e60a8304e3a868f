/**
 * Reads the visit's record in parallel. Each read is isolated: a 403, 404, 500 or timeout leaves that part
 * missing with a notice and never breaks the others. Only a 401 (session expired) stops the review.
 * Dependent reads (the performer Practitioner of the latest Procedure, the payor Organization of the Coverage)
 * start as soon as the read they depend on has answered.
 */
import { FhirHttpError, FhirTimeoutError, type FhirPort } from './port';
import type { Bundle, Reference, Resource } from './types';
import type { GrantedScopes } from '../smart/scopes';

export type ReadPart = 'Patient' | 'Coverage' | 'Device' | 'Procedure' | 'MedicationAdministration' | 'Condition'
  | 'Encounter' | 'Practitioner' | 'Organization' | 'Location';
export type NoticeKind = 'not-granted' | 'forbidden' | 'not-found' | 'failed' | 'timeout';
export interface ReadNotice { part: ReadPart; kind: NoticeKind; status?: number }

export interface RecordRead {
  resources: Resource[];
  notices: ReadNotice[];
  /** a 401 came back: the session is over, the user must relaunch */
  sessionExpired: boolean;
}

export interface ReadContext { patientId: string; encounterId?: string; scopes: GrantedScopes; today: Date; maxPages?: number }

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

class SessionExpired extends Error {}

/** The date a Procedure was performed (performedDateTime or performedPeriod.start), as YYYY-MM-DD. */
export function procedureDay(p: Resource): string | undefined {
  const v = (p.performedDateTime as string | undefined) ?? (p.performedPeriod as { start?: string } | undefined)?.start;
  return typeof v === 'string' ? v.slice(0, 10) : undefined;
}

/** Procedures of the visit: those on the latest performed day (today's when the visit is today). */
export function visitProcedures(procedures: Resource[]): Resource[] {
  const days = procedures.map(procedureDay).filter((d): d is string => !!d).sort();
  const latest = days[days.length - 1];
  return latest ? procedures.filter((p) => procedureDay(p) === latest) : [];
}

const refIds = (refs: (Reference | undefined)[], type: string): string[] => [...new Set(refs
  .map((r) => r?.reference)
  .filter((r): r is string => typeof r === 'string')
  .map((r) => /^([A-Za-z]+)\/([A-Za-z0-9.-]{1,64})$/.exec(r))
  .filter((m): m is RegExpExecArray => !!m && m[1] === type)
  .map((m) => m[2] as string))];

export function performerIds(procedures: Resource[]): string[] {
  const perf = procedures.flatMap((p) => (p.performer as { actor?: Reference }[] | undefined) ?? []).map((x) => x.actor);
  return refIds(perf, 'Practitioner');
}
export function payorIds(coverages: Resource[]): string[] {
  return refIds(coverages.flatMap((c) => (c.payor as Reference[] | undefined) ?? []), 'Organization');
}

export function locationIds(encounter: Resource | undefined): string[] {
  return refIds(((encounter?.location as { location?: Reference }[] | undefined) ?? []).map((l) => l.location), 'Location');
}

export async function readRecord(port: FhirPort, ctx: ReadContext): Promise<RecordRead> {
  const notices: ReadNotice[] = [];
  const resources: Resource[] = [];
  const pid = encodeURIComponent(ctx.patientId);
  const maxPages = ctx.maxPages ?? 3;
  const granted = (part: ReadPart) => ctx.scopes.has(part, 'r') || ctx.scopes.has(part, 's');

  const guard = async <T>(part: ReadPart, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!granted(part)) { notices.push({ part, kind: 'not-granted' }); return undefined; }
    try {
      return await fn();
    } catch (err) {
      if (err instanceof FhirHttpError) {
        if (err.status === 401) throw new SessionExpired();
        notices.push({ part, status: err.status, kind: err.status === 403 ? 'forbidden' : err.status === 404 ? 'not-found' : 'failed' });
      } else if (err instanceof FhirTimeoutError) {
        notices.push({ part, kind: 'timeout' });
      } else {
        notices.push({ part, kind: 'failed' });
      }
      return undefined;
    }
  };
  const read = (part: ReadPart, id: string) => guard(part, async () => {
    const r = (await port.request<Resource>(`${part}/${encodeURIComponent(id)}`)).body;
    if (r?.resourceType === part) resources.push(r);
    return r;
  });
  const search = (part: ReadPart, query: string) => guard(part, async () => {
    const found: Resource[] = [];
    let next: string | undefined = `${part}?${query}`;
    for (let page = 0; next && page < maxPages; page++) {
      const bundle: Bundle = (await port.request<Bundle>(next)).body;
      for (const e of bundle?.entry ?? []) if (e.resource?.resourceType === part) found.push(e.resource);
      const link = bundle?.link?.find((l) => l.relation === 'next')?.url;
      // Paging stays under the FHIR base; a foreign next link is ignored, never sent the token.
      next = link && (link.startsWith(`${port.base}/`) || link.startsWith(`${port.base}?`)) ? link : undefined;
    }
    resources.push(...found);
    return found;
  });

  const yearAgo = new Date(ctx.today.getTime() - 365 * 86_400_000);
  try {
    await Promise.all([
      read('Patient', ctx.patientId),
      search('Coverage', `patient=${pid}&status=active`).then(async (covs) => {
        await Promise.all(payorIds(covs ?? []).map((id) => read('Organization', id)));
      }),
      search('Device', `patient=${pid}`),
      search('Procedure', `patient=${pid}&date=ge${isoDay(yearAgo)}&_sort=-date&_count=50`).then(async (procs) => {
        await Promise.all(performerIds(visitProcedures(procs ?? [])).map((id) => read('Practitioner', id)));
      }),
      search('MedicationAdministration', `patient=${pid}&_count=50`),
      search('Condition', `patient=${pid}`),
      ctx.encounterId ? read('Encounter', ctx.encounterId).then(async (enc) => {
        // The encounter's Location gives the place of service; optional, read only when granted (no notice).
        if (granted('Location')) await Promise.all(locationIds(enc).map((id) => read('Location', id)));
      }) : Promise.resolve(undefined),
    ]);
  } catch (err) {
    if (err instanceof SessionExpired) return { resources, notices, sessionExpired: true };
    throw err;
  }
  return { resources, notices, sessionExpired: false };
}
