import { describe, expect, it } from 'vitest';
import { indexFhirDefinitions } from './repository.js';
import { checkAccess, grantScopes, parseResourceScope, withoutWrite } from './scopes.js';

indexFhirDefinitions();

describe('SMART scopes', () => {
  it('reads v1 and v2 spellings alike', () => {
    expect([...parseResourceScope('patient/Claim.write')!.permissions].sort()).toEqual(['c', 'd', 'u']);
    expect([...parseResourceScope('patient/*.read')!.permissions].sort()).toEqual(['r', 's']);
    expect([...parseResourceScope('user/Patient.cruds')!.permissions].sort()).toEqual(['c', 'd', 'r', 's', 'u']);
    expect(parseResourceScope('patient/Claim.c')!.permissions.has('c')).toBe(true);
  });

  it('rejects malformed scopes, unknown types, letters out of order and query constraints', () => {
    for (const s of ['patient/Claim.sr', 'patient/Nope.rs', 'system/Claim.rs', 'patient/Claim.rs?status=active', 'patient/Claim.']) {
      expect(parseResourceScope(s)).toBeUndefined();
    }
  });

  const registered = ['launch', 'openid', 'fhirUser', 'patient/Patient.rs', 'patient/Claim.c', 'patient/Claim.rs', 'user/Practitioner.rs', 'patient/Binary.r'];
  const ehr = { registered, hasPatient: true, hasUser: true, kind: 'ehr' as const };

  it('grants requested ∩ registered and drops patient/ scopes without a patient', () => {
    expect(grantScopes('openid fhirUser bogus patient/Patient.rs system/*.rs profile', ehr)).toEqual(['openid', 'fhirUser', 'patient/Patient.rs']);
    expect(grantScopes('openid patient/Patient.rs user/Practitioner.rs', { ...ehr, hasPatient: false, kind: 'standalone-user' })).toEqual(['openid', 'user/Practitioner.rs']);
    expect(grantScopes('user/Practitioner.rs', { ...ehr, hasUser: false })).toEqual([]);
  });

  it('narrows wildcards and partial grants to the registration, keeping the requested spelling when wholly granted', () => {
    expect(grantScopes('patient/*.cruds', ehr)).toEqual(['patient/Patient.rs', 'patient/Claim.crs', 'patient/Binary.r']);
    expect(grantScopes('patient/Claim.write patient/Patient.read patient/Binary.read user/*.rs user/Patient.rs', ehr))
      .toEqual(['patient/Claim.c', 'patient/Patient.read', 'patient/Binary.r', 'user/Practitioner.rs']);
    expect(grantScopes('patient/*.*', { ...ehr, registered: ['patient/*.cruds'] })).toEqual(['patient/*.*']);
  });

  it('grants launch only in an EHR launch and launch/patient only in a standalone patient launch', () => {
    const reg = [...registered, 'launch/patient', 'launch/encounter'];
    expect(grantScopes('launch launch/patient', { ...ehr, registered: reg })).toEqual(['launch']);
    expect(grantScopes('launch launch/patient launch/encounter', { ...ehr, registered: reg, kind: 'standalone-patient' })).toEqual(['launch/patient', 'launch/encounter']);
  });

  it('a vendor without Claim writes grants only the read part', () => {
    expect(withoutWrite(parseResourceScope('patient/Claim.cruds')!)).toBe('patient/Claim.rs');
    expect(withoutWrite(parseResourceScope('patient/Claim.write')!)).toBeUndefined();
    expect(withoutWrite(parseResourceScope('patient/Claim.read')!)).toBe('patient/Claim.read');
  });

  it('checks a permission per type and tells when only patient scopes allow it', () => {
    const scopes = ['patient/*.rs', 'patient/Claim.c', 'user/Practitioner.rs'];
    expect(checkAccess(scopes, 'Coverage', 's')).toEqual({ allowed: true, patientOnly: true });
    expect(checkAccess(scopes, 'Claim', 'c')).toEqual({ allowed: true, patientOnly: true });
    expect(checkAccess(scopes, 'DocumentReference', 'c').allowed).toBe(false);
    expect(checkAccess(scopes, 'Practitioner', 'r')).toEqual({ allowed: true, patientOnly: false });
  });
});
