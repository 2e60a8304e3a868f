/**
 * placeOfService and serviceState.
 * serviceState: from the one reader (service-state.ts) that also sets the visit's time zone: the visit Encounter's
 * Locations (address state), its serviceProvider's address, then — flagged — the record's Locations when they agree,
 * the patient's state.
 * placeOfService, from what vendors send (none sends the CMS POS code system itself): a CMS POS code on
 * Location.type (record); else the Location's v3 RoleCode (HOSP, ER, PROFF …), the Encounter.class (v3 ActCode
 * AMB, HH, IMP, EMER …), Encounter.type / Location names ("… Hospital", "… Surgery Center", "… Clinic") — derived;
 * else "11" (office) as a default the clinician confirms.
 */
import { conceptTexts } from './concept.js';
import { codings, namesOf, obj, objs, str, SYSTEMS, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

/** HL7 v3 ServiceDeliveryLocationRoleType (Location.type) → CMS place of service, for an outpatient pump visit. */
const POS_BY_ROLE_CODE: Record<string, string> = {
  HOSP: '22', HU: '22', GACH: '22', OF: '22', // hospital, hospital unit, general acute care hospital, outpatient facility: outpatient hospital (on campus)
  ER: '23', ETU: '23',
  PROFF: '11', PC: '11', PAINCL: '11', NEUR: '11', // provider's office and clinics: office
  PTRES: '12', COMM: '99',
  SNF: '31', NCCF: '32', // skilled nursing facility, nursing or custodial care facility
  RH: '61', HRHAB: '61', // rehabilitation
  ASC: '24', // (not a v3 code, sent by some systems)
};
/** HL7 v3 ActCode encounter class (Encounter.class) → place of service. AMB says "outpatient" only: office stands. */
const POS_BY_CLASS: Record<string, string> = { HH: '12', IMP: '21', ACUTE: '21', NONAC: '21', EMER: '23', OBSENC: '22', SS: '22', VR: '02' };

function posFromText(text: string): string | undefined {
  if (/\b(?:ambulatory )?surgery cent(?:er|re)\b|\bASC\b/i.test(text)) return '24';
  if (/\bemergency\b/i.test(text)) return '23';
  if (/\bhome (?:visit|health|infusion)\b|patient'?s home/i.test(text)) return '12';
  if (/\bhospital outpatient|\boutpatient hospital|\bHOPD\b|\binfusion cent(?:er|re)\b/i.test(text)) return '22';
  if (/\b(?:hospital|medical center|med ctr)\b/i.test(text)) return '22';
  if (/\b(?:clinic|office|practice|associates|physicians|pain (?:management|center|institute))\b/i.test(text)) return '11';
  return undefined;
}

export function readPlace(visit: Visit, patient: Resource | undefined): { placeOfService?: string; serviceState?: string } {
  const { index, src, encounter } = visit;
  let placeOfService: string | undefined;
  let serviceState: string | undefined;
  guarded(src, 'serviceState', () => {
    const locations = encounter ? objs(encounter.location).map((l) => index.resolve(l.location, 'Location', encounter)).filter((l): l is Resource => !!l) : [];
    // the one reading of the state (service-state.ts), the one the visit's dates were read in
    const where = visit.serviceState;
    serviceState = where.state;
    if (where.how === 'encounter-location' || where.how === 'service-provider') src.set('serviceState', 'record', where.from);
    else if (where.how === 'record-locations') src.set('serviceState', 'derived', where.from, "The visit's Encounter gives no location state; every Location in the record is in this state. Medicare jurisdiction follows where the service was furnished: confirm.");
    else if (where.how === 'patient') src.set('serviceState', 'derived', patient, "No service location state in the record; the patient's state was used. Medicare jurisdiction follows where the service was furnished: confirm.");
    else src.set('serviceState', 'default', undefined, 'Where the service was furnished is not in the record; enter the state.');

    // Place of service: a CMS code first, then what the vendors send.
    for (const loc of locations) {
      const pos = objs(loc.type).flatMap((t) => codings(t)).find((c) => c.system === SYSTEMS.pos && /^\d{2}$/.test(c.code ?? ''));
      if (pos?.code) { placeOfService = pos.code; src.set('placeOfService', 'record', loc); return; }
    }
    for (const loc of locations) {
      const role = objs(loc.type).flatMap((t) => codings(t)).map((c) => ({ c, pos: c.code ? POS_BY_ROLE_CODE[c.code.toUpperCase()] : undefined })).find((x) => x.pos);
      if (role?.pos) {
        placeOfService = role.pos;
        src.set('placeOfService', 'derived', loc, `From the location type ${role.c.code}${role.c.display ? ` (${role.c.display})` : ''}; confirm.`);
        return;
      }
    }
    const cls = encounter ? [obj(encounter.class), ...objs(encounter.class)].map((c) => str(c.code)).find((c) => c && POS_BY_CLASS[c.toUpperCase()]) : undefined;
    if (cls && encounter) {
      placeOfService = POS_BY_CLASS[cls.toUpperCase()];
      src.set('placeOfService', 'derived', encounter, `From the encounter class ${cls}; confirm.`);
      return;
    }
    const words = [
      ...(encounter ? objs(encounter.type).flatMap(conceptTexts) : []),
      ...locations.flatMap((l) => [...namesOf(l), ...objs(l.type).flatMap(conceptTexts)]),
      ...(encounter ? objs(encounter.location).map((l) => str(obj(l.location).display) ?? '') : []),
      ...(encounter ? namesOf(index.resolve(encounter.serviceProvider, 'Organization', encounter) ?? {}) : []),
    ].filter(Boolean);
    for (const w of words) {
      const pos = posFromText(w);
      if (pos) { placeOfService = pos; src.set('placeOfService', 'derived', encounter, `From the words "${w.slice(0, 120)}"; confirm.`); return; }
    }
  }, undefined, 'enter the state where the service was furnished.');
  if (!placeOfService) {
    placeOfService = '11';
    src.set('placeOfService', 'default', undefined, 'The record does not say where the visit took place; office (11) is assumed. Change it for a hospital outpatient department (22) or another setting.');
  }
  return { placeOfService, serviceState };
}
