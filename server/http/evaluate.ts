/** POST /api/evaluate: a Bundle or VisitFacts (+ overrides) → { facts, factSources, determination, references, mapping }. */
import { Router } from 'express';
import { EvaluateRequest, VisitFacts, type EvaluateResponse, type FactSources } from '../contracts/index.js';
import { extractVisit, applyOverrides } from '../fhir/extract.js';
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

/**
 * Bundle or facts, plus overrides → reviewed facts with sources. Bad input throws (HttpError, ZodError-derived
 * HttpError, BadBundleError) and the shared error handler answers 400 naming the field.
 */
export function readVisit(body: unknown) {
  const parsed = EvaluateRequest.safeParse(body);
  if (!parsed.success) throw badRequestFromZod(parsed.error, 'Invalid request');
  const req = parsed.data;
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
    // the body guard (security.ts) has already refused anything nested deeper than MAX_JSON_DEPTH, so the
    // merge's depth is bounded
    const merged = applyOverrides(visit.facts, visit.factSources, req.overrides);
    visit = { ...visit, ...merged };
  }
  return visit;
}

/** the mappings in force; a store that cannot give them is a 503 the admin must see, not a silent CPT fallback */
export async function mappingsInForce(source: MappingSource): Promise<PayerMapping[]> {
  try {
    return await source.current();
  } catch (err) {
    throw Object.assign(HttpError.of('unavailable', 'The payer mappings cannot be read from the store right now; nothing was evaluated. Please retry; an administrator can check /api/readyz.'),
      { cause: err });
  }
}

export function createEvaluateRouter(mappingSource: MappingSource): Router {
  const router = Router();
  router.post('/evaluate', async (req, res) => {
    const visit = readVisit(req.body);
    const { determination, context, recordNotices } = determine(visit.facts, await mappingsInForce(mappingSource));
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
