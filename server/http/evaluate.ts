/** POST /api/evaluate: a Bundle or VisitFacts (+ overrides) → { facts, factSources, determination, references, mapping }. */
import { Router } from 'express';
import { EvaluateRequest, VisitFacts, type EvaluateResponse, type FactSources } from '../contracts/index.js';
import { extractVisit, applyOverrides, BadBundleError } from '../fhir/extract.js';
import { evaluateVisit } from '../policy/index.js';
import { coverageMatchInputFromFacts, resolveMapping, resolvePolicyContext } from '../mappings/index.js';
import type { PayerMapping } from '../contracts/index.js';
import { HttpError, badRequestFromZod } from './errors.js';

export interface MappingSource { current(): Promise<PayerMapping[]> }

/** Facts → determination through the payer mappings in force. Shared by the API and the CLI. */
export function determine(facts: VisitFacts, mappings: PayerMapping[]) {
  const resolution = resolveMapping(mappings, coverageMatchInputFromFacts(facts), { reasons: false });
  const context = resolvePolicyContext(resolution, facts);
  return { determination: evaluateVisit(facts, context), context, resolution };
}

/** Bundle or facts, plus overrides → reviewed facts with sources. Throws HttpError(400) on bad input. */
export function readVisit(body: unknown) {
  const parsed = EvaluateRequest.safeParse(body);
  if (!parsed.success) throw badRequestFromZod(parsed.error, 'Invalid request');
  const req = parsed.data;
  try {
    let visit: { facts: VisitFacts; factSources: FactSources; references: EvaluateResponse['references'] };
    if (req.bundle !== undefined) {
      // A corrected service date re-scopes the visit (the stale-launch-encounter notice's action sends one).
      const serviceDate = typeof req.overrides?.serviceDate === 'string' ? req.overrides.serviceDate : undefined;
      visit = extractVisit(req.bundle, serviceDate ? { serviceDate } : {});
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
    const { determination, context } = determine(visit.facts, await mappingSource.current());
    const body: EvaluateResponse = {
      ...visit,
      determination,
      mapping: { id: context.mappingId, policyId: context.policyId, lineOfBusiness: context.lineOfBusiness, matched: context.mappingMatched },
    };
    res.json(body);
  });
  return router;
}
