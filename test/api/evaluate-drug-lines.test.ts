/**
 * Issue 8 through the real server: a clinician-drafted drug code with fractional units is accepted (200) and
 * warned; the drug line carries units computed from the dose, with the arithmetic in its rationale; an S code
 * for a Medicare patient becomes J2274; mapping options (compounded code, KD) pass the schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluateResponse, PayerMappingInput } from '../../server/contracts/index.js';
import { visit } from '../../server/policy/scenarios.js';
import { startTestServer } from '../../server/testing.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const evaluate = async (body: object) => {
  const res = await fetch(server.url + '/api/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as unknown };
};

describe('POST /api/evaluate — drug lines', () => {
  it('J2274 × 14.5 from a charge: 200, a warning, and J2274 × 15 computed from 145 mg', async () => {
    const facts = visit({
      policyId: 'centene-cp-mp-173',
      drugs: [{ name: 'Infumorph', amount: 145, unit: 'mg', compounded: false, purchasedBy: 'practice' }],
      proposedCodes: [{ code: 'J2274', units: 14.5 }],
    });
    const { status, body } = await evaluate({ facts });
    expect(status).toBe(200);
    const d = EvaluateResponse.parse(body).determination;
    const line = d.lines.find((l) => l.code === 'J2274')!;
    expect(line.units).toBe(15);
    expect(line.rationale).toContain('145 mg ÷ 10 mg = 14.5, rounded up to 15 units');
    expect(d.warnings.find((w) => w.id === 'proposed-code-not-supported')?.message).toContain('14.5 units');
  });

  it('S0093 for a Medicare patient: no S-code line, J2274 instead, S9328 listed as not covered', async () => {
    const facts = visit({
      policyId: 'cms-medicare', coverage: { lineOfBusiness: 'medicare' }, serviceState: 'UT',
      drugs: [{ name: 'morphine sulfate PF', hcpcs: 'S0093', amount: 500, unit: 'mg', compounded: false, purchasedBy: 'practice' }],
    });
    const { status, body } = await evaluate({ facts });
    expect(status).toBe(200);
    const d = EvaluateResponse.parse(body).determination;
    expect(d.lines.some((l) => l.code.startsWith('S'))).toBe(false);
    expect(d.lines.find((l) => l.code === 'J2274')?.units).toBe(50);
    expect(d.notCovered.map((n) => n.code)).toContain('S9328');
  });

  it('a mapping may set the compounded-drug code and KD; anything else is rejected', () => {
    const base = { priority: 1, enabled: true, match: { payerName: 'Example' }, policyId: 'cms-medicare', lineOfBusiness: 'medicare' };
    expect(PayerMappingInput.safeParse({ ...base, options: { compoundedDrugCode: 'J7799', kdModifier: true } }).success).toBe(true);
    expect(PayerMappingInput.safeParse({ ...base, options: { compoundedDrugCode: 'J9999' } }).success).toBe(false);
  });
});
