/**
 * One error shape for the whole API: { error: { code, message, details? } }, a 4xx for bad input, never a 500
 * for anything a caller sent. Unexpected failures answer 500 with no internals and are logged without PHI.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export const zodDetails = (err: ZodError) =>
  err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));

export function badRequestFromZod(err: ZodError, what: string): HttpError {
  const details = zodDetails(err);
  const first = details[0];
  return new HttpError(400, 'invalid', `${what}: ${first ? `${first.path}: ${first.message}` : 'invalid'}`, details);
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not-found', message: 'No such route' } });
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    if (err instanceof ZodError) {
      const e = badRequestFromZod(err, 'Invalid input');
      res.status(400).json({ error: { code: e.code, message: e.message, details: e.details } });
      return;
    }
    // body-parser errors: malformed JSON, too large, wrong charset
    const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
    const type = (err as { type?: string })?.type;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = type === 'entity.parse.failed' ? 'The body is not valid JSON'
        : type === 'entity.too.large' ? 'The body is too large' : 'Bad request';
      res.status(status).json({ error: { code: type ?? 'bad-request', message } });
      return;
    }
    log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; nothing was saved. Please retry.' } });
  };
}
