/**
 * The work behind POST /api/evaluate, as pure functions of the request and the mappings in force: read the visit
 * (Bundle or facts, plus the clinician's corrections), resolve the payer mapping, evaluate the policy. Used by the
 * API (through an Evaluator: ./evaluationThreads.ts), the drafts check and the CLI. No Express, no store: the
 * evaluation threads load this module and nothing heavier.
 */
import { EvaluateRequest, VisitFacts, type EvaluateResponse, type FactSources, type PayerMapping } from '../contracts/index.js';
import { extractVisit, applyOverrides } from '../fhir/extract.js';
import { evaluateVisit } from '../policy/index.js';
import { strengthsFromNames } from '../terminology/index.js';
import { applyMappingTie, coverageMatchInputFromFacts, resolveMapping, resolvePolicyContext } from '../mappings/index.js';
import { HttpError, badRequestFromZod } from './httpError.js';
import { bodyGuardError } from './jsonGuard.js';

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
    // DESIGN.md "Drug lines": the concentration is Medication.ingredient.strength or the product name; the policy
    // reads `concentration` only, so facts sent as facts have their names' strengths read here
    const drugs = strengthsFromNames(facts.data.drugs);
    visit = { facts: drugs === facts.data.drugs ? facts.data : { ...facts.data, drugs }, factSources: {}, references: {} };
  }
  if (req.overrides) {
    // the body guard (jsonProblem) has already refused anything nested deeper than MAX_JSON_DEPTH, so the
    // merge's depth is bounded
    const merged = applyOverrides(visit.facts, visit.factSources, req.overrides);
    visit = { ...visit, ...merged };
  }
  return visit;
}

/** the whole answer of /api/evaluate for a parsed request body */
export function evaluateBody(body: unknown, mappings: PayerMapping[]): EvaluateResponse {
  const visit = readVisit(body);
  const { determination, context, recordNotices } = determine(visit.facts, mappings);
  const answer: EvaluateResponse = {
    ...visit,
    determination,
    mapping: { id: context.mappingId, policyId: context.policyId, lineOfBusiness: context.lineOfBusiness, matched: context.mappingMatched },
  };
  if (recordNotices.length) answer.recordNotices = [...recordNotices, ...(answer.recordNotices ?? [])];
  return answer;
}

/**
 * The body text (undefined: no JSON body was sent) → the answer's JSON text. Parses as the API's JSON body
 * parser does (an object or array at the top, or 400 invalid-json; an empty body is `{}`), then the body guard
 * (too deep, or a NUL).
 */
export function evaluateText(text: string | undefined, mappings: PayerMapping[]): string {
  let body: unknown;
  if (text === '') body = {};
  else if (text !== undefined) {
    try {
      const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(text)?.[1];
      if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
      body = JSON.parse(text);
    } catch {
      throw HttpError.of('invalid-json', 'The body is not valid JSON');
    }
    const refused = bodyGuardError(body);
    if (refused) throw refused;
  }
  return JSON.stringify(evaluateBody(body, mappings));
}

