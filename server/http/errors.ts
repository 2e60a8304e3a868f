/**
 * One error model for the whole API (after Medplum's OperationOutcomeError: a typed error carrying a code, and
 * one code → status table). Every answer that is not a success has the shape
 * `{ error: { code, message, details?, requestId } }`: a 4xx naming the field for anything a caller sent, a 5xx
 * only for our own failures, which are logged (name, message, stack; never bodies or PHI) under the request id
 * that the answer carries too, so support can find the log line.
 *
 * Every router (evaluate, drafts, ledger, admin, worklist) and the auth middleware answer through these helpers
 * and end in `errorHandler()`; the known domain errors (BadBundleError, DraftNotBuildableError, the store's
 * NotFound/Conflict/StaleVersion, zod) are mapped here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, StaleVersionError } from '../store/index.js';
import { fieldIssues, issuesSummary, type FieldIssue } from '../contracts/safe.js';
import { HttpError, type ErrorCode } from './httpError.js';
import { BadBundleError } from '../fhir/extract/errors.js';
import { DraftNotBuildableError } from '../fhir/drafts.js';

export type { FieldIssue } from '../contracts/safe.js';
export { ERROR_STATUS, HttpError, badRequestFromZod, type ErrorCode } from './httpError.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request { id?: string }
  }
}

/** zod issues → [{ path: "a.b.0", message }]; `prefix` places them inside a larger body (e.g. import rows) */
export function zodIssues(err: ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return fieldIssues(err, prefix);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** a well-formed incoming X-Request-Id (from a proxy) is kept; else a new one */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Gives every request an id, echoed on the answer. */
export const requestId: RequestHandler = (req, res, next) => {
  req.id = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', req.id);
  next();
};

/** What an error answers: status, the `error` member of the body, and any header it needs. */
export interface ErrorAnswer { status: number; error: Record<string, unknown>; headers?: Record<string, string> }

/** an error answer's `error` member: `{ code, message, details?, requestId }` */
const answer = (status: number, code: string, message: string, details?: unknown, requestId?: string): ErrorAnswer => {
  const error: Record<string, unknown> = { code, message };
  if (details !== undefined) error.details = details;
  if (requestId) error.requestId = requestId;
  return { status, error };
};

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown) {
  res.status(status).json({ error: answer(status, code, message, details, res.req?.id).error });
}

/** 400 naming every bad field */
export function sendInvalid(res: Response, issues: FieldIssue[], lead = 'invalid input') {
  sendError(res, 400, 'invalid', issuesSummary(lead, issues), issues);
}

/** ETag of a stored version; If-Match accepts "3", W/"3" or 3 */
export const etag = (version: number) => `"${version}"`;

export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, 'not-found', 'No such route');
};

/** body-parser / raw-body failures (all the client's doing) → our codes */
const BODY_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.parse.failed': [400, 'invalid-json', 'The body is not valid JSON'],
  'entity.too.large': [413, 'too-large', 'The body is too large'],
  'entity.verify.failed': [400, 'bad-request', 'The body could not be read'],
  'request.aborted': [400, 'bad-request', 'The request was aborted before its body arrived'],
  'request.size.invalid': [400, 'bad-request', 'The body is not as long as its Content-Length says'],
  'encoding.unsupported': [415, 'unsupported-media-type', 'The body uses an unsupported Content-Encoding'],
  'charset.unsupported': [415, 'unsupported-media-type', 'The body uses an unsupported charset; send UTF-8'],
  'parameters.too.many': [413, 'too-large', 'The body has too many parameters'],
};

/** the app-wide logger (set by the app), so that routers' own handlers log 5xx too */
export const LOGGER_KEY = 'prc.logger';

interface ErrorContext { requestId?: string; method: string; route: string; log?: Logger }

/**
 * Known errors → their 4xx; anything else → a generic 500 (no stack, no details), always logged with the request id.
 * Shared by errorHandler() and the direct /api/evaluate path (./evaluateDirect.ts).
 */
export function errorAnswer(err: unknown, ctx: ErrorContext): ErrorAnswer {
  const id = ctx.requestId;
  if (err instanceof HttpError && err.status < 500) return answer(err.status, err.code, err.message, err.details, id);
  if (err instanceof ZodError) {
    const issues = zodIssues(err);
    return answer(400, 'invalid', issuesSummary('invalid input', issues), issues, id);
  }
  if (err instanceof BadBundleError) return answer(400, 'invalid-bundle', err.message, err.details, id);
  if (err instanceof DraftNotBuildableError) return answer(400, 'draft-not-buildable', err.message, undefined, id);
  if (err instanceof StaleVersionError) {
    return { ...answer(412, 'stale', `${err.message}. Reload to see the current version.`, { current: err.current }, id), headers: { ETag: etag(err.current.version) } };
  }
  if (err instanceof NotFoundError) return answer(404, 'not-found', err.message, undefined, id);
  if (err instanceof ConflictError) return answer(409, 'conflict', err.message, undefined, id);
  const e = err as { type?: string; status?: number; statusCode?: number };
  const known = typeof e?.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) return answer(known[0], known[1], known[2], undefined, id);
  const status = e?.status ?? e?.statusCode;
  // e.g. a malformed percent-encoding in the path (the router's decode), a bad Range
  if (typeof status === 'number' && status >= 400 && status < 500) return answer(status, 'bad-request', 'The request could not be read', undefined, id);
  const cause = err instanceof HttpError ? (err as { cause?: unknown }).cause ?? err : err;
  const { name, message, stack } = (cause ?? {}) as Error;
  ctx.log?.error({ requestId: id, method: ctx.method, route: ctx.route, err: { name, message, stack } }, 'unhandled error');
  if (err instanceof HttpError) return answer(err.status, err.code, `${err.message} (request id ${id ?? '(none)'})`, err.details, id);
  return answer(500, 'internal', `Something went wrong on our side; nothing was saved. Please retry; if it happens again, quote request id ${id ?? '(none)'}.`, undefined, id);
}

export function errorHandler(log?: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res, _next) => {
    if (res.headersSent) { res.destroy(); return; }
    const a = errorAnswer(err, { requestId: req.id, method: req.method, route: routeOf(req), log: log ?? (req.app?.get(LOGGER_KEY) as Logger | undefined) });
    if (a.headers) res.set(a.headers);
    res.status(a.status).json({ error: a.error });
  };
}

/** the route pattern that answered (never the concrete path with its ids) */
export function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : req.baseUrl || '(unmatched)';
}
