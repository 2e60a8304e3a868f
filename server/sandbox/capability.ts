/** The CapabilityStatement each vendor mode answers at /metadata: what that mode supports, with SMART's oauth-uris. */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { FhirBase, SandboxUrls } from './bases.js';
import { introspectionUrl, revocationUrl } from './oauth.js';

/** The resource types the sandbox advertises (any R4 type can be read; these are the ones that matter here). */
export const ADVERTISED_TYPES = [
  'Patient', 'Coverage', 'Device', 'Procedure', 'MedicationAdministration', 'Medication', 'Condition', 'Encounter',
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Observation', 'Claim', 'DocumentReference', 'Provenance',
  'Binary',
] as const;

/** Types without a `patient` search parameter (outside the patient compartment, or Binary). */
const NO_PATIENT_PARAM = new Set<string>(['Patient', 'Practitioner', 'Organization', 'Location', 'Medication', 'PractitionerRole', 'Binary']);

export function capabilityStatement(urls: SandboxUrls, base: FhirBase): CapabilityStatement {
  const { mode } = base;
  const resource: CapabilityStatementRestResource[] = ADVERTISED_TYPES.map((type) => {
    const writable = !mode.writableTypes || mode.writableTypes.has(type);
    const interaction: CapabilityStatementRestResource['interaction'] = [{ code: 'read' }, { code: 'vread' }, { code: 'search-type' }];
    if (writable) interaction.push({ code: 'create' }, { code: 'update' });
    if (writable && mode.id === 'generic') interaction.push({ code: 'delete' });
    const r: CapabilityStatementRestResource = {
      type,
      interaction,
      searchParam: [
        { name: '_id', type: 'token' },
        ...(type === 'Patient' ? [{ name: 'identifier', type: 'token' as const }] : []),
        ...(!NO_PATIENT_PARAM.has(type) ? [{ name: 'patient', type: 'reference' as const }] : []),
      ],
    };
    if (writable) {
      r.conditionalCreate = mode.conditionalCreate;
      r.conditionalUpdate = false;
      r.conditionalDelete = 'not-supported';
    }
    return r;
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    publisher: 'Pump Refill Coder sandbox',
    software: { name: `Pump Refill Coder sandbox EHR (${mode.label})`, version: '1' },
    implementation: { description: `Sandbox EHR, ${mode.label}`, url: base.url },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [{
      mode: 'server',
      security: {
        cors: false,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: urls.authorize },
            { url: 'token', valueUri: urls.token },
            { url: 'introspect', valueUri: introspectionUrl(urls) },
            { url: 'revoke', valueUri: revocationUrl(urls) },
          ],
        }],
      },
      resource,
      interaction: mode.transactions ? [{ code: 'transaction' }, { code: 'batch' }] : [],
    }],
  };
}
