/**
 * /api/worklist — the billing team's worklist of Claim drafts the clinicians confirmed.
 * Admins and BILLING_USERS only. Lists carry ids and codes, never names; the Claim JSON is served only
 * per item. Exporting (CSV or a Claim's JSON) marks the items exported and is audited.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { EhrProfile } from '../../launch/profiles';
import { requireRole, sameOriginJsonOnly, type VerifyOptions } from '../auth/index';
import { WorklistStatus, type Store, type WorklistItem } from '../store/index';
import { errorHandler, sendError, sendInvalid, zodIssues } from './errors.js';

export interface WorklistRouterDeps {
  store: Store;
  profiles: EhrProfile[];
  adminToken?: string | undefined;
  adminUsers: string[];
  /** BILLING_USERS: fhirUser values (full URL or "Type/id") */
  billingUsers: string[];
  publicOrigin: string;
  verifyOptions?: VerifyOptions;
}

const single = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
const ListQuery = z.object({ status: WorklistStatus.optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }).strict();
const visitKeyParam = z.string().min(1).max(200);

/** the list view: everything but the Claim body */
function summary(i: WorklistItem) {
  const { claim: _claim, ...rest } = i;
  return rest;
}

/** "62370-26 x1; J0475 x40" */
export function codesText(i: WorklistItem): string {
  return i.codes.map((c) => `${c.code}${c.modifiers?.length ? `-${c.modifiers.join('-')}` : ''} x${c.units ?? 1}`).join('; ');
}

function serviceDateOf(i: WorklistItem): string {
  if (i.serviceDate) return i.serviceDate;
  const c = i.claim as { billablePeriod?: { start?: unknown }; item?: { servicedDate?: unknown }[] };
  const d = c.billablePeriod?.start ?? c.item?.[0]?.servicedDate;
  return typeof d === 'string' ? d.slice(0, 10) : '';
}

/** RFC 4180 quoting, plus a leading ' on cells a spreadsheet would run as a formula */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
export function worklistCsv(items: WorklistItem[]): string {
  const header = ['visitKey', 'patientId', 'serviceDate', 'codes', 'status', 'created', 'createdBy', 'ehrClaimId'];
  const rows = items.map((i) => [i.visitKey, i.patientId, serviceDateOf(i), codesText(i), i.status, i.createdAt, i.createdBy,
    i.ehrClaimId ?? ''].map(csvCell).join(','));
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

export function createWorklistRouter(deps: WorklistRouterDeps): Router {
  const { store } = deps;
  const router = express.Router();
  const guard = requireRole({ profiles: deps.profiles, adminToken: deps.adminToken, adminUsers: deps.adminUsers,
    billingUsers: deps.billingUsers, ...(deps.verifyOptions ? { verifyOptions: deps.verifyOptions } : {}) }, ['admin', 'billing']);
  const actor = (req: Request) => req.user?.fhirUser ?? 'unknown';

  router.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); });
  router.use(sameOriginJsonOnly(deps.publicOrigin));
  router.use(guard);

  router.get('/', async (req, res) => {
    const parsed = ListQuery.safeParse(Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, single(v)])));
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const items = await store.worklist.list({ ...(parsed.data.status ? { status: parsed.data.status } : {}),
      ...(parsed.data.limit ? { limit: parsed.data.limit } : {}) });
    res.json({ items: items.map(summary) });
  });

  router.get('/export.csv', async (req, res) => {
    const parsed = ListQuery.safeParse(Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, single(v)])));
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    // default: what still needs billing (drafts); ?status= picks another set
    const status = parsed.data.status ?? 'draft';
    const items = await store.worklist.list({ status, limit: parsed.data.limit ?? 5000 });
    const exported = await store.transaction(async (tx) => {
      const marked = await tx.worklist.markExported(items.map((i) => i.visitKey));
      if (marked.length) {
        await tx.audit.record({ actor: actor(req), action: 'worklist.export', entityType: 'Claim', entityId: `${marked.length} items`,
          resourceIds: marked.map((i) => i.visitKey), codes: [...new Set(marked.flatMap((i) => i.codes.map((c) => c.code)))] });
      }
      return marked;
    });
    const order = new Map(items.map((i, n) => [i.visitKey, n]));
    exported.sort((a, b) => order.get(a.visitKey)! - order.get(b.visitKey)!);
    res.setHeader('Content-Disposition', `attachment; filename="worklist-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.type('text/csv; charset=utf-8').send(worklistCsv(exported));
  });

  const loadItem = async (req: Request, res: Response): Promise<WorklistItem | null> => {
    const key = visitKeyParam.safeParse(req.params.visitKey);
    if (!key.success) { sendInvalid(res, zodIssues(key.error, ['visitKey'])); return null; }
    const item = await store.worklist.get(key.data);
    if (!item) { sendError(res, 404, 'not-found', 'no worklist item for this visit'); return null; }
    return item;
  };

  router.get('/:visitKey/claim.json', async (req, res) => {
    const item = await loadItem(req, res);
    if (!item) return;
    await store.transaction(async (tx) => {
      await tx.worklist.markExported([item.visitKey]);
      await tx.audit.record({ actor: actor(req), action: 'worklist.export-claim', entityType: 'Claim', entityId: item.visitKey,
        patientId: item.patientId, codes: item.codes.map((c) => c.code) });
    });
    res.setHeader('Content-Disposition', `attachment; filename="claim-${item.visitKey.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`);
    res.type('application/fhir+json; charset=utf-8').send(JSON.stringify(item.claim, null, 2));
  });

  router.get('/:visitKey', async (req, res) => {
    const item = await loadItem(req, res);
    if (item) res.json(item);
  });

  router.use((_req, res) => sendError(res, 404, 'not-found', 'no such worklist route'));
  router.use(errorHandler());
  return router;
}
