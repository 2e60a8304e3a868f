/** What the EHR's CapabilityStatement (GET metadata) says about creating DocumentReference and Claim. */
export interface Capability {
  known: boolean;
  create: { DocumentReference: boolean; Claim: boolean };
  conditionalCreate: { DocumentReference: boolean; Claim: boolean };
}

export const UNKNOWN_CAPABILITY: Capability = {
  known: false,
  create: { DocumentReference: true, Claim: false },
  conditionalCreate: { DocumentReference: false, Claim: false },
};

interface CsResource { type?: string; interaction?: { code?: string }[]; conditionalCreate?: boolean }

export function parseCapability(cs: unknown): Capability {
  const doc = cs as { resourceType?: string; rest?: { mode?: string; resource?: CsResource[] }[] } | null;
  if (!doc || doc.resourceType !== 'CapabilityStatement' || !Array.isArray(doc.rest)) return UNKNOWN_CAPABILITY;
  const server = doc.rest.find((r) => r.mode === 'server') ?? doc.rest[0];
  const find = (type: string) => server?.resource?.find((r) => r.type === type);
  const creates = (type: string) => !!find(type)?.interaction?.some((i) => i.code === 'create');
  const conditional = (type: string) => creates(type) && find(type)?.conditionalCreate === true;
  return {
    known: true,
    create: { DocumentReference: creates('DocumentReference'), Claim: creates('Claim') },
    conditionalCreate: { DocumentReference: conditional('DocumentReference'), Claim: conditional('Claim') },
  };
}
