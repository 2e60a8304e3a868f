/**
 * The visit every other reader works from: the latest Encounter, the service date, and the Procedures of that
 * date (with their notes and the pump Procedure) versus earlier ones.
 */
import type { RecordReferences } from '../../contracts/index.js';
import { PUMP_SERVICE_CPT, procedureCodes, procedureDate } from './procedures.js';
import { ccText, dateOf, notesText, obj, refTo, str, usable, type Resource, type ResourceIndex } from './record.js';
import type { Sources } from './sources.js';

export interface Visit {
  index: ResourceIndex;
  src: Sources;
  references: RecordReferences;
  encounter?: Resource;
  serviceDate: string;
  todaysProcedures: Resource[];
  priorProcedures: Resource[];
  /** Today's Procedure notes and code texts, for the note readers. */
  todaysNotes: string;
  /** Today's Procedure with a pump service CPT code, else today's first Procedure. */
  pumpProcedure?: Resource;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

export function readVisit(index: ResourceIndex, src: Sources, references: RecordReferences, today?: string): Visit {
  const encounters = index.ofType('Encounter').filter(usable);
  const procedures = index.ofType('Procedure').filter(usable);
  const encounter = [...encounters].sort((a, b) =>
    (str(obj(b.period).start) ?? '').localeCompare(str(obj(a.period).start) ?? ''))[0];
  const serviceDate = readServiceDate(src, encounter, procedures, today);
  if (encounter && str(encounter.id)) references.encounter = refTo(encounter);

  const todaysProcedures = procedures.filter((p) => procedureDate(p) === serviceDate);
  const priorProcedures = procedures.filter((p) => { const d = procedureDate(p); return !!d && d < serviceDate; });
  const todaysNotes = todaysProcedures.map((p) => `${notesText(p.note)}\n${ccText(p.code) ?? ''}`).join('\n');
  const pumpProcedure = todaysProcedures.find((p) => procedureCodes(p).cpt.some((c) => c in PUMP_SERVICE_CPT)) ?? todaysProcedures[0];
  const procRefs = todaysProcedures.map(refTo).filter((r): r is string => !!r);
  if (procRefs.length) references.procedures = procRefs;

  return { index, src, references, encounter, serviceDate, todaysProcedures, priorProcedures, todaysNotes, pumpProcedure };
}

/** The EHR session's date wins; else the Encounter start, else the latest coded Procedure, else today. */
function readServiceDate(src: Sources, encounter: Resource | undefined, procedures: Resource[], today: string | undefined): string {
  if (today && /^\d{4}-\d{2}-\d{2}$/.test(today)) {
    src.set('serviceDate', 'derived', undefined, 'The date of the visit in the EHR session.');
    return today;
  }
  const encDate = encounter ? dateOf(obj(encounter.period).start) : undefined;
  const procDates = procedures.filter((p) => procedureCodes(p).cpt.length > 0).map(procedureDate).filter((d): d is string => !!d).sort();
  if (encDate) {
    src.set('serviceDate', 'record', encounter);
    return encDate;
  }
  if (procDates.length) {
    src.set('serviceDate', 'derived', undefined, 'The date of the latest pump Procedure in the record.');
    return procDates[procDates.length - 1] as string;
  }
  src.set('serviceDate', 'default', undefined, "No Encounter or Procedure date in the record; today's date was used. Confirm the date of service.");
  return todayUtc();
}
