/**
 * The per-vendor write-back adapters.
 * - generic: DocumentReference then Claim (only where the CapabilityStatement offers Claim create and the scope
 *   is granted), both conditional creates on the app identifier; Claim.supportingInfo → the DocumentReference.
 * - epic: DocumentReference only (Clinical Notes create): text/plain, preliminary (left for signature), needs
 *   the encounter, no conditional create → the ledger (and an identifier check) prevents copies.
 * - oracle: DocumentReference only, with exactly one author: the signed-in provider; dates with a time.
 */
import type { Drafts } from '../api/drafts';
import type { Resource } from '../fhir/types';
import type { GrantedScopes } from '../smart/scopes';
import type { Capability } from './capability';
import { writeS } from './strings';
import {
  PlanBlockedError, WrongPatientError, type Plan, type PlanStep, type WriteBackAdapter, type WriteContext, type WriteResult,
} from './types';
import { assertSamePatient, writeOnce } from './writeOnce';

type Vendor = Plan['vendor'];

const DOC_STEP = (label: string, conditional: boolean): PlanStep =>
  ({ kind: 'documentReference', resourceType: 'DocumentReference', label, conditionalCreate: conditional });

function summarize(steps: PlanStep[], claimReason: string | undefined, blocked: string | undefined): string {
  if (blocked) return writeS.planBlocked(blocked);
  const parts = steps.map((s) => s.label);
  if (claimReason) parts.push(writeS.claimInWorklist(claimReason));
  return writeS.planSummary(parts);
}

/** why the DocumentReference cannot be written at all (scope not granted, or the EHR offers no create) */
function docBlocked(cap: Capability, scopes: GrantedScopes): string | undefined {
  if (!scopes.has('DocumentReference', 'c')) return writeS.docScopeMissing;
  if (cap.known && !cap.create.DocumentReference) return writeS.docNotOffered;
  return undefined;
}

function docPlan(vendor: Vendor, cap: Capability, scopes: GrantedScopes, step: PlanStep, claimReason: string, extraBlock?: string): Plan {
  const blocked = docBlocked(cap, scopes) ?? extraBlock;
  return { vendor, steps: blocked ? [] : [step], claimInWorklistOnly: true, claimReason, blocked, summary: summarize(blocked ? [] : [step], claimReason, blocked) };
}

function checkPatient(drafts: Drafts, ctx: WriteContext): void {
  if (!assertSamePatient(drafts.documentReference, 'subject', ctx.patientId) || !assertSamePatient(drafts.claim, 'patient', ctx.patientId)) {
    throw new WrongPatientError();
  }
  if (ctx.plan.blocked) throw new PlanBlockedError(ctx.plan.blocked);
}

type Attachment = { contentType?: string; data?: string; title?: string; url?: string };
const attachments = (doc: Resource): Attachment[] =>
  ((doc.content as { attachment?: Attachment }[] | undefined) ?? []).map((c) => c.attachment ?? {});

/** Epic files only the first attachment and takes text/plain only; `preliminary` leaves it for signature. */
export function prepareForEpic(doc: Resource, encounterId: string, patientId: string): Resource {
  const all = attachments(doc);
  const plain = all.find((a) => a.contentType?.startsWith('text/plain')) ?? all.find((a) => a.contentType?.startsWith('text/'));
  const context = (doc.context as Record<string, unknown> | undefined) ?? {};
  return {
    ...doc,
    docStatus: 'preliminary',
    subject: { reference: `Patient/${patientId}` },
    content: plain ? [{ attachment: { ...plain, contentType: 'text/plain' } }] : [],
    context: { ...context, encounter: [{ reference: `Encounter/${encounterId}` }] },
  };
}

const ORACLE_TYPES = ['text/plain', 'application/pdf', 'text/html', 'application/xhtml+xml', 'text/rtf'];
/** Oracle Health: one author, the signed-in provider; `date` with a time; supported content types only. */
export function prepareForOracle(doc: Resource, fhirUser: string, now: Date): Resource {
  const date = typeof doc.date === 'string' && doc.date.length > 10 ? doc.date : now.toISOString();
  const content = attachments(doc)
    .filter((a) => ORACLE_TYPES.some((t) => a.contentType?.startsWith(t)))
    .map((attachment) => ({ attachment }));
  return { ...doc, date, author: [{ reference: fhirUser }], content };
}

export function withSupportingDocument(claim: Resource, documentReferenceId: string): Resource {
  const info = ((claim.supportingInfo as { valueReference?: { reference?: string } }[] | undefined) ?? [])
    .filter((s) => !s.valueReference?.reference?.startsWith('DocumentReference/'));
  const entry = {
    sequence: 0,
    category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory', code: 'attachment' }] },
    valueReference: { reference: `DocumentReference/${documentReferenceId}` },
  };
  return { ...claim, supportingInfo: [...info, entry].map((s, i) => ({ ...s, sequence: i + 1 })) };
}

export const genericAdapter: WriteBackAdapter = {
  vendor: 'generic',
  describe(cap, scopes) {
    const doc = DOC_STEP(writeS.docLabelGeneric, true);
    const claimOffered = cap.known && cap.create.Claim;
    const claimGranted = scopes.has('Claim', 'c');
    const claimReason = !claimOffered ? writeS.claimNotOffered : !claimGranted ? writeS.claimScopeMissing : undefined;
    const blocked = docBlocked(cap, scopes);
    const steps: PlanStep[] = blocked ? [] : [doc];
    if (!blocked && !claimReason) steps.push({ kind: 'claim', resourceType: 'Claim', label: writeS.claimLabel, conditionalCreate: true });
    return { vendor: 'generic', steps, claimInWorklistOnly: !!claimReason || !!blocked, claimReason, blocked, summary: summarize(steps, claimReason, blocked) };
  },
  async write(drafts, ctx): Promise<WriteResult> {
    checkPatient(drafts, ctx);
    const doc = await writeOnce(ctx, { visitKey: drafts.visitKey, kind: 'documentReference', resource: drafts.documentReference as never, conditional: true });
    const written = [doc];
    if (ctx.plan.steps.some((s) => s.resourceType === 'Claim')) {
      const claim = withSupportingDocument(drafts.claim, doc.id);
      written.push(await writeOnce(ctx, { visitKey: drafts.visitKey, kind: 'claim', resource: claim as never, conditional: true }));
    }
    return { visitKey: drafts.visitKey, written, claimInWorklist: true };
  },
};

export const epicAdapter: WriteBackAdapter = {
  vendor: 'epic',
  describe(cap, scopes, launch) {
    return docPlan('epic', cap, scopes, DOC_STEP(writeS.docLabelEpic, false), writeS.claimNotAcceptedByVendor,
      launch.encounterId ? undefined : writeS.epicNeedsEncounter);
  },
  async write(drafts, ctx) {
    checkPatient(drafts, ctx);
    if (!ctx.encounterId) throw new PlanBlockedError(writeS.epicNeedsEncounter);
    const resource = prepareForEpic(drafts.documentReference, ctx.encounterId, ctx.patientId);
    const doc = await writeOnce(ctx, { visitKey: drafts.visitKey, kind: 'documentReference', resource: resource as never, conditional: false });
    return { visitKey: drafts.visitKey, written: [doc], claimInWorklist: true };
  },
};

export const oracleAdapter: WriteBackAdapter = {
  vendor: 'oracle',
  describe(cap, scopes) {
    return docPlan('oracle', cap, scopes, DOC_STEP(writeS.docLabelOracle, false), writeS.claimNotAcceptedByVendor);
  },
  async write(drafts, ctx) {
    checkPatient(drafts, ctx);
    if (!ctx.fhirUser) throw new PlanBlockedError(writeS.oracleNeedsUser);
    const resource = prepareForOracle(drafts.documentReference, ctx.fhirUser, new Date());
    const doc = await writeOnce(ctx, { visitKey: drafts.visitKey, kind: 'documentReference', resource: resource as never, conditional: false });
    return { visitKey: drafts.visitKey, written: [doc], claimInWorklist: true };
  },
};

export function adapterFor(vendor: Vendor): WriteBackAdapter {
  return vendor === 'epic' ? epicAdapter : vendor === 'oracle' ? oracleAdapter : genericAdapter;
}
