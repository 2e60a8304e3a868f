/**
 * The messages between the page and the worker that reads the record (reads.worker.ts). The worker gets the access
 * token in memory only (never storage) and asks the page for a renewed one on a 401: fhirclient, which holds the
 * refresh token, stays on the page.
 */
import type { RecordRead } from './reads';
import type { Resource } from './types';

export interface ReadJob {
  type: 'read';
  base: string;
  accessToken: string;
  canRenew: boolean;
  patientId: string;
  encounterId?: string;
  /** the granted scope string (parsed again in the worker: a parsed GrantedScopes does not cross threads) */
  scope: string;
  /** the page's clock (the worker's is the same, but a test's fake clock is not) */
  todayMs: number;
  maxPages?: number;
}

export type ToWorker = ReadJob | { type: 'renewed'; id: number; accessToken?: string };

export type FromWorker =
  /** the resources of one answer, as soon as it arrives (the screen shows patient, pump and coverage early) */
  | { type: 'resources'; resources: Resource[] }
  | { type: 'renew'; id: number }
  /** `metadata` is the CapabilityStatement as answered, undefined when it could not be read */
  | { type: 'done'; record: RecordRead; metadata?: unknown; requestCount: number }
  | { type: 'failed'; message: string };
