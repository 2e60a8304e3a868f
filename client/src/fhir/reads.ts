/**
 * Reads the visit's record in parallel. Each read is isolated: a 403, 404, 500 or timeout — or a scope the EHR did
 * not grant — leaves that part missing with a notice and never breaks the others. Only a 401 (session expired)
 * stops the review. Dependent reads start as soon as the read they depend on has answered:
 * - Coverage → its payor Organizations;
 * - Procedure → the visit's performers (Practitioner by reference or by identifier, PractitionerRole by reference
 *   and by `practitioner=`), the encounter of the latest pump procedure when it is not the launch encounter, and the
 *   visit's notes (DocumentReference by encounter, else by date; the launch encounter's notes are searched at once,
 *   with the first reads) → their content (`Binary` by url, when not inline);
 * - MedicationAdministration (searched with `_include=MedicationAdministration:medication`) → any Medication it
 *   names that did not come back included and is not contained.
 * The launch Encounter is tagged (LAUNCH_ENCOUNTER_TAG) so the server can tell it from the other encounters.
 */
import { LAUNCH_ENCOUNTER_TAG } from '../../../server/contracts/plain';
import { FhirHttpError, FhirTimeoutError, type FhirPort } from './port';
import type { Bundle, Reference, Resource } from './types';
import type { GrantedScopes } from '../smart/scopes';

export type ReadPart = 'Patient' | 'Coverage' | 'Device' | 'Procedure' | 'MedicationAdministration' | 'Condition'
  | 'Encounter' | 'Practitioner' | 'Organization' | 'Location' | 'Medication' | 'DocumentReference' | 'Binary'
  | 'PractitionerRole';

/** Longest resource id accepted (FHIR says 64; Epic sends 66–110). */
export const MAX_ID_LENGTH = 128;
const ID = `[A-Za-z0-9.-]{1,${MAX_ID_LENGTH}}`;
const REF = new RegExp(`^([A-Za-z]+)\\/(${ID})(?:\\/_history\\/[^/]+)?$`);
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

/** The date a Procedure was performed (performedDateTime or performedPeriod.start), as YYYY-MM-DD (as charted; the server converts UTC instants to the local date). */
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

/** Ids of relative references of one type ("Type/id"; absolute URLs only under `base`, never a foreign server's). */
const refIds = (refs: (Reference | undefined)[], type: string, base?: string): string[] => [...new Set(refs
  .map((r) => r?.reference)
  .filter((r): r is string => typeof r === 'string')
  .map((r) => (base && r.startsWith(`${base}/`) ? r.slice(base.length + 1) : r))
  .map((r) => REF.exec(r))
  .filter((m): m is RegExpExecArray => !!m && m[1] === type)
  .map((m) => m[2] as string))];

interface Identifier { system?: string; value?: string }
/** Performers named only by identifier (no reference): `Practitioner?identifier=system|value`. */
export function performerIdentifiers(procedures: Resource[]): Identifier[] {
  const out: Identifier[] = [];
  for (const p of procedures) {
    for (const x of (p.performer as { actor?: Reference & { identifier?: Identifier; type?: string } }[] | undefined) ?? []) {
      const a = x.actor;
      if (!a || a.reference || !a.identifier?.value || (a.type && a.type !== 'Practitioner')) continue;
      if (!out.some((o) => o.value === a.identifier?.value && o.system === a.identifier?.system)) out.push(a.identifier);
    }
  }
  return out.slice(0, 5);
}
export function performerRoleIds(procedures: Resource[]): string[] {
  return refIds(procedures.flatMap((p) => (p.performer as { actor?: Reference }[] | undefined) ?? []).map((x) => x.actor), 'PractitionerRole');
}
/** Medications named by MedicationAdministration.medicationReference that are neither contained nor already read. */
export function medicationIds(admins: Resource[], have: Resource[]): string[] {
  const got = new Set(have.filter((r) => r.resourceType === 'Medication').map((r) => r.id));
  return refIds(admins.map((m) => m.medicationReference as Reference | undefined), 'Medication').filter((id) => !got.has(id)).slice(0, 20);
}
/** Binary urls of DocumentReference attachments without inline data (text formats first, at most `max`). */
export function binaryIds(docs: Resource[], base?: string, max = 5): string[] {
  // Epic sends each note as an HTML and an RTF Binary of the same text: one per note (plain, then HTML, then RTF),
  // and none when the note already carries its text inline.
  type Att = { url?: string; data?: string; contentType?: string };
  const rank = (ct?: string) => (!ct ? 3 : /^text\/plain/.test(ct) ? 0 : /html|xml/.test(ct) ? 1 : /rtf/.test(ct) ? 2 : 4);
  const urls = docs.flatMap((d) => {
    const atts = ((d.content as { attachment?: Att }[] | undefined) ?? []).map((c) => c.attachment).filter((a): a is Att => !!a);
    if (atts.some((a) => a.data && rank(a.contentType) < 4)) return [];
    const best = atts.filter((a) => a.url && rank(a.contentType) < 4).sort((a, b) => rank(a.contentType) - rank(b.contentType))[0];
    return best ? [{ reference: best.url }] : [];
  });
  return refIds(urls, 'Binary', base).slice(0, max);
}
const PUMP_CPT = new Set(['62367', '62368', '62369', '62370', '95990', '95991', '96522']);
/** Is this Procedure a pump service? A pump CPT code, or words naming a pump refill/interrogation. */
export function isPumpProcedure(p: Resource): boolean {
  const code = p.code as { coding?: { code?: string; display?: string }[]; text?: string } | undefined;
  if (code?.coding?.some((c) => c.code && PUMP_CPT.has(c.code))) return true;
  const words = [code?.text, ...(code?.coding ?? []).map((c) => c.display)].filter(Boolean).join(' ');
  return /pump|intrathecal|reservoir/i.test(words) && /refill|interrogat|analy|reprogram/i.test(words);
}
const encounterId = (r: Resource | undefined): string | undefined => {
  const ref = (r?.encounter as Reference | undefined)?.reference ?? (r?.context as Reference | undefined)?.reference;
  const m = ref ? /(?:^|\/)Encounter\/([A-Za-z0-9.-]{1,128})$/.exec(ref) : null;
  return m?.[1];
};

export function performerIds(procedures: Resource[]): string[] {
  const perf = procedures.flatMap((p) => (p.performer as { actor?: Reference }[] | undefined) ?? []).map((x) => x.actor);
  return refIds(perf, 'Practitioner');
}
/** Practitioners a PractitionerRole points at. */
export function rolePractitionerIds(roles: Resource[]): string[] {
  return refIds(roles.map((r) => r.practitioner as Reference | undefined), 'Practitioner');
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
  /** Every page of a search (up to maxPages): the `part` resources and the `include` types it carries; throws as the EHR answers. */
  const pages = async (part: ReadPart, query: string, include: ReadPart[]) => {
    const found: Resource[] = [];
    let next: string | undefined = `${part}?${query}`;
    for (let page = 0; next && page < maxPages; page++) {
      const bundle: Bundle = (await port.request<Bundle>(next)).body;
      for (const e of bundle?.entry ?? []) {
        const t = e.resource?.resourceType;
        if (t === part || (t && (include as string[]).includes(t))) found.push(e.resource as Resource);
      }
      const link = bundle?.link?.find((l) => l.relation === 'next')?.url;
      // Paging stays under the FHIR base; a foreign next link is ignored, never sent the token.
      next = link && (link.startsWith(`${port.base}/`) || link.startsWith(`${port.base}?`)) ? link : undefined;
    }
    resources.push(...found);
    return found.filter((r) => r.resourceType === part);
  };
  const search = (part: ReadPart, query: string, include: ReadPart[] = []) => guard(part, () => pages(part, query, include));
  /** A search with `_include` (its next pages keep it), read again without it when the server refuses the parameter (400). */
  const searchIncluding = (part: ReadPart, query: string, include: string, types: ReadPart[]) => guard(part, async () => {
    try {
      return await pages(part, `${query}&_include=${encodeURIComponent(include)}`, types);
    } catch (err) {
      if (err instanceof FhirHttpError && err.status === 400) return pages(part, query, types);
      throw err;
    }
  });

  const yearAgo = new Date(ctx.today.getTime() - 365 * 86_400_000);
  /** a resource the reads already have (e.g. included in a search answer) */
  const had = (type: ReadPart, id: string) => resources.find((r) => r.resourceType === type && r.id === id);
  const readOnce = (part: ReadPart, id: string) => had(part, id) ?? read(part, id);
  const readPerformers = async (visit: Resource[]) => {
    const roles = (await Promise.all(performerRoleIds(visit).map((id) => readOnce('PractitionerRole', id)))).filter((r): r is Resource => !!r);
    const ids = [...new Set([...performerIds(visit), ...rolePractitionerIds(roles)])];
    await Promise.all([
      ...ids.map((id) => readOnce('Practitioner', id)),
      ...performerIdentifiers(visit).map((i) => search('Practitioner', `identifier=${encodeURIComponent(i.system ? `${i.system}|${i.value}` : String(i.value))}`)),
      // Roles of the performer (Epic and US Core put the specialty/taxonomy on PractitionerRole); optional.
      ...(granted('PractitionerRole') ? ids.slice(0, 3).map((id) => search('PractitionerRole', `practitioner=${encodeURIComponent(id)}`)) : []),
    ]);
  };
  // The Procedure search goes first: its answer starts the deepest chain of reads (performers, the pump
  // encounter's notes), and a browser sends at most six requests to one host at a time.
  const procedureReads = searchIncluding('Procedure', `patient=${pid}&date=ge${isoDay(yearAgo)}&_sort=-date&_count=50`, 'Procedure:performer', ['Practitioner', 'PractitionerRole']).then(async (procs) => {
    const visit = visitProcedures(procs ?? []);
    const latestPump = [...(procs ?? [])].filter(isPumpProcedure).sort((a, b) => (procedureDay(b) ?? '').localeCompare(procedureDay(a) ?? ''))[0];
    const pumpEncounter = encounterId(latestPump);
    const encounters = [...new Set([ctx.encounterId, pumpEncounter].filter((e): e is string => !!e))];
    await Promise.all([
      // the visit's performers, and the latest pump procedure's when the server reviews that one (a stale launch)
      readPerformers(latestPump && !visit.includes(latestPump) ? [...visit, latestPump] : visit),
      // the latest pump procedure's own encounter, when the launch handed over another one (a stale launch)
      pumpEncounter && pumpEncounter !== ctx.encounterId ? read('Encounter', pumpEncounter) : Promise.resolve(undefined),
      readNotes(encounters, procedureDay(latestPump ?? visit[0] ?? { resourceType: 'Procedure' })),
    ]);
  });
  procedureReads.catch(() => undefined); // awaited below; a 401 elsewhere may end the read before that
  const notesOf = (e: string) => search('DocumentReference', `patient=${pid}&encounter=${encodeURIComponent(e)}&_count=20`);
  // The launch encounter's notes need nothing but the launch: they are searched at once, beside the Procedure search.
  const launchNotes = ctx.encounterId ? notesOf(ctx.encounterId) : undefined;
  launchNotes?.catch(() => undefined); // awaited below; a 401 elsewhere may end the read before that
  const readNotes = async (encounterIds: string[], day: string | undefined) => {
    const searches = encounterIds.length
      ? encounterIds.map((e) => (e === ctx.encounterId && launchNotes ? launchNotes : notesOf(e)))
      : day ? [search('DocumentReference', `patient=${pid}&date=${day}&_count=20`)] : [];
    const docs = (await Promise.all(searches)).flatMap((d) => d ?? []);
    const usable = docs.filter((d) => d.status !== 'entered-in-error' && d.docStatus !== 'entered-in-error');
    await Promise.all(binaryIds(usable, port.base).map((id) => read('Binary', id)));
  };
  const launchEncounter = ctx.encounterId ? read('Encounter', ctx.encounterId).then(async (enc) => {
    if (enc) enc.meta = { ...(enc.meta as object | undefined), tag: [...((enc.meta as { tag?: unknown[] } | undefined)?.tag ?? []), { ...LAUNCH_ENCOUNTER_TAG }] };
    // The encounter's Location gives the place of service; optional, read only when granted (no notice).
    if (granted('Location')) await Promise.all(locationIds(enc).map((id) => read('Location', id)));
    return enc;
  }) : Promise.resolve(undefined);
  try {
    await Promise.all([
      read('Patient', ctx.patientId),
      // the payer and the performers come back included where the EHR supports _include (one wave less)
      searchIncluding('Coverage', `patient=${pid}&status=active`, 'Coverage:payor', ['Organization']).then(async (covs) => {
        await Promise.all(payorIds(covs ?? []).map((id) => readOnce('Organization', id)));
      }),
      search('Device', `patient=${pid}`),
      procedureReads,
      searchIncluding('MedicationAdministration', `patient=${pid}&_count=50`, 'MedicationAdministration:medication', ['Medication']).then(async (admins) => {
        const ids = medicationIds(admins ?? [], resources);
        await Promise.all(ids.map((id) => read('Medication', id)));
      }),
      search('Condition', `patient=${pid}`),
      launchEncounter,
    ]);
  } catch (err) {
    if (err instanceof SessionExpired) return { resources, notices, sessionExpired: true };
    throw err;
  }
  return { resources, notices, sessionExpired: false };
}
