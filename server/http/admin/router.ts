/**
 * /api/admin — payer mappings (CRUD with ETag/If-Match, preview, export/import) and the audit log.
 * Admins only (ADMIN_TOKEN or an ADMIN_USERS fhirUser); every mapping change is audited in the same
 * transaction as the change (actor = fhirUser or "admin-token", before/after).
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { EhrProfile } from '../../../launch/profiles';
import { CoverageMatchInput, PayerMappingInput, realDateOrDateTime, safeLine, type PayerMapping } from '../../contracts/index';
import { issueInWords, rowLabel } from '../../contracts/mappingIssues';
import { lineOfBusinessLabel, mappingLabel, mappingsTie, tiesWith } from '../../contracts/mappingTies';
import { requireAdmin, sameOriginJsonOnly } from '../../auth/index';
import type { VerifyOptions } from '../../auth/index';
import { coverageMatchInputFromFhir, resolveMapping } from '../../mappings/index';
import { POLICY_MODULES } from '../../policy/index';
import type { Store } from '../../store/index';
import { errorHandler, HttpError, sendError, sendInvalid, zodIssues, type FieldIssue } from '../errors.js';
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
const MappingBody = PayerMappingInput.extend({
  id: mappingId.optional(), version: z.number().int().positive().optional(),
  /** save even though the mapping ties with another (same priority, different result, may match one Coverage) */
  confirmTie: z.boolean().optional(),
}).strict();
/** an import row: as exported (id, version) — a confirmation belongs to the whole import, not to a row */
const ImportRowBody = MappingBody.omit({ confirmTie: true }).strict();

/** zod issues of one mapping → field paths (for the form) with messages in words */
const issuesInWords = (error: z.ZodError, raw: unknown, prefix: (string | number)[] = [], lead = ''): FieldIssue[] =>
  error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: `${lead}${issueInWords(i, raw)}` }));
const sendMappingInvalid = (res: Parameters<typeof sendError>[0], issues: FieldIssue[], lead: string) =>
  sendError(res, 400, 'invalid', `${lead}: ${issues.slice(0, 5).map((i) => i.message).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, issues);

const policyName = (id: string) => POLICY_MODULES.find((p) => p.id === id)?.name ?? id;
/** what a 409 names about each conflicting mapping */
const tieInfo = (m: PayerMappingInput & { id?: string }) => ({
  ...(m.id ? { id: m.id } : {}), ...(m.name ? { name: m.name } : {}), label: mappingLabel(m), priority: m.priority,
  policyId: m.policyId, policyName: policyName(m.policyId), lineOfBusiness: m.lineOfBusiness,
});
const describeForTie = (m: PayerMappingInput & { id?: string }) =>
  `'${mappingLabel(m)}' (${policyName(m.policyId)}, ${lineOfBusinessLabel(m.lineOfBusiness)})`;

const PreviewBody = z.object({
  coverage: z.unknown().optional(),
  match: CoverageMatchInput.optional(),
  organizations: z.array(z.unknown()).max(20).optional(),
  patientState: z.string().regex(/^[A-Za-z]{2}$/, 'expected a two-letter US state code').optional(),
}).strict().refine((b) => (b.coverage === undefined) !== (b.match === undefined), {
  message: 'send exactly one of "coverage" (a FHIR Coverage) or "match" (CoverageMatchInput)',
});

const ImportBody = z.object({ mappings: z.array(z.unknown()).max(5000), confirmTie: z.boolean().optional() }).strict();

const AuditQuery = z.object({
  action: safeLine(100).optional(),
  actor: safeLine(500).optional(),
  entityType: safeLine(100).optional(),
  since: realDateOrDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
}).strict();

/** 409: the mapping would tie; names the mappings it ties with and how to go on */
function tieRefusal(candidate: PayerMappingInput & { id?: string }, ties: PayerMapping[]): HttpError {
  const shown = ties.map(describeForTie).join(', ');
  return new HttpError(409, 'mapping-tie',
    `${describeForTie(candidate)} would tie with ${shown} at priority ${candidate.priority}: they may match the same coverage and send it `
    + 'to a different policy, line of business or options. A tied visit gets CPT-only rules until an administrator chooses. '
    + 'Give one of them another priority or narrower conditions, or send confirmTie: true to save it anyway.',
    { ties: ties.map(tieInfo) });
}

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
    if (!parsed.success) return sendMappingInvalid(res, issuesInWords(parsed.error, req.body), 'The mapping was not saved');
    const { id, version: _ignored, confirmTie, ...input } = parsed.data;
    const created = await store.transaction(async (tx) => {
      const ties = tiesWith({ ...input, ...(id ? { id } : {}) }, await tx.mappings.list());
      if (ties.length && !confirmTie) throw tieRefusal({ ...input, ...(id ? { id } : {}) }, ties);
      const m = await tx.mappings.create(input, id);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.create', entityType: 'PayerMapping', entityId: m.id,
        after: ties.length ? { ...m, confirmedTieWith: ties.map((t) => t.id) } : m });
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
    const resolution = resolveMapping(await store.mappings.list(), match,
      { describeResult: (m) => `${policyName(m.policyId)}, ${lineOfBusinessLabel(m.lineOfBusiness)}` });
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
      const r = ImportRowBody.safeParse(raw);
      const label = rowLabel(i, raw);
      if (!r.success) {
        issues.push(...issuesInWords(r.error, raw, ['mappings', i], `${label}: `));
        return;
      }
      const { version: _v, ...row } = r.data;
      if (row.id !== undefined) {
        const first = seen.get(row.id);
        if (first !== undefined) {
          issues.push({ path: `mappings.${i}.id`, message: `${label}: id '${row.id}' is already used by ${rowLabel(first, body.data.mappings[first])}` });
          return;
        }
        seen.set(row.id, i);
      }
      rows.push(row);
    });
    if (issues.length) return sendMappingInvalid(res, issues, 'Nothing was imported');
    // the file replaces every mapping: ties among its own rows need the same confirmation as a single save
    const pairs: { a: number; b: number }[] = [];
    for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) if (mappingsTie(rows[i]!, rows[j]!)) pairs.push({ a: i, b: j });
    if (pairs.length && !body.data.confirmTie) {
      const name = (i: number) => `${rowLabel(i, rows[i])} ${describeForTie(rows[i]!).replace(/^'[^']*' /, '')}`;
      return sendError(res, 409, 'mapping-tie',
        `Nothing was imported: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} of mappings in the file would tie (same priority, different result, may match the same coverage): `
        + `${pairs.slice(0, 5).map((p) => `${name(p.a)} and ${name(p.b)} at priority ${rows[p.a]!.priority}`).join('; ')}${pairs.length > 5 ? ` (and ${pairs.length - 5} more)` : ''}.`
        + ' A tied visit gets CPT-only rules until an administrator chooses. Import again with confirmTie: true to import them anyway.',
        { ties: pairs.map((p) => ({ rows: [p.a + 1, p.b + 1], mappings: [tieInfo(rows[p.a]!), tieInfo(rows[p.b]!)] })) });
    }
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
    if (!parsed.success) return sendMappingInvalid(res, issuesInWords(parsed.error, req.body), 'The mapping was not saved');
    const { id, version: _ignored, confirmTie, ...input } = parsed.data;
    if (id !== undefined && id !== req.params.id) {
      return sendInvalid(res, [{ path: 'id', message: `the body's id ${id} is not ${req.params.id}` }]);
    }
    const updated = await store.transaction(async (tx) => {
      const before = await tx.mappings.get(req.params.id);
      // a stale or missing mapping answers 412/404 first (update below); only a current one is checked for ties
      const ties = before && before.version === expected ? tiesWith({ ...input, id: req.params.id }, await tx.mappings.list()) : [];
      if (ties.length && !confirmTie) throw tieRefusal({ ...input, id: req.params.id }, ties);
      const m = await tx.mappings.update(req.params.id, input, expected);
      await tx.audit.record({ actor: actorOf(req), action: 'mapping.update', entityType: 'PayerMapping', entityId: m.id, before,
        after: ties.length ? { ...m, confirmedTieWith: ties.map((t) => t.id) } : m });
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
