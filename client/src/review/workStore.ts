/**
 * The clinician's work on a visit (corrected facts, accepted lines, ticks) kept in sessionStorage so a reload
 * does not lose it. The key is the launch's random state key (no patient id, no name, no date: PHI-free), the
 * value is dropped after a successful write and never goes to localStorage. Where the browser refuses storage
 * (a blocked third-party frame) nothing is kept, and the review still works.
 *
 * A relaunch for the same visit in the same tab (after a sign-in that could not be renewed) takes the work up: the
 * value carries a visit tag — a SHA-256 of the EHR, patient, encounter and user, so no id is stored in plain text —
 * and a launch that finds no work under its own key adopts the newest entry with its tag (moved, not copied). A launch
 * without an encounter has no tag: the patient alone does not say which visit the work was for.
 */
import type { Overrides } from './overrides';

export interface Work { overrides: Overrides; accepted: Record<string, boolean>; checked: Record<string, boolean>; deviceConfirmed?: boolean }

const PREFIX = 'prc-work:';
const VERSION = 1;
/** how long work waits for a relaunch of its visit */
export const CARRY_MS = 12 * 60 * 60 * 1000;

export interface KeyValueStore {
  getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void;
  /** enumeration (sessionStorage has it): needed only to find the work of an earlier launch of the visit */
  readonly length?: number; key?(i: number): string | null;
}

function defaultStore(): KeyValueStore | undefined {
  try { return globalThis.sessionStorage; } catch { return undefined; }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isFlags = (v: unknown): v is Record<string, boolean> => isRecord(v) && Object.values(v).every((x) => typeof x === 'boolean');

interface Entry { work: Work; visit?: string; at: number }

function parse(raw: string | null | undefined): Entry | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v.v !== VERSION || !isRecord(v.overrides) || !isFlags(v.accepted) || !isFlags(v.checked)) return undefined;
    return {
      work: { overrides: v.overrides, accepted: v.accepted, checked: v.checked, deviceConfirmed: v.deviceConfirmed === true },
      ...(typeof v.visit === 'string' ? { visit: v.visit } : {}),
      at: typeof v.at === 'number' ? v.at : 0,
    };
  } catch {
    return undefined;
  }
}

/** the newest entry of another launch for this visit (stale entries of any visit are dropped on the way) */
function earlierLaunchOf(store: KeyValueStore, visit: string, now: number): { key: string; raw: string; entry: Entry } | undefined {
  if (typeof store.key !== 'function' || typeof store.length !== 'number') return undefined;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) { const k = store.key(i); if (k?.startsWith(PREFIX)) keys.push(k); }
  let best: { key: string; raw: string; entry: Entry } | undefined;
  for (const key of keys) {
    const raw = store.getItem(key);
    const entry = parse(raw);
    if (!entry || now - entry.at > CARRY_MS) { store.removeItem(key); continue; }
    if (entry.visit === visit && (!best || entry.at > best.entry.at)) best = { key, raw: raw!, entry };
  }
  return best;
}

/** The work of this launch; else, given the visit tag, the work an earlier launch of the same visit left. */
export function loadWork(launchKey: string, store: KeyValueStore | undefined = defaultStore(), visit?: string, now = Date.now()): Work | undefined {
  try {
    const own = parse(store?.getItem(PREFIX + launchKey));
    if (own) return own.work;
    if (!store || !visit) return undefined;
    const earlier = earlierLaunchOf(store, visit, now);
    if (!earlier) return undefined;
    store.setItem(PREFIX + launchKey, earlier.raw);
    store.removeItem(earlier.key);
    return earlier.entry.work;
  } catch {
    return undefined;
  }
}

export function saveWork(launchKey: string, work: Work, store: KeyValueStore | undefined = defaultStore(), visit?: string, now = Date.now()): void {
  try {
    const empty = Object.keys(work.overrides).length === 0 && Object.keys(work.accepted).length === 0 && Object.keys(work.checked).length === 0;
    if (empty) store?.removeItem(PREFIX + launchKey);
    else store?.setItem(PREFIX + launchKey, JSON.stringify({ v: VERSION, ...work, ...(visit ? { visit } : {}), at: now }));
  } catch { /* storage full or refused: the work stays on screen only */ }
}

export function clearWork(launchKey: string, store: KeyValueStore | undefined = defaultStore()): void {
  try { store?.removeItem(PREFIX + launchKey); } catch { /* nothing kept */ }
}

/** whether this tab keeps work at all (false where the browser refuses the frame its storage) */
export function canKeepWork(store: KeyValueStore | undefined = defaultStore()): boolean {
  try {
    if (!store) return false;
    store.setItem(`${PREFIX}probe`, '1');
    store.removeItem(`${PREFIX}probe`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The visit tag: SHA-256 of the EHR, patient, encounter and signed-in user (hex, 32 characters). Not a secret (the
 * launch's own state in this tab holds the patient id); it keeps ids out of the work's plain text. Undefined without
 * an encounter or where the browser offers no WebCrypto.
 */
export async function visitTag(v: { ehr: string; patient: string; encounter?: string; user?: string }): Promise<string | undefined> {
  if (!v.encounter) return undefined;
  try {
    const bytes = new TextEncoder().encode(JSON.stringify([v.ehr.replace(/\/+$/, ''), v.patient, v.encounter, v.user ?? '']));
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
    return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}
