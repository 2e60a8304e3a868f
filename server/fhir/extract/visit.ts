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
 * Local dates use the time zone of the state where the service was furnished (dates.ts).
 */
import { LAUNCH_ENCOUNTER_TAG, type RecordReferences } from '../../contracts/index.js';
import { localDateOf } from './dates.js';
import { documentText, sentencesOf, type NoteSentence } from './notes.js';
import { pumpServiceOf, procedureDate } from './procedures.js';
import { ccText, notesText, obj, objs, refTo, stateCode, str, usable, type Resource, type ResourceIndex } from './record.js';
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
  /** the state whose time zone turns UTC instants into local dates */
  zoneState?: string;
  /** local date of a FHIR date/dateTime/instant */
  localDate: (v: unknown) => string | undefined;
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

/** The state whose clock the visit keeps: the encounter's Location, its service provider, any Location, the patient. */
function zoneStateOf(index: ResourceIndex, encounter: Resource | undefined, patientState: string | undefined): string | undefined {
  if (encounter) {
    for (const l of objs(encounter.location)) {
      const loc = index.resolve(l.location, 'Location', encounter);
      const st = loc ? stateCode(obj(loc.address).state) : undefined;
      if (st) return st;
    }
    const org = index.resolve(encounter.serviceProvider, 'Organization', encounter);
    const st = org ? objs(org.address).map((a) => stateCode(a.state)).find(Boolean) : undefined;
    if (st) return st;
  }
  for (const loc of index.ofType('Location')) { const st = stateCode(obj(loc.address).state); if (st) return st; }
  return patientState;
}

export function readVisit(index: ResourceIndex, src: Sources, references: RecordReferences, patientState?: string, opts: VisitOptions = {}): Visit {
  const encounters = index.ofType('Encounter').filter(usable);
  const procedures = index.ofType('Procedure').filter(usable);
  const tagged = encounters.find(isLaunchTagged);
  const provisional = tagged ?? encounters[0];
  const zoneState = zoneStateOf(index, provisional, patientState);
  const localDate = (v: unknown) => localDateOf(v, zoneState)?.date;
  const encDate = (e: Resource) => localDate(obj(e.period).start) ?? localDate(obj(e.period).end);
  const launchEncounter = tagged ?? [...encounters].sort((a, b) => (encDate(b) ?? '').localeCompare(encDate(a) ?? ''))[0];

  const refersTo = (ref: unknown, enc: Resource): boolean => {
    const hit = index.resolve(ref, 'Encounter');
    if (hit) return hit === enc;
    const reference = str(obj(ref).reference);
    const id = str(enc.id);
    return !!reference && !!id && (reference === `Encounter/${id}` || reference.endsWith(`/Encounter/${id}`));
  };
  const names = (refs: unknown[]) => refs.flatMap((r) => (Array.isArray(r) ? r : [r])).filter((r) => str(obj(r).reference) || str(obj(obj(r).identifier).value));

  const pumpProcs = procedures
    .map((p) => ({ p, date: procedureDate(p, zoneState), service: pumpServiceOf(p) }))
    .filter((x): x is { p: Resource; date: string; service: NonNullable<typeof x.service> } => !!x.date && !!x.service)
    .sort((a, b) => b.date.localeCompare(a.date));
  const latestPump = pumpProcs[0];
  const encounterOfDate = (date: string) => encounters.find((e) => encDate(e) === date);

  let serviceDate: string;
  let encounter: Resource | undefined;
  if (isDate(opts.serviceDate)) {
    serviceDate = opts.serviceDate;
    encounter = launchEncounter && encDate(launchEncounter) === serviceDate ? launchEncounter
      : pumpProcs.filter((x) => x.date === serviceDate).map((x) => index.resolve(x.p.encounter, 'Encounter')).find(Boolean) ?? encounterOfDate(serviceDate);
    src.set('serviceDate', 'clinician', undefined, 'Set by the clinician on the review screen; the visit of this date is read.');
  } else if (isDate(opts.today)) {
    serviceDate = opts.today;
    encounter = launchEncounter && encDate(launchEncounter) === serviceDate ? launchEncounter : encounterOfDate(serviceDate) ?? launchEncounter;
    src.set('serviceDate', 'derived', undefined, 'The date of the visit in the EHR session.');
  } else if (launchEncounter && isDate(encDate(launchEncounter))) {
    const launchDate = encDate(launchEncounter) as string;
    const launchHasPump = pumpProcs.some((x) => (names([x.p.encounter]).length ? refersTo(x.p.encounter, launchEncounter) : x.date === launchDate));
    const which = tagged ? 'The encounter the EHR opened the app with' : 'The latest encounter on the record';
    if (latestPump && (latestPump.date > launchDate || !launchHasPump)) {
      serviceDate = latestPump.date;
      encounter = index.resolve(latestPump.p.encounter, 'Encounter') ?? encounterOfDate(serviceDate);
      const why = latestPump.date > launchDate ? `is from ${launchDate}, older than the latest pump procedure (${latestPump.date})` : `(${launchDate}) has no pump service; the latest pump procedure is from ${latestPump.date}`;
      src.set('serviceDate', 'derived', latestPump.p, `${which} ${why}: the visit of ${latestPump.date} is reviewed. Confirm.`);
      src.notice({
        id: 'stale-launch-encounter', severity: 'warning',
        message: `${which} ${why}. This review shows the pump visit of ${latestPump.date}.`,
        action: { label: `Review the encounter of ${launchDate} instead`, overrides: { serviceDate: launchDate } },
      });
    } else {
      serviceDate = launchDate;
      encounter = launchEncounter;
      src.set('serviceDate', 'record', launchEncounter);
    }
  } else if (latestPump) {
    serviceDate = latestPump.date;
    encounter = index.resolve(latestPump.p.encounter, 'Encounter') ?? encounterOfDate(serviceDate);
    src.set('serviceDate', 'derived', latestPump.p, 'The date of the latest pump Procedure in the record.');
  } else {
    const dates = procedures.map((p) => procedureDate(p, zoneState)).filter(isDate).sort();
    const latest = dates[dates.length - 1];
    if (latest) {
      serviceDate = latest;
      src.set('serviceDate', 'derived', undefined, 'The date of the latest Procedure in the record (none is a pump service).');
    } else {
      serviceDate = todayUtc();
      src.set('serviceDate', 'default', undefined, "No Encounter or Procedure date in the record; today's date was used. Confirm the date of service.");
    }
    encounter = encounterOfDate(serviceDate);
  }
  if (encounter && str(encounter.id)) references.encounter = refTo(encounter);

  const inVisit = (encounterRefs: unknown[], dates: unknown[]): boolean => {
    const refs = names(encounterRefs);
    if (encounter && refs.length) return refs.some((r) => refersTo(r, encounter as Resource));
    return dates.some((d) => localDate(d) === serviceDate);
  };

  const todaysProcedures = procedures.filter((p) => inVisit([p.encounter, p.context], [p.performedDateTime, obj(p.performedPeriod).start, p.performedString]));
  const priorProcedures = procedures.filter((p) => { const d = procedureDate(p, zoneState); return !!d && d < serviceDate && !todaysProcedures.includes(p); });
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

  const services = todaysProcedures.map((p) => ({ p, s: pumpServiceOf(p) }));
  const pumpProcedure = services.find((x) => x.s?.status === 'record')?.p ?? services.find((x) => x.s)?.p ?? todaysProcedures[0];
  const procRefs = todaysProcedures.map(refTo).filter((r): r is string => !!r);
  if (procRefs.length) references.procedures = procRefs;

  return {
    index, src, references, encounter, launchEncounter: tagged, serviceDate, zoneState, localDate, inVisit,
    todaysProcedures, priorProcedures, documents, sentences, todaysNotes, pumpProcedure,
  };
}
