/**
 * /api/admin — payer mappings (CRUD with ETag/If-Match, preview, export/import) and the audit log.
 * Admins only (ADMIN_TOKEN or an ADMIN_USERS fhirUser); every mapping change is audited in the same
 * transaction as the change (actor = fhirUser or "admin-token", before/after).
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { EhrProfile } from '../../../launch/profiles';
import { CoverageMatchInput, PayerMappingInput, realDateOrDateTime, safeLine, type PayerMapping } from '../../contracts/index';
import { requireAdmin, sameOriginJsonOnly } from '../../auth/index';
import type { VerifyOptions } from '../../auth/index';
import { coverageMatchInputFromFhir, resolveMapping } from '../../mappings/index';
import type { Store } from '../../store/index';
import { errorHandler, sendError, sendInvalid, zodIssues, type FieldIssue } from '../errors.js';
import { etag, parseIfMatch } from './common';
import { ADMIN_BODY_LIMIT, jsonBody } from '../security.js';

export interface AdminRouterDeps {
  store: Store;
  profiles: EhrProfile[];
  adminToken?: string | undefined;
  adminUsers: string[];
  /** the app's own origin, e.g. https://coder.example.org (state-changing requests from other origins are refused) */
  publicOrigin: string;
  verifyOptions?: VerifyOptions;
}

const mappingId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'ids use letters, digits, ".", "_" and "-" (at most 100)');
/** what a client may send: the input, optionally with id (POST/import) and version (ignored; If-Match rules) */
const MappingBody = PayerMappingInput.extend({ id: mappingId.optional(), version: z.number().int().positive().optional() }).strict();

const PreviewBody = z.object({
  coverage: z.unknown().optional(),
  match: CoverageMatchInput.optional(),
  organizations: z.array(z.unknown()).max(20).optional(),
  patientState: z.string().regex(/^[A-Za-z]{2}$/, 'expected a two-letter US state code').optional(),
}).strict().refine((b) => (b.coverage === undefined) !== (b.match === undefined), {
  message: 'send exactly one of "coverage" (a FHIR Coverage) or "match" (CoverageMatchInput)',
});

const ImportBody = z.object({ mappings: z.array(z.unknown()).max(5000) }).strict();

const AuditQuery = z.object({
  action: safeLine(100).optional(),
  actor: safeLine(500).optional(),
  entityType: safeLine(100).optional(),
  since: realDateOrDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
}).strict();

const actorOf = (req: Request) => req.user?.fhirUser ?? 'unknown';
const single = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v); // duplicate query keys: last wins

export function createAdminRouter(deps: AdminRouterDeps): Router {
  const { store } = deps;
  const router = express.Router();
  const authDeps = { profiles: deps.profiles, adminToken: deps.adminToken, adminUsers: deps.adminUsers,
    ...(deps.verifyOptions ? { verifyOptions: deps.verifyOptions } : {}) };

  router.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); });
  router.use(sameOriginJsonOnly(deps.publicOrigin));
  router.use(requireAdmin(authDeps));
  router.use(jsonBody(ADMIN_BODY_LIMIT));

  router.get('/mappings', async (_req, res) => {
    res.json({ mappings: await store.mappings.list() });
  });

  router.get('/mappings/export', async (_req, res) => {
    const mappings = await store.mappings.list();
    const day = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Disposition', `attachment; filename="payer-mappings-${day}.json"`);
    res.type('application/json').send(JSON.stringify({ mappings }, null, 2));
  });

  router.get('/mappings/:id', async (req, res) => {
    const m = await store.mappings.get(req.params.id);
    if (!m) return sendError(res, 404, 'not-found', `mapping ${req.params.id} not found`);
    res.setHeader('ETag', etag(m.version));
    res.json(m);
  });

  router.post('/mappings', async (req, res) => {
    const parsed = MappingBody.safeParse(req.body);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const { id, version: _ignored, ...input } = parsed.data;
    const created = await store.transaction(async (tx) => {
      const m = await tx.mappings.create(input, id);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.create', entityType: 'PayerMapping', entityId: m.id, after: m });
      return m;
    });
    res.status(201).setHeader('ETag', etag(created.version));
    res.setHeader('Location', `${req.baseUrl}/mappings/${encodeURIComponent(created.id)}`);
    res.json(created);
  });

  router.post('/mappings/preview', async (req, res) => {
    const parsed = PreviewBody.safeParse(req.body);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const b = parsed.data;
    const match = b.match ?? coverageMatchInputFromFhir(b.coverage, b.organizations ?? [], b.patientState);
    if (b.match && b.patientState && !match.patientState) match.patientState = b.patientState.toUpperCase();
    const resolution = resolveMapping(await store.mappings.list(), match);
    res.json({
      ...resolution,
      policy: resolution.winner
        ? { id: resolution.winner.policyId, lineOfBusiness: resolution.winner.lineOfBusiness }
        : { id: 'cpt-default', lineOfBusiness: 'unknown' },
      /** what was read from the Coverage, so the admin sees why */
      input: match,
    });
  });

  router.post('/mappings/import', async (req, res) => {
    const body = ImportBody.safeParse(req.body);
    if (!body.success) return sendInvalid(res, zodIssues(body.error));
    const rows: (PayerMappingInput & { id?: string })[] = [];
    const issues: FieldIssue[] = [];
    const seen = new Map<string, number>();
    body.data.mappings.forEach((raw, i) => {
      const r = MappingBody.safeParse(raw);
      const idShown = typeof (raw as { id?: unknown })?.id === 'string' ? ` (id ${(raw as { id: string }).id})` : '';
      if (!r.success) {
        for (const is of zodIssues(r.error, ['mappings', i])) issues.push({ ...is, message: `row ${i + 1}${idShown}: ${is.message}` });
        return;
      }
      const { version: _v, ...row } = r.data;
      if (row.id !== undefined) {
        const first = seen.get(row.id);
        if (first !== undefined) {
          issues.push({ path: `mappings.${i}.id`, message: `row ${i + 1}: id ${row.id} repeats row ${first + 1}` });
          return;
        }
        seen.set(row.id, i);
      }
      rows.push(row);
    });
    if (issues.length) return sendInvalid(res, issues, 'nothing was imported');
    const result = await store.transaction(async (tx) => {
      const before = await tx.mappings.list();
      const after = await tx.mappings.replaceAll(rows);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.import', entityType: 'PayerMapping',
        entityId: `${after.length} mappings`, before, after });
      return after;
    });
    res.json({ mappings: result });
  });

  router.put('/mappings/:id', async (req, res) => {
    const expected = parseIfMatch(req.get('If-Match'));
    if (expected === 'missing') return sendError(res, 428, 'precondition-required', 'send If-Match with the ETag you read, so concurrent edits are not lost');
    if (expected === 'invalid') return sendError(res, 400, 'invalid', 'If-Match must be the ETag of the mapping, e.g. "3"');
    const parsed = MappingBody.safeParse(req.body);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const { id, version: _ignored, ...input } = parsed.data;
    if (id !== undefined && id !== req.params.id) {
      return sendInvalid(res, [{ path: 'id', message: `the body's id ${id} is not ${req.params.id}` }]);
    }
    const updated = await store.transaction(async (tx) => {
      const before = await tx.mappings.get(req.params.id);
      const m = await tx.mappings.update(req.params.id, input, expected);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.update', entityType: 'PayerMapping', entityId: m.id, before, after: m });
      return m;
    });
    res.setHeader('ETag', etag(updated.version));
    res.json(updated);
  });

  router.delete('/mappings/:id', async (req, res) => {
    const expected = parseIfMatch(req.get('If-Match'));
    if (expected === 'missing') return sendError(res, 428, 'precondition-required', 'send If-Match with the ETag you read, so concurrent edits are not lost');
    if (expected === 'invalid') return sendError(res, 400, 'invalid', 'If-Match must be the ETag of the mapping, e.g. "3"');
    await store.transaction(async (tx) => {
      const gone: PayerMapping = await tx.mappings.delete(req.params.id, expected);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.delete', entityType: 'PayerMapping', entityId: gone.id, before: gone });
    });
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    const q = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, single(v)]));
    const parsed = AuditQuery.safeParse(q);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const { action, actor, entityType, since, limit } = parsed.data;
    res.json({ entries: await store.audit.list({
      limit,
      ...(action ? { action } : {}), ...(actor ? { actor } : {}), ...(entityType ? { entityType } : {}),
      ...(since ? { since } : {}),
    }) });
  });

  router.use((_req, res) => sendError(res, 404, 'not-found', 'no such admin route'));
  router.use(errorHandler());
  return router;
}
