import { describe, expect, it } from 'vitest';
import type { PayerMapping } from '../../../server/contracts/index.js';
import { importProblemsFromDetails, summariseImport } from './importExport.js';
import { jsonDiff } from './jsonDiff.js';

const icare: PayerMapping = {
  id: 'icare-ma', version: 4, priority: 100, enabled: true,
  match: { payerName: 'iCare', states: ['WI'] }, policyId: 'icare-ma', lineOfBusiness: 'medicare-advantage',
};
const centene: PayerMapping = {
  id: 'centene', version: 1, priority: 50, enabled: true,
  match: { payerName: '*Centene*' }, policyId: 'centene-cp-mp-173', lineOfBusiness: 'medicaid',
};

describe('import summary', () => {
  it('summarises an exported file: unchanged, changed, new and missing', () => {
    const file = JSON.stringify({ mappings: [
      { ...icare, version: 9 },                                  // same content, other version → unchanged
      { ...centene, enabled: false },                             // changed
      { priority: 5, enabled: true, match: { payerName: 'Acme' }, policyId: 'cpt-default', lineOfBusiness: 'commercial' }, // new, no id
    ] });
    const s = summariseImport(file, [icare, centene, { ...icare, id: 'old-one' }]);
    expect(s.ok).toBe(true);
    expect(s.unchanged).toEqual(['icare-ma']);
    expect(s.changed).toEqual(['centene']);
    expect(s.added).toEqual(['row 3 (new)']);
    expect(s.notInFile).toEqual(['old-one']);
    expect(s.rows).toHaveLength(3);
  });

  it('names row and field of every problem and refuses to commit', () => {
    const file = JSON.stringify([icare, { ...centene, policyId: 'aetna', match: { states: ['Wisconsin'] } }, icare]);
    const s = summariseImport(file, []);
    expect(s.ok).toBe(false);
    expect(s.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 2, path: 'policyId', field: 'policy', message: expect.stringMatching(/^Mapping 2 \(centene\): policy 'aetna' is not one of: U of U Health Plans \(uuhp\)/) }),
      { row: 2, path: 'match.states.0', field: 'the 1st state', message: 'Mapping 2 (centene): the 1st state must be a two-letter US state code (it is "Wisconsin")' },
      { row: 3, path: 'id', field: 'id', message: "Mapping 3 (icare-ma): id 'icare-ma' appears twice in the file" },
    ]));
    // never zod's own words
    for (const p of s.problems) expect(p.message).not.toMatch(/Invalid option|Too small|expected one of|Unrecognized/);
  });

  it('a row named by its name, a priority below 0 in words', () => {
    const s = summariseImport(JSON.stringify([{ ...icare, id: 'x', name: 'U of U Medicaid', priority: -1 }, { ...centene, enabled: 'yes' }]), []);
    expect(s.problems.map((p) => p.message)).toEqual([
      'Mapping 1 (U of U Medicaid): priority must be 0 or more',
      'Mapping 2 (centene): enabled must be true or false (it is "yes")',
    ]);
  });

  it('flags ties among the file\'s rows before anything is sent', () => {
    const a = { ...icare, id: 'a', name: 'iCare A', match: { payerName: 'iCare' } };
    const b = { ...icare, id: 'b', name: 'iCare B', match: { payerName: 'iCare Medicare' }, lineOfBusiness: 'medicare' };
    const s = summariseImport(JSON.stringify([a, b, centene]), []);
    expect(s.ok).toBe(true);
    expect(s.ties).toEqual(['Mapping 1 (iCare A) and Mapping 2 (iCare B) at priority 100']);
    expect(summariseImport(JSON.stringify([a, { ...b, priority: 99 }]), []).ties).toEqual([]);
  });

  it('rejects files that are not JSON or not mappings', () => {
    expect(summariseImport('{', []).fileError).toMatch(/not valid JSON/);
    expect(summariseImport('{"foo":1}', []).fileError).toMatch(/Expected a JSON object/);
    expect(summariseImport('[]', []).ok).toBe(false);
  });

  it('reads server import errors as row and field', () => {
    expect(importProblemsFromDetails([{ path: 'mappings.3.policyId', message: "Mapping 4: policy 'x' is not one of: …" },
      { path: 'mappings.0.match.states.1', message: 'Mapping 1: the 2nd state …' }, { path: 'mappings', message: 'dup' }]))
      .toEqual([{ row: 4, path: 'policyId', field: 'policy', message: "Mapping 4: policy 'x' is not one of: …" },
        { row: 1, path: 'match.states.1', field: 'the 2nd state', message: 'Mapping 1: the 2nd state …' },
        { row: 0, path: 'mappings', field: 'mappings', message: 'dup' }]);
  });
});

describe('audit diff', () => {
  it('lists only the fields that changed, flattened', () => {
    expect(jsonDiff({ ...icare }, { ...icare, version: 5, enabled: false, match: { payerName: 'iCare', states: ['WI', 'MN'] } })).toEqual([
      { path: 'enabled', before: 'true', after: 'false' },
      { path: 'match.states', before: 'WI', after: 'WI, MN' },
      { path: 'version', before: '4', after: '5' },
    ]);
  });
  it('shows a creation and a deletion', () => {
    expect(jsonDiff(undefined, { note: 'x' })).toEqual([{ path: 'note', before: '—', after: '"x"' }]);
    expect(jsonDiff({ note: 'x' }, null)).toEqual([{ path: '(value)', before: '—', after: 'null' }, { path: 'note', before: '"x"', after: '—' }]);
  });
});
