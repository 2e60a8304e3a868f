/**
 * Calls to the app's own server (/api/…): JSON in and out, a timeout, and the API error shape
 * `{ error: { code, message, details? } }` turned into an ApiCallError.
 */
import { ApiError } from '../../../server/contracts/index';

export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) { super(message); }
}
export class ApiUnreachableError extends Error {
  constructor(readonly timedOut: boolean) { super(timedOut ? 'the app server did not answer in time' : 'the app server could not be reached'); }
}

export interface ApiOptions { bearer?: string; timeoutMs?: number; signal?: AbortSignal; fetchImpl?: typeof fetch; headers?: Record<string, string> }

export async function apiPost<T>(path: string, body: unknown, opts: ApiOptions = {}): Promise<{ status: number; body: T }> {
  const fetchImpl = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 15_000);
  const onAbort = () => ctrl.abort();
  opts.signal?.addEventListener('abort', onAbort);
  let res: Response;
  try {
    res = await fetchImpl(new URL(path, apiOrigin()).href, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', accept: 'application/json',
        ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
        ...opts.headers,
      },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: ctrl.signal,
    });
  } catch {
    throw new ApiUnreachableError(ctrl.signal.aborted && !opts.signal?.aborted);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const parsed = ApiError.safeParse(json);
    if (parsed.success) throw new ApiCallError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    throw new ApiCallError(res.status, 'http-error', `the app server answered ${res.status}`);
  }
  return { status: res.status, body: json as T };
}

/** Same-origin API in the browser; tests set globalThis.__PRC_API_ORIGIN__. */
export function apiOrigin(): string {
  const g = globalThis as { __PRC_API_ORIGIN__?: string; location?: { origin: string } };
  return g.__PRC_API_ORIGIN__ ?? g.location?.origin ?? 'http://localhost';
}
