/**
 * Contract constants without zod: the client's first script (the token exchange and the record's reads, which must
 * start before React and zod are even parsed) imports these, and index.ts / writeback.ts re-export them.
 */

/**
 * The tag the client puts on the Encounter the EHR handed over in the launch context (Encounter.meta.tag), so
 * the server can tell the launch encounter from the other encounters it was sent.
 */
export const LAUNCH_ENCOUNTER_TAG = { system: 'https://pump-refill-coder.app/fhir/CodeSystem/launch-context', code: 'launch-encounter' } as const;

export const EHR_VENDORS = ['generic', 'epic', 'oracle'] as const;
export type EhrVendorName = typeof EHR_VENDORS[number];
export const isEhrVendor = (v: unknown): v is EhrVendorName => typeof v === 'string' && (EHR_VENDORS as readonly string[]).includes(v);

/** The identifier system the app stamps on everything it writes (idempotency and provenance). */
export const APP_IDENTIFIER_SYSTEM = 'urn:pump-refill-coder:visit';

/** the header that carries the launch's EHR access token to the app's own server (see server/http/drafts.ts) */
export const EHR_TOKEN_HEADER = 'x-ehr-access-token';

/**
 * The largest dose, waste or strength a Drug may carry (in mg, mcg or mL): far above any pump's, and small enough
 * that billing units stay a finite count. The extraction treats a larger record value as not recorded.
 */
export const MAX_DRUG_AMOUNT = 10_000_000;
