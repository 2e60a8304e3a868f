/**
 * /api/worklist — the billing team's worklist: one row per visit whose note reached the EHR (or whose note failed,
 * shown as such), on its current Claim version. Admins and BILLING_USERS only. Rows carry the patient's name and MRN
 * as the EHR gave them (never logged or audited). Viewing never changes anything; only POST /export marks items
 * exported — exactly the items the filter shows, after the screen asked — and it is audited.
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
const ListQuery = z.object({
  status: WorklistStatus.optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
}).strict();
/** export: the filter the screen shows, and how many items it showed (the server refuses if that changed) */
const ExportBody = z.object({
  status: WorklistStatus.optional(),
  /** the number the person confirmed ("Mark 12 items exported?") */
  expectedCount: z.number().int().min(0).max(100_000),
}).strict();
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

/**
 * RFC 4180 quoting, plus a leading ' on cells a spreadsheet would run as a formula (OWASP CSV injection): a leading
 * = + - @, tab, carriage return, line feed or space, and the full-width ＝ ＋ － ＠ that some spreadsheets fold.
 */
const FORMULA_START = /^[=+\-@\t\r\n \uFF1D\uFF0B\uFF0D\uFF20]/u;
export function csvCell(v: string): string {
  const safe = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
export const CSV_HEADER = ['visitKey', 'patientName', 'mrn', 'patientId', 'serviceDate', 'payer', 'codes', 'status', 'noteStatus',
  'version', 'versions', 'changedAfterExport', 'created', 'createdBy', 'ehrDocumentReferenceId', 'ehrClaimId'];
export function worklistCsv(items: WorklistItem[]): string {
  const rows = items.map((i) => [i.visitKey, i.patientName ?? '', i.patientMrn ?? '', i.patientId, serviceDateOf(i), i.payer ?? '',
    codesText(i), i.status, i.noteStatus ?? '', String(i.currentVersion ?? ''), String(i.versionCount ?? ''),
    i.changedAfterExport ? 'yes' : 'no', i.createdAt, i.createdBy, i.ehrDocumentReferenceId ?? '', i.ehrClaimId ?? ''].map(csvCell).join(','));
  return `${[CSV_HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}

export function createWorklistRouter(deps: WorklistRouterDeps): Router {
  const { store } = deps;
  const router = express.Router();
  const guard = requireRole({ profiles: deps.profiles, adminToken: deps.adminToken, adminUsers: deps.adminUsers,
    billingUsers: deps.billingUsers, ...(deps.verifyOptions ? { verifyOptions: deps.verifyOptions } : {}) }, ['admin', 'billing']);
  const actor = (req: Request) => req.user?.fhirUser ?? 'unknown';

  router.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); });
  router.use(sameOriginJsonOnly(deps.publicOrigin));
  router.use(express.json({ limit: '16kb' }));
  router.use(guard);

  const queryOf = (req: Request) => ListQuery.safeParse(Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, single(v)])));

  router.get('/', async (req, res) => {
    const parsed = queryOf(req);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const limit = parsed.data.limit ?? 50;
    const offset = parsed.data.offset ?? 0;
    const page = await store.worklist.page({ ...(parsed.data.status ? { status: parsed.data.status } : {}), limit, offset });
    res.json({ items: page.items.map(summary), total: page.total, limit, offset });
  });

  /** GET: the CSV of exactly what the filter shows (all pages), changing nothing */
  router.get('/export.csv', async (req, res) => {
    const parsed = queryOf(req);
    if (!parsed.success) return sendInvalid(res, zodIssues(parsed.error));
    const page = await store.worklist.page({ ...(parsed.data.status ? { status: parsed.data.status } : {}), limit: 5000, offset: 0 });
    res.setHeader('Content-Disposition', `attachment; filename="worklist-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.type('text/csv; charset=utf-8').send(worklistCsv(page.items));
  });

  /** POST: marks exactly the filtered items exported, when the count the person confirmed still holds */
  router.post('/export', async (req, res) => {
    const body = ExportBody.safeParse(req.body);
    if (!body.success) return sendInvalid(res, zodIssues(body.error));
    const filter = body.data.status ? { status: body.data.status } : {};
    const result = await store.transaction(async (tx) => {
      const page = await tx.worklist.page({ ...filter, limit: 5000, offset: 0 });
      if (page.total !== body.data.expectedCount) return { stale: page.total };
      const marked = await tx.worklist.markExported(page.items.map((i) => i.visitKey));
      if (marked.length) {
        await tx.audit.record({ actor: actor(req), action: 'worklist.export', entityType: 'Claim', entityId: `${marked.length} items`,
          resourceIds: marked.map((i) => `${i.visitKey}#${i.currentVersion ?? 1}`), codes: [...new Set(marked.flatMap((i) => i.codes.map((c) => c.code)))] });
      }
      return { marked };
    });
    if ('stale' in result) {
      return sendError(res, 409, 'list-changed', `The list changed: it now holds ${result.stale} items, not ${body.data.expectedCount}. Review it and export again.`);
    }
    const order = new Map(result.marked.map((i, n) => [i.visitKey, n]));
    res.json({ exported: result.marked.length, visitKeys: [...order.keys()] });
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
    // reading or downloading a Claim never changes its status; the download is audited
    await store.audit.record({ actor: actor(req), action: 'worklist.download-claim', entityType: 'Claim', entityId: item.visitKey,
      patientId: item.patientId, codes: item.codes.map((c) => c.code) });
    res.setHeader('Content-Disposition', `attachment; filename="claim-${item.visitKey.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`);
    res.type('application/fhir+json; charset=utf-8').send(JSON.stringify(item.claim, null, 2));
  });

  router.get('/:visitKey', async (req, res) => {
    const item = await loadItem(req, res);
    if (!item) return;
    // every Claim version of the visit, newest first; the current one marked
    const versions = (await store.visits.versions(item.visitKey)).map((v) => ({
      version: v.version, state: v.state, current: v.version === item.currentVersion, createdAt: v.createdAt, createdBy: v.createdBy,
      writtenAt: v.writtenAt, codes: v.codes, claim: v.drafts.claim, ehrDocumentReferenceId: v.ehrDocumentReferenceId, ehrClaimId: v.ehrClaimId,
    }));
    res.json({ ...item, versions });
  });

  router.use((_req, res) => sendError(res, 404, 'not-found', 'no such worklist route'));
  router.use(errorHandler());
  return router;
}
