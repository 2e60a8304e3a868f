/** The write-back plan's sentences (what the screen says will happen before the click). */
export const writeS = {
  docLabelGeneric: 'DocumentReference (the refill documentation checklist)',
  docLabelEpic: 'DocumentReference (note for signature, plain text)',
  docLabelOracle: 'DocumentReference (note authored by you)',
  claimLabel: 'Claim draft (status draft), linked to the note',
  claimInWorklist: (reason: string) => `Claim draft kept in the billing worklist (${reason})`,
  claimNotAcceptedByVendor: 'this EHR does not accept Claim',
  claimNotOffered: 'this EHR\'s CapabilityStatement does not offer Claim create',
  claimScopeMissing: 'the EHR did not grant the Claim write scope',
  docScopeMissing: 'the EHR did not grant permission to create notes (DocumentReference write scope)',
  docNotOffered: 'this EHR\'s CapabilityStatement does not offer DocumentReference create',
  epicNeedsEncounter: 'Epic files notes against an encounter, and this launch has none — relaunch from the visit\'s encounter',
  oracleNeedsUser: 'Oracle Health needs the signed-in provider as the note\'s author, and the launch did not say who you are (fhirUser)',
  planSummary: (parts: string[]) => `Will write: ${parts.join(', ')}.`,
  planBlocked: (reason: string) => `Nothing can be written to the EHR: ${reason}. The Claim draft is kept in the billing worklist.`,
} as const;
