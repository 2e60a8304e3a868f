/**
 * Local dates (DESIGN.md "Reading real EHR records"): the date of service is the date where the service was
 * furnished.
 * - an instant with an offset ("2026-11-20T18:30:00-07:00") keeps its offset: the date as written;
 * - a UTC instant ("…Z" or "+00:00", as Epic sends) is converted with the time zone of the service location's state;
 * - a bare date ("2026-11-20") or a dateTime without a zone is taken as is.
 */
import { str } from './record.js';

/**
 * One IANA zone per state. A state spanning two zones takes the zone where most of its people live (the
 * comment names the other): a UTC instant within an hour or two of midnight in the minority zone can still
 * land on the neighbouring day there, which the review shows as the service date to confirm.
 */
const ZONE_BY_STATE: Record<string, string> = {
  AL: 'America/Chicago', AK: 'America/Anchorage', // AK: the Aleutians west of 169°30'W are on Hawaii–Aleutian time
  AZ: 'America/Phoenix', AR: 'America/Chicago', CA: 'America/Los_Angeles', CO: 'America/Denver',
  CT: 'America/New_York', DE: 'America/New_York', DC: 'America/New_York',
  FL: 'America/New_York',    // the western Panhandle (Pensacola) is Central
  GA: 'America/New_York', HI: 'Pacific/Honolulu',
  ID: 'America/Boise',       // the northern Panhandle (Coeur d'Alene) is Pacific
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis', // the north-west (Gary) and south-west (Evansville) corners are Central
  IA: 'America/Chicago',
  KS: 'America/Chicago',     // four western counties are Mountain
  KY: 'America/New_York',    // the western half (Bowling Green, Paducah) is Central
  LA: 'America/Chicago', ME: 'America/New_York', MD: 'America/New_York', MA: 'America/New_York',
  MI: 'America/Detroit',     // four Upper Peninsula counties bordering Wisconsin are Central
  MN: 'America/Chicago', MS: 'America/Chicago', MO: 'America/Chicago', MT: 'America/Denver',
  NE: 'America/Chicago',     // the western Panhandle is Mountain
  NV: 'America/Los_Angeles', // West Wendover is Mountain
  NH: 'America/New_York', NJ: 'America/New_York', NM: 'America/Denver', NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago',     // the south-west is Mountain
  OH: 'America/New_York', OK: 'America/Chicago',
  OR: 'America/Los_Angeles', // most of Malheur County is Mountain
  PA: 'America/New_York', RI: 'America/New_York', SC: 'America/New_York',
  SD: 'America/Chicago',     // the western half (Rapid City) is Mountain
  TN: 'America/Chicago',     // East Tennessee (Knoxville, Chattanooga) is Eastern; Nashville and Memphis are Central
  TX: 'America/Chicago',     // El Paso and Hudspeth counties are Mountain
  UT: 'America/Denver', VT: 'America/New_York', VA: 'America/New_York', WA: 'America/Los_Angeles',
  WV: 'America/New_York', WI: 'America/Chicago', WY: 'America/Denver',
  PR: 'America/Puerto_Rico', GU: 'Pacific/Guam', VI: 'America/St_Thomas', AS: 'Pacific/Pago_Pago', MP: 'Pacific/Saipan',
};

export const zoneOfState = (state: string | undefined): string | undefined => (state ? ZONE_BY_STATE[state.toUpperCase()] : undefined);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

export interface LocalDate { date: string; converted: boolean }

/** The local YYYY-MM-DD of a FHIR date/dateTime/instant, converting UTC instants with the state's zone. */
export function localDateOf(v: unknown, state?: string): LocalDate | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return { date: s, converted: false };
  const m = INSTANT.exec(s);
  if (!m) return /^\d{4}-\d{2}-\d{2}/.test(s) ? { date: s.slice(0, 10), converted: false } : undefined;
  const zone = m[2];
  if (zone !== 'Z' && zone !== '+00:00' && zone !== '-00:00') return { date: m[1] as string, converted: false };
  const tz = zoneOfState(state);
  const ms = Date.parse(s);
  if (!tz || !Number.isFinite(ms)) return { date: m[1] as string, converted: false };
  const parts = formatterFor(tz).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? { date, converted: date !== m[1] } : { date: m[1] as string, converted: false };
}
