/** patient.id and patient.state: the first Patient, its current home address. */
import type { RecordReferences, VisitFacts } from '../../contracts/index.js';
import { MAX_ID_LENGTH, obj, objs, stateCode, str, type Resource, type ResourceIndex } from './record.js';
import { guarded, type Sources } from './sources.js';

export function readPatient(index: ResourceIndex, src: Sources, references: RecordReferences): { patient?: Resource; patientFacts: VisitFacts['patient'] } {
  const patient = index.ofType('Patient')[0];
  const patientFacts: VisitFacts['patient'] = {};
  guarded(src, 'patient.state', () => {
    if (!patient) {
      src.set('patient.id', 'default', undefined, 'No Patient in the record.');
      src.set('patient.state', 'default', undefined, 'No Patient in the record; enter the state of residence.');
      return;
    }
    const id = str(patient.id);
    if (id && id.length <= MAX_ID_LENGTH) {
      patientFacts.id = id;
      references.patient = `Patient/${id}`;
      src.set('patient.id', 'record', patient);
    }
    // Ended addresses are history; prefer home, then anything not marked old.
    const addresses = objs(patient.address).filter((a) => !str(obj(a.period).end));
    const home = addresses.find((a) => a.use === 'home') ?? addresses.find((a) => a.use !== 'old') ?? addresses[0];
    const st = home ? stateCode(home.state) : undefined;
    if (st) {
      patientFacts.state = st;
      src.set('patient.state', 'record', patient);
    } else {
      src.set('patient.state', 'default', patient, 'The patient address has no recognisable US state; enter the state of residence.');
    }
  }, undefined, 'enter the state of residence.');
  return { patient, patientFacts };
}
