/** Mapping resolution with N mappings: the admin's worst case is many payers, most not matching. */
import { resolveMapping } from '../../server/mappings/resolve.js';
import type { CoverageMatchInput, PayerMapping } from '../../server/contracts/index.js';

export function benchMappingResolution(count: number): { microsecondsPerResolution: number; withReasonsMicroseconds: number } {
  const mappings: PayerMapping[] = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`, version: 1, priority: i % 100, enabled: i % 17 !== 0, policyId: 'cpt-default', lineOfBusiness: 'commercial',
    match: i % 3 === 0 ? { payerName: `Payer ${i} *` } : i % 3 === 1 ? { payerIdentifier: { value: String(10000 + i) }, states: ['UT', 'CA'] }
      : { planName: `Plan ${i}`, coverageType: ['5'] },
  }));
  const input: CoverageMatchInput = {
    payerIdentifiers: [{ system: 'urn:oid:2.16.840.1.113883.6.300', value: '10500' }],
    payerNames: ['Payer 501 Health'], planNames: ['Plan 502'], coverageTypes: ['512'], patientState: 'UT',
  };
  const time = (reasons: boolean) => {
    for (let i = 0; i < 200; i++) resolveMapping(mappings, input, { reasons });
    const runs = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) resolveMapping(mappings, input, { reasons });
    return Number(process.hrtime.bigint() - start) / 1e3 / runs;
  };
  // the evaluation path skips the reason sentences; the admin preview asks for them
  return { microsecondsPerResolution: time(false), withReasonsMicroseconds: time(true) };
}
