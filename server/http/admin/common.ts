/** Shared bits of the admin and worklist routers: error shape, zod → 400 details, the error handler. */
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { sendError } from '../../auth/index';
import { ConflictError, NotFoundError, StaleVersionError } from '../../store/index';

export { sendError };

export interface FieldIssue { path: string; message: string }

export function zodIssues(err: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return err.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}

export function sendInvalid(res: Response, issues: FieldIssue[], lead = 'invalid input') {
  const summary = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
  sendError(res, 400, 'invalid', `${lead}: ${summary}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, issues);
}

/** ETag of a mapping version; If-Match accepts "3", W/"3" or 3 */
export const etag = (version: number) => `"${version}"`;
export function parseIfMatch(h: string | undefined): number | 'missing' | 'invalid' {
  if (h === undefined || h.trim() === '') return 'missing';
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(h);
  return m ? Number(m[1]) : 'invalid';
}

/** last in each router: known errors → 4xx, anything else → a generic 500 (no stack, no details) */
export const apiErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof StaleVersionError) {
    res.setHeader('ETag', etag(err.current.version));
    return sendError(res, 412, 'stale', `${err.message}. Reload to see the current version.`, { current: err.current });
  }
  if (err instanceof NotFoundError) return sendError(res, 404, 'not-found', err.message);
  if (err instanceof ConflictError) return sendError(res, 409, 'conflict', err.message);
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'invalid-json', 'the body is not valid JSON');
  if (e?.type === 'entity.too.large') return sendError(res, 413, 'too-large', 'the body is too large');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad-request', 'the request could not be read');
  return sendError(res, 500, 'internal', 'something went wrong on the server; the change was not made');
};
