/** What only the admin API needs beyond the shared error helpers: optimistic-concurrency headers. */
export { etag } from '../errors.js';

/** If-Match → the expected version; 'missing' (428) or 'invalid' (400) otherwise */
export function parseIfMatch(h: string | undefined): number | 'missing' | 'invalid' {
  if (h === undefined || h.trim() === '') return 'missing';
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(h);
  return m ? Number(m[1]) : 'invalid';
}
