/**
 * The fact-source recorder: for every fact path, where it came from ('record', 'derived' or 'default'),
 * which resource, and a note telling the clinician what to settle.
 */
import type { FactSource, FactSources } from '../../contracts/index.js';
import { clip, str, type Resource } from './record.js';

export class Sources {
  readonly map: FactSources = {};
  set(path: string, status: FactSource['status'], from?: Resource, note?: string) {
    this.map[path] = {
      status,
      ...(from ? { resourceType: from.resourceType } : {}),
      ...(from && str(from.id) ? { id: from.id as string } : {}),
      ...(note ? { note: clip(note, 300) } : {}),
    };
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
