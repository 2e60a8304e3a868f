/**
 * Issue 8: drug lines, units, modifiers, S codes, checklist triggers and citation rules, through evaluateVisit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Determination } from '../contracts/index.js';
import { CPT_PUMP_CODES, HCPCS_DRUG_CODES, CMS_HCPCS_2019, strengthsFromNames } from '../terminology/index.js';
import { FORUM, payerOfCitation, SEED } from './citations.js';
import { DRUG_SCENARIOS } from './drug-scenarios.js';
import { evaluateVisit } from './index.js';
import { ctx, SCENARIOS, visit } from './scenarios.js';

function checkExpectations(d: Determination, e: (typeof DRUG_SCENARIOS)[number]['expect']): void {
  const lines = d.lines.map((l) => ({ code: l.code, modifiers: l.modifiers, units: l.units }));
  expect(lines.map((l) => l.code).sort()).toEqual(e.lines.map((l) => l.code).sort());
  for (const want of e.lines) {
    const match = lines.find((l) => l.code === want.code
      && (want.modifiers === undefined || JSON.stringify(l.modifiers) === JSON.stringify(want.modifiers))
      && (want.units === undefined || l.units === want.units));
    expect(match, `line ${JSON.stringify(want)} in ${JSON.stringify(lines)}`).toBeDefined();
  }
  const warningIds = d.warnings.map((w) => w.id);
  for (const id of e.warnings ?? []) expect(warningIds, `warning ${id}`).toContain(id);
  for (const id of e.absentWarnings ?? []) expect(warningIds, `no warning ${id}`).not.toContain(id);
  const items = new Map(d.checklist.map((c) => [c.id, c]));
  for (const id of e.requiredChecklist ?? []) expect(items.get(id)?.required, `required checklist ${id}`).toBe(true);
  for (const id of e.optionalChecklist ?? []) expect(items.get(id)?.required, `optional checklist ${id}`).toBe(false);
  for (const id of e.absentChecklist ?? []) expect(items.has(id), `no checklist ${id}`).toBe(false);
  for (const code of e.notCovered ?? []) expect(d.notCovered.map((n) => n.code)).toContain(code);
}

describe('drug, unit, modifier and checklist scenarios', () => {
  it.each(DRUG_SCENARIOS.map((s) => [s.name, s] as const))('%s', (_n, s) => {
    checkExpectations(evaluateVisit(s.facts, s.context), s.expect);
  });
});

const drugLine = (d: Determination, code: string) => d.lines.find((l) => l.code === code && !l.modifiers.includes('JW'));

describe('what people read on a drug line', () => {
  it('the rationale shows the arithmetic: "40 mg ÷ 10 mg = 4 units"', () => {
    const d = evaluateVisit(visit({ drugs: [{ name: 'baclofen', amount: 40, unit: 'mg', compounded: false, purchasedBy: 'practice' }] }), ctx('cpt-default', 'commercial'));
    expect(drugLine(d, 'J0475')?.rationale).toContain('40 mg ÷ 10 mg = 4 units');
  });
  it('a dose in mL shows the conversion and the rounding', () => {
    const d = evaluateVisit(visit({ drugs: strengthsFromNames([{ name: 'Infumorph 25 mg/mL', amount: 0.9, unit: 'mL' as const, compounded: false, purchasedBy: 'practice' as const }]) }), ctx('cpt-default', 'commercial'));
    expect(drugLine(d, 'J2274')?.rationale).toContain('0.9 mL × 25 mg/mL = 22.5 mg; 22.5 mg ÷ 10 mg = 2.25, rounded up to 3 units');
  });
  it('mL without a concentration: the required drug-verification item says exactly what is missing', () => {
    const d = evaluateVisit(visit({ drugs: [{ name: 'Gablofen', amount: 20, unit: 'mL', compounded: false, purchasedBy: 'practice' }] }), ctx('cpt-default', 'commercial'));
    const item = d.checklist.find((c) => c.id === 'drug-verification')!;
    expect(item.required).toBe(true);
    expect(item.text).toContain('recorded as 20 mL but the concentration (mg/mL or mcg/mL) is not on the record');
    expect(item.text).toContain('J0475');
    expect(d.lines.some((l) => l.system === 'HCPCS')).toBe(false);
  });
  it('a record code with the wrong units: the warning names both numbers', () => {
    const d = evaluateVisit(visit({ drugs: [{ name: 'baclofen', hcpcs: 'J0475', amount: 40, unit: 'mg', compounded: false, purchasedBy: 'practice' }], proposedCodes: [{ code: 'J0475', units: 40 }] }), ctx('cpt-default', 'commercial'));
    const w = d.warnings.find((x) => x.id === 'proposed-code-not-supported')!;
    expect(w.message).toContain('J0475 × 40');
    expect(w.message).toContain('Bill J0475 × 4, not 40');
  });
  it('S0093 under Medicare: the rationale says it was replaced by J2274 and why', () => {
    const d = evaluateVisit(visit({ patient: { state: 'UT' }, drugs: [{ name: 'morphine PF', hcpcs: 'S0093', amount: 500, unit: 'mg', compounded: false, purchasedBy: 'practice' }] }), ctx('cms-medicare', 'medicare'));
    expect(drugLine(d, 'J2274')?.rationale).toMatch(/S0093 is an S code.*not payable by Medicare.*J2274 is billed instead/);
    expect(d.lines.some((l) => l.code.startsWith('S'))).toBe(false);
  });
  it('hydromorphone from 2024-10-01: J1170 with the unconfirmed J1171 change named on the checklist', () => {
    const d = evaluateVisit(visit({ serviceDate: '2025-01-15', drugs: [{ name: 'hydromorphone', amount: 10, unit: 'mg', compounded: false, purchasedBy: 'practice' }] }), ctx('cpt-default', 'commercial'));
    expect(drugLine(d, 'J1170')?.units).toBe(3);
    expect(d.checklist.find((c) => c.id === 'drug-verification')?.text).toContain('J1171');
  });
});

describe('citation rules (DESIGN.md "Citations shown to people")', () => {
  const all = [...SCENARIOS, ...DRUG_SCENARIOS];
  it('a payer\'s text never appears on another payer\'s determination', () => {
    for (const s of all) {
      const d = evaluateVisit(s.facts, s.context);
      for (const part of [...d.lines, ...d.warnings, ...d.notCovered, ...d.checklist]) {
        for (const c of part.citations) {
          const payer = payerOfCitation(c);
          expect(payer === undefined || payer === d.policy.id, `${s.name}: ${c.source} on ${d.policy.id}`).toBe(true);
        }
      }
    }
  });
  it('a traditional Medicare 62369 line does not cite U of U', () => {
    const d = evaluateVisit(visit({ patient: { state: 'UT' } }), ctx('cms-medicare', 'medicare'));
    const line = d.lines.find((l) => l.code === '62369')!;
    expect(line.citations.some((c) => c.source === SEED.uuhp)).toBe(false);
  });
  it('a line with reprogramming never cites "no reprogramming … or refill is needed"', () => {
    for (const s of all) {
      const d = evaluateVisit(s.facts, s.context);
      for (const l of d.lines.filter((x) => x.code === '62368' || x.code === '62369' || x.code === '62370')) {
        expect(l.citations, s.name).not.toContain(FORUM.reprogrammingExample);
      }
    }
  });
  it('the governing payer\'s text comes first on its lines', () => {
    const u = evaluateVisit(visit({}), ctx('uuhp', 'commercial'));
    expect(u.lines.find((l) => l.code === '62369')!.citations[0]!.source).toBe(SEED.uuhp);
    const c = evaluateVisit(visit({ drugs: [{ name: 'Infumorph', amount: 30, unit: 'mg', compounded: false, purchasedBy: 'practice' }] }), ctx('centene-cp-mp-173', 'commercial'));
    expect(c.lines.find((l) => l.code === 'J2274')!.citations[0]!.source).toBe(SEED.centene);
    const i = evaluateVisit(visit({ patient: { state: 'WI' } }), ctx('icare-ma', 'medicare-advantage'));
    expect(i.lines.find((l) => l.code === '62369')!.citations[0]!.source).toBe(SEED.icare);
  });
});

// the CMS file lines and seed texts the code table quotes
const RESEARCH = [resolve(import.meta.dirname, '../../../shared/research'), '/work/shared/research'].find((d) => existsSync(join(d, 'hcpcs-2019-evidence.txt')));
const SEEDS = [resolve(import.meta.dirname, '../../../shared/seeds'), '/work/shared/seeds'].find((d) => existsSync(join(d, SEED.icare)));
const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

describe.skipIf(!RESEARCH)('the code table quotes the CMS HCPCS file verbatim', () => {
  const evidence = RESEARCH ? norm(readFileSync(join(RESEARCH, 'hcpcs-2019-evidence.txt'), 'utf8')) : '';
  const rows = HCPCS_DRUG_CODES.flatMap((r) => r.citations.filter((c) => c.source === CMS_HCPCS_2019 && c.quote).map((c) => [r.code, c.quote!] as const));
  it.each(rows)('%s: %s', (code, quote) => {
    expect(evidence).toContain(norm(code));
    expect(evidence).toContain(norm(quote));
  });
});

describe.skipIf(!SEEDS)('CPT descriptors are quoted as a seed policy prints them', () => {
  const seeds = SEEDS ? Object.values(SEED).map((f) => norm(readFileSync(join(SEEDS, f), 'utf8'))).join(' ') : '';
  it.each(CPT_PUMP_CODES.map((c) => [c.code, c.citation.quote!] as const))('%s', (_code, quote) => {
    expect(seeds).toContain(norm(quote));
  });
});
