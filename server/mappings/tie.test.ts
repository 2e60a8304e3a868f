import { describe, expect, it } from 'vitest';
import { EvaluateResponse, PayerMapping, VisitFacts } from '../contracts/index';
import { determine } from '../http/evaluation';
import { defaultMappingsAsStored } from './index';
import { mappingTieMessage } from './tie';

/** the sandbox's Georgia Peach State Medicaid member, as facts */
const peachState = VisitFacts.parse({
  serviceDate: '2026-02-10', patient: { id: 'pt-centene-ga', state: 'GA' },
  coverage: { payerName: 'Peach State Health Plan', planName: 'Peach State Health Plan Medicaid', typeCodes: ['211'], lineOfBusiness: 'medicaid' },
  device: { kind: 'implanted-programmable-pump', route: 'intrathecal' },
  services: { electronicAnalysis: true, refill: false, reprogramming: 'none', analysisReason: 'MRI' },
  performer: { role: 'physician', physicianSkillRequired: false },
  drugs: [], diagnoses: ['G89.4'], separateEvaluation: { performed: false },
});

/** what an administrator did in the issue: a rule sending Georgia Medicaid to the U of U policy, at Peach State's priority */
const rival = PayerMapping.parse({
  id: '0b1f7c2e-georgia', version: 1, name: 'Georgia Medicaid (test)', priority: 220, enabled: true,
  match: { coverageType: ['2'], states: ['GA'] }, policyId: 'uuhp', lineOfBusiness: 'medicaid',
});

describe('a payer mapping tie at evaluation time', () => {
  it('with the defaults alone, the Peach State member gets Centene CP.MP.173, no tie', () => {
    const r = determine(peachState, defaultMappingsAsStored());
    expect(r.determination.policy.id).toBe('centene-cp-mp-173');
    expect(r.recordNotices).toEqual([]);
    expect(r.determination.warnings.map((w) => w.id)).not.toContain('payer-mapping-tie');
  });

  it('falls back to CPT-only rules (never the lowest id), with the problem at the top and the tied mappings named', () => {
    const r = determine(peachState, [...defaultMappingsAsStored(), rival]);
    // the random-looking id sorts before every default: the old resolver picked it and showed the U of U policy
    expect(r.resolution.tie?.sort()).toEqual(['0b1f7c2e-georgia', 'centene-peach-state-medicaid']);
    expect(r.resolution.winner).toBeNull();
    expect(r.determination.policy.id).toBe('cpt-default');
    expect(r.context).toMatchObject({ policyId: 'cpt-default', mappingMatched: true });
    const first = r.determination.warnings[0]!;
    expect(first).toMatchObject({ id: 'payer-mapping-tie', severity: 'error' });
    expect(first.message).toMatch(/^Two payer mappings disagree; an administrator must choose\./);
    expect(first.message).toContain("'Georgia Medicaid (test)' (U of U Health Plans");
    expect(first.message).toContain("'Peach State Health Plan (Centene) — Medicaid' (Centene CP.MP.173");
    expect(first.message).toContain('at priority 220');
    expect(first.citations.length).toBeGreaterThan(0);
    // "no mapping matched" would be untrue: mappings matched, they disagree
    expect(r.determination.warnings.map((w) => w.id)).not.toContain('no-matching-policy');
    expect(r.recordNotices).toEqual([{ id: 'payer-mapping-tie', severity: 'error', message: first.message }]);
    // the response contract carries the notices
    expect(EvaluateResponse.safeParse({ facts: peachState, factSources: {}, determination: r.determination, references: {},
      mapping: { policyId: 'cpt-default', lineOfBusiness: 'medicaid', matched: true }, recordNotices: r.recordNotices }).success).toBe(true);
  });

  it('says nothing when the tied mappings agree, or when the facts force a policy module', () => {
    const agreeing = { ...rival, policyId: 'centene-cp-mp-173' as const };
    expect(determine(peachState, [...defaultMappingsAsStored(), agreeing]).recordNotices).toEqual([]);
    const forced = determine({ ...peachState, policyId: 'centene-cp-mp-173' }, [...defaultMappingsAsStored(), rival]);
    expect(forced.determination.policy.id).toBe('centene-cp-mp-173');
    expect(forced.recordNotices).toEqual([]);
    expect(forced.determination.warnings.map((w) => w.id)).not.toContain('payer-mapping-tie');
  });

  it('names three or more tied mappings in one sentence', () => {
    const m = (id: string, name: string | undefined, policyId: PayerMapping['policyId']) =>
      PayerMapping.parse({ id, version: 1, priority: 5, enabled: true, match: {}, policyId, lineOfBusiness: 'commercial', ...(name ? { name } : {}) });
    const text = mappingTieMessage([m('a', 'A plan', 'uuhp'), m('b', undefined, 'icare-ma'), m('c', 'C plan', 'cms-medicare')]);
    expect(text).toMatch(/^3 payer mappings disagree; an administrator must choose\. 'A plan' \(U of U.*\), 'b' \(iCare.*\) and 'C plan' \(Traditional Medicare.*\) all match/);
  });
});
