/**
 * The one "code or text" reader every fact uses (DESIGN.md "Any code system, then text"): a code we know, from
 * any coding of the concept, gives the fact as 'record'; otherwise the words (CodeableConcept.text, the codings'
 * displays, names, notes) are read and the fact is 'derived', with the words it came from in the note.
 * Unknown local codes (Epic OIDs, Oracle code sets, IMO) are simply not known codes: they never break a read.
 */
import { clip, codings, obj, str, type Coding } from './record.js';

export interface ConceptRead<T> { value: T; status: 'record' | 'derived'; coding?: Coding; words?: string; note?: string }

/** The texts of a CodeableConcept: its text first, then every coding's display. */
export function conceptTexts(cc: unknown): string[] {
  const out: string[] = [];
  const t = str(obj(cc).text);
  if (t) out.push(t);
  for (const c of codings(cc)) if (c.display && !out.includes(c.display)) out.push(c.display);
  return out;
}

/**
 * Reads one fact from concepts: `byCode(system, code)` is tried on every coding of every concept first
 * (any system; the function decides which systems it trusts); then `byText` on each text, then on `extraTexts`.
 */
export function readConcept<T>(
  concepts: unknown[],
  byCode: (system: string | undefined, code: string) => T | undefined,
  byText: (text: string) => T | undefined,
  extraTexts: string[] = [],
): ConceptRead<T> | undefined {
  for (const cc of concepts) {
    for (const c of codings(cc)) {
      if (!c.code) continue;
      const v = byCode(c.system, c.code);
      if (v !== undefined) return { value: v, status: 'record', coding: c };
    }
  }
  const texts = [...concepts.flatMap(conceptTexts), ...extraTexts.filter((t) => !!t)];
  for (const words of texts) {
    const v = byText(words);
    if (v !== undefined) return { value: v, status: 'derived', words, note: `Read from the words "${clip(words, 160)}"; confirm.` };
  }
  return undefined;
}
