/**
 * One error shape for the whole API: { error: { code, message, details? } }, a 4xx for bad input, never a 500
 * for anything a caller sent. Unexpected failures answer 500 with no internals and are logged without PHI.
 * Every router (evaluate, drafts, admin, worklist) and the auth middleware answer through these helpers.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, StaleVersionError } from '../store/index.js';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface FieldIssue { path: string; message: string }

/** zod issues → [{ path: "a.b.0", message }]; `prefix` places them inside a larger body (e.g. import rows) */
export function zodIssues(err: ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return err.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown) {
  res.status(status).json(details === undefined ? { error: { code, message } } : { error: { code, message, details } });
}

const summarise = (lead: string, issues: FieldIssue[]) =>
  `${lead}: ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;

/** 400 naming every bad field */
export function sendInvalid(res: Response, issues: FieldIssue[], lead = 'invalid input') {
  sendError(res, 400, 'invalid', summarise(lead, issues), issues);
}

export function badRequestFromZod(err: ZodError, what: string): HttpError {
  const issues = zodIssues(err);
  return new HttpError(400, 'invalid', summarise(what, issues), issues);
}

/** ETag of a stored version; If-Match accepts "3", W/"3" or 3 */
export const etag = (version: number) => `"${version}"`;

export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, 'not-found', 'No such route');
};

/** Known errors → their 4xx; anything else → a generic 500 (no stack, no details), logged when a logger is given. */
export function errorHandler(log?: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, err.details);
    if (err instanceof ZodError) return sendInvalid(res, zodIssues(err));
    if (err instanceof StaleVersionError) {
      res.setHeader('ETag', etag(err.current.version));
      return sendError(res, 412, 'stale', `${err.message}. Reload to see the current version.`, { current: err.current });
    }
    if (err instanceof NotFoundError) return sendError(res, 404, 'not-found', err.message);
    if (err instanceof ConflictError) return sendError(res, 409, 'conflict', err.message);
    // body-parser: malformed JSON, too large, wrong charset
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'invalid-json', 'The body is not valid JSON');
    if (e?.type === 'entity.too.large') return sendError(res, 413, 'too-large', 'The body is too large');
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad-request', 'The request could not be read');
    const { name, message, stack } = (err ?? {}) as Error;
    log?.error({ err: { name, message, stack } }, 'unhandled error');
    return sendError(res, 500, 'internal', 'Something went wrong on our side; nothing was saved. Please retry.');
  };
}
