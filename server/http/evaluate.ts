/** POST /api/evaluate: a Bundle or VisitFacts (+ overrides) → { facts, factSources, determination, references, mapping }. */
import { Router } from 'express';
import { EvaluateRequest, VisitFacts, type EvaluateResponse, type FactSources } from '../contracts/index.js';
import { extractVisit, applyOverrides, BadBundleError } from '../fhir/extract.js';
import { evaluateVisit } from '../policy/index.js';
import { applyMappingTie, coverageMatchInputFromFacts, resolveMapping, resolvePolicyContext } from '../mappings/index.js';
import type { PayerMapping } from '../contracts/index.js';
import { HttpError, badRequestFromZod } from './errors.js';

export interface MappingSource { current(): Promise<PayerMapping[]> }

/** Facts → determination through the payer mappings in force. Shared by the API and the CLI. */
export function determine(facts: VisitFacts, mappings: PayerMapping[]) {
  const resolution = resolveMapping(mappings, coverageMatchInputFromFacts(facts), { reasons: false });
  const context = resolvePolicyContext(resolution, facts);
  const determination = evaluateVisit(facts, context);
  // tied payer mappings: CPT-only rules, and a problem at the top of the review (payer-mapping-tie)
  const recordNotices = applyMappingTie(determination, resolution, facts);
  return { determination, context, resolution, recordNotices };
}

/** Bundle or facts, plus overrides → reviewed facts with sources. Throws HttpError(400) on bad input. */
export function readVisit(body: unknown) {
  const parsed = EvaluateRequest.safeParse(body);
  if (!parsed.success) throw badRequestFromZod(parsed.error, 'Invalid request');
  const req = parsed.data;
  try {
    let visit: { facts: VisitFacts; factSources: FactSources; references: EvaluateResponse['references'] };
    if (req.bundle !== undefined) {
      visit = extractVisit(req.bundle);
    } else {
      const facts = VisitFacts.safeParse(req.facts);
      if (!facts.success) throw badRequestFromZod(facts.error, 'Invalid facts');
      visit = { facts: facts.data, factSources: {}, references: {} };
    }
    if (req.overrides) {
      const merged = applyOverrides(visit.facts, visit.factSources, req.overrides);
      visit = { ...visit, ...merged };
    }
    return visit;
  } catch (err) {
    if (err instanceof BadBundleError) throw new HttpError(400, 'invalid-bundle', err.message, err.details);
    throw err;
  }
}

export function createEvaluateRouter(mappingSource: MappingSource): Router {
  const router = Router();
  router.post('/evaluate', async (req, res) => {
    const visit = readVisit(req.body);
    const { determination, context, recordNotices } = determine(visit.facts, await mappingSource.current());
    const body: EvaluateResponse = {
      ...visit,
      determination,
      mapping: { id: context.mappingId, policyId: context.policyId, lineOfBusiness: context.lineOfBusiness, matched: context.mappingMatched },
    };
    if (recordNotices.length) body.recordNotices = [...recordNotices, ...(body.recordNotices ?? [])];
    res.json(body);
  });
  return router;
}
