/**
 * The fact-source recorder: for every fact path, where it came from ('record', 'derived' or 'default'),
 * which resource, and a note telling the clinician what to settle. It also collects the record notices
 * (skipped entries, a stale launch encounter, diagnoses needing an ICD-10-CM code …) shown at the top of the review.
 */
import type { FactSource, FactSources, RecordNotice } from '../../contracts/index.js';
import { clip, str, type Resource } from './record.js';

export class Sources {
  readonly map: FactSources = {};
  readonly notices: RecordNotice[] = [];
  set(path: string, status: FactSource['status'], from?: Resource, note?: string) {
    // built in place (same key order as before: status, resourceType, id, note): called ~60 times per record
    const source: FactSource = { status };
    if (from) {
      source.resourceType = from.resourceType;
      if (str(from.id)) source.id = from.id as string;
    }
    if (note) source.note = clip(note, 300);
    this.map[path] = source;
  }
  /** Adds a record notice once per id + message (at most 50, so a hostile record cannot flood the review). */
  notice(n: RecordNotice) {
    if (this.notices.length >= 50 || this.notices.some((x) => x.id === n.id && x.message === n.message)) return;
    this.notices.push({ ...n, message: clip(n.message, 500) });
  }
}

/** Runs one fact's extraction; if anything unexpected throws, the fallback stands as a default. */
export function guarded<T>(src: Sources, path: string, read: () => T, fallback: T, note: string): T {
  try {
    return read();
  } catch {
    src.set(path, 'default', undefined, `Could not read this from the record; ${note}`);
    return fallback;
  }
}
