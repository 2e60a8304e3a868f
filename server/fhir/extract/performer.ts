/**
 * performer: the pump Procedure's performer (not the supervisor) → Practitioner (directly or via PractitionerRole)
 * → Practitioner.qualification (HL7 v2-0360 degree, NUCC taxonomy); the highest-ranking role wins. Whether physician
 * skill was required and whether a supervising physician was on site come from the procedure note.
 */
import type { VisitFacts } from '../../contracts/index.js';
import { ccText, clip, codings, objs, refTo, str, SYSTEMS, type Json, type Resource } from './record.js';
import { guarded } from './sources.js';
import type { Visit } from './visit.js';

type Role = VisitFacts['performer']['role'];
const ROLE_BY_V20360: Record<string, Role> = {
  MD: 'physician', DO: 'physician',
  NP: 'nurse-practitioner', CNP: 'nurse-practitioner',
  PA: 'physician-assistant',
  CNS: 'clinical-nurse-specialist',
  RN: 'registered-nurse', CRN: 'registered-nurse',
  MDA: 'medical-assistant', CMA: 'medical-assistant', RMA: 'medical-assistant',
  // MA is "Master of Arts" in table 0360 (terminology.md), not a medical assistant: deliberately absent.
};
const ROLE_RANK: Record<Role, number> = {
  physician: 7, 'nurse-practitioner': 6, 'physician-assistant': 5, 'clinical-nurse-specialist': 4,
  'registered-nurse': 3, 'medical-assistant': 2, other: 1,
};
function roleFromNucc(code: string): Role | undefined {
  if (/^20[78]/.test(code)) return 'physician';
  if (code.startsWith('363L')) return 'nurse-practitioner';
  if (code.startsWith('363A')) return 'physician-assistant';
  if (code.startsWith('364S')) return 'clinical-nurse-specialist';
  if (code.startsWith('163W')) return 'registered-nurse';
  return undefined;
}

// Note readers (free text in Procedure.note). The fixtures write structured lines ("Physician skill required: …");
// the patterns also accept common free-text phrasings.
const SKILL = /physician skill required:\s*(.+)|(?:requir(?:ed|ing)|needed) (?:the )?(?:skill|expertise) of (?:a|the) physician[^.]*(?:[:;,-]\s*|\bfor\b|\bbecause\b)([^.]+)/i;
const SUPERVISION_YES = /supervising physician[^.\n]*(?:on[- ]site|present|in the (?:office|suite|clinic))|direct supervision/i;
const SUPERVISION_NO = /supervising physician[^.\n]*(?:not (?:on[- ]site|present)|remote|off[- ]site)|no physician (?:on[- ]site|present)/i;

export function readPerformer(visit: Visit): VisitFacts['performer'] {
  const { index, src, references, todaysNotes, pumpProcedure } = visit;
  const performer: VisitFacts['performer'] = { role: 'other', physicianSkillRequired: false };
  guarded(src, 'performer.role', () => {
    // Who: the first performer slot that is not the supervisor; a lone Practitioner when there is no procedure.
    const slots = pumpProcedure ? objs(pumpProcedure.performer) : [];
    const isSupervisor = (s: Json) => /supervis/i.test(ccText(s.function) ?? '');
    const main = slots.find((s) => !isSupervisor(s)) ?? slots[0];
    let practitioner = main ? index.resolve(main.actor, 'Practitioner') : undefined;
    if (!practitioner && main) {
      const role = index.resolve(main.actor, 'PractitionerRole');
      practitioner = role ? index.resolve(role.practitioner, 'Practitioner') : undefined;
    }
    if (!practitioner && !pumpProcedure && index.ofType('Practitioner').length === 1) practitioner = index.ofType('Practitioner')[0];
    if (practitioner && str(practitioner.id)) references.practitioner = refTo(practitioner);

    const role = practitioner ? roleOf(practitioner) : undefined;
    if (role) {
      performer.role = role;
      src.set('performer.role', 'record', practitioner, 'From Practitioner.qualification.');
    } else {
      src.set('performer.role', 'default', practitioner, practitioner
        ? 'The performer has no recognised qualification (MD, DO, NP, PA, CNS, RN …); choose the role.'
        : 'Who performed the service is not on the record; choose the role.');
    }

    const skill = SKILL.exec(todaysNotes);
    const reason = skill ? (skill[1] ?? skill[2])?.trim() : undefined;
    if (skill) {
      performer.physicianSkillRequired = true;
      if (reason) {
        performer.physicianSkillReason = clip(reason, 500);
        src.set('performer.physicianSkillReason', 'derived', pumpProcedure, 'Quoted from the procedure note.');
      }
      src.set('performer.physicianSkillRequired', 'derived', pumpProcedure, 'The procedure note documents why physician skill was required.');
    } else {
      src.set('performer.physicianSkillRequired', 'default', pumpProcedure, 'No documented reason why physician skill was required; set it if the note gives one.');
    }

    // Supervision only matters when a non-physician performed the service.
    if (performer.role !== 'physician') {
      const supervisorSlot = slots.find(isSupervisor);
      const supervisor = supervisorSlot ? index.resolve(supervisorSlot.actor, 'Practitioner') : undefined;
      if (SUPERVISION_NO.test(todaysNotes)) {
        performer.supervisingPhysicianOnSite = false;
        src.set('performer.supervisingPhysicianOnSite', 'derived', pumpProcedure, 'The note says the supervising physician was not on site.');
      } else if (SUPERVISION_YES.test(todaysNotes) || (supervisor && /on[- ]site|present/i.test(ccText(supervisorSlot?.function) ?? ''))) {
        performer.supervisingPhysicianOnSite = true;
        src.set('performer.supervisingPhysicianOnSite', 'derived', supervisor ?? pumpProcedure, 'The record names a supervising physician on site.');
      } else {
        src.set('performer.supervisingPhysicianOnSite', 'default', pumpProcedure, 'Was a supervising physician on site (direct supervision)? Not on the record.');
      }
    }
  }, undefined, 'choose the performer role.');
  return performer;
}

/** The highest-ranking role among the Practitioner's qualifications (v2-0360 degrees, NUCC taxonomy codes). */
function roleOf(practitioner: Resource): Role | undefined {
  const roles: Role[] = [];
  for (const q of objs(practitioner.qualification)) {
    for (const c of codings(q.code)) {
      if (!c.code) continue;
      if (c.system === SYSTEMS.v20360 || c.system?.startsWith(`${SYSTEMS.v20360}|`)) {
        const r = ROLE_BY_V20360[c.code.toUpperCase()];
        if (r) roles.push(r);
      } else if (c.system === SYSTEMS.nucc) {
        const r = roleFromNucc(c.code.toUpperCase());
        if (r) roles.push(r);
      }
    }
  }
  return roles.sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0];
}
