/**
 * placeOfService and serviceState: the Encounter's Locations (type = CMS place-of-service code, address state),
 * then the Encounter.serviceProvider's address, then — flagged — the patient's state.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { codesIn, obj, objs, stateCode, SYSTEMS, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

export function readPlace(visit: Visit, patient: Resource | undefined, patientFacts: VisitFacts['patient']): { placeOfService?: string; serviceState?: string } {
  const { index, src, encounter } = visit;
  let placeOfService: string | undefined;
  let serviceState: string | undefined;
  guarded(src, 'serviceState', () => {
    const locations = encounter ? objs(encounter.location).map((l) => index.resolve(l.location, 'Location')).filter((l): l is Resource => !!l) : [];
    for (const loc of locations) {
      const pos = objs(loc.type).flatMap((t) => codesIn(t, SYSTEMS.pos)).find((c) => /^\d{2}$/.test(c));
      if (pos && !placeOfService) { placeOfService = pos; src.set('placeOfService', 'record', loc); }
      const st = stateCode(obj(loc.address).state);
      if (st && !serviceState) { serviceState = st; src.set('serviceState', 'record', loc); }
    }
    if (!serviceState && encounter) {
      const provider = index.resolve(encounter.serviceProvider, 'Organization');
      const st = provider ? objs(provider.address).map((a) => stateCode(a.state)).find(Boolean) : undefined;
      if (st) { serviceState = st; src.set('serviceState', 'record', provider); }
    }
    if (!serviceState && patientFacts.state) {
      serviceState = patientFacts.state;
      src.set('serviceState', 'derived', patient, "No service location state in the record; the patient's state was used. Medicare jurisdiction follows where the service was furnished: confirm.");
    }
    if (!serviceState) src.set('serviceState', 'default', undefined, 'Where the service was furnished is not in the record; enter the state.');
  }, undefined, 'enter the state where the service was furnished.');
  if (!src.map.placeOfService) src.set('placeOfService', 'default', undefined, 'No place-of-service code in the record (Encounter location type); enter it if the claim needs one.');
  return { placeOfService, serviceState };
}
