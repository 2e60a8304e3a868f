/**
 * device.kind, model, reservoirVolumeMl: the Device the pump Procedure manipulated (focalDevice), else any active
 * Device. Device.type HCPCS codes, then SNOMED CT where confirmed, then the description text (flagged 'derived').
 * device.route: MedicationAdministration.dosage.route (SNOMED CT, then text), then the procedure/device text.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { DEVICE_KIND_BY_HCPCS, isCodeOf } from '../../terminology/index.js';
import { conceptTexts, readConcept } from './concept.js';
import { ccText, clip, codesIn, num, obj, objs, refTo, str, SYSTEMS, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

type DeviceKind = VisitFacts['device']['kind'];
const KIND_BY_SNOMED: Record<string, DeviceKind> = { '712576005': 'implanted-reservoir' };
const INSULIN_PUMP_SNOMED = '69805005';

const ROUTE_BY_SNOMED: Record<string, VisitFacts['device']['route']> = {
  '72607000': 'intrathecal',
  '404820008': 'epidural',
  '420719007': 'intraventricular',
  '47625008': 'intravenous',
  '58100008': 'intra-arterial',
};
/** SNOMED CT's "intraventricular route – cardiac": not the brain ventricles a reservoir reaches. */
const CARDIAC_INTRAVENTRICULAR_SNOMED = '420287000';

export function readDevice(visit: Visit, medAdmins: Resource[]): VisitFacts['device'] {
  const { index, src, references, todaysProcedures, todaysNotes, pumpProcedure } = visit;
  const deviceFacts: VisitFacts['device'] = { kind: 'unknown', route: 'unknown' };
  let chosen: Resource | undefined;

  guarded(src, 'device.kind', () => {
    // Every candidate is scored; the pump is the best-scoring one that reads as a pump. Non-pump devices
    // (a programmable shunt valve, a stimulator, a catheter, an insulin pump) never become the pump.
    const focal = todaysProcedures.flatMap((p) => objs(p.focalDevice).map((f) => index.resolve(f.manipulated, 'Device', p))).filter((d): d is Resource => !!d);
    const devices = index.ofType('Device').filter((d) => str(d.status) !== 'entered-in-error');
    const candidates = [...focal, ...devices].filter((d, i, all) => all.indexOf(d) === i);
    let best: { device: Resource; kind: DeviceKind; status: 'record' | 'derived'; note?: string; score: number } | undefined;
    let insulin: Resource | undefined;
    for (const d of candidates) {
      const text = deviceText(d);
      if (codesIn(d.type, SYSTEMS.snomed).includes(INSULIN_PUMP_SNOMED) || /insulin/i.test(text)) { insulin = d; continue; }
      const read = readConcept<DeviceKind>([d.type], deviceKindOfCode, () => undefined, []);
      if (!read && (NOT_A_PUMP.test(text) || (PUMP_PART.test(text) && !/\bpump\b/i.test(text)))) continue;
      const kind = read?.value ?? kindFromText(text);
      if (!kind) continue;
      const score = (focal.includes(d) ? 8 : 0) + (read ? 4 : 0) + (str(d.status) === 'active' || !str(d.status) ? 2 : 0)
        + (kind.startsWith('implanted') ? 1 : 0) - (str(d.status) === 'inactive' ? 4 : 0);
      if (!best || score > best.score) {
        best = read
          ? { device: d, kind, status: 'record', score }
          : { device: d, kind, status: 'derived', note: `Read from the device description "${clip(text, 120)}"; confirm.`, score };
      }
    }
    const device = best?.device;
    chosen = device;
    if (device && str(device.id)) references.device = refTo(device);
    if (best) {
      deviceFacts.kind = best.kind;
      src.set('device.kind', best.status, best.device, best.note);
    } else {
      src.set('device.kind', 'default', insulin ?? candidates[0],
        insulin ? 'The only pump on record is an insulin pump, not a spinal drug pump; confirm the pump.'
          : candidates.length ? 'None of the devices on record reads as a drug pump; choose programmable, non-programmable, reservoir or external.'
            : 'The pump type is not in the record; choose programmable, non-programmable, reservoir or external.');
    }
    if (device) {
      const model = str(device.modelNumber) ?? objs(device.deviceName).map((n) => str(n.name)).find(Boolean);
      if (model) { deviceFacts.model = clip(model, 200); src.set('device.model', 'record', device); }
      const volume = reservoirVolume(device);
      if (volume) { deviceFacts.reservoirVolumeMl = volume; src.set('device.reservoirVolumeMl', 'record', device); }
      else {
        const named = volumeFromName(deviceText(device));
        if (named) { deviceFacts.reservoirVolumeMl = named.ml; src.set('device.reservoirVolumeMl', 'derived', device, `Read from the device name "${clip(named.words, 80)}"; confirm.`); }
      }
    }
    if (!deviceFacts.reservoirVolumeMl) src.set('device.reservoirVolumeMl', 'default', device, 'Reservoir volume not on the record; enter it to check the refill interval.');
  }, undefined, 'choose the pump type.');

  guarded(src, 'device.route', () => {
    for (const m of medAdmins) {
      const route = obj(obj(m.dosage).route);
      const sct = codesIn(route, SYSTEMS.snomed);
      const mapped = sct.map((c) => ROUTE_BY_SNOMED[c]).find(Boolean);
      if (mapped) { deviceFacts.route = mapped; src.set('device.route', 'record', m); return; }
      if (sct.includes(CARDIAC_INTRAVENTRICULAR_SNOMED)) {
        src.set('device.route', 'default', m, 'The record codes the cardiac intraventricular route (420287000); for a brain reservoir choose intraventricular.');
        return;
      }
      const fromText = routeFromText(ccText(route) ?? '');
      if (fromText) { deviceFacts.route = fromText; src.set('device.route', 'derived', m, 'Read from the route text; confirm.'); return; }
    }
    const text = [todaysNotes, chosen ? deviceText(chosen) : ''].join('\n');
    const fromText = routeFromText(text);
    if (fromText) {
      deviceFacts.route = fromText;
      src.set('device.route', 'derived', pumpProcedure, 'Read from the procedure or device description; confirm.');
    } else {
      src.set('device.route', 'default', undefined, 'The route (intrathecal, epidural, intraventricular …) is not on the record; choose it.');
    }
  }, undefined, 'choose the route.');

  return deviceFacts;
}

/** Devices that are never the drug pump, whatever else their names say ("programmable shunt valve"). */
const NOT_A_PUMP = /\bshunt\b|\bvalve\b|stimulat|pacemaker|defibrillat|electrode|cochlear|glucose|\bCGM\b/i;
/** Parts of a pump system that are not the pump when the words never name a pump. */
const PUMP_PART = /\bcatheter\b|\bleads?\b|\bconnector\b|\bport\b/i;

/** The words of a device: type text and displays (GMDN, Epic OIDs, SNOMED CT), names, model, manufacturer. */
function deviceText(d: Resource): string {
  return [...conceptTexts(d.type), ...objs(d.deviceName).map((n) => str(n.name) ?? ''), str(d.modelNumber) ?? '', str(d.manufacturer) ?? '']
    .filter(Boolean).join(' ');
}

/** The one device-code lookup: HCPCS device codes, then confirmed SNOMED CT codes. */
export function deviceKindOfCode(system: string | undefined, code: string): DeviceKind | undefined {
  if (isCodeOf('hcpcs', system, code)) return DEVICE_KIND_BY_HCPCS[code.toUpperCase()];
  if (system === SYSTEMS.snomed) return KIND_BY_SNOMED[code];
  return undefined;
}

/** "SynchroMed II 40ML", "Prometra 20 mL reservoir" → the reservoir volume in mL. */
function volumeFromName(text: string): { ml: number; words: string } | undefined {
  const m = /\b(\d{1,3}(?:\.\d+)?)\s*-?\s*(?:ml|cc|milliliters?)\b/i.exec(text);
  const v = m ? Number(m[1]) : NaN;
  return m && v >= 5 && v <= 100 ? { ml: v, words: text } : undefined;
}

function kindFromText(text: string): DeviceKind | undefined {
  if (!text) return undefined;
  if (/insulin/i.test(text)) return undefined;
  if (/elastomeric|disposable|on-?q\b|external|ambulatory infusion/i.test(text)) return 'external-disposable-pump';
  if (/non-?programmable|constant[- ]flow|fixed[- ]rate/i.test(text)) return 'implanted-nonprogrammable-pump';
  if (/programmable|synchromed|prometra|\b8637\b|implant(?:able|ed) (?:drug |infusion |intrathecal )*(?:pump|delivery)/i.test(text)) return 'implanted-programmable-pump';
  if (/reservoir|\bport\b|ommaya/i.test(text)) return 'implanted-reservoir';
  return undefined;
}

function routeFromText(text: string): VisitFacts['device']['route'] | undefined {
  if (/intrathecal|subarachnoid/i.test(text)) return 'intrathecal';
  if (/epidural/i.test(text)) return 'epidural';
  if (/intraventricular|intracerebroventricular|ommaya/i.test(text)) return 'intraventricular';
  if (/intra-?arterial|hepatic artery/i.test(text)) return 'intra-arterial';
  if (/intravenous|\bIV\b/.test(text)) return 'intravenous';
  return undefined;
}

/** Device.property whose type says reservoir / capacity / volume, in mL (cm3, cc). */
function reservoirVolume(device: Resource): number | undefined {
  for (const p of objs(device.property)) {
    const label = `${ccText(p.type) ?? ''}`.toLowerCase();
    if (!/reservoir|capacity|volume/.test(label)) continue;
    for (const q of objs(p.valueQuantity)) {
      const v = num(q.value);
      const u = (str(q.code) ?? str(q.unit) ?? '').toLowerCase();
      if (v && v > 0 && v < 10_000 && (u === 'ml' || u === 'cm3' || u === 'cc')) return v;
    }
  }
  return undefined;
}
