/** Synthetic Coverage resources (no real people) to try the mapping rules on the Preview screen. */
const coverage = (id: string, payer: string, plan: string | undefined, typeCode: string, typeDisplay: string) => ({
  resourceType: 'Coverage',
  id,
  status: 'active',
  type: { coding: [{ system: 'urn:oid:2.16.840.1.113883.3.221.5', code: typeCode, display: typeDisplay }] },
  beneficiary: { reference: 'Patient/example' },
  payor: [{ display: payer }],
  ...(plan ? { class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: plan, name: plan }] } : {}),
});

export const sampleCoverages: { id: string; label: string; state: string; coverage: Record<string, unknown> }[] = [
  { id: 'uuhp-commercial', label: 'U of U Health Plans — commercial (UT)', state: 'UT', coverage: coverage('uuhp-commercial', 'University of Utah Health Plans', 'U of U Health Plans Commercial', '5', 'Private Health Insurance') },
  { id: 'uuhp-healthy-u', label: 'Healthy U — Medicaid (UT)', state: 'UT', coverage: coverage('uuhp-healthy-u', 'University of Utah Health Plans', 'Healthy U', '2', 'Medicaid') },
  { id: 'uuhp-advantage-u', label: 'Advantage U — Medicare Advantage (UT)', state: 'UT', coverage: coverage('uuhp-advantage-u', 'University of Utah Health Plans', 'Advantage U', '111', 'Medicare HMO') },
  { id: 'icare-ma', label: 'iCare — Medicare Advantage (WI)', state: 'WI', coverage: coverage('icare-ma', 'Independent Care Health Plan (iCare)', 'iCare Medicare Advantage', '111', 'Medicare HMO') },
  { id: 'centene', label: 'Centene plan — Medicaid (MO)', state: 'MO', coverage: coverage('centene', 'Home State Health (Centene)', 'Home State Health Medicaid', '2', 'Medicaid') },
  { id: 'medicare', label: 'Traditional Medicare (Part B)', state: 'CA', coverage: coverage('medicare', 'Medicare', 'Medicare Part B', '121', 'Medicare FFS') },
  { id: 'unknown', label: 'Unknown payer', state: 'TX', coverage: coverage('unknown', 'Acme Mutual', undefined, '5', 'Private Health Insurance') },
];
