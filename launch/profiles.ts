/**
 * EHR profiles: which EHRs may launch the app and how (DESIGN.md "EHR profiles").
 * The server reads them from the JSON file named by EHR_PROFILES (default: the sandbox profiles) and
 * serves the public part at GET /api/ehr-profiles; the launch page authorizes only against these issuers.
 */
import { z } from 'zod';

// The vendor list and the profile shape live once, with the write-back contracts.
import { EhrProfile } from '../server/contracts/writeback';
export { EHR_VENDORS, EhrVendor, EhrProfile } from '../server/contracts/writeback';

export const EhrProfilesFile = z.object({ profiles: z.array(EhrProfile).min(1) }).strict();
export type EhrProfilesFile = z.infer<typeof EhrProfilesFile>;

/** The read scopes the review needs and the write scopes write-back needs (SMART v2 syntax). */
export const CLINICIAN_SCOPES = [
  'launch', 'openid', 'fhirUser', 'online_access',
  'patient/Patient.rs', 'patient/Coverage.rs', 'patient/Device.rs', 'patient/Procedure.rs',
  'patient/MedicationAdministration.rs', 'patient/Condition.rs', 'patient/Encounter.rs', 'patient/Practitioner.rs',
  'user/Practitioner.rs', 'patient/Organization.rs', 'patient/Location.rs',
  'patient/Medication.rs', 'patient/Binary.rs', 'patient/PractitionerRole.rs', 'user/PractitionerRole.rs',
  'patient/Claim.c', 'patient/DocumentReference.c', 'patient/Claim.rs', 'patient/DocumentReference.rs',
  // update: a new version of a visit marks the note it replaces superseded (where the EHR allows it)
  'patient/Claim.u', 'patient/DocumentReference.u',
  // Provenance of the drafts, where the EHR accepts it (generic servers); read, so a retry finds what an interrupted
  // attempt wrote instead of writing a second one
  'patient/Provenance.c', 'patient/Provenance.rs',
].join(' ');

/** The sandbox EHR's profiles, derived from the public URL of this server. */
export function sandboxProfiles(publicUrl: string): EhrProfile[] {
  const base = publicUrl.replace(/\/$/, '');
  return [
    { id: 'sandbox', name: 'Sandbox EHR (generic SMART)', vendor: 'generic', issuers: [`${base}/sandbox/fhir`],
      clientId: 'pump-refill-coder', scopes: CLINICIAN_SCOPES, adminSignIn: true },
    { id: 'sandbox-epic', name: 'Sandbox EHR (Epic mode)', vendor: 'epic', issuers: [`${base}/sandbox/epic/fhir`],
      clientId: 'pump-refill-coder', scopes: CLINICIAN_SCOPES, adminSignIn: false },
    { id: 'sandbox-oracle', name: 'Sandbox EHR (Oracle Health mode)', vendor: 'oracle',
      issuers: [`${base}/sandbox/oracle/ec2458f2-1e24-41c8-b71b-0e701af7583d/fhir`],
      clientId: 'pump-refill-coder', scopes: CLINICIAN_SCOPES, adminSignIn: false },
  ];
}
