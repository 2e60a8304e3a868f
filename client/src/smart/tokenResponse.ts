/**
 * The token response, validated (fhirclient types it loosely and EHRs vary: Epic has sent
 * need_patient_banner as the string "false"). A launch without a patient cannot be reviewed.
 */
import { z } from 'zod';

const lenientBoolean = z.union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().default(''),
  patient: z.string().regex(/^[A-Za-z0-9.-]{1,128}$/, 'the patient id in the launch context is not a FHIR id'),
  encounter: z.string().regex(/^[A-Za-z0-9.-]{1,128}$/).optional(),
  id_token: z.string().optional(),
  need_patient_banner: lenientBoolean.optional().default(true),
  smart_style_url: z.string().optional(),
  expires_in: z.number().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export type TokenCheck = { ok: true; token: TokenResponse } | { ok: false; reason: 'no-patient' | 'invalid'; detail: string };

export function validateTokenResponse(raw: unknown): TokenCheck {
  const r = raw as Record<string, unknown> | null;
  if (r && typeof r === 'object' && (r.patient === undefined || r.patient === null || r.patient === '')) {
    return { ok: false, reason: 'no-patient', detail: 'the EHR did not give a patient in the launch context' };
  }
  const parsed = TokenResponse.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: 'invalid', detail: first ? `${first.path.join('.') || 'token'}: ${first.message}` : 'invalid token response' };
  }
  return { ok: true, token: parsed.data };
}

/** fhirUser from an id_token payload (decoded only; the server verifies the signature). */
export function fhirUserFromIdToken(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  const part = idToken.split('.')[1];
  if (!part) return undefined;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { fhirUser?: unknown; profile?: unknown };
    const u = json.fhirUser ?? json.profile;
    return typeof u === 'string' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** "https://ehr/fhir/Practitioner/1" → "Practitioner/1". */
export const relativeReference = (ref: string) => ref.split('/').slice(-2).join('/');
