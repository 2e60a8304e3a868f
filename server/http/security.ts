/**
 * Security headers and input guards.
 *
 * Headers: the app runs inside EHR frames (Epic Hyperspace/Hyperdrive, Oracle PowerChart), so framing is allowed
 * only for the EHR UI origins (FRAME_ANCESTORS) and the configured EHR issuers via CSP frame-ancestors
 * (X-Frame-Options cannot express a list, so it is off). The same header set is written on every answer,
 * including those Node writes itself before the app sees a request (408 timeouts, 400 unreadable requests)
 * and the 503 while the server is starting: `staticSecurityHeaders` captures helmet's output once.
 *
 * Input guards: a declared Content-Length over a route's limit is refused at once (413, connection closed)
 * instead of waiting for a body that may never come; parsed JSON is walked iteratively (no recursion on user
 * input) and refused when nested deeper than MAX_JSON_DEPTH or when any key or string holds a NUL character
 * (PostgreSQL cannot store one, and no clinical text contains one).
 */
import helmet from 'helmet';
import express from 'express';
import type { RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { EhrProfile } from '../../launch/profiles.js';
import { sendError } from './errors.js';
import { bodyGuardError } from './jsonGuard.js';

export { MAX_JSON_DEPTH, jsonProblem } from './jsonGuard.js';

export interface SecurityOptions {
  /** FRAME_ANCESTORS: extra origins that may frame the app (EHR UI hosts, not FHIR hosts) */
  frameAncestors?: string[];
}

/** helmet configured for the app (its output is captured once: see securityHeaders) */
export function helmetFor(profiles: EhrProfile[], publicUrl: string, opts: SecurityOptions = {}): RequestHandler {
  const ehrOrigins = [...new Set(profiles.flatMap((p) => p.issuers.map((i) => new URL(i).origin)))];
  const frameOrigins = [...new Set([...ehrOrigins, ...(opts.frameAncestors ?? [])])];
  return helmet({
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // no 'unsafe-inline': the built pages have no inline <style>/<script>, and React's style props go
        // through the CSSOM, which style-src does not govern (test/security/headers.test.ts checks both)
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...ehrOrigins],
        frameAncestors: ["'self'", ...frameOrigins],
        formAction: ["'self'", ...ehrOrigins],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // on a plain-http origin (the local sandbox) upgrading would break the sandbox's own form posts
        upgradeInsecureRequests: publicUrl.startsWith('https:') ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The security header set on every answer. helmet's output does not depend on the request, so it is captured once
 * (staticSecurityHeaders) and written with one loop per answer; the raw 408/413/503 answers and the direct
 * /api/evaluate path (./evaluateDirect.ts) write the same set.
 */
export function securityHeaderSet(profiles: EhrProfile[], publicUrl: string, opts: SecurityOptions = {}): Record<string, string> {
  return staticSecurityHeaders(helmetFor(profiles, publicUrl, opts));
}

/** the middleware writing a captured header set */
export function securityHeaders(headers: Record<string, string>): RequestHandler {
  const entries = Object.entries(headers);
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
}

/** The headers a middleware sets on every answer, captured once (helmet's set does not depend on the request). */
export function staticSecurityHeaders(mw: RequestHandler): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) { headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value); return res; },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
    getHeader(name: string) { return headers[name.toLowerCase()]; },
  };
  mw({ method: 'GET', url: '/', headers: {} } as never, res as never, () => undefined);
  return headers;
}

/** A complete raw HTTP/1.1 answer with the security headers (for sockets Node answers before the app runs). */
export function rawResponse(status: number, reason: string, headers: Record<string, string>, body: { error: { code: string; message: string } }): string {
  const text = JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${reason}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'cache-control: no-store', 'content-type: application/json; charset=utf-8', `content-length: ${Buffer.byteLength(text)}`, 'connection: close'];
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}

/**
 * Node's own error answers (request/header timeout → 408, unparsable request → 400, headers too large → 431)
 * written with the security headers instead of Node's bare default.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request-timeout', 'The request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'bad-request', 'The request headers are too large']
        : [400, 'Bad Request', 'bad-request', 'The request could not be read'];
    socket.end(rawResponse(status, reason, headers, { error: { code, message } }));
  };
}

/** 413 at once when the declared Content-Length is over the limit; the connection closes after the answer. */
export function declaredLengthLimit(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      res.setHeader('Connection', 'close');
      return sendError(res, 413, 'too-large', `The body is larger than ${formatBytes(limitBytes)}, the limit of this route`);
    }
    next();
  };
}

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${Math.round(n / 1024)} KB`);

/** NUL anywhere in the URL (path or query, raw or percent-encoded) */
const NUL_IN_URL = /%00|\u0000/i;

/** Refuses bodies and URLs that no handler can store or recurse over (see the file comment). */
export const inputGuard: RequestHandler = (req, res, next) => {
  if (NUL_IN_URL.test(req.originalUrl)) {
    return sendError(res, 400, 'invalid', 'The address must not contain a NUL character (%00)', [{ path: '(url)', message: 'must not contain a NUL character' }]);
  }
  next(req.body !== undefined ? bodyGuardError(req.body) : undefined);
};

/** The JSON body parser every API route uses: declared-length check, parse with the route's limit, then the guard. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    declaredLengthLimit(limitBytes),
    express.json({ limit: limitBytes, inflate: false, type: 'application/json' }),
    inputGuard,
  ];
}

export const ADMIN_BODY_LIMIT = 1024 * 1024;
export const API_BODY_LIMIT = 2 * 1024 * 1024;

/** used when the 503 'starting' answer is written before the express app exists */
export function startingHandler(headers: Record<string, string>) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({ error: { code: 'starting', message: 'The server is starting; retry in a moment' } });
    res.writeHead(503, { ...headers, 'retry-after': '1', 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    res.end(body);
  };
}
