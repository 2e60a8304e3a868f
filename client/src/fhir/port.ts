/**
 * The one way the app talks to the EHR's FHIR server: fetch with the bearer token, a timeout, a request
 * counter, one refresh-and-retry of a read on 401 when a refresh token exists, bounded retries of reads (never of writes:
 * those go through the write ledger), and a guard that the token only ever goes to URLs under the launch's FHIR
 * base (never to absolute references or foreign `next` links).
 */
import type { Bundle, Resource } from './types';

export class FhirHttpError extends Error {
  constructor(readonly status: number, readonly outcome: string | undefined, readonly url: string) {
    super(`FHIR server answered ${status}${outcome ? `: ${outcome}` : ''}`);
  }
}
export class FhirTimeoutError extends Error { constructor(readonly url: string) { super('FHIR request timed out'); } }
export class FhirNetworkError extends Error { constructor(readonly url: string, cause: string) { super(`FHIR request failed: ${cause}`); } }
export class ForeignUrlError extends Error { constructor(readonly url: string) { super('refused to send the token outside the FHIR base'); } }

export interface FhirResponse<T> { status: number; body: T; location?: string }
export interface FhirRequestInit {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}
export interface FhirPort {
  readonly base: string;
  request<T = unknown>(path: string, init?: FhirRequestInit): Promise<FhirResponse<T>>;
  /** number of HTTP requests sent to the FHIR server so far */
  readonly requestCount: number;
}

export interface FhirPortOptions {
  base: string;
  getToken(): string;
  /** obtains a new access token (fhirclient's single-flight refresh); undefined when none is possible */
  refresh?: () => Promise<string | undefined>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** waits between read retries (tests pass a fake) */
  sleep?: (ms: number) => Promise<void>;
}

/** A read is sent at most this many times; a timeout is never repeated (it already took the full timeout). */
export const MAX_READ_ATTEMPTS = 3;
const RETRYABLE_READ_STATUS = new Set([429, 500, 502, 503, 504]);

/** Retry-After in seconds (or an HTTP date), capped at 2 s so the review never stalls; else a short backoff. */
export function retryDelayMs(retryAfter: string | null, attempt: number, now = Date.now()): number {
  const backoff = 250 * 2 ** (attempt - 1);
  if (!retryAfter) return backoff;
  const seconds = Number(retryAfter);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 2000) : backoff;
}

/** Plain text of an OperationOutcome (diagnostics or details.text of each issue). */
export function operationOutcomeText(body: unknown): string | undefined {
  const oo = body as { resourceType?: string; issue?: { diagnostics?: string; details?: { text?: string }; code?: string }[] } | null;
  if (!oo || oo.resourceType !== 'OperationOutcome' || !Array.isArray(oo.issue)) return undefined;
  const parts = oo.issue.map((i) => i.diagnostics ?? i.details?.text ?? i.code).filter((x): x is string => !!x);
  return parts.length ? parts.join('; ').slice(0, 500) : undefined;
}

export function resolveUnderBase(base: string, path: string): string {
  const b = base.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    if (path === b || path.startsWith(`${b}/`) || path.startsWith(`${b}?`)) return path;
    throw new ForeignUrlError(path);
  }
  return `${b}/${path.replace(/^\/+/, '')}`;
}

export function createFhirPort(opts: FhirPortOptions): FhirPort {
  const fetchImpl = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let count = 0;
  const send = async (url: string, init: FhirRequestInit, token: string): Promise<Response> => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), init.timeoutMs ?? opts.timeoutMs ?? 15_000);
    count++;
    try {
      return await fetchImpl(url, {
        method: init.method ?? 'GET',
        headers: {
          accept: 'application/fhir+json, application/json',
          authorization: `Bearer ${token}`,
          ...(init.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
          ...init.headers,
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: ctrl.signal,
        credentials: 'omit',
      });
    } catch (err) {
      if (ctrl.signal.aborted) throw new FhirTimeoutError(url);
      throw new FhirNetworkError(url, (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    base: opts.base.replace(/\/+$/, ''),
    get requestCount() { return count; },
    async request<T>(path: string, init: FhirRequestInit = {}): Promise<FhirResponse<T>> {
      const url = resolveUnderBase(opts.base, path);
      const isRead = (init.method ?? 'GET') === 'GET';
      let res: Response | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          res = await send(url, init, opts.getToken());
        } catch (err) {
          if (!(err instanceof FhirNetworkError) || !isRead || attempt >= MAX_READ_ATTEMPTS) throw err;
          await sleep(retryDelayMs(null, attempt));
          continue;
        }
        if (!isRead || !RETRYABLE_READ_STATUS.has(res.status) || attempt >= MAX_READ_ATTEMPTS) break;
        await res.arrayBuffer().catch(() => undefined); // drain before the next attempt
        await sleep(retryDelayMs(res.headers.get('retry-after'), attempt));
      }
      // reads only: a write answered 401 goes back to the write path, which renews and retries it through the
      // ledger's idempotent path (writeback/writeOnce.ts), never as a blind second POST
      if (res.status === 401 && opts.refresh && isRead) {
        const fresh = await opts.refresh().catch(() => undefined);
        if (fresh) res = await send(url, init, fresh);
      }
      const text = await res.text();
      let body: unknown;
      try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
      if (!res.ok) throw new FhirHttpError(res.status, operationOutcomeText(body), url);
      return { status: res.status, body: body as T, location: res.headers.get('location') ?? res.headers.get('content-location') ?? undefined };
    },
  };
}

/** a port that reports every answer's resources (search bundles unpacked) */
export function reportingAnswers(port: FhirPort, report: (resources: Resource[]) => void): FhirPort {
  return {
    base: port.base,
    get requestCount() { return port.requestCount; },
    async request<T>(path: string, init?: Parameters<FhirPort['request']>[1]) {
      const res = await port.request<T>(path, init);
      const body = res.body as Resource | Bundle | undefined;
      try {
        const resources = body?.resourceType === 'Bundle'
          ? ((body as Bundle).entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r)
          : body?.resourceType ? [body as Resource] : [];
        if (resources.length) report(resources);
      } catch { /* a display callback never breaks a read */ }
      return res;
    },
  };
}
