/**
 * diagnoses: ICD-10-CM codes (dotted form, at most 12) of the Conditions that are neither inactive/resolved nor
 * entered-in-error/refuted — the Encounter's ranked diagnoses first, then every other Condition.
 */
import { codesIn, codings, num, objs, refTo, SYSTEMS, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

export function readDiagnoses(visit: Visit): string[] {
  const { index, src, references, encounter } = visit;
  const diagnoses: string[] = [];
  const conditionRefs: string[] = [];
  guarded(src, 'diagnoses', () => {
    const ranked = encounter
      ? [...objs(encounter.diagnosis)].sort((a, b) => (num(a.rank) ?? 99) - (num(b.rank) ?? 99)).map((d) => index.resolve(d.condition, 'Condition'))
      : [];
    const conditions = [...ranked.filter((c): c is Resource => !!c), ...index.ofType('Condition')];
    for (const c of conditions) {
      const clinical = codings(c.clinicalStatus).map((x) => x.code);
      const verification = codings(c.verificationStatus).map((x) => x.code);
      if (clinical.some((x) => x === 'inactive' || x === 'resolved') || verification.some((x) => x === 'entered-in-error' || x === 'refuted')) continue;
      for (const raw of codesIn(c.code, SYSTEMS.icd10cm)) {
        const code = normaliseIcd(raw);
        if (code && !diagnoses.includes(code) && diagnoses.length < 12) {
          diagnoses.push(code);
          const ref = refTo(c);
          if (ref && !conditionRefs.includes(ref)) conditionRefs.push(ref);
        }
      }
    }
    src.set('diagnoses', diagnoses.length ? 'record' : 'default', undefined,
      diagnoses.length ? 'ICD-10-CM codes of the active Conditions (encounter diagnoses first).' : 'No ICD-10-CM diagnosis on the record; add the diagnosis that supports the service.');
  }, undefined, 'add the diagnoses.');
  if (conditionRefs.length) references.conditions = conditionRefs;
  return diagnoses;
}

/** "G8918" or "g89.18" → "G89.18"; anything not shaped like an ICD-10-CM code → undefined. */
function normaliseIcd(raw: string): string | undefined {
  const s = raw.trim().toUpperCase();
  const withDot = /^[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}$/.test(s) ? `${s.slice(0, 3)}.${s.slice(3)}` : s;
  return /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(withDot) ? withDot : undefined;
}
