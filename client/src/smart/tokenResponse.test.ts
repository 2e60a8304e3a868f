import { describe, expect, it } from 'vitest';
import { fhirUserFromIdToken, validateTokenResponse } from './tokenResponse';
import { parseScopes } from './scopes';

describe('validateTokenResponse', () => {
  const base = { access_token: 'at', token_type: 'Bearer', scope: 'launch patient/Patient.rs', patient: 'p1' };
  it('accepts need_patient_banner as a boolean or the string "false"/"true"', () => {
    expect(validateTokenResponse({ ...base, need_patient_banner: 'false' })).toMatchObject({ ok: true, token: { need_patient_banner: false } });
    expect(validateTokenResponse({ ...base, need_patient_banner: 'true' })).toMatchObject({ ok: true, token: { need_patient_banner: true } });
    expect(validateTokenResponse({ ...base, need_patient_banner: false })).toMatchObject({ ok: true, token: { need_patient_banner: false } });
    // absent: show the banner (the safe side)
    expect(validateTokenResponse(base)).toMatchObject({ ok: true, token: { need_patient_banner: true } });
  });
  it('requires a patient and a usable access token', () => {
    expect(validateTokenResponse({ ...base, patient: undefined })).toMatchObject({ ok: false, reason: 'no-patient' });
    expect(validateTokenResponse({ ...base, patient: '../Patient/x' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(validateTokenResponse({ ...base, access_token: '' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(validateTokenResponse({ ...base, need_patient_banner: 'no' })).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('reads fhirUser from the id_token payload', () => {
    const payload = Buffer.from(JSON.stringify({ fhirUser: 'http://ehr/fhir/Practitioner/dr1' })).toString('base64url');
    expect(fhirUserFromIdToken(`h.${payload}.s`)).toBe('http://ehr/fhir/Practitioner/dr1');
    expect(fhirUserFromIdToken('garbage')).toBeUndefined();
  });
});

describe('parseScopes', () => {
  it('understands SMART v1 and v2 spellings and wildcards', () => {
    const s = parseScopes('launch openid patient/Coverage.read patient/Claim.c user/DocumentReference.write patient/Device.rs');
    expect(s.has('Coverage', 'r')).toBe(true);
    expect(s.has('Coverage', 'c')).toBe(false);
    expect(s.has('Claim', 'c')).toBe(true);
    expect(s.has('DocumentReference', 'c')).toBe(true);
    expect(s.has('Device', 's')).toBe(true);
    expect(s.has('Patient', 'r')).toBe(false);
    expect(parseScopes('patient/*.read').has('Condition', 'r')).toBe(true);
    expect(parseScopes(undefined).has('Patient', 'r')).toBe(false);
  });
});
