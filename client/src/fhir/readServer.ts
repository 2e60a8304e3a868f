/**
 * The worker's side of the record read: runs readRecord (and the CapabilityStatement read) for one job, posting each
 * answer's resources as they arrive and the whole record at the end. Off the page's main thread, the dependent reads
 * (performers, the payer, notes) start the moment their parent answers, not after React's next task.
 */
import { createFhirPort, reportingAnswers, type FhirPort } from './port';
import { readRecord, type ReadContext, type RecordRead } from './reads';
import type { Resource } from './types';
import type { FromWorker, ReadJob, ToWorker } from './readProtocol';
import { parseScopes } from '../smart/scopes';

/** The record (each answer's resources reported as it arrives) and, beside it, the CapabilityStatement as answered (undefined when unread). */
export async function readWithCapability(port: FhirPort, ctx: ReadContext, onResources?: (resources: Resource[]) => void): Promise<{ record: RecordRead; metadata?: unknown }> {
  const [record, metadata] = await Promise.all([
    readRecord(onResources ? reportingAnswers(port, onResources) : port, ctx),
    port.request('metadata').then((r) => r.body, () => undefined),
  ]);
  return { record, metadata };
}

export interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: { data: ToWorker }) => void): void;
}

export function serveReads(scope: WorkerScope, fetchImpl?: typeof fetch): void {
  const renewals = new Map<number, (accessToken: string | undefined) => void>();
  let nextRenewal = 0;
  const run = async (job: ReadJob) => {
    let accessToken = job.accessToken;
    const port = createFhirPort({
      base: job.base,
      getToken: () => accessToken,
      fetchImpl,
      refresh: job.canRenew ? () => new Promise<string | undefined>((resolve) => {
        const id = ++nextRenewal;
        renewals.set(id, (fresh) => { if (fresh) accessToken = fresh; resolve(fresh); });
        scope.postMessage({ type: 'renew', id });
      }) : undefined,
    });
    const ctx = { patientId: job.patientId, encounterId: job.encounterId, scopes: parseScopes(job.scope), today: new Date(job.todayMs), maxPages: job.maxPages };
    const { record, metadata } = await readWithCapability(port, ctx, (resources) => scope.postMessage({ type: 'resources', resources }));
    scope.postMessage({ type: 'done', record, metadata, requestCount: port.requestCount });
  };
  scope.addEventListener('message', ({ data }) => {
    if (data.type === 'renewed') {
      renewals.get(data.id)?.(data.accessToken);
      renewals.delete(data.id);
    } else if (data.type === 'read') {
      run(data).catch((err: unknown) => scope.postMessage({ type: 'failed', message: String((err as Error)?.message ?? err).slice(0, 200) }));
    }
  });
}
