/**
 * Write-back on the server (DESIGN.md "Write-back: one visit, one claim"; issues #9, #10.1, #10.4).
 *
 * POST /api/visits/lookup  which visit this launch is on and what was written for it (before any click)
 * POST /api/drafts         the vendor-ready resources of one version of the visit
 * POST /api/ledger/:visitKey/:kind/:step            reserve | complete | release one write of one version
 * POST /api/visits/:visitKey/versions/:n/superseded the earlier version's resources were marked superseded
 *
 * The visit is derived here, never taken from the client: the signed-in user's EHR (the id_token issuer) + the patient
 * + the service date (+ encounter). The patient is proved by the EHR itself: the launch's access token (header
 * x-ehr-access-token, sent on every route here) must read that Patient. That grants the user (iss + sub) of this
 * launch (bound to its access token) the visit for the launch's lifetime; ledger steps need the grant. The accepted lines must be lines of a fresh evaluation of the submitted facts.
 * A changed draft is a new version (author, time); nothing is ever overwritten.
 */
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  DraftRequest, EHR_TOKEN_HEADER, LedgerKind, LedgerRequest, LedgerStep, VisitKey, VisitLookupRequest,
  type Citation, type DraftedPlan, type DraftsResponse, type EhrVendor, type Supersedes, type VisitStatus,
} from '../contracts/index.js';
import { buildDrafts, visitKeyFor } from '../fhir/drafts.js';
import { applySupersede, VENDOR_MODULES } from '../fhir/writeback/index.js';
import { IN_PROGRESS_MS, LedgerConflictError, NotFoundError, type Store, type StoredVersion, type Visit, type WorklistDisplay } from '../store/index.js';
import type { EhrProfile } from '../../launch/profiles.js';
import { mappingsInForce, type MappingSource } from './evaluate.js';
import { determine } from './evaluation.js';
import { HttpError, badRequestFromZod } from './errors.js';

/** how long a launch's proof of the patient lets its user take ledger steps */
const GRANT_MS = 12 * 60 * 60 * 1000;

function ehrTokenOf(req: Request): string {
  const token = req.headers[EHR_TOKEN_HEADER];
  if (typeof token !== 'string' || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > 8192) {
    throw new HttpError(401, 'ehr-token-missing', `Send the launch's EHR access token in the ${EHR_TOKEN_HEADER} header: the app confirms the patient with the EHR.`);
  }
  return token;
}

/**
 * The signed-in user of one launch: the id_token's iss, and its sub bound to this launch's EHR access token (a hash
 * of it), so a grant made by one launch (one patient) never lets another launch of the same user step on that visit.
 */
const userOf = (req: Request) => {
  const user = req.user;
  if (!user?.iss || !user.sub) throw new HttpError(401, 'unauthenticated', 'Sign in through the EHR first');
  const launch = createHash('sha256').update(ehrTokenOf(req)).digest('base64url').slice(0, 22);
  return { ...user, iss: user.iss.replace(/\/+$/, ''), sub: `${user.sub} ${launch}` };
};

/** "https://ehr/fhir/Practitioner/1" → "Practitioner/1": references inside the EHR are relative. */
export const relativeReference = (fhirUser: string) => fhirUser.split('/').slice(-2).join('/');

type FhirPatient = { resourceType?: string; id?: string; name?: { text?: string; given?: string[]; family?: string }[];
  identifier?: { type?: { coding?: { code?: string }[]; text?: string }; value?: string }[] };

export interface PatientCheck {
  /** reads Patient/<id> from the EHR with the launch's token; null when the EHR refuses (another patient) */
  (ehrBase: string, patientId: string, accessToken: string): Promise<FhirPatient | null>;
}

export const readPatientFromEhr: PatientCheck = async (ehrBase, patientId, accessToken) => {
  let res: Response;
  try {
    res = await fetch(`${ehrBase}/Patient/${encodeURIComponent(patientId)}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(10_000), redirect: 'error',
    });
  } catch {
    throw new HttpError(502, 'ehr-unreachable', 'The EHR could not be reached to confirm the patient of this launch; try again.');
  }
  // 401: the EHR no longer accepts the token (expired or revoked) — the client renews it and retries, so say so
  // rather than "not your patient"
  if (res.status === 401) throw new HttpError(401, 'ehr-token-expired', 'The EHR no longer accepts this launch\'s access token (it expired): renew it and try again.');
  if (res.status === 403 || res.status === 404) return null;
  if (!res.ok) throw new HttpError(502, 'ehr-error', `The EHR answered ${res.status} when the app confirmed the patient of this launch; try again.`);
  const body = (await res.json().catch(() => null)) as FhirPatient | null;
  return body?.resourceType === 'Patient' && body.id === patientId ? body : null;
};

/** name and MRN as the EHR gave them (billing users see them on the worklist; never logged) */
export function displayOf(p: FhirPatient): { patientName?: string; patientMrn?: string } {
  const n = p.name?.[0];
  const name = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
  const mrn = p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR') || /\bMRN?\b/i.test(i.type?.text ?? ''))?.value;
  return { ...(name ? { patientName: name.slice(0, 200) } : {}), ...(mrn ? { patientMrn: mrn.slice(0, 100) } : {}) };
}

/** a version is finished when every write it planned is recorded */
async function unfinished(store: Store, v: StoredVersion, ehrBase: string): Promise<boolean> {
  if (v.state === 'note-failed' || v.state === 'superseded') return false;
  if (v.state !== 'written') return true;
  const done = new Set((await store.ledger.get(v.visitKey)).filter((e) => e.version === v.version && e.ehrBase === ehrBase && e.state === 'done').map((e) => e.resourceKind));
  if (v.claimToEhr && !done.has('claim')) return true;
  if (v.drafts.provenance && !done.has('provenance')) return true;
  return plannedSupersede(v) && !v.supersedeDone;
}

/**
 * Whether the client marks the earlier version superseded as a step of this version: only when it said so when
 * drafting (it has update permission); a version drafted before the plan was kept is judged as then (it waits).
 */
const plannedSupersede = (v: StoredVersion) =>
  v.supersedesVersion !== undefined && v.drafts.supersedes?.note === 'replace-new' && (v.drafts.plan?.supersede ?? true);

/** the writes a stored version was drafted with */
const draftedPlan = (v: StoredVersion): DraftedPlan => ({
  claimToEhr: v.claimToEhr, provenanceToEhr: !!v.drafts.provenance, supersede: plannedSupersede(v),
});

function statusOf(visitKey: string, versions: StoredVersion[]): VisitStatus {
  const current = versions.find((v) => v.state === 'written')?.version;
  return {
    visitKey,
    versions: versions.map((v) => ({
      version: v.version, state: v.state, createdAt: v.createdAt, createdBy: v.createdBy,
      ...(v.authorDisplay ? { authorDisplay: v.authorDisplay } : {}),
      ...(v.writtenAt ? { writtenAt: v.writtenAt } : {}),
      ...(v.ehrDocumentReferenceId ? { documentReferenceId: v.ehrDocumentReferenceId } : {}),
      ...(v.ehrClaimId ? { claimId: v.ehrClaimId } : {}),
      codes: v.codes.map((c) => c.code),
      ...(v.state === 'drafted' ? { plan: draftedPlan(v) } : {}),
    })),
    ...(current ? { current } : {}),
  };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

export function createDraftsRouter(deps: {
  store: Store; profiles: EhrProfile[]; requireUser: import('express').RequestHandler; checkPatient?: PatientCheck; now?: () => Date;
  /** the mappings in force, as /api/evaluate reads them (so a draft is checked against the same evaluation) */
  mappingSource: MappingSource;
  /** how long a pending ledger reservation counts as a write in flight (default IN_PROGRESS_MS, 30 s) */
  inProgressMs?: number;
}): Router {
  const { store, profiles, requireUser } = deps;
  const checkPatient = deps.checkPatient ?? readPatientFromEhr;
  const now = deps.now ?? (() => new Date());
  const router = Router();
  const proofs = new Map<string, { at: number; patient: FhirPatient }>();
  let secret: Promise<string> | undefined;
  const visitSecret = () => (secret ??= store.visits.secret().catch((e) => { secret = undefined; throw e; }));

  const vendorOf = (iss: string): EhrVendor => profiles.find((p) => p.issuers.some((i) => i.replace(/\/+$/, '') === iss))?.vendor ?? 'generic';

  /** the EHR confirms this launch's token reads the patient; remembered for 5 minutes per token */
  async function provePatient(req: Request, iss: string, patientId: string): Promise<FhirPatient> {
    const token = ehrTokenOf(req);
    const key = createHash('sha256').update(`${iss}|${patientId}|${token}`).digest('hex');
    const hit = proofs.get(key);
    if (hit && Date.now() - hit.at < 5 * 60_000) return hit.patient;
    const patient = await checkPatient(iss, patientId, token);
    if (!patient) throw new HttpError(403, 'not-your-patient', 'This launch cannot read that patient in the EHR: the drafts must be for the patient of your launch.');
    if (proofs.size > 10_000) proofs.clear();
    proofs.set(key, { at: Date.now(), patient });
    return patient;
  }

  async function visitFor(user: ReturnType<typeof userOf>, patientId: string, serviceDate: string, encounterId: string | undefined): Promise<Visit> {
    const identity = { ehrBase: user.iss, patientId, serviceDate, ...(encounterId ? { encounterId } : {}) };
    const visitKey = visitKeyFor(await visitSecret(), identity);
    const visit = await store.visits.ensure({ visitKey, ...identity });
    await store.visits.grant({ visitKey, iss: user.iss, sub: user.sub, fhirUser: user.fhirUser, expiresAt: new Date(Date.now() + GRANT_MS) });
    return visit;
  }

  router.post('/visits/lookup', requireUser, async (req, res) => {
    const user = userOf(req);
    const body = VisitLookupRequest.safeParse(req.body);
    if (!body.success) throw badRequestFromZod(body.error, 'Invalid visit lookup');
    await provePatient(req, user.iss, body.data.patientId);
    const visit = await visitFor(user, body.data.patientId, body.data.serviceDate, body.data.encounterId);
    res.json(statusOf(visit.visitKey, await store.visits.versions(visit.visitKey)));
  });

  router.post('/drafts', requireUser, async (req, res) => {
    const user = userOf(req);
    const parsed = DraftRequest.safeParse(req.body);
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'Invalid draft request');
    const reqd = parsed.data;
    const patientId = reqd.facts.patient.id;
    if (!patientId || !/^[A-Za-z0-9.-]{1,128}$/.test(patientId)) throw new HttpError(400, 'invalid', 'facts.patient.id: the visit has no patient id');
    if (reqd.references.patient && reqd.references.patient !== `Patient/${patientId}`) {
      throw new HttpError(400, 'invalid', 'references.patient: must be the patient of the facts');
    }
    const encounterId = reqd.references.encounter?.match(/^Encounter\/([A-Za-z0-9.-]{1,128})$/)?.[1];
    if (reqd.references.encounter && !encounterId) throw new HttpError(400, 'invalid', 'references.encounter: must be "Encounter/<id>"');
    const patient = await provePatient(req, user.iss, patientId);

    // the codes must be what the app itself works out from these facts (no free code text, no 99215 × 9)
    const { determination } = determine(reqd.facts, await mappingsInForce(deps.mappingSource));
    const citations = new Map<string, Citation[]>();
    for (const line of reqd.acceptedLines) {
      const match = determination.lines.find((l) => l.code === line.code && l.system === line.system && l.units === line.units && sameSet(l.modifiers, line.modifiers));
      if (!match) {
        throw new HttpError(422, 'codes-not-evaluated', `acceptedLines: ${line.code} × ${line.units}${line.modifiers.length ? ` (${line.modifiers.join(', ')})` : ''} is not a line the app suggested for these facts`);
      }
      citations.set(line.code, match.citations);
    }
    if (reqd.policy.id !== determination.policy.id) throw new HttpError(422, 'policy-mismatch', 'policy: not the policy these facts are evaluated under');

    const visit = await visitFor(user, patientId, reqd.facts.serviceDate, encounterId);
    const vendor = vendorOf(user.iss);
    const author = relativeReference(user.fhirUser);
    const display: WorklistDisplay = { ...displayOf(patient), ...(reqd.facts.coverage.payerName ? { payer: reqd.facts.coverage.payerName } : {}) };

    // what the clinician reviewed, by this author: the same again is the same version, not a new one
    const fingerprint = createHash('sha256').update(JSON.stringify([author, reqd.facts, reqd.acceptedLines, reqd.checklist, reqd.references, reqd.policy, vendor])).digest('hex');
    for (let attempt = 0; attempt < 3; attempt++) {
      const versions = await store.visits.versions(visit.visitKey);
      const latest = versions[0];
      if (latest && await unfinished(store, latest, visit.ehrBase)) {
        // an earlier attempt may have reached the EHR: finish exactly that version first (never a second copy)
        return res.json(responseOf(visit, latest, true));
      }
      const written = versions.find((v) => v.state === 'written');
      if (written && written.drafts.fingerprint === fingerprint) {
        // nothing changed since the current version (a second click, a reload, a relaunch): hand it back as written
        return res.json(responseOf(visit, written, false));
      }
      if (written && !reqd.update) {
        throw new HttpError(409, 'already-written', `This visit was written (version ${written.version}); send update.supersedes = ${written.version} to write a new version.`, statusOf(visit.visitKey, versions));
      }
      if (reqd.update && reqd.update.supersedes !== written?.version) {
        throw new HttpError(409, 'stale-update', written ? `Version ${written.version} is the current one now; reload to see it.` : 'Nothing was written for this visit yet: write it first.', statusOf(visit.visitKey, versions));
      }
      const version = (latest?.version ?? 0) + 1;
      const supersedes: Supersedes | undefined = written ? {
        version: written.version, note: VENDOR_MODULES[vendor].supersede,
        ...(written.ehrDocumentReferenceId ? { documentReferenceId: written.ehrDocumentReferenceId } : {}),
        ...(written.ehrClaimId ? { claimId: written.ehrClaimId } : {}),
      } : undefined;
      // DraftNotBuildableError → 400 in the shared error handler; any other failure is ours (500, logged)
      const built = buildDrafts({ ...reqd, author: { ...reqd.author, reference: author } }, { now: now(), vendor, visitKey: visit.visitKey, version, citations });
      const ready = supersedes ? applySupersede(built, supersedes) : built;
      const claimToEhr = vendor === 'generic' && (reqd.plan?.claimToEhr ?? false);
      const provenanceToEhr = vendor === 'generic' && (reqd.plan?.provenanceToEhr ?? false) && !!ready.provenance;
      // the client marks the earlier note superseded only where it said it can (update permission); not said: not planned
      const supersede = supersedes?.note === 'replace-new' && (reqd.plan?.supersede ?? false);
      const codes = reqd.acceptedLines.map(({ code, system, modifiers, units }) => ({ code, system, modifiers, units }));
      const stored = {
        visitKey: visit.visitKey, version, vendor,
        drafts: {
          claim: ready.claim as unknown as Record<string, unknown>,
          documentReference: ready.documentReference as unknown as Record<string, unknown>,
          ...(provenanceToEhr ? { provenance: ready.provenance as unknown as Record<string, unknown> } : {}),
          ...(supersedes ? { supersedes } : {}),
          fingerprint,
          plan: { claimToEhr, provenanceToEhr, supersede },
        },
        codes, claimToEhr, createdBy: user.fhirUser,
        ...(supersedes ? { supersedesVersion: supersedes.version } : {}),
        ...(reqd.author.display ? { authorDisplay: reqd.author.display } : {}),
      };
      if (!(await store.visits.insertVersion(stored, display))) continue; // another draft took this number: look again
      await store.audit.record({
        actor: user.fhirUser, action: supersedes ? 'draft.new-version' : 'draft.created', entityType: 'claim-draft',
        entityId: `${visit.visitKey}#${version}`, patientId, codes: codes.map((c) => c.code),
      });
      const fresh = await store.visits.version(visit.visitKey, version);
      return res.json(responseOf(visit, fresh!, false));
    }
    throw new HttpError(409, 'busy', 'Several drafts for this visit arrived at once; try again.');
  });

  function responseOf(visit: Visit, v: StoredVersion, resumed: boolean): DraftsResponse {
    return {
      visitKey: visit.visitKey, version: v.version, resumed, vendor: v.vendor,
      claim: v.drafts.claim, documentReference: v.drafts.documentReference,
      ...(v.drafts.provenance ? { provenance: v.drafts.provenance } : {}),
      ...(v.drafts.supersedes ? { supersedes: v.drafts.supersedes } : {}),
      plan: draftedPlan(v),
    };
  }

  /** the visit, when the signed-in user's launch proved its patient on this EHR; else 404 (nothing revealed) */
  async function grantedVisit(req: Request, rawKey: unknown): Promise<{ user: ReturnType<typeof userOf>; visit: Visit }> {
    const user = userOf(req);
    const key = VisitKey.safeParse(rawKey);
    const visit = key.success ? await store.visits.granted(key.data, user.iss, user.sub) : null;
    if (!visit) throw new HttpError(404, 'not-found', 'No such visit for your launch');
    return { user, visit };
  }

  router.post('/ledger/:visitKey/:kind/:step', requireUser, async (req, res) => {
    const { user, visit } = await grantedVisit(req, req.params.visitKey);
    const kind = LedgerKind.safeParse(req.params.kind);
    const step = LedgerStep.safeParse(req.params.step);
    if (!kind.success || !step.success) throw new HttpError(404, 'not-found', 'No such ledger step');
    const body = LedgerRequest.safeParse(req.body);
    if (!body.success) throw badRequestFromZod(body.error, 'Invalid ledger request');
    const v = await store.visits.version(visit.visitKey, body.data.version);
    if (!v) throw new HttpError(409, 'no-draft', 'Create the drafts (POST /api/drafts) before writing them to the EHR');
    const planned = kind.data === 'documentReference' || (kind.data === 'claim' ? v.claimToEhr : !!v.drafts.provenance);
    if (!planned) throw new HttpError(409, 'not-planned', `This version does not write a ${kind.data} to the EHR`);
    const { version } = body.data;
    if (step.data === 'reserve') {
      // the server's clock decides whether an earlier reservation is still in flight, and hands a stale one to one caller
      // (with the attempt the caller holds: it keeps its reservation before a write that follows a wait)
      res.json(await store.ledger.reserve(visit.visitKey, kind.data, visit.ehrBase, version, deps.inProgressMs ?? IN_PROGRESS_MS, body.data.attempt));
    } else if (step.data === 'complete') {
      if (!body.data.resourceId) throw new HttpError(400, 'invalid', 'resourceId: required');
      try {
        await store.visits.completeStep(visit.visitKey, version, kind.data, visit.ehrBase, body.data.resourceId);
      } catch (err) {
        if (err instanceof LedgerConflictError) throw new HttpError(409, 'ledger-conflict', 'This write is already recorded with another resource id');
        if (err instanceof NotFoundError) throw new HttpError(409, 'no-draft', 'No such version of this visit');
        throw err;
      }
      await store.audit.record({
        actor: user.fhirUser, action: 'writeback.completed', entityType: kind.data, entityId: `${visit.visitKey}#${version}`,
        resourceIds: [`${{ claim: 'Claim', documentReference: 'DocumentReference', provenance: 'Provenance' }[kind.data]}/${body.data.resourceId}`],
      });
      res.status(204).end();
    } else {
      // the EHR definitely refused the write (4xx): drop the pending reservation so a retry need not wait; a refused
      // note marks the version note-failed. A 'done' entry (with its resource id) is never touched, nor a reservation
      // taken over by another attempt since: the caller names the attempt its reserve was given, and without one
      // nothing could tell a stale holder from the live one
      if (body.data.attempt === undefined) throw new HttpError(400, 'invalid', 'attempt: required (the number the reserve answered)');
      await store.visits.noteFailed(visit.visitKey, version, kind.data, visit.ehrBase, body.data.attempt);
      res.status(204).end();
    }
  });

  router.post('/visits/:visitKey/versions/:version/superseded', requireUser, async (req, res) => {
    const { user, visit } = await grantedVisit(req, req.params.visitKey);
    const n = z.coerce.number().int().positive().max(10_000).safeParse(req.params.version);
    const v = n.success ? await store.visits.version(visit.visitKey, n.data) : null;
    if (!v || v.state !== 'written' || !v.supersedesVersion) throw new HttpError(409, 'not-superseding', 'That version is not a written update of an earlier one');
    await store.visits.markSupersedeDone(visit.visitKey, v.version);
    await store.audit.record({ actor: user.fhirUser, action: 'writeback.superseded', entityType: 'claim-draft', entityId: `${visit.visitKey}#${v.supersedesVersion}` });
    res.status(204).end();
  });
  return router;
}
