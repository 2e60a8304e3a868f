/**
 * The clinician's work on a visit (corrected facts, accepted lines, ticks) kept in sessionStorage so a reload
 * does not lose it. The key is the launch's random state key (no patient id, no name, no date: PHI-free), the
 * value is dropped after a successful write and never goes to localStorage. Where the browser refuses storage
 * (a blocked third-party frame) nothing is kept, and the review still works.
 */
import type { Overrides } from './overrides';

export interface Work { overrides: Overrides; accepted: Record<string, boolean>; checked: Record<string, boolean>; deviceConfirmed?: boolean }

const PREFIX = 'prc-work:';
const VERSION = 1;

export interface KeyValueStore { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void }

function defaultStore(): KeyValueStore | undefined {
  try { return globalThis.sessionStorage; } catch { return undefined; }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isFlags = (v: unknown): v is Record<string, boolean> => isRecord(v) && Object.values(v).every((x) => typeof x === 'boolean');

export function loadWork(launchKey: string, store: KeyValueStore | undefined = defaultStore()): Work | undefined {
  try {
    const raw = store?.getItem(PREFIX + launchKey);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v.v !== VERSION || !isRecord(v.overrides) || !isFlags(v.accepted) || !isFlags(v.checked)) return undefined;
    return { overrides: v.overrides, accepted: v.accepted, checked: v.checked, deviceConfirmed: v.deviceConfirmed === true };
  } catch {
    return undefined;
  }
}

export function saveWork(launchKey: string, work: Work, store: KeyValueStore | undefined = defaultStore()): void {
  try {
    const empty = Object.keys(work.overrides).length === 0 && Object.keys(work.accepted).length === 0 && Object.keys(work.checked).length === 0;
    if (empty) store?.removeItem(PREFIX + launchKey);
    else store?.setItem(PREFIX + launchKey, JSON.stringify({ v: VERSION, ...work }));
  } catch { /* storage full or refused: the work stays on screen only */ }
}

export function clearWork(launchKey: string, store: KeyValueStore | undefined = defaultStore()): void {
  try { store?.removeItem(PREFIX + launchKey); } catch { /* nothing kept */ }
}
