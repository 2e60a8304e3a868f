/**
 * Write-back on the client: the plan said before the click, and the order of the writes. The server builds the
 * vendor-ready resources (server/fhir/writeback/{generic,epic,oracle}.ts); this module only orders the writes, links
 * the ids the EHR assigns, and talks to the ledger:
 *   1. DocumentReference — created (conditionally where offered), or for an update on Epic/Oracle PUT onto the same note;
 *   2. Claim (generic, where offered and granted) — supportingInfo gets the note's reference in its one entry;
 *   3. Provenance (generic, where offered and granted) — targets get the ids;
 *   4. an update on generic servers marks the earlier note superseded and the earlier Claim cancelled.
 */
import type { DraftRequest, EhrVendor } from '../../../server/contracts/index';
import { APP_IDENTIFIER_SYSTEM } from '../../../server/contracts/plain';
import type { Drafts } from '../api/drafts';
import type { Resource } from '../fhir/types';
import { retryOnceAfterRenew } from '../smart/retryAfterRenew';
import type { GrantedScopes } from '../smart/scopes';
import type { Capability } from './capability';
import { writeS } from './strings';
import { PlanBlockedError, WrongPatientError, type Plan, type PlanStep, type WriteContext, type WriteResult } from './types';
import { appIdentifier, assertSamePatient, writeOnce } from './writeOnce';

const DOC_LABEL: Record<EhrVendor, string> = { generic: writeS.docLabelGeneric, epic: writeS.docLabelEpic, oracle: writeS.docLabelOracle };

export function describePlan(vendor: EhrVendor, cap: Capability, scopes: GrantedScopes, launch: { encounterId?: string; fhirUser?: string }): Plan {
  const docBlocked = !scopes.has('DocumentReference', 'c') ? writeS.docScopeMissing
    : cap.known && !cap.create.DocumentReference ? writeS.docNotOffered : undefined;
  const vendorBlocked = vendor === 'epic' && !launch.encounterId ? writeS.epicNeedsEncounter
    : vendor === 'oracle' && !launch.fhirUser ? writeS.oracleNeedsUser : undefined;
  const blocked = docBlocked ?? vendorBlocked;
  const steps: PlanStep[] = [];
  let claimReason: string | undefined = vendor === 'generic' ? undefined : writeS.claimNotAcceptedByVendor;
  if (vendor === 'generic') {
    if (!(cap.known && cap.create.Claim)) claimReason = writeS.claimNotOffered;
    else if (!scopes.has('Claim', 'c')) claimReason = writeS.claimScopeMissing;
  }
  const provenanceToEhr = !blocked && vendor === 'generic' && cap.known && cap.create.Provenance && scopes.has('Provenance', 'c');
  if (!blocked) {
    steps.push({ kind: 'documentReference', resourceType: 'DocumentReference', label: DOC_LABEL[vendor], conditionalCreate: vendor === 'generic' && cap.conditionalCreate.DocumentReference });
    if (!claimReason) steps.push({ kind: 'claim', resourceType: 'Claim', label: writeS.claimLabel, conditionalCreate: cap.conditionalCreate.Claim });
    if (provenanceToEhr) steps.push({ kind: 'provenance', resourceType: 'Provenance', label: writeS.provenanceLabel, conditionalCreate: cap.conditionalCreate.Provenance });
  }
  const canUpdate = scopes.has('DocumentReference', 'u') && (!cap.known || cap.update.DocumentReference);
  const updateSummary = vendor === 'generic' ? (canUpdate ? writeS.updateReplaceNew : writeS.updateReplaceNewNoUpdate)
    : !canUpdate ? writeS.updateInPlaceNoUpdate : vendor === 'epic' ? writeS.updateInPlaceEpic : writeS.updateInPlaceOracle;
  const parts = steps.map((s) => s.label);
  if (claimReason) parts.push(writeS.claimInWorklist(claimReason));
  if (!provenanceToEhr && vendor !== 'generic') parts.push(writeS.noProvenance);
  return {
    vendor, steps, claimInWorklistOnly: !steps.some((s) => s.kind === 'claim'), provenanceToEhr, canUpdate, updateSummary,
    ...(claimReason ? { claimReason } : {}), ...(blocked ? { blocked } : {}),
    summary: blocked ? writeS.planBlocked(blocked) : writeS.planSummary(parts),
  };
}

/** what the drafts request tells the server this launch will write (the server keeps it with the version) */
export function draftPlanOf(plan: Plan): NonNullable<DraftRequest['plan']> {
  return { claimToEhr: plan.steps.some((s) => s.kind === 'claim'), provenanceToEhr: plan.provenanceToEhr, supersede: plan.vendor === 'generic' && plan.canUpdate };
}

const byIdentifier = (r: Resource, patientId: string) => {
  const value = appIdentifier(r);
  return value ? `patient=${encodeURIComponent(patientId)}&identifier=${encodeURIComponent(`${APP_IDENTIFIER_SYSTEM}|${value}`)}` : undefined;
};
// conditional create matches on the identifier alone (the If-None-Exist query of a generic server)
const conditionalQuery = (r: Resource) => {
  const value = appIdentifier(r);
  return value ? `identifier=${encodeURIComponent(`${APP_IDENTIFIER_SYSTEM}|${value}`)}` : undefined;
};

/** the Claim's one supportingInfo entry for the note gets the reference the EHR assigned */
export function linkSupportingDocument(claim: Resource, documentReferenceId: string): Resource {
  const info = (claim.supportingInfo as { valueReference?: { type?: string; reference?: string } }[] | undefined) ?? [];
  return { ...claim, supportingInfo: info.map((s) => (s.valueReference?.type === 'DocumentReference'
    ? { ...s, valueReference: { ...s.valueReference, reference: `DocumentReference/${documentReferenceId}` } } : s)) };
}

function linkProvenance(p: Resource, ids: { doc: string; claim?: string }): Resource {
  const target = ((p.target as { type?: string }[] | undefined) ?? [])
    .filter((t) => t.type !== 'Claim' || ids.claim)
    .map((t) => (t.type === 'Claim' ? { ...t, reference: `Claim/${ids.claim}` } : t.type === 'DocumentReference' ? { ...t, reference: `DocumentReference/${ids.doc}` } : t));
  return { ...p, target };
}

export async function writeDrafts(drafts: Drafts, ctx: WriteContext): Promise<WriteResult> {
  const doc = drafts.documentReference as Resource;
  const claim = drafts.claim as Resource;
  if (!assertSamePatient(doc, 'subject', ctx.patientId) || !assertSamePatient(claim, 'patient', ctx.patientId)) throw new WrongPatientError();
  if (ctx.plan.blocked) throw new PlanBlockedError(ctx.plan.blocked);
  const { visitKey, version, supersedes } = drafts;
  const inPlace = supersedes?.note === 'update-in-place' && supersedes.documentReferenceId;
  if (inPlace && !ctx.plan.canUpdate) throw new PlanBlockedError(writeS.updateInPlaceNoUpdate);
  // The version is written as it was drafted (the server waits for exactly those steps), whichever launch resumes
  // it; a step this launch cannot take is said before anything is written.
  const claimStep = ctx.plan.steps.find((s) => s.kind === 'claim');
  const drafted = drafts.plan ?? { ...draftPlanOf(ctx.plan), supersede: supersedes?.note === 'replace-new' && ctx.plan.canUpdate };
  const claimToEhr = drafted.claimToEhr && drafts.vendor === 'generic';
  if (claimToEhr && !claimStep) throw new PlanBlockedError(writeS.resumeNeedsClaim(ctx.plan.claimReason ?? writeS.claimScopeMissing));
  if (drafts.provenance && drafted.provenanceToEhr && !ctx.plan.provenanceToEhr) throw new PlanBlockedError(writeS.resumeNeedsProvenance);
  const supersede = !!supersedes && supersedes.note === 'replace-new' && drafted.supersede;
  if (supersede && !ctx.plan.canUpdate) throw new PlanBlockedError(writeS.resumeNeedsUpdate);
  const docStep = ctx.plan.steps.find((s) => s.kind === 'documentReference')!;
  const writtenDoc = await writeOnce(ctx, {
    visitKey, version, kind: 'documentReference', resource: doc as never, conditional: docStep.conditionalCreate,
    search: docStep.conditionalCreate ? conditionalQuery(doc) : byIdentifier(doc, ctx.patientId),
    ...(inPlace ? { updateId: supersedes.documentReferenceId } : {}),
  });
  const written = [writtenDoc];
  let claimId: string | undefined;
  if (claimToEhr && claimStep) {
    const linked = linkSupportingDocument(claim, writtenDoc.id);
    const w = await writeOnce(ctx, { visitKey, version, kind: 'claim', resource: linked as never, conditional: claimStep.conditionalCreate,
      search: claimStep.conditionalCreate ? conditionalQuery(linked) : byIdentifier(linked, ctx.patientId) });
    claimId = w.id;
    written.push(w);
  }
  if (drafts.provenance && drafted.provenanceToEhr) {
    const p = linkProvenance(drafts.provenance as Resource, { doc: writtenDoc.id, ...(claimId ? { claim: claimId } : {}) });
    const step = ctx.plan.steps.find((s) => s.kind === 'provenance');
    const search = `target=${encodeURIComponent(`DocumentReference/${writtenDoc.id}`)}`;
    written.push(await writeOnce(ctx, { visitKey, version, kind: 'provenance', resource: p as never, conditional: !!step?.conditionalCreate, search }));
  }
  let superseded: number | undefined;
  if (supersede && supersedes) {
    // idempotent read-modify-write: the earlier note superseded, the earlier Claim cancelled (after a 401 it is read
    // and set again once the tokens are renewed; a status already set is left alone)
    const docId = supersedes.documentReferenceId;
    const claimId0 = supersedes.claimId;
    if (docId) await retryOnceAfterRenew(ctx.tokens, () => setStatus(ctx, 'DocumentReference', docId, 'superseded'));
    if (claimId0 && claimToEhr) await retryOnceAfterRenew(ctx.tokens, () => setStatus(ctx, 'Claim', claimId0, 'cancelled'));
    await ctx.ledger.superseded(visitKey, version);
    superseded = supersedes.version;
  } else if (inPlace) superseded = supersedes.version;
  return { visitKey, version, written, claimInWorklist: true, resumed: drafts.resumed, ...(superseded ? { superseded } : {}) };
}

async function setStatus(ctx: WriteContext, type: 'DocumentReference' | 'Claim', id: string, status: string): Promise<void> {
  const path = `${type}/${encodeURIComponent(id)}`;
  const cur = await ctx.fhir.request<Resource & { status?: string; meta?: { versionId?: string } }>(path);
  if (!cur.body || cur.body.status === status) return;
  const vid = cur.body.meta?.versionId;
  await ctx.fhir.request<Resource>(path, { method: 'PUT', body: { ...cur.body, status }, headers: vid ? { 'if-match': `W/"${vid}"` } : {} });
}
