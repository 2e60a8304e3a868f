/**
 * The clients registered with the sandbox's authorization server, each with the scopes it is registered for.
 * A token never carries a scope its client is not registered for (granted ⊆ registered ∩ requested), as at a
 * certified EHR where an app's scopes are fixed when it is registered.
 *
 * - `pump-refill-coder`: the app (public client, PKCE). Registered for exactly what the app asks for: the review's
 *   read scopes and the write-back create scopes (launch/profiles.ts CLINICIAN_SCOPES), the records the extractor
 *   reads (Medication, DocumentReference, Binary, PractitionerRole), the update that marks a replaced version, and the
 *   administrator sign-in (openid fhirUser). No wildcards, no delete, no user/ access to patient data.
 * - `sandbox-fixture-writer`: the sandbox's own data-loading tool (as an EHR's back-office tool would be), used by
 *   tests to plant records; broad scopes, and a redirect URI inside the sandbox that no app serves.
 */
import type { SandboxUrls } from './bases.js';

export interface SandboxClient {
  id: string;
  label: string;
  /** registered scopes (SMART v2 letters; wildcards only where the registration says so) */
  scopes: readonly string[];
  redirectUris(urls: SandboxUrls): string[];
}

const APP_READ_TYPES = [
  'Patient', 'Coverage', 'Device', 'Procedure', 'MedicationAdministration', 'Medication', 'Condition', 'Encounter',
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Claim', 'DocumentReference', 'Provenance',
] as const;
/** Types outside the patient compartment the app may read at user level (shared directory data, no patient data). */
const APP_USER_READ_TYPES = ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication'] as const;

export const APP_CLIENT: SandboxClient = {
  id: 'pump-refill-coder',
  label: 'Pump Refill Coder',
  scopes: [
    'launch', 'openid', 'fhirUser', 'online_access',
    ...APP_READ_TYPES.map((t) => `patient/${t}.rs`),
    // Binary is read by id (through its securityContext); patient-scoped Binary searches are refused, so `.rs` → `.r`
    'patient/Binary.r',
    'patient/Claim.c', 'patient/DocumentReference.c',
    // a new version of a visit marks the note/claim it replaces (update of the patient's own resources only)
    'patient/Claim.u', 'patient/DocumentReference.u',
    // the Provenance of the drafts (its targets include the Patient, so it is in the patient's compartment)
    'patient/Provenance.c',
    ...APP_USER_READ_TYPES.map((t) => `user/${t}.rs`),
  ],
  redirectUris: (urls) => urls.redirectUris,
};

export const WRITER_CLIENT_ID = 'sandbox-fixture-writer';

export const WRITER_CLIENT: SandboxClient = {
  id: WRITER_CLIENT_ID,
  label: 'Sandbox fixture writer (tests)',
  scopes: [
    'launch', 'launch/patient', 'launch/encounter', 'openid', 'fhirUser', 'profile', 'online_access', 'offline_access',
    'patient/*.cruds', 'user/*.cruds',
  ],
  redirectUris: (urls) => [`${urls.sandbox}/fixture-writer/callback`],
};

export const SANDBOX_CLIENTS: readonly SandboxClient[] = [APP_CLIENT, WRITER_CLIENT];

export function findClient(id: string | undefined): SandboxClient | undefined {
  return SANDBOX_CLIENTS.find((c) => c.id === id);
}
