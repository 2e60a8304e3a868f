/**
 * performer: the pump Procedure's performer (not the supervisor), resolved by any reference shape (relative,
 * absolute, contained, urn:uuid, identifier, display) to a Practitioner — directly or through a PractitionerRole.
 * The role comes from, in this order (DESIGN.md "Who performed"):
 * 1. Practitioner.qualification, any system: HL7 v2-0360 degrees, NUCC taxonomy codes, Epic OIDs, Oracle code sets —
 *    a known code ('record' for v2-0360/NUCC, else 'derived') or the display/text words ("Doctor of Medicine", "RN");
 * 2. PractitionerRole.code / specialty (NUCC, HL7 practitioner-role "doctor"/"nurse", words);
 * 3. NUCC taxonomy identifiers (Epic puts the taxonomy in an Epic-OID identifier): the value's shape says it;
 * 4. vendor extensions (Oracle Health's is-physician: true);
 * 5. name suffixes and prefixes ("MD", "DO", "RN", "PA-C", "NP", "Dr");
 * 6. the note ("refill performed by … RN").
 * Whether physician skill was required and whether a supervising physician was on site come from the note reader.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { conceptTexts } from './concept.js';
import { isConflict, quoted, readPhysicianSkill, readSupervision } from './notes.js';
import { arr, ccText, clip, codings, obj, objs, refTo, str, SYSTEMS, type Json, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

type Role = VisitFacts['performer']['role'];
const ROLE_BY_DEGREE: Record<string, Role> = {
  MD: 'physician', DO: 'physician', MBBS: 'physician',
  NP: 'nurse-practitioner', CNP: 'nurse-practitioner', FNP: 'nurse-practitioner', ANP: 'nurse-practitioner', APRN: 'nurse-practitioner',
  'FNP-C': 'nurse-practitioner', 'FNP-BC': 'nurse-practitioner', 'ANP-BC': 'nurse-practitioner', 'AGNP': 'nurse-practitioner', DNP: 'nurse-practitioner',
  PA: 'physician-assistant', 'PA-C': 'physician-assistant',
  CNS: 'clinical-nurse-specialist', 'APRN-CNS': 'clinical-nurse-specialist',
  RN: 'registered-nurse', CRN: 'registered-nurse', BSN: 'registered-nurse', 'RN-BSN': 'registered-nurse',
  MDA: 'medical-assistant', CMA: 'medical-assistant', RMA: 'medical-assistant', CCMA: 'medical-assistant',
  // MA is "Master of Arts" in table 0360 (terminology.md), not a medical assistant: deliberately absent.
  // LPN/LVN have no role of their own in the contract: 'other' (the review asks).
};
const ROLE_RANK: Record<Role, number> = {
  physician: 7, 'nurse-practitioner': 6, 'physician-assistant': 5, 'clinical-nurse-specialist': 4,
  'registered-nurse': 3, 'medical-assistant': 2, other: 1,
};

/**
 * The one taxonomy lookup: NUCC Health Care Provider Taxonomy codes (10 characters ending in X). Allopathic and
 * osteopathic physicians are 207*–208* (207Q00000X Family Medicine, 208VP0014X Interventional Pain …); 363L NP,
 * 363A PA, 364S CNS, 163W RN. Medical assistants have no NUCC code of their own; LPN (164W) stays 'other'.
 */
export function roleFromTaxonomy(code: string): Role | undefined {
  const c = code.toUpperCase();
  if (!/^[0-9]{3}[0-9A-Z]{6}X$/.test(c)) return undefined;
  if (/^20[78]/.test(c)) return 'physician';
  if (c.startsWith('363L')) return 'nurse-practitioner';
  if (c.startsWith('363A')) return 'physician-assistant';
  if (c.startsWith('364S')) return 'clinical-nurse-specialist';
  if (c.startsWith('163W')) return 'registered-nurse';
  return undefined;
}

/** Role words in a display, text, or credentials string. */
export function roleFromWords(text: string): Role | undefined {
  const t = text.trim();
  if (/\bnurse practitioner\b|\bN\.?P\.?(?:-C)?\b(?![-.]?\d)|\bA?PRN\b|\bFNP\b/i.test(t)) return 'nurse-practitioner';
  if (/\bclinical nurse specialist\b/i.test(t) || /\bCNS\b/.test(t)) return 'clinical-nurse-specialist';
  if (/\bphysician assistant\b|\bphysician associate\b|\bPA-C\b|\bP\.A\.(?:-C)?/i.test(t)) return 'physician-assistant';
  if (/\bmedical assistant\b|\bC?CMA\b|\bRMA\b/i.test(t)) return 'medical-assistant';
  if (/\blicensed (?:practical|vocational) nurse\b|\bL[PV]N\b/i.test(t)) return 'other';
  if (/\bregistered nurse\b/i.test(t) || /\bR\.?N\.?\b|\bBSN\b/.test(t) || /^nurse$/i.test(t)) return 'registered-nurse';
  if (/\b(?:doctor of (?:medicine|osteopath(?:ic|y)(?: medicine)?)|physician|M\.?D\.?|D\.?O\.?|MBBS|anesthesiologist|physiatrist|neurosurgeon|neurologist|surgeon)\b/.test(t)
    || /\b(?:doctor of medicine|physician|anesthesiologist|physiatrist|neurosurgeon|neurologist)\b/i.test(t)) return 'physician';
  return undefined;
}

interface RoleRead { role: Role; status: 'record' | 'derived'; from: Resource; note: string }

function fromCodings(concepts: unknown[], from: Resource, where: string): RoleRead | undefined {
  const found: RoleRead[] = [];
  for (const cc of concepts) {
    for (const c of codings(cc)) {
      if (!c.code) continue;
      const trusted = c.system === SYSTEMS.v20360 || c.system === SYSTEMS.nucc;
      const byDegree = c.system === SYSTEMS.nucc ? undefined : ROLE_BY_DEGREE[c.code.toUpperCase()];
      const r = byDegree ?? roleFromTaxonomy(c.code) ?? (c.system === 'http://terminology.hl7.org/CodeSystem/practitioner-role' ? ({ doctor: 'physician', nurse: 'registered-nurse' } as Record<string, Role>)[c.code] : undefined);
      if (r) found.push({ role: r, status: trusted ? 'record' : 'derived', from, note: trusted ? `From ${where} ${c.code}.` : `From ${where} code ${c.code}${c.display ? ` (${c.display})` : ''} of ${c.system ?? 'an unnamed system'}; confirm.` });
    }
    for (const words of conceptTexts(cc)) {
      const r = roleFromWords(words);
      if (r) found.push({ role: r, status: 'derived', from, note: `From ${where} "${clip(words, 80)}"; confirm.` });
    }
  }
  return found.sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || (a.status === 'record' ? -1 : 1))[0];
}

/** The role of a Practitioner through the chain in the module comment (steps 1–5). */
export function roleOf(practitioner: Resource | undefined, roles: Resource[]): RoleRead | undefined {
  if (practitioner) {
    const q = fromCodings(objs(practitioner.qualification).map((x) => x.code), practitioner, 'Practitioner.qualification');
    if (q) return q;
  }
  for (const pr of roles) {
    const r = fromCodings([...objs(pr.code), ...objs(pr.specialty)], pr, 'PractitionerRole');
    if (r) return r;
  }
  const withIds = [practitioner, ...roles].filter((x): x is Resource => !!x);
  for (const r of withIds) {
    for (const id of objs(r.identifier)) {
      const v = str(id.value);
      const role = v ? roleFromTaxonomy(v) : undefined;
      if (role) return { role, status: 'derived', from: r, note: `From the taxonomy code ${v} in ${r.resourceType}.identifier; confirm.` };
    }
  }
  if (practitioner) {
    for (const ext of objs(practitioner.extension)) {
      const url = str(ext.url) ?? '';
      if (/is-?physician$/i.test(url) && ext.valueBoolean === true) {
        return { role: 'physician', status: 'derived', from: practitioner, note: 'The EHR marks this practitioner as a physician (is-physician extension); confirm.' };
      }
    }
    for (const n of objs(practitioner.name)) {
      const parts = [...arr(n.suffix), ...arr(n.prefix)].map(str).filter((x): x is string => !!x);
      for (const p of parts) {
        const clean = p.replace(/\./g, '').toUpperCase();
        const r = ROLE_BY_DEGREE[clean] ?? (clean === 'DR' ? 'physician' : undefined) ?? roleFromWords(p);
        if (r) return { role: r, status: 'derived', from: practitioner, note: `From the name ${clean === 'DR' ? 'prefix' : 'suffix'} "${p}"; confirm (a "Dr" may hold another doctorate).` };
      }
      const text = str(n.text);
      const tail = text ? /,\s*([A-Za-z.\- ]{2,20})$/.exec(text)?.[1] : undefined;
      const credential = tail?.split(/[ ,]+/).map((x) => x.replace(/\./g, '').toUpperCase()).map((x) => ROLE_BY_DEGREE[x]).find(Boolean);
      if (credential) return { role: credential, status: 'derived', from: practitioner, note: `From the credentials in the name "${clip(text as string, 80)}"; confirm.` };
      if (text && /^Dr\.?\s/i.test(text)) return { role: 'physician', status: 'derived', from: practitioner, note: `From the name "${clip(text, 80)}"; confirm (a "Dr" may hold another doctorate).` };
    }
  }
  return undefined;
}

/**
 * Epic's clinical-note-author-provider-type extension on the visit note (DocumentReference.context): the role of the
 * note's author — used when the author is the performer, or when the performer is not on the record at all.
 */
function authorType(visit: Visit, practitioner: Resource | undefined): { role: Role; doc: Resource; words: string } | undefined {
  for (const doc of visit.documents) {
    const author = objs(doc.author).map((a) => visit.index.resolve(a, 'Practitioner', doc)).find(Boolean);
    if (practitioner && author !== practitioner) continue;
    for (const ext of objs(obj(doc.context).extension)) {
      if (!/clinical-note-author-provider-type$/.test(str(ext.url) ?? '')) continue;
      const words = conceptTexts(ext.valueCodeableConcept)[0];
      const role = words ? roleFromWords(words) : undefined;
      if (role && words) return { role, doc, words };
    }
  }
  return undefined;
}

const PERFORMED_BY = /\b(?:performed|refilled|done|completed|interrogated|programmed)\s+by\s+(?:the\s+)?([A-Za-z .,'-]{2,60}?)(?:[.;]|$)/i;

export function readPerformer(visit: Visit): VisitFacts['performer'] {
  const { index, src, references, sentences, pumpProcedure } = visit;
  const performer: VisitFacts['performer'] = { role: 'other', physicianSkillRequired: false };
  guarded(src, 'performer.role', () => {
    // Who: the first performer slot that is not the supervisor; a lone Practitioner when there is no procedure.
    const slots = pumpProcedure ? objs(pumpProcedure.performer) : [];
    const isSupervisor = (s: Json) => /supervis|attending/i.test(ccText(s.function) ?? '') || codings(s.function).some((c) => c.code === 'SPRF' || c.code === 'ATND');
    const main = slots.find((s) => !isSupervisor(s)) ?? slots[0];
    const container = pumpProcedure;
    let practitioner = main ? index.resolve(main.actor, 'Practitioner', container) : undefined;
    const roles: Resource[] = [];
    if (main) {
      const role = index.resolve(main.actor, 'PractitionerRole', container);
      if (role) {
        roles.push(role);
        practitioner = practitioner ?? index.resolve(role.practitioner, 'Practitioner', role);
      }
    }
    // No performer on the procedure (Synthea puts the clinician on Encounter.participant): the visit encounter's
    // primary performer, else its attender, else its only participant.
    if (!practitioner && !main && visit.encounter) {
      const parts = objs(visit.encounter.participant);
      const typed = (code: string) => parts.find((p) => objs(p.type).flatMap(codings).some((c) => c.code === code));
      const chosen = typed('PPRF') ?? typed('ATND') ?? typed('PART') ?? (parts.length === 1 ? parts[0] : undefined);
      if (chosen) practitioner = index.resolve(chosen.individual, 'Practitioner', visit.encounter);
    }
    if (!practitioner && !pumpProcedure && index.ofType('Practitioner').length === 1) practitioner = index.ofType('Practitioner')[0];
    if (practitioner) {
      for (const pr of index.ofType('PractitionerRole')) {
        if (!roles.includes(pr) && index.resolve(pr.practitioner, 'Practitioner', pr) === practitioner) roles.push(pr);
      }
    }
    if (practitioner && str(practitioner.id)) references.practitioner = refTo(practitioner);

    const read = roleOf(practitioner, roles);
    if (read) {
      performer.role = read.role;
      src.set('performer.role', read.status, read.from, read.note);
    } else {
      // The actor's display alone ("Jane Smith, RN"), then the note.
      const display = str(main?.actor && (main.actor as Json).display);
      const byDisplay = display ? roleFromWords(display.replace(/^.*,\s*/, '')) ?? (/^Dr\.?\s/i.test(display) ? 'physician' : undefined) : undefined;
      const byNote = sentences.map((s) => ({ s, m: PERFORMED_BY.exec(s.text) })).find((x) => x.m && roleFromWords(x.m[1] as string));
      const author = byDisplay ? undefined : authorType(visit, practitioner);
      if (byDisplay) {
        performer.role = byDisplay;
        src.set('performer.role', 'derived', pumpProcedure, `From the performer's name "${clip(display as string, 80)}"; confirm.`);
      } else if (author) {
        const t = author;
        performer.role = t.role;
        src.set('performer.role', 'derived', t.doc, `The visit note's author is recorded as "${clip(t.words, 60)}" (Epic author provider type); confirm.`);
      } else if (byNote?.m) {
        performer.role = roleFromWords(byNote.m[1] as string) as Role;
        src.set('performer.role', 'derived', byNote.s.from, quoted(byNote.s.text));
      } else {
        src.set('performer.role', 'default', practitioner, practitioner
          ? 'The performer has no recognised qualification (MD, DO, NP, PA, CNS, RN …); choose the role.'
          : 'Who performed the service is not on the record; choose the role.');
      }
    }

    const skill = readPhysicianSkill(sentences);
    if (skill) {
      performer.physicianSkillRequired = true;
      performer.physicianSkillReason = skill.value;
      src.set('performer.physicianSkillReason', 'derived', skill.from, quoted(skill.sentence));
      src.set('performer.physicianSkillRequired', 'derived', skill.from, quoted(skill.sentence, 'The note documents why physician skill was required'));
    } else {
      src.set('performer.physicianSkillRequired', 'default', pumpProcedure, 'No documented reason why physician skill was required; set it if the note gives one.');
    }

    // Supervision only matters when a non-physician performed the service.
    if (performer.role !== 'physician') {
      const supervisorSlot = slots.find(isSupervisor);
      const supervisor = supervisorSlot ? index.resolve(supervisorSlot.actor, 'Practitioner', container) : undefined;
      const said = readSupervision(sentences);
      if (said && !isConflict(said)) {
        performer.supervisingPhysicianOnSite = said.value;
        src.set('performer.supervisingPhysicianOnSite', 'derived', said.from, quoted(said.sentence));
      } else if (supervisor && /on[- ]site|present/i.test(ccText(supervisorSlot?.function) ?? '')) {
        performer.supervisingPhysicianOnSite = true;
        src.set('performer.supervisingPhysicianOnSite', 'derived', supervisor, 'The record names a supervising physician on site.');
      } else {
        src.set('performer.supervisingPhysicianOnSite', 'default', pumpProcedure, isConflict(said)
          ? 'The note says both that a supervising physician was and was not on site; confirm.'
          : 'Was a supervising physician on site (direct supervision)? Not on the record.');
      }
    }
  }, undefined, 'choose the performer role.');
  return performer;
}
