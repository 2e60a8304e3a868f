/**
 * Reads the record in a dedicated worker (reads.worker.ts) when the browser can start one, else on this thread.
 * While the reads answer, the page's main thread is busy loading and drawing React (tens of ms per task on a slow
 * machine); on it, each dependent read (performers, payer, notes) waited for those tasks to end before it was sent.
 * In the worker they are sent the moment their parent answers (interleaved bench A/B on 2 cores, 20 launches each:
 * launch-to-suggestions median 517 → 495 ms, the record read 24 ms sooner).
 */
import type { FhirPort } from './port';
import type { ReadContext, RecordRead } from './reads';
import { readWithCapability } from './readServer';
import type { FromWorker, ReadJob } from './readProtocol';
import type { Resource } from './types';

export interface ReadRequest {
  /** the page's port: its base, and the reads when no worker can run */
  port: FhirPort;
  accessToken: string;
  /** a renewed access token (fhirclient's single-flight refresh), undefined when none is possible */
  renew?: () => Promise<string | undefined>;
  ctx: ReadContext;
  onResources?: (resources: Resource[]) => void;
}

export interface RecordAndCapability {
  record: RecordRead;
  /** the CapabilityStatement as answered; undefined when it could not be read */
  metadata?: unknown;
  /** requests sent by the worker (the page's port counts its own) */
  workerRequests: number;
}

class WorkerUnavailable extends Error {}

let prepared: Worker | undefined;

function startWorker(): Worker | undefined {
  if (typeof Worker !== 'function') return undefined;
  try {
    return new Worker(new URL('./reads.worker.ts', import.meta.url), { type: 'module', name: 'record-reads' });
  } catch {
    return undefined; // e.g. a CSP that forbids workers: read on this thread
  }
}

/** Starts the worker ahead of its job (the entry calls this before the token arrives): its start-up overlaps the token exchange. */
export function prepareReadWorker(): void {
  prepared ??= startWorker();
}

export async function readOffThread(req: ReadRequest): Promise<RecordAndCapability> {
  const worker = prepared ?? startWorker();
  prepared = undefined;
  if (!worker) return readOnThisThread(req);
  try {
    return await readInWorker(worker, req);
  } catch (err) {
    if (err instanceof WorkerUnavailable) return readOnThisThread(req);
    throw err;
  } finally {
    worker.terminate();
  }
}

function readInWorker(worker: Worker, req: ReadRequest): Promise<RecordAndCapability> {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === 'resources') {
        try { req.onResources?.(data.resources); } catch { /* a display callback never breaks a read */ }
      } else if (data.type === 'renew') {
        void (req.renew ?? (async () => undefined))().catch(() => undefined)
          .then((accessToken) => worker.postMessage({ type: 'renewed', id: data.id, accessToken }));
      } else if (data.type === 'done') {
        resolve({ record: data.record, metadata: data.metadata, workerRequests: data.requestCount });
      } else {
        reject(new Error(data.message));
      }
    };
    // the worker's script did not load or run: the reads are done here instead (reads are safe to repeat)
    worker.onerror = (e) => { e.preventDefault(); reject(new WorkerUnavailable()); };
    worker.onmessageerror = () => reject(new WorkerUnavailable());
    const job: ReadJob = {
      type: 'read', base: req.port.base, accessToken: req.accessToken, canRenew: !!req.renew, scope: req.ctx.scopes.raw,
      patientId: req.ctx.patientId, encounterId: req.ctx.encounterId, todayMs: req.ctx.today.getTime(), maxPages: req.ctx.maxPages,
    };
    worker.postMessage(job);
  });
}

async function readOnThisThread(req: ReadRequest): Promise<RecordAndCapability> {
  return { ...(await readWithCapability(req.port, req.ctx, req.onResources)), workerRequests: 0 };
}
