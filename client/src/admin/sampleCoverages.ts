/**
 * Synthetic Coverage resources (no real people), modelled like the sandbox patients' (SOPT type codes, plan in
 * Coverage.class, payer named on the payor reference), to try the mapping rules on the Preview screen.
 */
const SOPT = 'https://nahdo.org/sopt';

const coverage = (id: string, payer: string, plan: string | undefined, typeCode: string, typeDisplay: string) => ({
  resourceType: 'Coverage',
  id,
  status: 'active',
  type: { coding: [{ system: SOPT, code: typeCode, display: typeDisplay }], text: typeDisplay },
  beneficiary: { reference: 'Patient/example' },
  payor: [{ display: payer }],
  ...(plan ? { class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: plan.toUpperCase().replace(/\W+/g, '-'), name: plan }] } : {}),
});

export const sampleCoverages: { id: string; label: string; state: string; coverage: Record<string, unknown> }[] = [
  { id: 'uuhp-commercial', label: 'U of U Health Plans — commercial PPO (UT)', state: 'UT', coverage: coverage('sample-uuhp-commercial', 'University of Utah Health Plans', 'U of U Health Plans Commercial PPO', '512', 'Commercial Managed Care - PPO') },
  { id: 'uuhp-healthy-u', label: 'Healthy U — Medicaid (UT)', state: 'UT', coverage: coverage('sample-uuhp-healthy-u', 'University of Utah Health Plans', 'Healthy U', '211', 'Medicaid HMO') },
  { id: 'uuhp-advantage-u', label: 'Advantage U — Medicare Advantage (UT)', state: 'UT', coverage: coverage('sample-uuhp-advantage-u', 'University of Utah Health Plans', 'Advantage U', '111', 'Medicare HMO') },
  { id: 'icare-ma', label: 'iCare — Medicare Advantage (WI)', state: 'WI', coverage: coverage('sample-icare-ma', 'Independent Care Health Plan (iCare)', 'iCare Medicare Advantage', '111', 'Medicare HMO') },
  { id: 'centene', label: 'Peach State Health Plan (Centene) — Medicaid (GA)', state: 'GA', coverage: coverage('sample-centene', 'Peach State Health Plan', 'Peach State Health Plan Medicaid', '211', 'Medicaid HMO') },
  { id: 'medicare', label: 'Traditional Medicare (Part B, CA)', state: 'CA', coverage: coverage('sample-medicare', 'Medicare Part B', undefined, '121', 'Medicare FFS') },
  { id: 'unknown', label: 'A payer with no mapping (TX)', state: 'TX', coverage: coverage('sample-unknown', 'Acme Mutual Insurance', undefined, '5', 'Private Health Insurance') },
];
