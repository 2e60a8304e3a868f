/**
 * The shared FHIR request pipeline for every vendor mode:
 *   bearer token → route → vendor-mode rules → scopes → patient compartment → validation → Medplum → response.
 * Errors are always OperationOutcome JSON with a 4xx status for bad input.
 *
 * The patient compartment (a token whose access rests on patient/ scopes only) is enforced on every interaction:
 * read and vread (another patient's resource answers 404, as a missing one does), search (a patient filter is
 * always added; reference modifiers such as `:not`/`:missing`, reverse chaining `_has` and foreign patient values
 * are refused; included resources outside the compartment are dropped), create and update (the resource must be
 * the patient's; no update-as-create; shared resources outside the compartment, such as the payer Organization,
 * cannot be written), conditional create (`If-None-Exist`/`ifNoneExist` is evaluated inside the compartment),
 * batch/transaction entries (the same rules per entry) and delete. Binary is the patient's only through a
 * `securityContext` in the compartment or, without one, when one of the patient's documents points at it. Narrative (`text.div`) is checked on every write (narrative.ts).
 */
import {
  getSearchParameter, getStatus, isResourceType, matchesSearchRequest, normalizeOperationOutcome,
  Operator, validateResource,
} from '@medplum/core';
import type { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, DiagnosticReport, DocumentReference, OperationOutcome, Resource } from '@medplum/fhirtypes';
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { FhirBase, SandboxUrls } from './bases.js';
import { capabilityStatement } from './capability.js';
import { openidConfiguration, smartConfiguration } from './oauth.js';
import { resourceNarrativeProblem } from './narrative.js';
import { checkAccess, type Permission } from './scopes.js';
import { directPatientParam, patientFilter } from './patientParam.js';
import type { AuthState, Grant } from './state.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export class FhirError extends Error {
  constructor(readonly status: number, message: string, readonly code: string = 'invalid', readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'invalid', details: { text } }] };
}

/** Types in the patient compartment (they carry a `patient` search parameter), plus Patient itself. */
export function isCompartmentType(type: string): boolean {
  return type === 'Patient' || getSearchParameter(type, 'patient') !== undefined;
}

/** Does the resource belong to the patient's compartment? (Types outside the compartment: always true.) */
export function inCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  if (!isCompartmentType(resource.resourceType)) return true;
  return matchesSearchRequest(resource, {
    resourceType: resource.resourceType,
    filters: [patientFilter(resource.resourceType, patientId)],
  });
}

/** Search parameters through which a search names the patient (their values must be the patient in context). */
const PATIENT_PARAMS = new Set(['patient', 'subject', 'beneficiary']);
/** Search-result controls a patient-scoped token may use (everything else starting with `_` is refused). */
const ALLOWED_CONTROLS = new Set(['_id', '_count', '_offset', '_sort', '_total', '_summary', '_elements', '_include', '_revinclude', '_lastUpdated', '_format', '_pretty', '_tag', '_profile', '_security', '_source']);

interface Ctx {
  base: FhirBase;
  grant: Grant;
  repo: MemoryRepository;
  fhir: FhirRouter;
}

interface Result {
  status: number;
  body: Resource;
  headers?: Record<string, string>;
}

function requireAccess(ctx: Ctx, type: string, permission: Permission): { patientOnly: boolean } {
  const d = checkAccess(ctx.grant.scopes, type, permission);
  if (!d.allowed) {
    const what = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[permission];
    throw new FhirError(403, `The access token does not grant ${what} on ${type} (scopes: ${ctx.grant.scopes.join(' ') || 'none'})`, 'forbidden');
  }
  if (d.patientOnly && !ctx.grant.patientId) throw new FhirError(403, 'patient/ scopes without a patient in context', 'forbidden');
  return { patientOnly: d.patientOnly };
}

async function medplum(ctx: Ctx, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; resource?: Resource; outcome: OperationOutcome }> {
  const [oo, resource] = await ctx.fhir.handleRequest({ method, url, pathname: '', body, params: {}, query: {}, headers }, ctx.repo);
  return { status: getStatus(oo), resource, outcome: oo };
}

/** Does one of the patient's documents (DocumentReference content, DiagnosticReport presentedForm) point at this Binary? */
async function attachedToPatient(ctx: Ctx, binaryId: string, patientId: string): Promise<boolean> {
  const pointsHere = (url: string | undefined) => !!url && (url === `Binary/${binaryId}` || url.endsWith(`/Binary/${binaryId}`));
  const docs = await ctx.repo.searchResources<DocumentReference>({ resourceType: 'DocumentReference', filters: [patientFilter('DocumentReference', patientId)], count: 1000 });
  if (docs.some((d) => (d.content ?? []).some((c) => pointsHere(c.attachment?.url)))) return true;
  const reports = await ctx.repo.searchResources<DiagnosticReport>({ resourceType: 'DiagnosticReport', filters: [patientFilter('DiagnosticReport', patientId)], count: 1000 });
  return reports.some((r) => (r.presentedForm ?? []).some((a) => pointsHere(a.url)));
}

/**
 * Is a resource visible to a patient-scoped token of `patientId`? Binary (outside the compartment by type): through
 * its securityContext when it has one, otherwise only when one of the patient's documents points at it.
 */
async function visibleToPatient(ctx: Ctx, resource: Resource, patientId: string): Promise<boolean> {
  if (resource.resourceType === 'Binary') {
    const ref = resource.securityContext?.reference;
    if (ref === undefined) return !!resource.id && attachedToPatient(ctx, resource.id, patientId);
    const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,128})$/.exec(ref);
    if (!m || m[1] === 'Binary' || !isCompartmentType(m[1]!)) return false;
    const target = await ctx.repo.readResource(m[1]!, m[2]!).catch(() => undefined);
    return !!target && inCompartment(target, patientId);
  }
  return inCompartment(resource, patientId);
}

const notFound = (type: string, id: string) => new FhirError(404, `${type}/${id} is not found in the patient's record`, 'not-found');

function fail(r: { status: number; outcome: OperationOutcome }): never {
  const text = r.outcome.issue?.[0]?.details?.text ?? 'Request failed';
  throw new FhirError(r.status, text, r.outcome.issue?.[0]?.code ?? 'invalid');
}

function withMeta(ctx: Ctx, status: number, resource: Resource): Result {
  const headers: Record<string, string> = {};
  const vid = resource.meta?.versionId;
  if (vid) headers.ETag = `W/"${vid}"`;
  if (status === 201 && resource.id) headers.Location = `${ctx.base.url}/${resource.resourceType}/${resource.id}/_history/${vid ?? '1'}`;
  return { status, body: resource, headers };
}

/** Validation and vendor rules for a resource about to be written (create or update). */
async function prepareWrite(ctx: Ctx, type: string, body: unknown, interaction: 'create' | 'update', id?: string): Promise<Resource> {
  const { mode } = ctx.base;
  if (mode.writableTypes && !mode.writableTypes.has(type)) {
    const r = mode.refuseWrite(type);
    throw new FhirError(r.status, r.message, r.status === 405 ? 'not-supported' : 'forbidden');
  }
  const { patientOnly } = requireAccess(ctx, type, interaction === 'create' ? 'c' : 'u');
  if (patientOnly && !isCompartmentType(type)) {
    // shared records (the payer Organization, Practitioners, Locations …) are not the patient's to write
    throw new FhirError(403, `A patient-scoped token may not write ${type}: it is shared by every patient's record`, 'forbidden');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new FhirError(400, 'The body must be a FHIR resource (JSON object)');
  const resource = structuredClone(body) as Resource;
  if (resource.resourceType !== type) throw new FhirError(400, `Expected a ${type}, got ${String(resource.resourceType)}`);
  if (interaction === 'update' && resource.id !== id) throw new FhirError(400, 'The resource id must match the URL');
  if (interaction === 'create') delete (resource as { id?: string }).id; // the server assigns ids
  try {
    validateResource(resource);
  } catch (err) {
    throw Object.assign(new FhirError(400, 'Invalid resource'), { outcome: normalizeOperationOutcome(err) });
  }
  const narrative = resourceNarrativeProblem(resource);
  if (narrative) {
    throw Object.assign(new FhirError(400, narrative.problem), {
      outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: narrative.problem }, expression: [narrative.path] }] },
    });
  }
  if (interaction === 'update' && patientOnly) {
    // no update-as-create, and another patient's resource is as absent as a missing one
    const existing = await ctx.repo.readResource(type, id!).catch(() => undefined);
    if (!existing || !(await visibleToPatient(ctx, existing, ctx.grant.patientId!))) throw notFound(type, id!);
  }
  if (patientOnly && !(await visibleToPatient(ctx, resource, ctx.grant.patientId!))) {
    throw new FhirError(403, `A patient-scoped token may only write resources of its own patient (Patient/${ctx.grant.patientId})`, 'forbidden');
  }
  const userRef = `Practitioner/${ctx.grant.userId}`;
  const decision = await mode.checkWrite({ interaction, resource, userRef, patientId: ctx.grant.patientId, repo: ctx.repo });
  if (!decision.ok) throw Object.assign(new FhirError(decision.status, decision.outcome.issue?.[0]?.details?.text ?? 'Refused'), { outcome: decision.outcome });
  return decision.resource;
}

async function read(ctx: Ctx, type: string, id: string, vid?: string): Promise<Result> {
  const { patientOnly } = requireAccess(ctx, type, 'r');
  const r = await medplum(ctx, 'GET', vid ? `${type}/${id}/_history/${vid}` : `${type}/${id}`);
  if (patientOnly && (!r.resource || r.status >= 400)) throw notFound(type, id);
  if (!r.resource || r.status >= 400) fail(r);
  if (patientOnly && !(await visibleToPatient(ctx, r.resource, ctx.grant.patientId!))) throw notFound(type, id);
  return withMeta(ctx, 200, r.resource);
}

function refValue(v: string): string {
  const m = /(?:^|\/)Patient\/([^/|]+)$/.exec(v);
  return m ? m[1]! : v;
}

/**
 * The same search, with the patient filters first and in their direct form (`patient=pt-1` → `subject=Patient/pt-1`):
 * Medplum checks filters in order and stops at the first that fails, so the cheap, narrow filter goes first.
 */
function patientFiltersFirst(type: string, q: URLSearchParams): URLSearchParams {
  const direct = directPatientParam(type);
  const first: [string, string][] = [];
  const rest: [string, string][] = [];
  for (const [k, v] of q) {
    if ((k === 'patient' || k === 'patient:Patient') && direct) {
      first.push([direct, v.split(',').map((x) => (x.includes('/') ? x : `Patient/${x}`)).join(',')]);
    } else if (k === 'patient' || k === 'patient:Patient' || (type === 'Patient' && k === '_id')) first.push([k, v]);
    else rest.push([k, v]);
  }
  return new URLSearchParams([...first, ...rest]);
}

async function search(ctx: Ctx, type: string, query: URLSearchParams): Promise<Result> {
  const { patientOnly } = requireAccess(ctx, type, 's');
  const q = new URLSearchParams(query);
  const pid = ctx.grant.patientId;
  if (patientOnly && pid) {
    if (type === 'Binary') throw new FhirError(403, 'A patient-scoped token reads a Binary by id (through its securityContext); it cannot search them', 'forbidden');
    const refuse = (why: string) => { throw new FhirError(403, `A patient-scoped token may only search data of Patient/${pid}: ${why}`, 'forbidden'); };
    for (const [k, v] of q) {
      const [name = '', ...mods] = k.split(':');
      if (name.startsWith('_') && !ALLOWED_CONTROLS.has(name)) refuse(`${name} is not available to patient-scoped tokens`);
      const base = name.split('.')[0]!;
      const chained = name.includes('.');
      if (PATIENT_PARAMS.has(base) || (type === 'Patient' && name === '_id')) {
        // only the plain parameter (or the :Patient type modifier) naming this patient; a chain (subject.name=…) narrows further
        if (mods.length > 1 || (mods.length === 1 && mods[0] !== 'Patient')) refuse(`the modifier :${mods.join(':')} on ${name}`);
        if (!chained && v.split(',').some((x) => refValue(x) !== pid)) refuse(`${name}=${v}`);
      }
    }
    // always filter by the patient, whatever else the query says
    if (type === 'Patient') q.append('_id', pid);
    else if (isCompartmentType(type)) q.append('patient', `Patient/${pid}`);
  }
  // Epic and Oracle take a bare id for an encounter reference (DocumentReference?encounter=<id>); Medplum matches a
  // bare id only when the parameter has one target type (DocumentReference.encounter has two), so add the type.
  const encounters = q.getAll('encounter');
  if (encounters.some((v) => v && !v.includes('/'))) {
    q.delete('encounter');
    for (const v of encounters) q.append('encounter', v.split(',').map((x) => (x.includes('/') ? x : `Encounter/${x}`)).join(','));
  }
  const qs = q.toString();
  const narrowed = patientFiltersFirst(type, q).toString();
  const r = await medplum(ctx, 'GET', narrowed ? `${type}?${narrowed}` : type);
  if (!r.resource || r.status >= 400) fail(r);
  const bundle = r.resource as Bundle;
  // Included resources are shown only when the token may read them (and, for patient tokens, when they are the patient's).
  const kept: BundleEntry[] = [];
  for (const e of bundle.entry ?? []) {
    const res = e.resource;
    if (!res) continue;
    const access = checkAccess(ctx.grant.scopes, res.resourceType, e.search?.mode === 'include' ? 'r' : 's');
    if (!access.allowed && e.search?.mode === 'include') continue;
    if ((patientOnly || access.patientOnly) && pid && !(await visibleToPatient(ctx, res, pid))) continue;
    kept.push(e);
  }
  const entries = kept.map((e) => ({ ...e, fullUrl: `${ctx.base.url}/${e.resource!.resourceType}/${e.resource!.id}` }));
  const count = Number(q.get('_count') ?? NaN);
  const offset = Number(q.get('_offset') ?? 0) || 0;
  const link: Bundle['link'] = [{ relation: 'self', url: `${ctx.base.url}/${type}${qs ? `?${qs}` : ''}` }];
  if (Number.isFinite(count) && count > 0 && bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URLSearchParams(q);
    next.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: `${ctx.base.url}/${type}?${next.toString()}` });
  }
  // Vendor warnings as search.mode "outcome" entries (Epic mode: modes/epic.ts searchOutcomes).
  const outcomes = (ctx.base.mode.searchOutcomes?.({ resourceType: type, query: q, matches: entries.length }) ?? [])
    .map((o): BundleEntry => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: o, search: { mode: 'outcome' } }));
  const all = [...entries, ...outcomes];
  return { status: 200, body: { resourceType: 'Bundle', type: 'searchset', total: bundle.total, link, ...(all.length ? { entry: all } : {}) } };
}

/**
 * The conditional-create query as the server evaluates it: for a patient-scoped token, inside the patient's
 * compartment (so `_id=<another patient's resource>` matches nothing), with the same refusals as a search.
 */
function conditionalQuery(ctx: Ctx, type: string, ifNoneExist: string): string {
  const q = new URLSearchParams(ifNoneExist.replace(/^\?/, ''));
  const { patientOnly } = checkAccess(ctx.grant.scopes, type, 'c');
  const pid = ctx.grant.patientId;
  if (!patientOnly || !pid) return q.toString();
  for (const [k] of q) {
    const name = k.split(':')[0]!;
    if (name.startsWith('_') && name !== '_id' && name !== '_tag' && name !== '_profile') {
      throw new FhirError(403, `If-None-Exist may not use ${name} with a patient-scoped token`, 'forbidden');
    }
  }
  if (type === 'Patient') q.append('_id', pid);
  else q.append('patient', `Patient/${pid}`);
  return q.toString();
}

async function create(ctx: Ctx, type: string, body: unknown, ifNoneExist: string | undefined): Promise<Result> {
  const resource = await prepareWrite(ctx, type, body, 'create');
  const headers: Record<string, string> = {};
  // Vendors without conditional create ignore the header (a replay makes a duplicate there).
  if (ifNoneExist && ctx.base.mode.conditionalCreate) headers['if-none-exist'] = conditionalQuery(ctx, type, ifNoneExist);
  const r = await medplum(ctx, 'POST', type, resource, headers);
  if (!r.resource || r.status >= 400) fail(r);
  if (ctx.grant.patientId && checkAccess(ctx.grant.scopes, type, 'c').patientOnly && !inCompartment(r.resource, ctx.grant.patientId)) {
    throw new FhirError(412, 'If-None-Exist matched a resource of another patient', 'conflict');
  }
  return withMeta(ctx, r.status === 201 ? 201 : 200, r.resource);
}

async function update(ctx: Ctx, type: string, id: string, body: unknown, ifMatch: string | undefined): Promise<Result> {
  const resource = await prepareWrite(ctx, type, body, 'update', id);
  const existed = await ctx.repo.readResource(type, id).then(() => true, () => false);
  const r = await medplum(ctx, 'PUT', `${type}/${id}`, resource, ifMatch ? { 'if-match': ifMatch } : {});
  if (!r.resource || r.status >= 400) fail(r);
  return withMeta(ctx, existed ? 200 : 201, r.resource);
}

async function remove(ctx: Ctx, type: string, id: string): Promise<Result> {
  if (ctx.base.mode.id !== 'generic') throw new FhirError(405, `Delete is not supported in ${ctx.base.mode.label}`, 'not-supported');
  const { patientOnly } = requireAccess(ctx, type, 'd');
  const existing = await ctx.repo.readResource(type, id).catch(() => undefined);
  if (!existing) throw new FhirError(404, `${type}/${id} not found`, 'not-found');
  if (patientOnly && !isCompartmentType(type)) throw new FhirError(403, `A patient-scoped token may not delete ${type}: it is shared by every patient's record`, 'forbidden');
  if (patientOnly && !(await visibleToPatient(ctx, existing, ctx.grant.patientId!))) throw notFound(type, id);
  const r = await medplum(ctx, 'DELETE', `${type}/${id}`);
  if (r.status >= 400) fail(r);
  return { status: 200, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text: 'Deleted' } }] } };
}

async function bundle(ctx: Ctx, body: unknown): Promise<Result> {
  if (!ctx.base.mode.transactions) throw new FhirError(405, `Batch and transaction Bundles are not supported in ${ctx.base.mode.label}`, 'not-supported');
  const b = body as Bundle | undefined;
  if (!b || b.resourceType !== 'Bundle' || (b.type !== 'transaction' && b.type !== 'batch')) {
    throw new FhirError(400, 'POST to the base URL takes a Bundle of type transaction or batch');
  }
  const entries: BundleEntry[] = [];
  for (const [i, e] of (b.entry ?? []).entries()) {
    const method = e.request?.method;
    const [path = '', qs] = (e.request?.url ?? '').split('?');
    const [type = '', id] = path.split('/').filter(Boolean);
    if (!method || !isResourceType(type) || (id !== undefined && !ID.test(id))) throw new FhirError(400, `Bundle.entry[${i}].request is missing or invalid`);
    if (path.split('/').filter(Boolean).length > 2) throw new FhirError(400, `Bundle.entry[${i}]: ${e.request?.url ?? ''} is not supported in a Bundle here`);
    if (method === 'GET') {
      const { patientOnly } = requireAccess(ctx, type, id ? 'r' : 's');
      if (patientOnly) throw new FhirError(403, `Bundle.entry[${i}]: patient-scoped tokens cannot read inside a batch; use a search`, 'forbidden');
      entries.push(e);
    } else if (method === 'POST') {
      if (id !== undefined || qs !== undefined) throw new FhirError(400, `Bundle.entry[${i}]: POST takes a resource type URL`);
      const resource = await prepareWrite(ctx, type, e.resource, 'create');
      const cond = e.request?.ifNoneExist;
      // conditional create inside a Bundle: evaluated in the compartment (or dropped where the vendor has none)
      const ifNoneExist = cond && ctx.base.mode.conditionalCreate ? conditionalQuery(ctx, type, cond) : undefined;
      entries.push({ ...e, resource, request: { method: 'POST', url: type, ...(ifNoneExist ? { ifNoneExist } : {}) } });
    } else if (method === 'PUT' && id && !qs) {
      entries.push({ ...e, resource: await prepareWrite(ctx, type, e.resource, 'update', id), request: { method: 'PUT', url: `${type}/${id}` } });
    } else {
      throw new FhirError(400, `Bundle.entry[${i}]: ${method} ${e.request?.url ?? ''} is not supported in a Bundle here`);
    }
  }
  const r = await medplum(ctx, 'POST', '', { ...b, entry: entries });
  if (!r.resource || r.status >= 400) fail(r);
  return { status: 200, body: r.resource };
}

async function dispatch(ctx: Ctx, req: Request): Promise<Result> {
  let segments: string[];
  try {
    segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new FhirError(400, 'Malformed URL');
  }
  const qIndex = req.originalUrl.indexOf('?');
  const query = new URLSearchParams(qIndex >= 0 ? req.originalUrl.slice(qIndex + 1) : '');
  const [type, id, history, vid] = segments;
  if (!type) {
    if (req.method === 'POST') return bundle(ctx, req.body);
    throw new FhirError(405, 'System-level search is not supported; search a resource type', 'not-supported');
  }
  if (!isResourceType(type)) throw new FhirError(404, `Unknown resource type: ${type}`, 'not-found');
  if (id !== undefined && !ID.test(id)) throw new FhirError(400, 'Invalid resource id');
  const header = (name: string) => req.get(name) ?? undefined;
  if (segments.length === 1 && req.method === 'GET') return search(ctx, type, query);
  if (segments.length === 1 && req.method === 'POST') return create(ctx, type, req.body, header('if-none-exist'));
  if (segments.length === 2 && req.method === 'GET') return read(ctx, type, id!);
  if (segments.length === 2 && req.method === 'PUT') return update(ctx, type, id!, req.body, header('if-match'));
  if (segments.length === 2 && req.method === 'DELETE') return remove(ctx, type, id!);
  if (segments.length === 4 && history === '_history' && req.method === 'GET' && vid && ID.test(vid)) return read(ctx, type, id!, vid);
  throw new FhirError(405, `${req.method} ${segments.join('/')} is not supported by the sandbox`, 'not-supported');
}

function sendFhir(res: Response, status: number, body: Resource, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type('application/fhir+json').send(JSON.stringify(body));
}

function sendError(res: Response, err: unknown): void {
  if (err instanceof FhirError) {
    const oo = (err as FhirError & { outcome?: OperationOutcome }).outcome ?? outcome(err.code, err.message);
    sendFhir(res, err.status, oo, err.headers);
    return;
  }
  const oo = normalizeOperationOutcome(err);
  const status = getStatus(oo);
  if (status >= 500) sendFhir(res, 500, outcome('exception', 'Internal error in the sandbox FHIR server'));
  else sendFhir(res, status, oo);
}

export interface FhirEndpointDeps {
  urls: SandboxUrls;
  state: AuthState;
  repo: MemoryRepository;
  fhir: FhirRouter;
  /** the FHIR base this request addresses (undefined: no such base, e.g. a malformed Oracle tenant) */
  baseOf(req: Request): FhirBase | undefined;
}

/** An express router serving one FHIR base (mount it at the base path; use mergeParams for the tenant). */
export function createFhirEndpoint(deps: FhirEndpointDeps): express.Router {
  const { urls, state } = deps;
  const router = express.Router({ mergeParams: true });
  router.use((req, res, next) => {
    if (!deps.baseOf(req)) return sendError(res, new FhirError(404, 'Unknown FHIR base (tenant must be a UUID)', 'not-found'));
    next();
  });
  router.use(express.json({ type: ['application/json', 'application/fhir+json', 'application/json-patch+json'], limit: '5mb' }));
  router.get('/metadata', (req, res) => sendFhir(res, 200, capabilityStatement(urls, deps.baseOf(req)!)));
  router.get('/.well-known/smart-configuration', (req, res) => { res.json(smartConfiguration(urls, deps.baseOf(req)!)); });
  router.get('/.well-known/openid-configuration', (req, res) => { res.json(openidConfiguration(urls, deps.baseOf(req)!)); });
  router.use(async (req, res) => {
    const base = deps.baseOf(req)!;
    try {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!m) throw new FhirError(401, 'An access token is required (Authorization: Bearer …)', 'login', { 'WWW-Authenticate': `Bearer realm="${base.url}"` });
      const grant = state.activeAccess(m[1]!)?.grant;
      if (!grant || grant.base !== base.url) {
        throw new FhirError(401, 'The access token is invalid, expired, or was issued for another FHIR server', 'login', {
          'WWW-Authenticate': `Bearer realm="${base.url}", error="invalid_token"`,
        });
      }
      const result = await dispatch({ base, grant, repo: deps.repo, fhir: deps.fhir }, req);
      sendFhir(res, result.status, result.body, result.headers);
    } catch (err) {
      sendError(res, err);
    }
  });
  // Body parser errors (malformed JSON, too large) → OperationOutcome.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) sendFhir(res, status, outcome('invalid', status === 413 ? 'Body too large' : 'Malformed JSON body'));
    else sendError(res, err);
  });
  return router;
}
