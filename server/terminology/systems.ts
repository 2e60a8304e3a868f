/**
 * Code-system URIs (terminology.md "Frequently used system URIs"): the one place they are written.
 * `write` is what the app puts in what it writes; `read` also lists the spellings accepted when reading.
 */
export const CODE_SYSTEMS = {
  cpt: { write: 'http://www.ama-assn.org/go/cpt', read: ['http://www.ama-assn.org/go/cpt', 'urn:oid:2.16.840.1.113883.6.12'] },
  hcpcs: {
    write: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    // THO / CARIN BB 2.x spelling
    read: ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'],
  },
  // the OID is THO's other identifier of RxNorm (CodeSystem v3-rxNorm)
  rxnorm: { write: 'http://www.nlm.nih.gov/research/umls/rxnorm', read: ['http://www.nlm.nih.gov/research/umls/rxnorm', 'urn:oid:2.16.840.1.113883.6.88'] },
  ndc: { write: 'http://hl7.org/fhir/sid/ndc', read: ['http://hl7.org/fhir/sid/ndc'] },
  icd10cm: { write: 'http://hl7.org/fhir/sid/icd-10-cm', read: ['http://hl7.org/fhir/sid/icd-10-cm', 'urn:oid:2.16.840.1.113883.6.90'] },
} as const;

export type CodeSystemKey = keyof typeof CODE_SYSTEMS;

/** The system a coding belongs to, by any accepted spelling (undefined when not one of ours). */
export function codeSystemOf(system: string | undefined): CodeSystemKey | undefined {
  if (!system) return undefined;
  for (const key of Object.keys(CODE_SYSTEMS) as CodeSystemKey[]) {
    if ((CODE_SYSTEMS[key].read as readonly string[]).includes(system)) return key;
  }
  return undefined;
}

/**
 * The other systems the extraction recognises in EHR records (terminology.md): written nowhere else.
 * `cpt`, `hcpcs`, `rxnorm` and `icd10cm` are the read spellings of CODE_SYSTEMS.
 */
export const RECORD_SYSTEMS = {
  cpt: CODE_SYSTEMS.cpt.read,
  hcpcs: CODE_SYSTEMS.hcpcs.read,
  rxnorm: CODE_SYSTEMS.rxnorm.read,
  icd10cm: CODE_SYSTEMS.icd10cm.read,
  snomed: 'http://snomed.info/sct',
  sopt: ['https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5'],
  pos: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  v20360: 'http://terminology.hl7.org/CodeSystem/v2-0360',
  nucc: 'http://nucc.org/provider-taxonomy',
  naic: 'urn:oid:2.16.840.1.113883.6.300',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
} as const;
