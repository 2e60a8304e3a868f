/**
 * POST /api/evaluate for the well-formed request, answered without Express. Why: under load, Express's chain
 * (router, middleware, body parser) was about 40% of the HTTP thread's CPU per evaluation (454–523 → 283–307 µs
 * per request, per-thread CPU, interleaved runs), and that thread is one of the two stages every evaluation passes.
 *
 * Only the plain case is taken here: POST to exactly /api/evaluate (no query), `Content-Type: application/json`
 * (optionally `charset=utf-8`), no Content-Encoding, a Content-Length from 1 byte to the route's limit. Anything
 * else goes to the Express route (./evaluate.ts) untouched, so the edge cases (413, 415, chunked bodies, other
 * charsets) keep their one implementation. What is taken answers as that route does: the same header set, request
 * id, log line, body decoding (UTF-8, a leading BOM dropped), body guard and error answers (errorAnswer);
 * evaluateDirect.test.ts compares the two paths answer by answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorAnswer, requestIdFrom } from './errors.js';
import { logAnswered } from './log.js';
import { bodyGuardError } from './jsonGuard.js';
import { API_BODY_LIMIT } from './security.js';
import { mappingsInForce, type MappingSource } from './evaluate.js';
import type { Evaluator } from './evaluationThreads.js';

const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*"?utf-8"?[ \t]*)?$/i;
const ROUTE = '/api/evaluate';

export interface DirectEvaluateDeps {
  evaluator: Evaluator;
  mappingSource: MappingSource;
  log: Logger;
  /** the security headers every answer carries (staticSecurityHeaders) */
  securityHeaders: Record<string, string>;
}

/** → a request handler that answers and returns true, or returns false (and touches nothing) for Express to answer */
export function directEvaluate(deps: DirectEvaluateDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { evaluator, mappingSource, log } = deps;
  const fixed = { ...deps.securityHeaders, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };

  const write = (res: ServerResponse, id: string, started: bigint, status: number, json: string, extra?: Record<string, string>) => {
    res.writeHead(status, { ...fixed, ...extra, 'x-request-id': id, 'content-length': String(Buffer.byteLength(json)) });
    res.end(json);
    logAnswered(log, id, 'POST', ROUTE, status, started);
  };

  const answer = async (res: ServerResponse, id: string, started: bigint, body: Buffer) => {
    try {
      // as the Express route's text parser (iconv-lite) reads it: UTF-8, invalid sequences replaced, a BOM dropped
      let text = body.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const refused = bodyGuardError(text);
      if (refused) throw refused;
      write(res, id, started, 200, await evaluator.evaluate(text, await mappingsInForce(mappingSource)));
    } catch (err) {
      const a = errorAnswer(err, { requestId: id, method: 'POST', route: ROUTE, log });
      write(res, id, started, a.status, JSON.stringify({ error: a.error }), a.headers);
    }
  };

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== ROUTE) return false;
    const h = req.headers;
    const length = Number(h['content-length']);
    if (!PLAIN_JSON.test(h['content-type'] ?? '') || h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined
      || !(length >= 1 && length <= API_BODY_LIMIT)) return false;
    const started = process.hrtime.bigint();
    const id = requestIdFrom(h['x-request-id']);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // an aborted request has no one to answer; Node closes the socket
    req.on('end', () => { void answer(res, id, started, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)); });
    return true;
  };
}
