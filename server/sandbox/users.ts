/** The sandbox's two users: a clinician (EHR launches) and an administrator (admin sign-in). */
import type { Practitioner } from '@medplum/fhirtypes';

export const CLINICIAN_ID = 'sandbox-clinician';
export const ADMIN_ID = 'sandbox-admin';

export const SANDBOX_USERS: Practitioner[] = [
  {
    resourceType: 'Practitioner',
    id: CLINICIAN_ID,
    active: true,
    identifier: [{ system: 'urn:pump-refill-coder:sandbox:user', value: CLINICIAN_ID }],
    name: [{ use: 'official', family: 'Clinician', given: ['Casey'], prefix: ['Dr.'] }],
    qualification: [{
      code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: 'MD', display: 'Doctor of Medicine' }] },
    }],
  },
  {
    resourceType: 'Practitioner',
    id: ADMIN_ID,
    active: true,
    identifier: [{ system: 'urn:pump-refill-coder:sandbox:user', value: ADMIN_ID }],
    name: [{ use: 'official', family: 'Administrator', given: ['Avery'] }],
  },
];

export function userLabel(p: Practitioner): string {
  const n = p.name?.[0];
  return [n?.prefix?.join(' '), n?.given?.join(' '), n?.family].filter(Boolean).join(' ') || (p.id ?? '');
}
