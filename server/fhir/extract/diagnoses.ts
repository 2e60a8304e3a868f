/**
 * diagnoses: ICD-10-CM codes (dotted form, at most 12) of the visit's Conditions only — never the whole problem
 * list or other visits' diagnoses. The visit's Conditions are: the Encounter's ranked diagnoses, those the visit's
 * Procedures give as reasonReference, and encounter-diagnosis Conditions of this Encounter (or, with no Encounter,
 * recorded on the service date); Procedure.reasonCode ICD-10-CM codes count too. Inactive/resolved and
 * entered-in-error/refuted Conditions are left out. A visit Condition coded only in SNOMED CT, IMO or a local code
 * is not dropped silently: a `diagnosis-needs-icd10` notice names it.
 */
import { conceptTexts } from './concept.js';
import { clip, codesIn, codings, num, objs, refTo, SYSTEMS, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

export function readDiagnoses(visit: Visit): string[] {
  const { index, src, references, encounter, todaysProcedures, inVisit } = visit;
  const diagnoses: string[] = [];
  const conditionRefs: string[] = [];
  guarded(src, 'diagnoses', () => {
    const ranked = encounter
      ? [...objs(encounter.diagnosis)].sort((a, b) => (num(a.rank) ?? 99) - (num(b.rank) ?? 99)).map((d) => index.resolve(d.condition, 'Condition', encounter))
      : [];
    const reasons = todaysProcedures.flatMap((p) => objs(p.reasonReference).map((r) => index.resolve(r, 'Condition', p)));
    const encounterDiagnoses = index.ofType('Condition').filter((c) =>
      objs(c.category).flatMap(codings).some((x) => x.code === 'encounter-diagnosis') && inVisit([c.encounter, c.context], [c.recordedDate, c.onsetDateTime]));
    const conditions = [...ranked, ...reasons, ...encounterDiagnoses].filter((c, i, all): c is Resource => !!c && all.indexOf(c) === i);
    const needsIcd: string[] = [];
    const add = (raw: string, c?: Resource) => {
      const code = normaliseIcd(raw);
      if (!code || diagnoses.includes(code) || diagnoses.length >= 12) return !!code;
      diagnoses.push(code);
      const ref = refTo(c);
      if (ref && !conditionRefs.includes(ref)) conditionRefs.push(ref);
      return true;
    };
    for (const c of conditions) {
      if (c.resourceType !== 'Condition') continue;
      const clinical = codings(c.clinicalStatus).map((x) => x.code);
      const verification = codings(c.verificationStatus).map((x) => x.code);
      if (clinical.some((x) => x === 'inactive' || x === 'resolved') || verification.some((x) => x === 'entered-in-error' || x === 'refuted')) continue;
      const icd = codesIn(c.code, SYSTEMS.icd10cm);
      let any = false;
      for (const raw of icd) any = add(raw, c) || any;
      if (!any) needsIcd.push(conceptTexts(c.code)[0] ?? codings(c.code).map((x) => x.code).find(Boolean) ?? 'a diagnosis without a name');
    }
    for (const p of todaysProcedures) for (const rc of objs(p.reasonCode)) for (const raw of codesIn(rc, SYSTEMS.icd10cm)) add(raw);
    for (const name of needsIcd.slice(0, 5)) {
      src.notice({ id: 'diagnosis-needs-icd10', severity: 'warning', message: `The visit's diagnosis "${clip(name, 120)}" has no ICD-10-CM code (SNOMED CT, IMO or a local code only); add the ICD-10-CM code for the claim.` });
    }
    const other = index.ofType('Condition').length - conditions.length;
    src.set('diagnoses', diagnoses.length ? 'record' : 'default', undefined, diagnoses.length
      ? "ICD-10-CM codes of the visit's diagnoses (encounter diagnoses first)."
      : needsIcd.length ? "The visit's diagnoses have no ICD-10-CM code; add the code that supports the service."
        : `No diagnosis is linked to this visit${other > 0 ? ` (${other} other Condition${other === 1 ? '' : 's'} on the problem list or from other visits ${other === 1 ? 'was' : 'were'} not used)` : ''}; add the diagnosis that supports the service.`);
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
