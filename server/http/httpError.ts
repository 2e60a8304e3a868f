/**
 * The typed API error and the one code → status table (see ./errors.ts for the handler that answers with them).
 * Kept free of the store and Express so the evaluation threads (./evaluationWorker.ts) can throw it too.
 */
import type { ZodError } from 'zod';
import { fieldIssues, issuesSummary } from '../contracts/safe.js';

/** error code → HTTP status: the one table */
export const ERROR_STATUS = {
  'invalid': 400,
  'invalid-json': 400,
  'invalid-bundle': 400,
  'draft-not-buildable': 400,
  'too-deep': 400,
  'bad-request': 400,
  'unknown-ehr': 400,
  'unauthorized': 401,
  'unauthenticated': 401,
  'forbidden': 403,
  'forbidden-origin': 403,
  'not-found': 404,
  'request-timeout': 408,
  'conflict': 409,
  'no-draft': 409,
  'stale': 412,
  'too-large': 413,
  'unsupported-media-type': 415,
  'precondition-required': 428,
  'internal': 500,
  'unavailable': 503,
  'starting': 503,
} as const satisfies Record<string, number>;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
  /** the status comes from the table */
  static of(code: ErrorCode, message: string, details?: unknown): HttpError {
    return new HttpError(ERROR_STATUS[code], code, message, details);
  }
}

export function badRequestFromZod(err: ZodError, what: string): HttpError {
  const issues = fieldIssues(err);
  return new HttpError(400, 'invalid', issuesSummary(what, issues), issues);
}

