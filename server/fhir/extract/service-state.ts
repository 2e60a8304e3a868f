/**
 * The one reader of where the service was furnished (the state): the visit's time zone (dates.ts) and the
 * serviceState fact (place.ts) both come from here, for the visit's final Encounter, so they cannot disagree.
 * In order:
 * 1. the Encounter's Locations (Location.address.state), as charted → record;
 * 2. the Encounter's serviceProvider (Organization.address.state) → record;
 * 3. the record's Locations, when every one that gives a state gives the same one (not linked to the visit) → derived;
 * 4. the patient's state → derived (Medicare jurisdiction follows where the service was furnished: confirm);
 * 5. none.
 */
import { obj, objs, stateCode, type Resource, type ResourceIndex } from './record.js';

export interface ServiceState {
  state?: string;
  how: 'encounter-location' | 'service-provider' | 'record-locations' | 'patient' | 'none';
  /** the resource the state came from (a Location or Organization; the patient's is the caller's) */
  from?: Resource;
}

export function serviceStateOf(index: ResourceIndex, encounter: Resource | undefined, patientState: string | undefined): ServiceState {
  if (encounter) {
    for (const l of objs(encounter.location)) {
      const loc = index.resolve(l.location, 'Location', encounter);
      const state = loc ? stateCode(obj(loc.address).state) : undefined;
      if (state) return { state, how: 'encounter-location', from: loc };
    }
    const org = index.resolve(encounter.serviceProvider, 'Organization', encounter);
    const state = org ? objs(org.address).map((a) => stateCode(a.state)).find(Boolean) : undefined;
    if (state) return { state, how: 'service-provider', from: org };
  }
  const located = index.ofType('Location').map((loc) => ({ loc, state: stateCode(obj(loc.address).state) })).filter((x) => x.state);
  const first = located[0];
  if (first && located.every((x) => x.state === first.state)) return { state: first.state, how: 'record-locations', from: first.loc };
  if (patientState) return { state: patientState, how: 'patient' };
  return { how: 'none' };
}
