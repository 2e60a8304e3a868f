/**
 * Calls to the app's own server (/api/…): JSON in and out, a timeout, and the API error shape
 * `{ error: { code, message, details? } }` turned into an ApiCallError.
 */
import { ApiCallError, ApiUnreachableError } from './errors';

export { ApiCallError, ApiUnreachableError } from './errors';

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
    const error = apiErrorOf(json);
    if (error) throw new ApiCallError(res.status, error.code, error.message, error.details);
    throw new ApiCallError(res.status, 'http-error', `the app server answered ${res.status}`);
  }
  return { status: res.status, body: json as T };
}

/** The API's error shape { error: { code, message, details? } } (ApiError in server/contracts), checked by hand: no zod here. */
function apiErrorOf(json: unknown): { code: string; message: string; details?: unknown } | undefined {
  const e = (json as { error?: unknown } | undefined)?.error;
  if (!e || typeof e !== 'object') return undefined;
  const { code, message, details } = e as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' ? { code, message, ...(details !== undefined ? { details } : {}) } : undefined;
}

/** Same-origin API in the browser; tests set globalThis.__PRC_API_ORIGIN__. */
export function apiOrigin(): string {
  const g = globalThis as { __PRC_API_ORIGIN__?: string; location?: { origin: string } };
  return g.__PRC_API_ORIGIN__ ?? g.location?.origin ?? 'http://localhost';
}
