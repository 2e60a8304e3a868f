/**
 * The visit every other reader works from (DESIGN.md "Reading real EHR records": the visit).
 * - The launch encounter is the Encounter the client tagged (LAUNCH_ENCOUNTER_TAG), else the latest Encounter.
 * - It is the visit when its local date is the date of the latest pump procedure and it has a pump service.
 *   When it is older than the latest pump procedure, or has no pump service while another visit has one, the
 *   visit is the latest pump procedure's (its encounter, its date) and a `stale-launch-encounter` notice offers
 *   the launch encounter instead (the action's override sets serviceDate, which re-scopes the visit).
 * - A clinician's serviceDate (opts.serviceDate) or the EHR session's date (opts.today) decides the date.
 * - Procedures, medications, notes and diagnoses belong to the visit by encounter reference first, by local date
 *   second: a resource that names another encounter is not part of this visit even on the same day.
 * Local dates use the time zone of the state where the service was furnished (dates.ts), read once for the visit's
 * final Encounter (service-state.ts): the visit is chosen again when that Encounter names another state than the
 * launch encounter, so the dates and the serviceState fact always use the same state.
 */
import { LAUNCH_ENCOUNTER_TAG, type RecordReferences } from '../../contracts/index.js';
import { localDateOf } from './dates.js';
import { documentText, sentencesOf, type NoteSentence } from './notes.js';
import type { ConceptRead } from './concept.js';
import { procedureCodes, procedureDate, pumpServiceOf, type PumpService } from './procedures.js';
import { ccText, notesText, obj, objs, refTo, str, usable, type Resource, type ResourceIndex } from './record.js';
import { serviceStateOf, type ServiceState } from './service-state.js';
import type { Sources } from './sources.js';

export interface VisitOptions {
  /** the EHR session's date (YYYY-MM-DD) */
  today?: string;
  /** the clinician's service date (the serviceDate override): the visit of that date is read */
  serviceDate?: string;
}

export interface Visit {
  index: ResourceIndex;
  src: Sources;
  references: RecordReferences;
  /** the visit's Encounter */
  encounter?: Resource;
  /** the Encounter of the launch context (tagged by the client), when there is one */
  launchEncounter?: Resource;
  serviceDate: string;
  /** where the service was furnished, for the visit's Encounter (service-state.ts): its state's time zone turns UTC
   * instants into local dates, and it is the serviceState fact */
  serviceState: ServiceState;
  /** local date of a FHIR date/dateTime/instant (worked out once per value) */
  localDate: (v: unknown) => string | undefined;
  /** a Procedure's local date, pump services and codes, each worked out once per request (procedures.ts) */
  procedureDateOf: (p: Resource) => string | undefined;
  pumpServiceOf: (p: Resource) => ConceptRead<PumpService> | undefined;
  procedureCodesOf: (p: Resource) => { cpt: string[]; hcpcs: string[] };
  /** does this resource belong to the visit (encounter reference first, local date second)? */
  inVisit: (encounterRefs: unknown[], dates: unknown[]) => boolean;
  todaysProcedures: Resource[];
  priorProcedures: Resource[];
  /** the visit's DocumentReferences (notes) */
  documents: Resource[];
  /** the visit's words, sentence by sentence, each with the resource it came from */
  sentences: NoteSentence[];
  /** the same words as one text, for the simpler readers */
  todaysNotes: string;
  /** the visit's Procedure with a pump service (coded first, then by its words), else its first Procedure */
  pumpProcedure?: Resource;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);
const isDate = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
const isLaunchTagged = (e: Resource) => objs(obj(e.meta).tag).some((t) => t.system === LAUNCH_ENCOUNTER_TAG.system && t.code === LAUNCH_ENCOUNTER_TAG.code);

/** a per-request memo of a function of one resource */
function once<T>(f: (r: Resource) => T): (r: Resource) => T {
  const memo = new Map<Resource, T>();
  return (r) => {
    if (memo.has(r)) return memo.get(r) as T;
    const v = f(r);
    memo.set(r, v);
    return v;
  };
}

interface Choice {
  serviceDate: string;
  encounter?: Resource;
  localDate: (v: unknown) => string | undefined;
  dateOf: (p: Resource) => string | undefined;
  /** writes the serviceDate source and the stale-launch notice (only for the choice kept) */
  record: () => void;
}

export function readVisit(index: ResourceIndex, src: Sources, references: RecordReferences, patientState?: string, opts: VisitOptions = {}): Visit {
  const encounters = index.ofType('Encounter').filter(usable);
  const procedures = index.ofType('Procedure').filter(usable);
  const tagged = encounters.find(isLaunchTagged);
  const serviceOf = once((p: Resource) => pumpServiceOf(p));
  const codesOf = once((p: Resource) => procedureCodes(p));

  const refersTo = (ref: unknown, enc: Resource): boolean => {
    const hit = index.resolve(ref, 'Encounter');
    if (hit) return hit === enc;
    const reference = str(obj(ref).reference);
    const id = str(enc.id);
    return !!reference && !!id && (reference === `Encounter/${id}` || reference.endsWith(`/Encounter/${id}`));
  };
  const names = (refs: unknown[]) => refs.flatMap((r) => (Array.isArray(r) ? r : [r])).filter((r) => str(obj(r).reference) || str(obj(obj(r).identifier).value));

  /** the visit's date and Encounter, with local dates in `zoneState`'s time zone */
  const choose = (zoneState: string | undefined): Choice => {
    // a UTC instant's local date costs an Intl conversion: once per value (the encounter sort asks again and again)
    const localMemo = new Map<string, string | undefined>();
    const localDate = (v: unknown): string | undefined => {
      if (typeof v !== 'string') return undefined;
      if (!localMemo.has(v)) localMemo.set(v, localDateOf(v, zoneState)?.date);
      return localMemo.get(v);
    };
    const dateOf = once((p: Resource) => procedureDate(p, localDate));
    const encDate = (e: Resource) => localDate(obj(e.period).start) ?? localDate(obj(e.period).end);
    const launchEncounter = tagged ?? [...encounters].sort((a, b) => (encDate(b) ?? '').localeCompare(encDate(a) ?? ''))[0];
    const pumpProcs = procedures
      .map((p) => ({ p, date: dateOf(p), service: serviceOf(p) }))
      .filter((x): x is { p: Resource; date: string; service: NonNullable<typeof x.service> } => !!x.date && !!x.service)
      .sort((a, b) => b.date.localeCompare(a.date));
    const latestPump = pumpProcs[0];
    const encounterOfDate = (date: string) => encounters.find((e) => encDate(e) === date);
    const base = { localDate, dateOf };

    if (isDate(opts.serviceDate)) {
      const serviceDate = opts.serviceDate;
      const encounter = launchEncounter && encDate(launchEncounter) === serviceDate ? launchEncounter
        : pumpProcs.filter((x) => x.date === serviceDate).map((x) => index.resolve(x.p.encounter, 'Encounter')).find(Boolean) ?? encounterOfDate(serviceDate);
      return { ...base, serviceDate, encounter, record: () => src.set('serviceDate', 'clinician', undefined, 'Set by the clinician on the review screen; the visit of this date is read.') };
    }
    if (isDate(opts.today)) {
      const serviceDate = opts.today;
      const encounter = launchEncounter && encDate(launchEncounter) === serviceDate ? launchEncounter : encounterOfDate(serviceDate) ?? launchEncounter;
      return { ...base, serviceDate, encounter, record: () => src.set('serviceDate', 'derived', undefined, 'The date of the visit in the EHR session.') };
    }
    if (launchEncounter && isDate(encDate(launchEncounter))) {
      const launchDate = encDate(launchEncounter) as string;
      const launchHasPump = pumpProcs.some((x) => (names([x.p.encounter]).length ? refersTo(x.p.encounter, launchEncounter) : x.date === launchDate));
      const which = tagged ? 'The encounter the EHR opened the app with' : 'The latest encounter on the record';
      if (latestPump && (latestPump.date > launchDate || !launchHasPump)) {
        const serviceDate = latestPump.date;
        const why = latestPump.date > launchDate ? `is from ${launchDate}, older than the latest pump procedure (${latestPump.date})` : `(${launchDate}) has no pump service; the latest pump procedure is from ${latestPump.date}`;
        return {
          ...base, serviceDate, encounter: index.resolve(latestPump.p.encounter, 'Encounter') ?? encounterOfDate(serviceDate),
          record: () => {
            src.set('serviceDate', 'derived', latestPump.p, `${which} ${why}: the visit of ${latestPump.date} is reviewed. Confirm.`);
            src.notice({
              id: 'stale-launch-encounter', severity: 'warning',
              message: `${which} ${why}. This review shows the pump visit of ${latestPump.date}.`,
              action: { label: `Review the encounter of ${launchDate} instead`, overrides: { serviceDate: launchDate } },
            });
          },
        };
      }
      return { ...base, serviceDate: launchDate, encounter: launchEncounter, record: () => src.set('serviceDate', 'record', launchEncounter) };
    }
    if (latestPump) {
      const serviceDate = latestPump.date;
      return {
        ...base, serviceDate, encounter: index.resolve(latestPump.p.encounter, 'Encounter') ?? encounterOfDate(serviceDate),
        record: () => src.set('serviceDate', 'derived', latestPump.p, 'The date of the latest pump Procedure in the record.'),
      };
    }
    const dates = procedures.map(dateOf).filter(isDate).sort();
    const latest = dates[dates.length - 1];
    const serviceDate = latest ?? todayUtc();
    return {
      ...base, serviceDate, encounter: encounterOfDate(serviceDate),
      record: () => (latest
        ? src.set('serviceDate', 'derived', undefined, 'The date of the latest Procedure in the record (none is a pump service).')
        : src.set('serviceDate', 'default', undefined, "No Encounter or Procedure date in the record; today's date was used. Confirm the date of service.")),
    };
  };

  // The clock is the state where the service was furnished: the chosen Encounter's. Choose with the launch (or first)
  // Encounter's state; when the Encounter chosen says another state, choose again in that state's zone (at most twice
  // more). The zone and the serviceState fact are then always the same state.
  let serviceState = serviceStateOf(index, tagged ?? encounters[0], patientState);
  let choice = choose(serviceState.state);
  for (let pass = 0; pass < 2; pass++) {
    const final = serviceStateOf(index, choice.encounter, patientState);
    if (final.state === serviceState.state) { serviceState = final; break; }
    serviceState = final;
    choice = choose(serviceState.state);
  }
  choice.record();
  const { serviceDate, encounter, localDate, dateOf } = choice;
  if (encounter && str(encounter.id)) references.encounter = refTo(encounter);

  const inVisit = (encounterRefs: unknown[], dates: unknown[]): boolean => {
    const refs = names(encounterRefs);
    if (encounter && refs.length) return refs.some((r) => refersTo(r, encounter as Resource));
    return dates.some((d) => localDate(d) === serviceDate);
  };

  const todaysProcedures = procedures.filter((p) => inVisit([p.encounter, p.context], [p.performedDateTime, obj(p.performedPeriod).start, p.performedString]));
  const priorProcedures = procedures.filter((p) => { const d = dateOf(p); return !!d && d < serviceDate && !todaysProcedures.includes(p); });
  const documents = index.ofType('DocumentReference')
    .filter((d) => str(d.status) !== 'entered-in-error' && str(d.docStatus) !== 'entered-in-error')
    .filter((d) => inVisit([obj(d.context).encounter], [obj(obj(d.context).period).start, d.date]));

  const sentences: NoteSentence[] = [];
  for (const p of todaysProcedures) {
    const code = ccText(p.code);
    if (code) sentences.push(...sentencesOf(code, p, true));
    sentences.push(...sentencesOf(notesText(p.note), p));
  }
  for (const d of documents) sentences.push(...sentencesOf(documentText(d, index), d));
  const todaysNotes = sentences.map((s) => s.text).join('\n');

  const services = todaysProcedures.map((p) => ({ p, s: serviceOf(p) }));
  const pumpProcedure = services.find((x) => x.s?.status === 'record')?.p ?? services.find((x) => x.s)?.p ?? todaysProcedures[0];
  const procRefs = todaysProcedures.map(refTo).filter((r): r is string => !!r);
  if (procRefs.length) references.procedures = procRefs;

  return {
    index, src, references, encounter, launchEncounter: tagged, serviceDate, serviceState, localDate, inVisit,
    procedureDateOf: dateOf, pumpServiceOf: serviceOf, procedureCodesOf: codesOf,
    todaysProcedures, priorProcedures, documents, sentences, todaysNotes, pumpProcedure,
  };
}
