/**
 * The one strength (concentration) reader, used by the FHIR extraction, drug recognition and the policy engine.
 * A strength is an amount of drug per volume ("2,000 mcg/mL", "40 mg/20 mL", "1 g/L"); it is read from
 * - Medication.ingredient.strength: an R4 Ratio (numerator mass, denominator volume, UCUM codes such as `ug`, `mg`,
 *   `g`, `mL`, `L`, `cm3` from http://unitsofmeasure.org, or the unit text "mcg", "cc"), an R5 `strengthQuantity`
 *   with a compound unit (`mg/mL`), or an R5 `strengthCodeableConcept` (its text);
 * - the words of the record: the product name, displays, the dosage text ("baclofen 2000 mcg/mL intrathecal").
 * It refuses rather than guesses (the product then says the concentration is not recorded):
 * - no denominator, or one that is not a volume ("2000 mcg", "40 mg/20", "mcg/day", "per vial");
 * - ambiguous: two different strengths in the same words, a range ("1-2 mg/mL"), a decimal comma ("2,5 mg/mL"),
 *   a unit text and UCUM code that disagree ("mcg" vs `mg`), or the structured strength against a different one in the words;
 * - a numerator that is not a mass (IU, units, %).
 * Masses come out in mg (g → ×1000) or mcg (ng → ÷1000); volumes in mL (L → ×1000, dL → ×100; cc and cm3 are mL).
 */

export interface Concentration { amount: number; unit: 'mg' | 'mcg'; perMl: number }

export type StrengthRefusal = 'none' | 'ambiguous' | 'no-denominator' | 'not-a-mass';
export type StrengthRead =
  | { ok: true; concentration: Concentration; from: 'structured' | 'text'; words: string }
  | { ok: false; reason: StrengthRefusal; message: string };

const none = (message = 'No strength (amount per mL) is given.'): StrengthRead => ({ ok: false, reason: 'none', message });
const refuse = (reason: Exclude<StrengthRefusal, 'none'>, message: string): StrengthRead => ({ ok: false, reason, message });

// ---------------------------------------------------------------- units

interface Mass { unit: 'mg' | 'mcg'; factor: number }
const MASS_UNITS: Record<string, Mass> = {
  mg: { unit: 'mg', factor: 1 }, milligram: { unit: 'mg', factor: 1 }, milligrams: { unit: 'mg', factor: 1 },
  mcg: { unit: 'mcg', factor: 1 }, ug: { unit: 'mcg', factor: 1 }, 'µg': { unit: 'mcg', factor: 1 }, 'μg': { unit: 'mcg', factor: 1 },
  microgram: { unit: 'mcg', factor: 1 }, micrograms: { unit: 'mcg', factor: 1 },
  g: { unit: 'mg', factor: 1000 }, gm: { unit: 'mg', factor: 1000 }, gram: { unit: 'mg', factor: 1000 }, grams: { unit: 'mg', factor: 1000 },
  ng: { unit: 'mcg', factor: 0.001 }, nanogram: { unit: 'mcg', factor: 0.001 }, nanograms: { unit: 'mcg', factor: 0.001 },
};
/** mL per unit of volume */
const VOLUME_UNITS: Record<string, number> = {
  ml: 1, milliliter: 1, milliliters: 1, millilitre: 1, millilitres: 1, cc: 1, cm3: 1, 'cm^3': 1, 'cm³': 1,
  l: 1000, liter: 1000, liters: 1000, litre: 1000, litres: 1000, dl: 100,
};
/**
 * UCUM annotations ("mg{base}") and a parenthesised note ("milliliter (iso1000)", as Oracle Health writes the unit
 * text) do not change the unit; case does not matter for the units read here
 */
const unitKey = (u: string): string => u.replace(/\{[^}]*\}|\([^)]*\)/g, '').trim().toLowerCase();
export const massUnitOf = (u: string | undefined): Mass | undefined => (u ? MASS_UNITS[unitKey(u)] : undefined);
export const mlPerVolumeUnit = (u: string | undefined): number | undefined => (u ? VOLUME_UNITS[unitKey(u)] : undefined);

/** mcg per mL, to compare two strengths */
const mcgPerMl = (c: Concentration): number => (c.unit === 'mg' ? c.amount * 1000 : c.amount) / c.perMl;
export const sameStrength = (a: Concentration, b: Concentration): boolean => Math.abs(mcgPerMl(a) - mcgPerMl(b)) <= 1e-9 * Math.max(mcgPerMl(a), mcgPerMl(b));
const show = (c: Concentration): string => `${c.amount} ${c.unit}/${c.perMl === 1 ? '' : `${c.perMl} `}mL`;

function build(amount: number, mass: Mass, volume: number, mlPer: number): Concentration | undefined {
  const a = amount * mass.factor;
  const perMl = volume * mlPer;
  if (!Number.isFinite(a) || !Number.isFinite(perMl) || !(a > 0) || !(perMl > 0)) return undefined;
  return { amount: round(a), unit: mass.unit, perMl: round(perMl) };
}
/** 0.1 × 1000 is 100.00000000000001: keep 12 significant digits */
const round = (x: number): number => Number(x.toPrecision(12));

// ---------------------------------------------------------------- words

const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)`;
const MASS = String.raw`(micrograms?|milligrams?|nanograms?|grams?|mcg|µg|μg|ug|mg|ng|gm|g)`;
const VOL = String.raw`(millilit(?:er|re)s?|lit(?:er|re)s?|ml|cc|cm3|cm\^3|cm³|dl|l)`;
const SEP = String.raw`\s*(?:/|\bper\b|\bin\b)\s*`;
/** a strength: number, mass, "/" | per | in, optional number, volume — not inside a longer number or word */
const STRENGTH = new RegExp(String.raw`(?<![\d.,])` + NUM + String.raw`\s*` + MASS + SEP + String.raw`(?:` + NUM + String.raw`\s*)?` + VOL + String.raw`(?![a-z0-9])`, 'giu');
/** a mass followed by "/" or per with no volume after it ("2000 mcg/", "40 mg/20", "40 mg per") */
const NO_DENOMINATOR = new RegExp(String.raw`(?<![\d.,])` + NUM + String.raw`\s*` + MASS + String.raw`\s*(?:/|\bper\b)\s*(?:` + NUM + String.raw`)?\s*(?![\s\d]|[a-z]|\()`, 'iu');
/** a range of strengths ("1-2 mg/mL", "1 to 2 mg/mL") */
const RANGE = new RegExp(String.raw`\d\s*(?:-|–|\bto\b)\s*$`, 'i');
/** a decimal comma ("2,5 mg/mL"): not a thousands group */
const DECIMAL_COMMA = new RegExp(String.raw`(?<![\d.,])\d+,(?!\d{3}(?!\d))\d+\s*` + MASS + SEP, 'iu');

const toNumber = (s: string): number => Number(s.replace(/,/g, ''));

/** Every strength in one text, or why none can be read. */
export function readStrengthText(text: string | undefined): StrengthRead {
  if (!text) return none();
  const found: { c: Concentration; words: string }[] = [];
  STRENGTH.lastIndex = 0;
  for (let m = STRENGTH.exec(text); m; m = STRENGTH.exec(text)) {
    if (RANGE.test(text.slice(Math.max(0, m.index - 12), m.index))) return refuse('ambiguous', `"${m[0]}" is part of a range of strengths.`);
    const mass = massUnitOf(m[2]);
    const mlPer = mlPerVolumeUnit(m[4]);
    const c = mass && mlPer ? build(toNumber(m[1]!), mass, m[3] ? toNumber(m[3]) : 1, mlPer) : undefined;
    if (c) found.push({ c, words: m[0] });
  }
  if (DECIMAL_COMMA.test(text)) return refuse('ambiguous', `The strength in "${clipWords(text)}" has a decimal comma; enter the concentration.`);
  if (found.length === 0) {
    return NO_DENOMINATOR.test(text) ? refuse('no-denominator', `"${clipWords(text)}" gives an amount with no volume (per mL).`) : none();
  }
  const first = found[0]!;
  const other = found.find((f) => !sameStrength(f.c, first.c));
  if (other) return refuse('ambiguous', `"${clipWords(text)}" gives two strengths (${first.words} and ${other.words}).`);
  return { ok: true, concentration: first.c, from: 'text', words: first.words };
}
const clipWords = (s: string): string => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

/** The strengths in several texts (name, displays, dosage text): they must agree. */
export function readStrengthTexts(texts: readonly (string | undefined)[]): StrengthRead {
  let ok: Extract<StrengthRead, { ok: true }> | undefined;
  let refusal: Extract<StrengthRead, { ok: false }> | undefined;
  for (const t of new Set(texts.filter((x): x is string => !!x))) {
    const r = readStrengthText(t);
    if (r.ok) {
      if (ok && !sameStrength(ok.concentration, r.concentration)) return refuse('ambiguous', `The record gives two strengths: ${ok.words} and ${r.words}.`);
      ok ??= r;
    } else if (r.reason !== 'none') refusal ??= r;
  }
  return refusal && (refusal.reason === 'ambiguous' || !ok) ? refusal : ok ?? none();
}

/** "25 mg/mL", "2,000 mcg/mL", "10 mg/20 mL", "1 g/L" → a concentration; undefined when the words give none or several */
export function parseStrength(text: string | undefined): Concentration | undefined {
  const r = readStrengthText(text);
  return r.ok ? r.concentration : undefined;
}

/**
 * Drugs whose strength is only in their name ("Infumorph 25 mg/mL") get it as their concentration: for facts sent as
 * facts (the extraction reads a record's names itself, and leaves the strength out when the record contradicts itself).
 */
export function strengthsFromNames<D extends { name: string; concentration?: Concentration }>(drugs: D[]): D[] {
  const read = drugs.map((d) => {
    const named = d.concentration ? undefined : parseStrength(d.name);
    return named ? { ...d, concentration: named } : d;
  });
  return read.some((d, i) => d !== drugs[i]) ? read : drugs;
}

// ---------------------------------------------------------------- structured (Ratio, Quantity)

interface QuantityLike { value?: unknown; unit?: unknown; code?: unknown; system?: unknown }
const UCUM = 'http://unitsofmeasure.org';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * The unit of a Quantity: the UCUM code and the unit text must mean the same when both are given
 * (`unit: "mcg", code: "mg"` is refused). `read` is the table (mass, volume or time), `same` compares two readings.
 */
function unitOf<T>(q: QuantityLike, read: (u: string) => T | undefined, same: (a: T, b: T) => boolean): { ok: true; value: T | undefined } | { ok: false; message: string } {
  const code = text(q.code);
  const unit = text(q.unit);
  const byCode = code && (text(q.system) === UCUM || text(q.system) === undefined) ? read(code) : undefined;
  const byUnit = unit ? read(unit) : undefined;
  if (byCode !== undefined && byUnit !== undefined && !same(byCode, byUnit)) return { ok: false, message: `The unit "${unit}" and its code "${code}" disagree.` };
  return { ok: true, value: byCode ?? byUnit };
}
const sameMass = (a: Mass, b: Mass) => a.unit === b.unit && a.factor === b.factor;

/** a compound unit "mg/mL", "ug/mL", "g/L", "mg/(20.mL)" → mass and mL per unit of it */
function compoundUnit(u: string): { mass: Mass; perMl: number } | undefined {
  const m = /^([a-zµμ{}]+)\s*\/\s*\(?\s*(\d+(?:\.\d+)?)?\s*\.?\s*([a-z^³0-9]+)\s*\)?$/iu.exec(u.replace(/\{[^}]*\}/g, '').trim());
  if (!m) return undefined;
  const mass = massUnitOf(m[1]);
  const ml = mlPerVolumeUnit(m[3]);
  return mass && ml ? { mass, perMl: (m[2] ? Number(m[2]) : 1) * ml } : undefined;
}

/**
 * Medication.ingredient strength → concentration: an R4 Ratio, an R5 Quantity with a compound unit, or a
 * CodeableConcept's words. The denominator is required (a missing one is never taken as "per mL").
 */
export function readStrengthValue(v: unknown): StrengthRead {
  if (!isObj(v)) return none();
  if ('numerator' in v || 'denominator' in v) {
    const n = isObj(v.numerator) ? (v.numerator as QuantityLike) : undefined;
    const d = isObj(v.denominator) ? (v.denominator as QuantityLike) : undefined;
    const nv = typeof n?.value === 'number' ? n.value : undefined;
    if (!n || nv === undefined) return none('The ingredient strength has no amount.');
    const compound = [text(n.code), text(n.unit)].map((u) => (u ? compoundUnit(u) : undefined)).find(Boolean);
    if (compound && (!d || (d.value === 1 && !text(d.unit) && !text(d.code)) || text(d.code) === '1')) {
      const c = build(nv, compound.mass, compound.perMl, 1);
      return c ? { ok: true, concentration: c, from: 'structured', words: show(c) } : none();
    }
    const mass = unitOf(n, massUnitOf, sameMass);
    if (!mass.ok) return refuse('ambiguous', mass.message);
    if (!mass.value) return refuse('not-a-mass', `The ingredient strength's amount is in "${text(n.unit) ?? text(n.code) ?? 'no unit'}", not a mass (mg, mcg, g).`);
    if (!d) return refuse('no-denominator', 'The ingredient strength has no denominator (per how many mL).');
    const dv = typeof d.value === 'number' ? d.value : undefined;
    const vol = unitOf(d, mlPerVolumeUnit, (a, b) => a === b);
    if (!vol.ok) return refuse('ambiguous', vol.message);
    if (dv === undefined || !vol.value) return refuse('no-denominator', `The ingredient strength's denominator is not a volume${text(d.unit) ?? text(d.code) ? ` ("${text(d.unit) ?? text(d.code)}")` : ''}.`);
    const c = build(nv, mass.value, dv, vol.value);
    return c ? { ok: true, concentration: c, from: 'structured', words: show(c) } : none();
  }
  if ('value' in v) {
    const q = v as QuantityLike;
    const nv = typeof q.value === 'number' ? q.value : undefined;
    const compound = [text(q.code), text(q.unit)].map((u) => (u ? compoundUnit(u) : undefined));
    const [byCode, byUnit] = compound;
    if (byCode && byUnit && (!sameMass(byCode.mass, byUnit.mass) || byCode.perMl !== byUnit.perMl)) return refuse('ambiguous', `The unit "${text(q.unit)}" and its code "${text(q.code)}" disagree.`);
    const u = byCode ?? byUnit;
    if (nv === undefined) return none();
    if (!u) return massUnitOf(text(q.code) ?? text(q.unit)) ? refuse('no-denominator', `The strength "${nv} ${text(q.unit) ?? text(q.code)}" gives no volume (per mL).`) : none();
    const c = build(nv, u.mass, u.perMl, 1);
    return c ? { ok: true, concentration: c, from: 'structured', words: show(c) } : none();
  }
  if ('coding' in v || 'text' in v) {
    const words = [text(v.text), ...(Array.isArray(v.coding) ? v.coding.map((c) => (isObj(c) ? text(c.display) : undefined)) : [])];
    const r = readStrengthTexts(words);
    return r.ok ? { ...r, from: 'structured' } : r;
  }
  return none();
}

/**
 * A drug's strength: the structured one (the single active ingredient's strength) when it reads, checked against
 * the strengths in the words; else the words. Two different strengths are refused.
 */
export function strengthOf(input: { structured?: unknown; texts?: readonly (string | undefined)[] }): StrengthRead {
  const structured = input.structured === undefined ? none() : readStrengthValue(input.structured);
  const words = readStrengthTexts(input.texts ?? []);
  if (structured.ok) {
    if (words.ok && !sameStrength(structured.concentration, words.concentration)) {
      return refuse('ambiguous', `The ingredient strength (${structured.words}) and the words of the record (${words.words}) disagree.`);
    }
    return structured;
  }
  if (words.ok) return words;
  if (structured.reason !== 'none') return structured;
  return words;
}

// ---------------------------------------------------------------- an amount (Dosage.dose)

export type AmountRead =
  | { ok: true; amount: number; unit: 'mg' | 'mcg' | 'mL' }
  | { ok: false; message: string };

/**
 * A dose Quantity (Dosage.dose) → mg, mcg or mL, by the same unit tables as the strengths: UCUM code or unit text
 * (`ug`, "microgram", "MCG", `mL`, "cc", `cm3`, `L`, `g`, `ng`), which must agree when both are given.
 */
export function readAmount(q: unknown): AmountRead {
  if (!isObj(q)) return { ok: false, message: 'No amount.' };
  const value = typeof q.value === 'number' && Number.isFinite(q.value) ? q.value : undefined;
  if (value === undefined || value < 0) return { ok: false, message: 'No amount.' };
  const mass = unitOf(q as QuantityLike, massUnitOf, sameMass);
  const volume = unitOf(q as QuantityLike, mlPerVolumeUnit, (a, b) => a === b);
  if (!mass.ok) return { ok: false, message: mass.message };
  if (!volume.ok) return { ok: false, message: volume.message };
  if (mass.value && volume.value) return { ok: false, message: `The unit "${text(q.unit) ?? ''}" and its code "${text(q.code) ?? ''}" disagree.` };
  if (mass.value) return { ok: true, amount: round(value * mass.value.factor), unit: mass.value.unit };
  if (volume.value) return { ok: true, amount: round(value * volume.value), unit: 'mL' };
  return { ok: false, message: `The unit "${text(q.unit) ?? text(q.code) ?? 'none'}" is not a mass or a volume.` };
}

// ---------------------------------------------------------------- a rate (MedicationAdministration.dosage.rate[x])

/** days per unit of time */
const DAYS_PER: Record<string, number> = {
  d: 1, day: 1, days: 1, '24h': 1, '24 h': 1, '24.h': 1, '(24.h)': 1, '24 hours': 1, '24hr': 1, '24 hr': 1,
  h: 1 / 24, hr: 1 / 24, hrs: 1 / 24, hour: 1 / 24, hours: 1 / 24, min: 1 / 1440, minute: 1 / 1440, minutes: 1 / 1440,
};
const ratePart = (u: string): { ml: number; days: number } | undefined => {
  const m = /^\s*([a-zµμ³^0-9]+(?:\s*\([^)]*\))?)\s*(?:\/|\bper\b)\s*(.+?)\s*$/i.exec(u.replace(/\{[^}]*\}/g, ''));
  if (!m) return undefined;
  const ml = mlPerVolumeUnit(m[1]);
  const days = DAYS_PER[m[2]!.toLowerCase().replace(/^1\s*/, '')];
  return ml && days ? { ml, days } : undefined;
};

/**
 * The programmed rate in mL per day: a Quantity with a rate unit (`mL/d`, `mL/h`, "milliliter per day", "mL/24 h",
 * "mL/hr") or a Ratio (mL over days or hours). Undefined when it is not a volume over a time.
 */
export function readRateMlPerDay(v: unknown): { mlPerDay: number; perHour: boolean } | undefined {
  if (!isObj(v)) return undefined;
  if ('numerator' in v) {
    const n = isObj(v.numerator) ? (v.numerator as QuantityLike) : undefined;
    const d = isObj(v.denominator) ? (v.denominator as QuantityLike) : undefined;
    const nv = typeof n?.value === 'number' ? n.value : undefined;
    const dv = typeof d?.value === 'number' ? d.value : undefined;
    const vol = n ? unitOf(n, mlPerVolumeUnit, (a, b) => a === b) : undefined;
    const time = d ? unitOf(d, (u) => DAYS_PER[unitKey(u)], (a, b) => a === b) : undefined;
    if (nv === undefined || dv === undefined || !vol?.ok || !vol.value || !time?.ok || !time.value || !(nv > 0) || !(dv > 0)) return undefined;
    const mlPerDay = round((nv * vol.value) / (dv * time.value));
    return Number.isFinite(mlPerDay) ? { mlPerDay, perHour: time.value < 1 } : undefined;
  }
  const value = typeof v.value === 'number' ? v.value : undefined;
  if (value === undefined || !(value > 0)) return undefined;
  const byCode = text(v.code) && (text(v.system) === UCUM || !text(v.system)) ? ratePart(text(v.code)!) : undefined;
  const byUnit = text(v.unit) ? ratePart(text(v.unit)!) : undefined;
  if (byCode && byUnit && (byCode.ml / byCode.days !== byUnit.ml / byUnit.days)) return undefined;
  const r = byCode ?? byUnit;
  if (!r) return undefined;
  const mlPerDay = round((value * r.ml) / r.days);
  return Number.isFinite(mlPerDay) ? { mlPerDay, perHour: r.days < 1 } : undefined;
}
