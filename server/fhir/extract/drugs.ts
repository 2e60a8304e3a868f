/**
 * drugs and dailyVolumeMl: today's MedicationAdministrations (or undated ones). Dose in mg / mcg / mL (g → mg),
 * HCPCS drug code, compounded or not, who purchased it (from the notes), and the programmed rate in mL/d.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { ccText, clip, codesIn, codings, dateOf, notesText, num, obj, objs, str, SYSTEMS, usable, type Json, type Resource } from './record.js';
import { guarded, type Sources } from './sources.js';
import type { Visit } from './visit.js';

/** The MedicationAdministrations of the service date; undated ones count too. */
export function todaysMedicationAdministrations(visit: Visit): Resource[] {
  return visit.index.ofType('MedicationAdministration').filter(usable).filter((m) => {
    const d = dateOf(m.effectiveDateTime) ?? dateOf(obj(m.effectivePeriod).start);
    return !d || d === visit.serviceDate;
  });
}

export function readDrugs(visit: Visit, medAdmins: Resource[]): VisitFacts['drugs'] {
  const { index, src } = visit;
  const drugs: VisitFacts['drugs'] = [];
  for (const m of medAdmins.slice(0, 10)) {
    const i = drugs.length;
    guarded(src, `drugs.${i}`, () => {
      const medication = index.resolve(m.medicationReference, 'Medication');
      const concept = m.medicationCodeableConcept ?? medication?.code;
      const name = clip(ccText(concept) ?? 'Drug not named in the record', 200);
      const dosage = obj(m.dosage);
      const dose = obj(dosage.dose);
      const allText = [name, notesText(m.note), str(dosage.text) ?? '', medication ? notesText(medication.note) : ''].join('\n');
      const drug: VisitFacts['drugs'][number] = { name, amount: 0, unit: 'mg', compounded: false, purchasedBy: 'unknown' };
      src.set(`drugs.${i}.name`, ccText(concept) ? 'record' : 'default', m, ccText(concept) ? undefined : 'The drug is not named; enter it.');

      // Amount given: Dosage.dose.
      const value = num(dose.value);
      const unit = doseUnit(dose);
      const amount = value !== undefined && unit === 'g' ? value * 1000 : value;
      if (amount !== undefined && Number.isFinite(amount) && amount >= 0 && unit) {
        drug.amount = amount;
        drug.unit = unit === 'g' ? 'mg' : unit;
        src.set(`drugs.${i}.amount`, 'record', m);
      } else {
        src.set(`drugs.${i}.amount`, 'default', m, 'The amount given (mg, mcg or mL) is not on the record; enter it.');
      }

      const hcpcs = codings(concept).find((c) => c.system && (SYSTEMS.hcpcs as readonly string[]).includes(c.system) && c.code && c.code.length <= 20);
      if (hcpcs?.code) { drug.hcpcs = hcpcs.code; src.set(`drugs.${i}.hcpcs`, 'record', m); }

      // Compounded: said in the text, or a Medication of several ingredients; an RxNorm code means manufactured.
      const compoundedByIngredients = objs(medication?.ingredient).length > 1;
      if (/compound/i.test(allText) || compoundedByIngredients) {
        drug.compounded = true;
        src.set(`drugs.${i}.compounded`, 'derived', m, 'The record describes a compounded preparation.');
      } else if (codesIn(concept, SYSTEMS.rxnorm).length) {
        src.set(`drugs.${i}.compounded`, 'derived', m, 'An RxNorm-coded manufactured product.');
      } else {
        src.set(`drugs.${i}.compounded`, 'default', m, 'The record does not say whether the drug was compounded; confirm.');
      }

      const purchaser = purchaserFrom(allText);
      if (purchaser) {
        drug.purchasedBy = purchaser;
        src.set(`drugs.${i}.purchasedBy`, 'derived', m, 'Read from the administration note; confirm against the invoice.');
      } else {
        src.set(`drugs.${i}.purchasedBy`, 'default', m, 'Who bought the drug is not on the record: the practice (with proof of purchase), a pharmacy or the patient?');
      }
      drugs.push(drug);
    }, undefined, 'enter the drug.');
  }
  src.set('drugs', drugs.length ? 'record' : 'default', undefined,
    drugs.length ? undefined : 'No drug administration for the visit on record; add the drug if the pump was refilled.');
  return drugs;
}

/** The programmed daily volume: the first Dosage.rateQuantity in mL/d, or mL/h × 24. */
export function readDailyVolume(src: Sources, medAdmins: Resource[]): number | undefined {
  let dailyVolumeMl: number | undefined;
  guarded(src, 'dailyVolumeMl', () => {
    for (const m of medAdmins) {
      const rate = obj(obj(m.dosage).rateQuantity);
      const v = num(rate.value);
      const u = (str(rate.code) ?? str(rate.unit) ?? '').toLowerCase().replace(/\s/g, '');
      if (v && v > 0 && (u === 'ml/d' || u === 'ml/day')) { dailyVolumeMl = v; src.set('dailyVolumeMl', 'record', m); return; }
      if (v && v > 0 && Number.isFinite(v * 24) && (u === 'ml/h' || u === 'ml/hr')) { dailyVolumeMl = v * 24; src.set('dailyVolumeMl', 'derived', m, 'Hourly rate × 24.'); return; }
    }
    src.set('dailyVolumeMl', 'default', undefined, 'The programmed daily volume is not on the record; enter it to check the refill interval.');
  }, undefined, 'enter the daily volume.');
  return dailyVolumeMl;
}

function doseUnit(q: Json): 'mg' | 'mcg' | 'mL' | 'g' | undefined {
  const u = (str(q.code) ?? str(q.unit) ?? '').toLowerCase();
  if (u === 'mg') return 'mg';
  if (u === 'ug' || u === 'mcg' || u === 'µg' || u === 'μg') return 'mcg';
  if (u === 'ml') return 'mL';
  if (u === 'g') return 'g';
  return undefined;
}

// Free text in MedicationAdministration.note / Medication.note / Dosage.text.
function purchaserFrom(text: string): VisitFacts['drugs'][number]['purchasedBy'] | undefined {
  if (/patient[- ](?:supplied|provided)|(?:supplied|brought) by the patient/i.test(text)) return 'patient';
  if (/pharmacy/i.test(text) && /dispens|supplied|provided|deliver/i.test(text)) return 'pharmacy';
  if (/purchased by the (?:practice|clinic)|(?<!not )practice[- ](?:purchased|stock)|(?<!not )clinic stock|buy[- ]and[- ]bill/i.test(text)) return 'practice';
  return undefined;
}
