/**
 * Code-system URIs (terminology.md "Frequently used system URIs"): the one place they are written.
 * `write` is what the app puts in what it writes; `read` also lists the spellings accepted when reading.
 */
export const CODE_SYSTEMS = {
  cpt: { write: 'http://www.ama-assn.org/go/cpt', read: ['http://www.ama-assn.org/go/cpt'] },
  hcpcs: {
    write: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    // THO / CARIN BB 2.x spelling
    read: ['http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'],
  },
  rxnorm: { write: 'http://www.nlm.nih.gov/research/umls/rxnorm', read: ['http://www.nlm.nih.gov/research/umls/rxnorm'] },
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
