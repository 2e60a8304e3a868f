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
      expect.objectContaining({ row: 2, path: 'policyId' }),
      expect.objectContaining({ row: 2, path: 'match.states.0' }),
      expect.objectContaining({ row: 3, path: 'id', message: 'duplicate id "icare-ma" in the file' }),
    ]));
  });

  it('rejects files that are not JSON or not mappings', () => {
    expect(summariseImport('{', []).fileError).toMatch(/not valid JSON/);
    expect(summariseImport('{"foo":1}', []).fileError).toMatch(/Expected a JSON object/);
    expect(summariseImport('[]', []).ok).toBe(false);
  });

  it('reads server import errors as row and field', () => {
    expect(importProblemsFromDetails([{ path: 'mappings.3.policyId', message: 'Invalid option' }, { path: 'mappings', message: 'dup' }]))
      .toEqual([{ row: 4, path: 'policyId', message: 'Invalid option' }, { row: 0, path: 'mappings', message: 'dup' }]);
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
