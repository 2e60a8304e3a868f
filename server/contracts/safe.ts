/**
 * Safe scalar schemas shared by every contract: text that a database, a log line or a spreadsheet can hold
 * (no NUL and no other C0 control characters except tab, LF and CR), calendar dates that exist (no 2026-02-30),
 * and date-times with a real calendar date. Also the one place zod issues become field-named messages, so the
 * server, the CLI and the client word bad input the same way.
 */
import { z } from 'zod';

/** C0 controls a store or a terminal must never receive; tab, LF and CR stay allowed in free text */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** single-line values (ids, names, filters): no control characters at all, not even tab or newline */
// eslint-disable-next-line no-control-regex
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F]/;

/** a lone UTF-16 surrogate: not a character, and PostgreSQL's JSON and text types refuse it (found by the fuzz) */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** a real YYYY-MM-DD calendar date (years 1000–9999) */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** free text (notes, reasons): at most `max` characters, tab/LF/CR allowed, no NUL or other control characters */
export const safeText = (max: number) => z.string().max(max).refine((s) => !CONTROL.test(s) && !LONE_SURROGATE.test(s), {
  message: 'must not contain NUL, other control characters or broken (lone surrogate) characters',
});

/** a single-line value (names, ids, filters): at most `max` characters, no control characters at all */
export const safeLine = (max: number) => z.string().max(max).refine((s) => !CONTROL_OR_NEWLINE.test(s) && !LONE_SURROGATE.test(s), {
  message: 'must be one line without control or broken (lone surrogate) characters',
});

/** YYYY-MM-DD that exists on the calendar */
export const realDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || isRealDate(s), { message: 'is not a real calendar date' }); // one message per bad date: the format's, or this

/** an ISO date-time with offset (2025-01-31T08:00:00Z), whose date part exists */
export const realDateTime = () => z.string().datetime({ offset: true, message: 'expected an ISO date-time, e.g. 2025-01-31T00:00:00Z' })
  .refine((s) => isRealDate(s.slice(0, 10)), { message: 'is not a real calendar date' });

/** a real date or an ISO date-time (filters such as `since`) */
export const realDateOrDateTime = () => z.string().refine((s) => (s.length === 10 ? isRealDate(s) : realDateTime().safeParse(s).success), {
  message: 'expected a real date YYYY-MM-DD or an ISO date-time, e.g. 2025-01-31T00:00:00Z',
});

export interface FieldIssue { path: string; message: string }

/** zod issues → [{ path: "a.b.0", message }]: the ONE conversion; `prefix` places them inside a larger body */
export function fieldIssues(err: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return err.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}

/** "lead: a.b: message; c: message (and 3 more)" */
export function issuesSummary(lead: string, issues: FieldIssue[]): string {
  return `${lead}: ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
}
