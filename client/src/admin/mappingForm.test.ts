import { describe, expect, it } from 'vitest';
import type { PayerMapping } from '../../../server/contracts/index.js';
import { diffForms, emptyForm, errorFor, findTies, formFromMapping, reapply, searchMappings, validateForm } from './mappingForm.js';

const healthyU: PayerMapping = {
  id: 'uuhp-healthy-u', version: 2, priority: 200, enabled: true,
  match: { payerName: 'University of Utah Health Plans', planName: 'Healthy U', states: ['UT'] },
  policyId: 'uuhp', lineOfBusiness: 'medicaid', options: { reprogrammingMeaning: 'rate-or-dose-only' }, note: 'Utah Medicaid ACO',
};
const medicare: PayerMapping = {
  id: 'medicare', version: 1, priority: 10, enabled: true,
  match: { payerIdentifier: { value: 'CMS' }, coverageType: ['121'] }, policyId: 'cms-medicare', lineOfBusiness: 'medicare',
};

describe('mapping form', () => {
  it('round-trips a mapping through the form', () => {
    const v = validateForm(formFromMapping(healthyU));
    const { id: _i, version: _v, ...input } = healthyU;
    expect(v.ok && v.input).toEqual(input);
  });

  it('splits comma lists and upper-cases states', () => {
    const v = validateForm({ ...emptyForm, payerName: 'iCare', coverageType: '111, 112 ,', states: 'wi, mn', policyId: 'icare-ma', lineOfBusiness: 'medicare-advantage' });
    expect(v.ok && v.input.match).toEqual({ payerName: 'iCare', coverageType: ['111', '112'], states: ['WI', 'MN'] });
  });

  it('flags every bad field inline, under the contract paths', () => {
    const v = validateForm({ ...emptyForm, priority: 'high', payerName: 'x', states: 'Utah', payerIdSystem: 'urn:oid:1.2' });
    if (v.ok) throw new Error('expected errors');
    expect(errorFor(v.fieldErrors, 'priority')).toMatch(/whole number/);
    expect(errorFor(v.fieldErrors, 'policyId')).toBe('Choose a policy module.');
    expect(errorFor(v.fieldErrors, 'lineOfBusiness')).toBe('Choose a line of business.');
    expect(errorFor(v.fieldErrors, 'states')).toMatch(/two-letter/);
    expect(errorFor(v.fieldErrors, 'payerIdValue')).toMatch(/identifier value/);
  });

  it('insists on at least one match condition', () => {
    const v = validateForm({ ...emptyForm, policyId: 'cpt-default', lineOfBusiness: 'unknown' });
    expect(!v.ok && v.fieldErrors.match).toMatch(/at least one match condition/);
  });
});

describe('412: diff and reapply', () => {
  const base = formFromMapping(healthyU);
  const yours = { ...base, note: 'checked with billing', enabled: false };
  const current = { ...base, policyId: 'cpt-default', note: 'someone else' };

  it('shows field by field what changed meanwhile and what you changed', () => {
    const rows = diffForms(base, yours, current);
    const byField = Object.fromEntries(rows.map((r) => [r.field, r]));
    expect(byField.policyId).toMatchObject({ changedMeanwhile: true, changedByYou: false, yours: 'uuhp', current: 'cpt-default' });
    expect(byField.enabled).toMatchObject({ changedMeanwhile: false, changedByYou: true, yours: 'no', current: 'yes' });
    expect(byField.note).toMatchObject({ conflict: true, base: 'Utah Medicaid ACO', yours: 'checked with billing', current: 'someone else' });
    expect(byField.planName).toMatchObject({ changedMeanwhile: false, changedByYou: false });
  });

  it('reapplies your changes on top of the current version, keeping theirs elsewhere', () => {
    const merged = reapply(base, yours, current);
    expect(merged).toMatchObject({ policyId: 'cpt-default', enabled: false, note: 'checked with billing', planName: 'Healthy U' });
  });

  it('ignores whitespace-only differences in comma lists', () => {
    const rows = diffForms({ ...base, states: 'UT,ID' }, { ...base, states: 'UT, ID' }, { ...base, states: 'UT,ID' });
    expect(rows.find((r) => r.field === 'states')).toMatchObject({ changedByYou: false, changedMeanwhile: false });
  });
});

describe('ties and search', () => {
  it('flags enabled mappings of the same priority that can match the same Coverage', () => {
    const advantageU: PayerMapping = { ...healthyU, id: 'uuhp-advantage-u', planName: undefined, match: { payerName: 'University of Utah*' }, lineOfBusiness: 'medicare-advantage' } as PayerMapping;
    const ties = findTies([healthyU, advantageU, medicare]);
    expect(ties.get('uuhp-healthy-u')).toEqual(['uuhp-advantage-u']);
    expect(ties.has('medicare')).toBe(false);
  });

  it('does not flag disabled mappings or provably disjoint ones', () => {
    const idaho = { ...healthyU, id: 'uuhp-idaho', match: { ...healthyU.match, states: ['ID'] } };
    const off = { ...healthyU, id: 'uuhp-off', enabled: false };
    expect(findTies([healthyU, idaho, off]).size).toBe(0);
    const otherPayerId = { ...medicare, id: 'medicare-rr', match: { payerIdentifier: { value: 'RRB' } } };
    expect(findTies([medicare, otherPayerId]).size).toBe(0);
  });

  it('does not flag same-priority mappings that send a Coverage to the same policy and line of business', () => {
    const alias = { ...healthyU, id: 'uuhp-healthy-u-alias', match: { planName: 'Healthy U' } };
    expect(findTies([healthyU, alias]).size).toBe(0);
    expect(findTies([healthyU, { ...alias, lineOfBusiness: 'chip' as const }]).get('uuhp-healthy-u')).toEqual(['uuhp-healthy-u-alias']);
  });

  it('searches payer, plan and policy case-insensitively', () => {
    expect(searchMappings([healthyU, medicare], 'healthy').map((m) => m.id)).toEqual(['uuhp-healthy-u']);
    expect(searchMappings([healthyU, medicare], 'CMS-MEDICARE').map((m) => m.id)).toEqual(['medicare']);
    expect(searchMappings([healthyU, medicare], ' ')).toHaveLength(2);
  });
});

describe('name overlap', () => {
  it('treats different plan names as disjoint and globs by their literal text', async () => {
    const { namesMayOverlap } = await import('./mappingForm.js');
    expect(namesMayOverlap('Healthy U', 'Advantage U')).toBe(false);
    expect(namesMayOverlap('U*of U* Health Plan*', 'University of Utah Health Plans')).toBe(true);
    expect(namesMayOverlap('Peach State', 'Peach State Health Plan')).toBe(true);
    expect(namesMayOverlap('iCare', 'Centene')).toBe(false);
  });
});
