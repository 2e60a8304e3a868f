import { describe, expect, it } from 'vitest';
import { codeSystemOf } from './index.js';

describe('codeSystemOf: OIDs (THO) and HCPCS of all levels', () => {
  it.each([
    ['urn:oid:2.16.840.1.113883.6.285', 'J0475', 'hcpcs'],
    ['urn:oid:2.16.840.1.113883.6.12', '62369', 'cpt'],
    ['urn:oid:2.16.840.1.113883.6.14', '62369', 'cpt'],
    ['urn:oid:2.16.840.1.113883.6.14', '0001F', 'cpt'],
    ['urn:oid:2.16.840.1.113883.6.14', 'j2278', 'hcpcs'],
    ['http://terminology.hl7.org/CodeSystem/HCPCS-all-codes', 'E0783', 'hcpcs'],
    ['urn:oid:2.16.840.1.113883.6.14', 'W1234', undefined], // W–Z are not Level II
    ['urn:oid:2.16.840.1.113883.6.14', '12345-X', undefined],
    ['urn:oid:2.16.840.1.113883.6.14', undefined, undefined],
    ['urn:oid:1.2.840.114350.1.13.0.1.7.2.696580', '62369', undefined], // an Epic local code system
  ])('%s %s → %s', (system, code, want) => { expect(codeSystemOf(system, code)).toBe(want); });
});
