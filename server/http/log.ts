/**
 * The request log: method, a path with no patient or visit identifiers, status, time, request id. Logs carry no
 * bodies, no query strings (tokens, launch codes, search parameters) and no ids: in a FHIR path every segment
 * after a resource type is an id ("/sandbox/fhir/Patient/pt-1/_history/2" → "/sandbox/fhir/Patient/:id/_history/:id"),
 * and the API's visit keys and mapping ids become ":key" / ":id".
 */
import pino, { type Logger } from 'pino';
import type { RequestHandler } from 'express';

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{2,}$/;
/** segments of our own routes that are fixed words (everything else under /api/ledger, /api/worklist … is a key) */
const FIXED = new Set(['api', 'admin', 'mappings', 'preview', 'import', 'export', 'audit', 'worklist', 'export.csv', 'claim.json',
  'ledger', 'claim', 'documentReference', 'reserve', 'complete', 'release', 'drafts', 'evaluate', 'healthz', 'readyz',
  'ehr-profiles', 'policies', 'sandbox', 'fhir', 'epic', 'oracle', '_history', '_search', 'metadata', '.well-known',
  'smart-configuration', 'openid-configuration', 'auth', 'authorize', 'token', 'jwks', 'launch', 'assets', 'launch.html',
  'index.html', 'store-health', 'reset', 'introspect', 'revoke', 'picker', 'login', 'style.css', 'smart-style.json',
  'visits', 'lookup', 'versions', 'superseded', 'provenance']);

/** "/sandbox/fhir/Patient/123" → "/sandbox/fhir/Patient/:id"; "/api/ledger/9f…/claim/reserve" → "/api/ledger/:key/claim/reserve" */
export function loggablePath(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  let afterType = false;
  for (const seg of segments) {
    if (seg === '') { out.push(seg); continue; }
    if (afterType) { out.push(':id'); afterType = false; continue; }
    if (RESOURCE_TYPE.test(seg)) { out.push(seg); afterType = true; continue; }
    if (seg.startsWith('$')) { out.push(seg.slice(0, 40)); continue; }
    if (FIXED.has(seg)) { out.push(seg); continue; }
    // hashed asset names are not identifiers of people; everything else may be
    out.push(/^[A-Za-z0-9_-]+-[A-Za-z0-9_-]{8}\.(js|css|svg|woff2?)$/.test(seg) ? seg : ':key');
  }
  return out.join('/').slice(0, 200);
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  if (destination) return pino(options, destination);
  // Lines are gathered into writes of 4 KB, or written at least every second: a write per request line costs the
  // HTTP thread about a tenth of its time under load. Warnings and errors are written at once.
  const out = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 });
  return pino({
    ...options,
    hooks: {
      logMethod(args, method, levelValue) {
        method.apply(this, args);
        if (levelValue >= 40) out.flush();
      },
    },
  }, out);
}

/** the one log line of an answered request (a 5xx as a warning) */
export function logAnswered(log: Logger, requestId: string | undefined, method: string, url: string, status: number, started: bigint): void {
  const line = { requestId, method, path: loggablePath(url.split('?')[0] ?? ''), status,
    ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100 };
  if (status >= 500) log.warn(line, 'request failed');
  else log.info(line, 'request');
}

/** one log line per answered request */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => logAnswered(log, req.id, req.method, req.originalUrl, res.statusCode, started));
    next();
  };
}
