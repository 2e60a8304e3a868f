/**
 * The admin screens' only way to the server. Every call sends the bearer token and JSON content type;
 * every answer becomes an `ApiResult` the pages can switch on, never a thrown HTTP error:
 * - 401 → `unauthorized` (and `onAuthError`, so the app returns to sign-in),
 * - 403 → `forbidden` with the "not an administrator" message (and `onAuthError`),
 * - 400 `invalid` → field errors keyed by the contract's dotted paths,
 * - 412 `stale` → the mapping as it is now on the server, for the diff-and-reapply screen,
 * - 409 `mapping-tie` → `tie` with the mappings it would tie with (save again with confirmTie to go ahead),
 * - 428 → `precondition-required`, 404 → `not-found`.
 * Optimistic concurrency: PUT/DELETE send `If-Match: "<version>"`; the ETag of GET/POST/PUT answers is returned.
 * No React here: the module is tested under node with msw.
 */
import { z } from 'zod';
import { LineOfBusiness, PayerMapping, type PayerMappingInput } from '../../../server/contracts/index.js';
import { strings } from './strings.js';

// ---------------------------------------------------------------- response schemas (lenient: unknown keys dropped)

export const MappingFromServer = PayerMapping.strip();
const MappingList = z.object({ mappings: z.array(MappingFromServer) });

export const PolicyInfo = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string().optional(),
  sourceDate: z.string().optional(),
  sources: z.array(z.unknown()).optional(),
  linesOfBusiness: z.array(z.string()).optional(),
});
export type PolicyInfo = z.infer<typeof PolicyInfo>;

export const PreviewResult = z.object({
  winner: MappingFromServer.nullable(),
  matched: z.array(MappingFromServer),
  reasons: z.array(z.object({ mappingId: z.string(), matched: z.boolean(), reason: z.string() })),
  tie: z.array(z.string()).optional(),
  policy: z.object({
    id: z.string(),
    name: z.string().optional(),
    version: z.string().optional(),
    lineOfBusiness: LineOfBusiness.optional(),
  }).optional(),
  /** some servers answer the resolved line of business beside the policy */
  lineOfBusiness: LineOfBusiness.optional(),
  /** what the server read from the Coverage (payer ids, names, plans, types, state) */
  input: z.record(z.string(), z.unknown()).optional(),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const AuditEntry = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  at: z.string().optional(),
  time: z.string().optional(),
  createdAt: z.string().optional(),
  actor: z.string().optional(),
  action: z.string(),
  entityType: z.string().optional(),
  entityId: z.string().optional(),
  target: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const WorklistItem = z.looseObject({
  visitKey: z.string(),
  patientId: z.string().optional(),
  serviceDate: z.string().optional(),
  codes: z.array(z.union([z.string(), z.looseObject({ code: z.string(), modifiers: z.array(z.string()).optional(), units: z.number().optional() })])).optional(),
  createdBy: z.string().optional(),
  status: z.string().optional(),
  createdAt: z.string().optional(),
});
export type WorklistItem = z.infer<typeof WorklistItem>;

export interface ImportRow { id?: string; version?: number; [key: string]: unknown }

/** A mapping a save would tie with, as the server's 409 names it. */
export const TiedMapping = z.looseObject({
  id: z.string().optional(), name: z.string().optional(), label: z.string().optional(), priority: z.number().optional(),
  policyId: z.string().optional(), policyName: z.string().optional(), lineOfBusiness: z.string().optional(),
});
export type TiedMapping = z.infer<typeof TiedMapping>;
const TieDetails = z.object({ ties: z.array(z.union([
  TiedMapping,
  z.object({ rows: z.array(z.number()), mappings: z.array(TiedMapping) }),
])) });

// ---------------------------------------------------------------- results

export type FieldErrors = Record<string, string>;

export type ApiFailure =
  | { ok: false; kind: 'unauthorized'; status: 401; message: string }
  | { ok: false; kind: 'forbidden'; status: 403; message: string }
  | { ok: false; kind: 'invalid'; status: 400; message: string; fieldErrors: FieldErrors; details: { path: string; message: string }[] }
  | { ok: false; kind: 'stale'; status: 412; message: string; current: PayerMapping }
  | { ok: false; kind: 'tie'; status: 409; message: string; ties: TiedMapping[]; rowPairs: { rows: number[]; mappings: TiedMapping[] }[] }
  | { ok: false; kind: 'precondition-required'; status: 428; message: string }
  | { ok: false; kind: 'not-found'; status: 404; message: string }
  | { ok: false; kind: 'error'; status: number; message: string };

export type ApiResult<T> = { ok: true; status: number; data: T; etag?: string } | ApiFailure;

export interface AdminApiOptions {
  /** '' in the browser (same origin); an absolute origin in tests */
  baseUrl?: string;
  /** the id_token of the signed-in administrator, or the pasted ADMIN_TOKEN */
  getToken: () => string | undefined;
  /** who is signed in, for the 403 message */
  getFhirUser?: () => string | undefined;
  /** called on 401/403 so the app can return to sign-in */
  onAuthError?: (failure: Extract<ApiFailure, { kind: 'unauthorized' | 'forbidden' }>) => void;
  fetch?: typeof fetch;
}

/** `"3"` / `W/"3"` → 3 */
export function versionFromEtag(etag: string | null | undefined): number | undefined {
  if (!etag) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  return m ? Number(m[1]) : undefined;
}
export const ifMatch = (version: number) => `"${version}"`;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const Details = z.array(z.object({ path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]), message: z.string() }));

/** Server 400 details → field errors keyed by form path ("match.states.1" → "match.states"; first message wins). */
export function fieldErrorsFromDetails(details: unknown): { fieldErrors: FieldErrors; list: { path: string; message: string }[] } {
  const parsed = Details.safeParse(details);
  const list = parsed.success
    ? parsed.data.map((d) => ({ path: Array.isArray(d.path) ? d.path.join('.') : d.path, message: d.message }))
    : [];
  const fieldErrors: FieldErrors = {};
  for (const d of list) {
    const key = normaliseErrorPath(d.path);
    if (!(key in fieldErrors)) fieldErrors[key] = d.message;
  }
  return { fieldErrors, list };
}

/** Arrays edited as one text field report under the field's path; "(body)" and "" become "form". */
export function normaliseErrorPath(path: string): string {
  const p = path.replace(/^body\./, '');
  if (p === '' || p === '(body)') return 'form';
  return p.replace(/^(match\.(?:coverageType|states))\.\d+$/, '$1');
}

export class AdminApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: AdminApiOptions) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  // ---- mappings
  listMappings() {
    return this.json('GET', '/api/admin/mappings', undefined, (b) => MappingList.parse(b).mappings);
  }
  getMapping(id: string) {
    return this.json('GET', `/api/admin/mappings/${encodeURIComponent(id)}`, undefined, (b) => unwrapMapping(b));
  }
  /** `confirmTie`: the admin saw the tie the server named (409 `tie`) and saves anyway */
  createMapping(input: PayerMappingInput, opts: { confirmTie?: boolean } = {}) {
    return this.json('POST', '/api/admin/mappings', opts.confirmTie ? { ...input, confirmTie: true } : input, (b) => unwrapMapping(b));
  }
  /** `version` is the one the admin edited; a newer one on the server answers `stale` with the current mapping. */
  updateMapping(id: string, version: number, input: PayerMappingInput, opts: { confirmTie?: boolean } = {}) {
    return this.json('PUT', `/api/admin/mappings/${encodeURIComponent(id)}`, opts.confirmTie ? { ...input, confirmTie: true } : input,
      (b) => unwrapMapping(b), { 'If-Match': ifMatch(version) });
  }
  deleteMapping(id: string, version: number) {
    return this.json('DELETE', `/api/admin/mappings/${encodeURIComponent(id)}`, undefined, () => null, { 'If-Match': ifMatch(version) });
  }
  /** a pasted FHIR Coverage, or the coverage described in words (payer, plan, type, state) as `match` */
  preview(body: { coverage: unknown; organizations?: unknown[]; patientState?: string }
    | { match: { payerNames: string[]; planNames: string[]; coverageTypes: string[]; payerIdentifiers: { value: string }[] }; patientState?: string }) {
    return this.json('POST', '/api/admin/mappings/preview', body, (b) => PreviewResult.parse(b));
  }
  exportMappings() {
    return this.json('GET', '/api/admin/mappings/export', undefined, (b) => MappingList.parse(b).mappings);
  }
  importMappings(mappings: ImportRow[], opts: { confirmTie?: boolean } = {}) {
    return this.json('POST', '/api/admin/mappings/import', opts.confirmTie ? { mappings, confirmTie: true } : { mappings }, (b) => {
      const r = z.object({ mappings: z.array(MappingFromServer) }).safeParse(b);
      return r.success ? r.data.mappings : null;
    });
  }

  // ---- audit, policies, worklist
  audit(filter: { action?: string; actor?: string; since?: string; limit?: number }) {
    const q = new URLSearchParams();
    if (filter.action) q.set('action', filter.action);
    if (filter.actor) q.set('actor', filter.actor);
    if (filter.since) q.set('since', filter.since);
    if (filter.limit) q.set('limit', String(filter.limit));
    const qs = q.toString();
    return this.json('GET', `/api/admin/audit${qs ? `?${qs}` : ''}`, undefined, (b) => z.object({ entries: z.array(AuditEntry) }).parse(b).entries);
  }
  policies() {
    return this.json('GET', '/api/policies', undefined, (b) => z.object({ policies: z.array(PolicyInfo) }).parse(b).policies);
  }
  worklist(status?: string) {
    const qs = status ? `?status=${encodeURIComponent(status)}` : '';
    return this.json('GET', `/api/worklist${qs}`, undefined, (b) => z.object({ items: z.array(WorklistItem) }).parse(b).items);
  }
  claim(visitKey: string) {
    return this.json('GET', `/api/worklist/${encodeURIComponent(visitKey)}/claim.json`, undefined, (b) => z.record(z.string(), z.unknown()).parse(b));
  }
  /** one page of the worklist with the total the filter matches */
  worklistPage(filter: { status?: string; limit: number; offset: number }) {
    const q = new URLSearchParams({ limit: String(filter.limit), offset: String(filter.offset) });
    if (filter.status) q.set('status', filter.status);
    return this.json('GET', `/api/worklist?${q}`, undefined, (b) => z.object({ items: z.array(WorklistItem), total: z.number() }).parse(b));
  }
  /** marks exactly the filtered items exported, if the list still holds the count the person confirmed */
  markWorklistExported(status: string | undefined, expectedCount: number) {
    return this.json('POST', '/api/worklist/export', { ...(status ? { status } : {}), expectedCount }, (b) => z.object({ exported: z.number() }).parse(b));
  }
  /** The CSV export as text (a plain link cannot carry the bearer token). */
  worklistCsv(status?: string) {
    const qs = status ? `?status=${encodeURIComponent(status)}` : '';
    return this.request('GET', `/api/worklist/export.csv${qs}`, undefined, async (res) => res.text());
  }

  // ---------------------------------------------------------------- plumbing

  private json<T>(method: string, path: string, body: unknown, parse: (b: unknown) => T, headers: Record<string, string> = {}) {
    return this.request(method, path, body, async (res) => {
      if (res.status === 204) return parse(null);
      const text = await res.text();
      return parse(text ? (JSON.parse(text) as unknown) : null);
    }, headers);
  }

  private async request<T>(method: string, path: string, body: unknown, read: (res: Response) => Promise<T>,
    extraHeaders: Record<string, string> = {}): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json', ...extraHeaders };
    const token = this.opts.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
      });
    } catch {
      return { ok: false, kind: 'error', status: 0, message: strings.network };
    }
    if (res.ok) {
      try {
        const data = await read(res);
        return { ok: true, status: res.status, data, etag: res.headers.get('ETag') ?? undefined };
      } catch {
        return { ok: false, kind: 'error', status: res.status, message: `The server's answer to ${method} ${path} was not understood.` };
      }
    }
    return this.failure(res);
  }

  private async failure(res: Response): Promise<ApiFailure> {
    let err: z.infer<typeof ErrorBody>['error'] | undefined;
    try {
      const parsed = ErrorBody.safeParse(await res.json());
      if (parsed.success) err = parsed.data.error;
    } catch { /* not JSON */ }
    switch (res.status) {
      case 401: {
        const f = { ok: false as const, kind: 'unauthorized' as const, status: 401 as const, message: strings.sessionExpired };
        this.opts.onAuthError?.(f);
        return f;
      }
      case 403: {
        const f = { ok: false as const, kind: 'forbidden' as const, status: 403 as const, message: strings.notAdministrator(this.opts.getFhirUser?.()) };
        this.opts.onAuthError?.(f);
        return f;
      }
      case 400: {
        const { fieldErrors, list } = fieldErrorsFromDetails(err?.details);
        return { ok: false, kind: 'invalid', status: 400, message: err?.message ?? strings.invalid, fieldErrors, details: list };
      }
      case 412: {
        const current = z.object({ current: MappingFromServer }).safeParse(err?.details);
        if (current.success) return { ok: false, kind: 'stale', status: 412, message: strings.stale, current: current.data.current };
        return { ok: false, kind: 'error', status: 412, message: err?.message ?? strings.stale };
      }
      case 409: {
        const d = TieDetails.safeParse(err?.details);
        if (err?.code === 'mapping-tie' && d.success) {
          const single = d.data.ties.filter((t): t is TiedMapping => !('rows' in t));
          const pairs = d.data.ties.filter((t): t is { rows: number[]; mappings: TiedMapping[] } => 'rows' in t && Array.isArray(t.rows));
          return { ok: false, kind: 'tie', status: 409, message: err.message, ties: single, rowPairs: pairs };
        }
        return { ok: false, kind: 'error', status: 409, message: err?.message ?? strings.unexpected(409) };
      }
      case 428:
        return { ok: false, kind: 'precondition-required', status: 428, message: strings.preconditionRequired };
      case 404:
        return { ok: false, kind: 'not-found', status: 404, message: err?.message ?? strings.notFound };
      default:
        return { ok: false, kind: 'error', status: res.status, message: err?.message ?? strings.unexpected(res.status) };
    }
  }
}

/** The server may answer a mapping bare or as { mapping }. */
function unwrapMapping(b: unknown): PayerMapping {
  const wrapped = z.object({ mapping: MappingFromServer }).safeParse(b);
  return wrapped.success ? wrapped.data.mapping : MappingFromServer.parse(b);
}
