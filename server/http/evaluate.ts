/**
 * POST /api/evaluate: a Bundle or VisitFacts (+ overrides) → { facts, factSources, determination, references, mapping }.
 *
 * The work (parse, extract, evaluate, serialise: under a millisecond of CPU) is one pure function of the body text
 * and the mappings in force (./evaluation.ts evaluateText). This thread reads the body and the mappings, hands both
 * to an Evaluator (./evaluationThreads.ts: worker threads in production, inline in tests) and writes the JSON text it
 * gets back. The same function runs either way, so both give the same answers and the same errors.
 */
import express, { Router } from 'express';
import type { PayerMapping } from '../contracts/index.js';
import { HttpError } from './errors.js';
import { API_BODY_LIMIT, declaredLengthLimit, inputGuard } from './security.js';
import type { Evaluator } from './evaluationThreads.js';

export interface MappingSource { current(): Promise<PayerMapping[]> }

/** the mappings in force; a store that cannot give them is a 503 the admin must see, not a silent CPT fallback */
export async function mappingsInForce(source: MappingSource): Promise<PayerMapping[]> {
  try {
    return await source.current();
  } catch (err) {
    throw Object.assign(HttpError.of('unavailable', 'The payer mappings cannot be read from the store right now; nothing was evaluated. Please retry; an administrator can check /api/readyz.'),
      { cause: err });
  }
}

/** only UTF-8 JSON (as the API's JSON body parser): the text parser alone would decode any charset */
const utf8Only: express.RequestHandler = (req, _res, next) => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && !charset.startsWith('utf-')) return next(HttpError.of('unsupported-media-type', 'The body uses an unsupported charset; send UTF-8'));
  next();
};

/** Mounted before the API's JSON body parser: this route reads its body as text, which the Evaluator parses. */
export function createEvaluateRouter(mappingSource: MappingSource, evaluator: Evaluator): Router {
  const router = Router();
  router.post('/evaluate',
    declaredLengthLimit(API_BODY_LIMIT), utf8Only,
    express.text({ limit: API_BODY_LIMIT, inflate: false, type: 'application/json' }), inputGuard,
    async (req, res) => {
      const text = typeof req.body === 'string' ? req.body : undefined;
      const json = await evaluator.evaluate(text, await mappingsInForce(mappingSource));
      // the text as is (res.json would parse nothing but copy it into a Buffer first)
      res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(json));
      res.end(json);
    });
  return router;
}
