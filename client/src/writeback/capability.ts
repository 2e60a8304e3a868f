/** What the EHR's CapabilityStatement (GET metadata) says about writing DocumentReference, Claim and Provenance. */
type Written = 'DocumentReference' | 'Claim' | 'Provenance';
export interface Capability {
  known: boolean;
  create: Record<Written, boolean>;
  update: Record<Written, boolean>;
  conditionalCreate: Record<Written, boolean>;
}

export const UNKNOWN_CAPABILITY: Capability = {
  known: false,
  create: { DocumentReference: true, Claim: false, Provenance: false },
  update: { DocumentReference: false, Claim: false, Provenance: false },
  conditionalCreate: { DocumentReference: false, Claim: false, Provenance: false },
};

interface CsResource { type?: string; interaction?: { code?: string }[]; conditionalCreate?: boolean }

export function parseCapability(cs: unknown): Capability {
  const doc = cs as { resourceType?: string; rest?: { mode?: string; resource?: CsResource[] }[] } | null;
  if (!doc || doc.resourceType !== 'CapabilityStatement' || !Array.isArray(doc.rest)) return UNKNOWN_CAPABILITY;
  const server = doc.rest.find((r) => r.mode === 'server') ?? doc.rest[0];
  const find = (type: string) => server?.resource?.find((r) => r.type === type);
  const can = (type: string, code: string) => !!find(type)?.interaction?.some((i) => i.code === code);
  const per = (f: (t: Written) => boolean) => ({ DocumentReference: f('DocumentReference'), Claim: f('Claim'), Provenance: f('Provenance') });
  return {
    known: true,
    create: per((t) => can(t, 'create')),
    update: per((t) => can(t, 'update')),
    conditionalCreate: per((t) => can(t, 'create') && find(t)?.conditionalCreate === true),
  };
}
