/**
 * Reviewed facts + accepted lines + checklist → a FHIR R4 Claim (status draft), a DocumentReference (the
 * documentation checklist as plain text) and a Provenance naming the policy module and version: the generic shape.
 * The vendor modules in ./writeback/ turn it into what each EHR takes (the one place those rules live).
 *
 * Write order on the client: DocumentReference first, then Claim, then Provenance. The Claim points at the note by
 * *identifier* (APP_IDENTIFIER_SYSTEM + `<visitKey>.<version>.doc`) in one supportingInfo entry, to which the client
 * adds the reference once the EHR has assigned the id. No patient names or birth dates go into identifiers or the Provenance.
 */
import { createHmac } from 'node:crypto';
import { citationLabel } from '../contracts/sources.js';
import { finalizeFor } from './writeback/index.js';
import type { Citation, EhrVendor } from '../contracts/index.js';
import type { Claim, ClaimItem, DocumentReference, Patient, Practitioner, Provenance, Reference } from '@medplum/fhirtypes'; // R4 types (the installed @types/fhir 3.x is the old global namespace, not R4)
import { APP_IDENTIFIER_SYSTEM, type DraftRequest} from '../contracts/index.js';
import { CODE_SYSTEMS, isPumpLineCode } from '../terminology/index.js';

export const CPT_SYSTEM = CODE_SYSTEMS.cpt.write;
export const HCPCS_SYSTEM = CODE_SYSTEMS.hcpcs.write;
export const ICD10CM_SYSTEM = CODE_SYSTEMS.icd10cm.write;
export const POS_SYSTEM = 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set';
const POLICY_URN = 'urn:pump-refill-coder:policy';

export type Vendor = EhrVendor;

export { DraftNotBuildableError } from './writeback/index.js';
import { DraftNotBuildableError } from './writeback/index.js';

export interface VisitIdentity { ehrBase: string; patientId: string; serviceDate: string; encounterId?: string }
/**
 * The visit's key: HMAC-SHA256(secret, EHR | patient | service date | encounter), 32 hex characters. Independent of
 * the launch and the user (a relaunch finds the same visit); the server-held secret keeps it unguessable.
 */
export function visitKeyFor(secret: string, v: VisitIdentity): string {
  return createHmac('sha256', secret).update(JSON.stringify([v.ehrBase, v.patientId, v.serviceDate, v.encounterId ?? null])).digest('hex').slice(0, 32);
}
/** identifier values the app stamps on what it writes: one per visit, version and resource */
export const appIdentifierValue = (visitKey: string, version: number, what: 'doc' | 'claim') => `${visitKey}.${version}.${what}`;

export interface BuildOptions {
  now: Date;
  vendor?: Vendor;
  visitKey: string;
  version: number;
  /** the citations of the evaluated lines by code: the note names their titles (never a file name) */
  citations?: ReadonlyMap<string, Citation[]>;
}

/** Pump service and device lines carry the Device as their UDI. */
const PUMP_LINE = { test: isPumpLineCode }; // the code table's pump-service and pump-device codes

export function buildDrafts(req: DraftRequest, opts: BuildOptions): {
  visitKey: string; version: number; claim: Claim; documentReference: DocumentReference; provenance?: Provenance;
} {
  const vendor: Vendor = opts.vendor ?? 'generic';
  const { facts, references } = req;
  const { visitKey, version } = opts;
  const now = opts.now.toISOString();
  const patientRef = references.patient ?? (facts.patient.id ? `Patient/${facts.patient.id}` : undefined);
  if (!patientRef) throw new DraftNotBuildableError('The visit has no patient reference: the drafts cannot name the patient.');
  const patient: Reference<Patient> = { reference: patientRef };
  const author: Reference<Practitioner> = { reference: req.author.reference, ...(req.author.display ? { display: req.author.display } : {}) };
  const claimId = { system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, version, 'claim') };
  const docId = { system: APP_IDENTIFIER_SYSTEM, value: appIdentifierValue(visitKey, version, 'doc') };

  const diagnosis = facts.diagnoses.map((code, i) => ({
    sequence: i + 1,
    diagnosisCodeableConcept: { coding: [{ system: ICD10CM_SYSTEM, code }] },
  }));
  const diagnosisSequence = diagnosis.slice(0, 4).map((d) => d.sequence);
  const pos = facts.placeOfService
    ? { coding: [{ system: POS_SYSTEM, code: facts.placeOfService }] }
    : undefined;

  const item: ClaimItem[] = req.acceptedLines.map((line, i) => ({
    sequence: i + 1,
    productOrService: { coding: [{ system: line.system === 'CPT' ? CPT_SYSTEM : HCPCS_SYSTEM, code: line.code, display: line.display }] },
    ...(line.modifiers.length ? {
      modifier: line.modifiers.map((m) => ({ coding: [{ system: /^\d+$/.test(m) ? CPT_SYSTEM : HCPCS_SYSTEM, code: m }] })),
    } : {}),
    quantity: { value: line.units },
    servicedDate: facts.serviceDate,
    ...(pos ? { locationCodeableConcept: pos } : {}),
    ...(references.device && PUMP_LINE.test(line.code) ? { udi: [{ reference: references.device }] } : {}),
    ...(diagnosisSequence.length ? { diagnosisSequence } : {}),
    ...(references.encounter ? { encounter: [{ reference: references.encounter }] } : {}),
  }));

  const claim: Claim = {
    resourceType: 'Claim',
    identifier: [claimId],
    status: 'draft',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional', display: 'Professional' }] },
    use: 'claim',
    patient,
    billablePeriod: { start: facts.serviceDate, end: facts.serviceDate },
    created: now,
    enterer: { reference: req.author.reference },
    provider: { reference: references.practitioner ?? req.author.reference },
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal', display: 'Normal' }] },
    supportingInfo: [{
      sequence: 1,
      category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory', code: 'attachment', display: 'Attachment' }] },
      valueReference: { type: 'DocumentReference', identifier: docId, display: 'Implanted pump visit documentation checklist' },
    }],
    ...(diagnosis.length ? { diagnosis } : {}),
    insurance: [{
      sequence: 1,
      focal: true,
      coverage: references.coverage
        ? { reference: references.coverage }
        : { display: facts.coverage.payerName ?? 'Coverage not on record' },
    }],
    ...(item.length ? { item } : {}),
  };

  const text = checklistText(req, opts.citations);
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    identifier: [docId],
    status: 'current',
    docStatus: 'preliminary',
    type: { coding: [{ system: 'http://loinc.org', code: '28570-0', display: 'Procedure note' }], text: 'Implanted pump visit documentation checklist' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patient,
    date: now,
    author: [author],
    description: `Implanted pump visit checklist, ${facts.serviceDate}`,
    content: [{
      attachment: {
        contentType: 'text/plain; charset=utf-8',
        data: Buffer.from(text, 'utf8').toString('base64'),
        title: `Implanted pump visit checklist ${facts.serviceDate}`,
        creation: now,
      },
    }],
    context: {
      ...(references.encounter ? { encounter: [{ reference: references.encounter }] } : {}),
      period: { start: facts.serviceDate, end: facts.serviceDate },
      related: [{ type: 'Claim', identifier: claimId }],
    },
  };

  const provenance: Provenance = {
    resourceType: 'Provenance',
    // The patient's record is a target too: FHIR R4's patient compartment for Provenance is `target is Patient`,
    // so a patient-scoped token can write (and read back) a Provenance only when it names the patient.
    target: [
      { type: 'Claim', identifier: claimId },
      { type: 'DocumentReference', identifier: docId },
      { type: 'Patient', reference: patientRef },
    ],
    occurredDateTime: facts.serviceDate,
    recorded: now,
    policy: [`${POLICY_URN}:${req.policy.id}:${req.policy.version}`],
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }] },
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] },
        who: { reference: req.author.reference },
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler', display: 'Assembler' }] },
        who: { display: 'Pump Refill Coder' },
      },
    ],
    entity: [{
      role: 'source',
      what: {
        identifier: { system: POLICY_URN, value: `${req.policy.id}@${req.policy.version}` },
        display: `Policy module ${req.policy.id} (${req.policy.name}) version ${req.policy.version}`,
      },
    }],
  };
  return { visitKey, version, ...finalizeFor(vendor, { claim, documentReference, provenance }, { now: opts.now, author: req.author.reference, references }) };
}

/** The plain-text note a person reads in the EHR: what was coded and what the payer needs documented. */
export function checklistText(req: DraftRequest, citations?: ReadonlyMap<string, Citation[]>): string {
  const { facts, references, policy } = req;
  const lines: string[] = [];
  lines.push('IMPLANTED PUMP VISIT — CODING AND DOCUMENTATION CHECKLIST');
  lines.push('Draft prepared by Pump Refill Coder for clinician review; not signed.');
  lines.push('');
  lines.push(`Patient: ${references.patient ?? (facts.patient.id ? `Patient/${facts.patient.id}` : 'not on record')}`);
  lines.push(`Service date: ${facts.serviceDate}`);
  if (references.encounter) lines.push(`Encounter: ${references.encounter}`);
  const payer = [facts.coverage.payerName, facts.coverage.planName].filter(Boolean).join(' / ') || 'not on record';
  lines.push(`Payer / plan: ${payer} (${facts.coverage.lineOfBusiness})`);
  lines.push(`Policy: ${policy.name} [${policy.id}] version ${policy.version}${policy.jurisdiction ? `, ${policy.jurisdiction.mac} (${policy.jurisdiction.documents.join(', ')})` : ''}`);
  lines.push(`Prepared by: ${req.author.reference}`);
  lines.push('');
  lines.push('Lines accepted:');
  if (req.acceptedLines.length === 0) lines.push('  (none)');
  req.acceptedLines.forEach((l, i) => {
    const mods = l.modifiers.length ? ` modifiers ${l.modifiers.join(', ')}` : '';
    lines.push(`  ${i + 1}. ${l.code} (${l.system})${mods} × ${l.units} — ${l.display}`);
    const cited = [...new Set((citations?.get(l.code) ?? []).map(citationLabel))];
    if (cited.length) lines.push(`     Source: ${cited.join('; ')}`);
  });
  if (facts.diagnoses.length) lines.push(`Diagnoses: ${facts.diagnoses.join(', ')}`);
  lines.push('');
  lines.push('Documentation checklist:');
  if (req.checklist.length === 0) lines.push('  (no items)');
  for (const c of req.checklist) {
    lines.push(`  [${c.checked ? 'x' : ' '}] ${c.text}${c.required ? ' (required)' : ''}`);
  }
  const open = req.checklist.filter((c) => c.required && !c.checked).length;
  lines.push('');
  lines.push(open ? `${open} required item(s) still open.` : 'All required items are ticked.');
  return `${lines.join('\n')}\n`;
}
