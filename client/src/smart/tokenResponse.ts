/**
 * The token response, validated (fhirclient types it loosely and EHRs vary: Epic has sent
 * need_patient_banner as the string "false"). A launch without a patient cannot be reviewed.
 */
export interface TokenResponse {
  access_token: string;
  token_type?: string;
  scope: string;
  patient: string;
  encounter?: string;
  id_token?: string;
  need_patient_banner: boolean;
  smart_style_url?: string;
  expires_in?: number;
}

export type TokenCheck = { ok: true; token: TokenResponse } | { ok: false; reason: 'no-patient' | 'invalid'; detail: string };

const FHIR_ID = /^[A-Za-z0-9.-]{1,128}$/;

/**
 * Checked by hand, not with zod: this runs in the app's first script, before zod is loaded (the token exchange and
 * the reads start while React and the screens are still downloading).
 */
export function validateTokenResponse(raw: unknown): TokenCheck {
  const r = raw as Record<string, unknown> | null;
  if (r && typeof r === 'object' && (r.patient === undefined || r.patient === null || r.patient === '')) {
    return { ok: false, reason: 'no-patient', detail: 'the EHR did not give a patient in the launch context' };
  }
  const bad = (detail: string): TokenCheck => ({ ok: false, reason: 'invalid', detail });
  if (!r || typeof r !== 'object' || Array.isArray(r)) return bad('token: expected an object');
  const optionalString = (k: string) => r[k] === undefined || typeof r[k] === 'string';
  if (typeof r.access_token !== 'string' || r.access_token === '') return bad('access_token: expected a non-empty string');
  if (typeof r.patient !== 'string' || !FHIR_ID.test(r.patient)) return bad('patient: the patient id in the launch context is not a FHIR id');
  if (r.encounter !== undefined && (typeof r.encounter !== 'string' || !FHIR_ID.test(r.encounter))) return bad('encounter: not a FHIR id');
  for (const k of ['token_type', 'scope', 'id_token', 'smart_style_url']) if (!optionalString(k)) return bad(`${k}: expected a string`);
  if (r.expires_in !== undefined && typeof r.expires_in !== 'number') return bad('expires_in: expected a number');
  // Epic has sent need_patient_banner as the string "false"; absent means show the banner (the safe side)
  const banner = r.need_patient_banner;
  if (banner !== undefined && typeof banner !== 'boolean' && banner !== 'true' && banner !== 'false') return bad('need_patient_banner: expected a boolean');
  const token: TokenResponse = {
    access_token: r.access_token,
    scope: (r.scope as string | undefined) ?? '',
    patient: r.patient,
    need_patient_banner: banner === undefined ? true : banner === true || banner === 'true',
  };
  for (const k of ['token_type', 'encounter', 'id_token', 'smart_style_url'] as const) if (typeof r[k] === 'string') token[k] = r[k] as string;
  if (typeof r.expires_in === 'number') token.expires_in = r.expires_in;
  return { ok: true, token };
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
