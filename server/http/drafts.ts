/**
 * POST /api/drafts: reviewed facts + accepted lines + checklist → Claim draft, DocumentReference, Provenance.
 * The Claim is kept in the billing worklist (neither Epic nor Oracle Health accepts a provider-side Claim create).
 * /api/ledger: the app-side write ledger that makes write-back retries safe on EHRs without conditional create.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { DraftRequest } from '../contracts/index.js';
import { buildDrafts } from '../fhir/drafts.js';
import type { Store } from '../store/index.js';
import type { EhrProfile } from '../../launch/profiles.js';
import { HttpError, badRequestFromZod } from './errors.js';

const userOf = (req: Request) => {
  const user = req.user;
  if (!user?.iss) throw new HttpError(401, 'unauthenticated', 'Sign in through the EHR first');
  return { ...user, iss: user.iss };
};

/** "https://ehr/fhir/Practitioner/1" → "Practitioner/1": references inside the EHR are relative. */
export const relativeReference = (fhirUser: string) => fhirUser.split('/').slice(-2).join('/');

const LedgerKind = z.enum(['claim', 'documentReference']);
const LedgerBody = z.object({ ehrBase: z.string().url(), resourceId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/).optional() }).strict();
const VisitKeyParam = z.string().regex(/^[a-f0-9]{16,64}$/);

export function createDraftsRouter(deps: { store: Store; profiles: EhrProfile[]; requireUser: import('express').RequestHandler }): Router {
  const { store, profiles, requireUser } = deps;
  const router = Router();

  router.post('/drafts', requireUser, async (req, res) => {
    const user = userOf(req);
    const parsed = DraftRequest.safeParse(req.body);
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'Invalid draft request');
    const profile = profiles.find((p) => p.issuers.includes(user.iss));
    // The author is the verified signed-in user, never what the body claims.
    const input = { ...parsed.data, author: { ...parsed.data.author, reference: relativeReference(user.fhirUser) } };
    // DraftNotBuildableError → 400 in the shared error handler; any other failure is ours (500, logged)
    const drafts = buildDrafts(input, { now: new Date(), vendor: profile?.vendor ?? 'generic' });
    const codes = input.acceptedLines.map(({ code, system, modifiers, units }) => ({ code, system, modifiers, units }));
    await store.worklist.upsert({
      visitKey: drafts.visitKey,
      launchId: input.launchId,
      patientId: input.facts.patient.id ?? '',
      serviceDate: input.facts.serviceDate,
      claim: drafts.claim as unknown as Record<string, unknown>,
      codes,
      createdBy: user.fhirUser,
    });
    await store.audit.record({
      actor: user.fhirUser, action: 'draft.created', entityType: 'claim-draft', entityId: drafts.visitKey,
      patientId: input.facts.patient.id, codes: codes.map((c) => c.code),
    });
    res.json(drafts);
  });

  router.post('/ledger/:visitKey/:kind/:step', requireUser, async (req, res) => {
    const user = userOf(req);
    const visitKey = VisitKeyParam.safeParse(req.params.visitKey);
    const kind = LedgerKind.safeParse(req.params.kind);
    const body = LedgerBody.safeParse(req.body);
    if (!visitKey.success || !kind.success) throw new HttpError(404, 'not-found', 'No such ledger entry');
    if (!body.success) throw badRequestFromZod(body.error, 'Invalid ledger request');
    if (!profiles.some((p) => p.issuers.includes(body.data.ehrBase))) {
      throw new HttpError(400, 'unknown-ehr', 'That EHR is not one of the configured EHR profiles');
    }
    // Writes follow a draft: a ledger entry for a visit with no draft in the worklist is refused.
    if (!(await store.worklist.get(visitKey.data))) {
      throw new HttpError(409, 'no-draft', 'Create the drafts (POST /api/drafts) before writing them to the EHR');
    }
    if (req.params.step === 'reserve') {
      res.json(await store.ledger.reserve(visitKey.data, kind.data, body.data.ehrBase));
    } else if (req.params.step === 'complete') {
      if (!body.data.resourceId) throw new HttpError(400, 'invalid', 'resourceId: required');
      await store.ledger.complete(visitKey.data, kind.data, body.data.ehrBase, body.data.resourceId);
      if (kind.data === 'claim') await store.worklist.markWritten(visitKey.data, { ehrClaimId: body.data.resourceId });
      else await store.worklist.markWritten(visitKey.data, { ehrDocumentReferenceId: body.data.resourceId });
      await store.audit.record({
        actor: user.fhirUser, action: 'writeback.completed', entityType: kind.data, entityId: visitKey.data,
        resourceIds: [`${kind.data === 'claim' ? 'Claim' : 'DocumentReference'}/${body.data.resourceId}`],
      });
      res.status(204).end();
    } else if (req.params.step === 'release') {
      // the EHR definitely refused the write (4xx): drop the pending reservation so a retry need not wait.
      // Only pending entries are removed; a 'done' entry (with its resource id) is never touched.
      await store.ledger.release(visitKey.data, kind.data, body.data.ehrBase);
      res.status(204).end();
    } else {
      throw new HttpError(404, 'not-found', 'No such ledger step');
    }
  });
  return router;
}
