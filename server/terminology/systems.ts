/**
 * Code-system URIs (terminology.md "Frequently used system URIs"): the one place they are written.
 * `write` is what the app puts in what it writes; `read` also lists the spellings accepted when reading.
 */
export const CODE_SYSTEMS = {
  // CPT's OID 2.16.840.1.113883.6.12: THO "External Code Systems" table (https://terminology.hl7.org/5.2.0/external_terminologies.html:
  // "Current Procedural Terminology (CPT) … http://www.ama-assn.org/go/cpt 2.16.840.1.113883.6.12")
  cpt: { write: 'http://www.ama-assn.org/go/cpt', read: ['http://www.ama-assn.org/go/cpt', 'urn:oid:2.16.840.1.113883.6.12'] },
  hcpcs: {
    write: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    // https: THO / CARIN BB 2.x spelling. The OID 2.16.840.1.113883.6.285 is HCPCS Level II: THO CodeSystem hcpcs-Level-II
    // (https://build.fhir.org/ig/HL7/UTG/CodeSystem-hcpcs-Level-II.json.html, identifier "urn:oid:2.16.840.1.113883.6.285")
    // and US Core's terminology page (http://hl7.org/fhir/us/core/terminology.html, "HCPCS level II … 2.16.840.1.113883.6.285").
    read: ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'urn:oid:2.16.840.1.113883.6.285'],
  },
  // the OID is THO's other identifier of RxNorm (CodeSystem v3-rxNorm)
  rxnorm: { write: 'http://www.nlm.nih.gov/research/umls/rxnorm', read: ['http://www.nlm.nih.gov/research/umls/rxnorm', 'urn:oid:2.16.840.1.113883.6.88'] },
  ndc: { write: 'http://hl7.org/fhir/sid/ndc', read: ['http://hl7.org/fhir/sid/ndc'] },
  icd10cm: { write: 'http://hl7.org/fhir/sid/icd-10-cm', read: ['http://hl7.org/fhir/sid/icd-10-cm', 'urn:oid:2.16.840.1.113883.6.90'] },
} as const;

export type CodeSystemKey = keyof typeof CODE_SYSTEMS;

/**
 * HCPCS of all levels (Level I = CPT, Level II = CMS's alphanumeric codes) under one system: THO CodeSystem
 * HCPCS-all-codes "HCFA Procedure Codes (HCPCS)", url http://terminology.hl7.org/CodeSystem/HCPCS-all-codes,
 * identifier "urn:oid:2.16.840.1.113883.6.14" (retired in THO 2021-02-23, still sent by C-CDA-derived records;
 * https://build.fhir.org/ig/HL7/UTG/CodeSystem-HCPCS-all-codes.json.html). Which level a code is, is told by its shape.
 */
export const HCPCS_ALL_LEVELS: readonly string[] = ['urn:oid:2.16.840.1.113883.6.14', 'http://terminology.hl7.org/CodeSystem/HCPCS-all-codes'];
/** CPT Category I (5 digits), II (####F), III (####T), PLA (####U) */
const LEVEL_I = /^\d{4}[\dFTU]$/i;
/** Level II: a letter A–V and four digits ("Level II alphanumeric procedure and modifier codes comprise the A to V range", THO) */
const LEVEL_II = /^[A-V]\d{4}$/i;

/**
 * The system a coding belongs to, by any accepted spelling (undefined when not one of ours). A code under HCPCS
 * of all levels is CPT or HCPCS Level II by its shape, and neither when it has neither shape.
 */
export function codeSystemOf(system: string | undefined, code?: string): CodeSystemKey | undefined {
  if (!system) return undefined;
  for (const key of Object.keys(CODE_SYSTEMS) as CodeSystemKey[]) {
    if ((CODE_SYSTEMS[key].read as readonly string[]).includes(system)) return key;
  }
  if (HCPCS_ALL_LEVELS.includes(system)) {
    const c = code?.trim() ?? '';
    return LEVEL_I.test(c) ? 'cpt' : LEVEL_II.test(c) ? 'hcpcs' : undefined;
  }
  return undefined;
}
/** does this coding carry a code of `key` (any accepted spelling, HCPCS all levels by the code's shape)? */
export const isCodeOf = (key: CodeSystemKey, system: string | undefined, code: string | undefined): boolean => !!code && codeSystemOf(system, code) === key;

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
