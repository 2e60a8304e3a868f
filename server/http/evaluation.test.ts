/**
 * The evaluation's intake: a strength the extraction refused is not read back from the drug's name by the policy,
 * and facts sent as facts have their names' strengths read once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bundle, MedicationAdministration } from '@medplum/fhirtypes';
import { defaultMappingsAsStored } from '../mappings/index.js';
import { evaluateBody } from './evaluation.js';

const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../sandbox/fixtures/pt-uuhp-commercial.json'), 'utf8')) as Bundle;
const mappings = defaultMappingsAsStored();

/** the fixture's morphine refill given as 20 mL only, with the strength words as given */
function morphineIn(words: { display: string; text: string }): Bundle {
  const bundle = structuredClone(fixture);
  for (const e of bundle.entry ?? []) {
    const r = e.resource as MedicationAdministration | undefined;
    if (r?.resourceType !== 'MedicationAdministration') continue;
    r.medicationCodeableConcept = { coding: [{ ...r.medicationCodeableConcept!.coding![0]!, display: words.display }], text: words.text };
    r.dosage = { ...r.dosage, text: 'Reservoir refilled with 20 mL', dose: { value: 20, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' } };
  }
  return bundle;
}

const drugLines = (a: ReturnType<typeof evaluateBody>) => a.determination.lines.filter((l) => l.system === 'HCPCS');

describe('drug strength at the intake', () => {
  it('one strength in the words: 20 mL × 10 mg/mL = 200 mg → J2274 × 20', () => {
    const a = evaluateBody({ bundle: morphineIn({ display: 'Morphine Sulfate 10 MG/ML [Infumorph]', text: 'Morphine sulfate PF 10 mg/mL intrathecal' }) }, mappings);
    expect(a.facts.drugs[0]?.concentration).toEqual({ amount: 10, unit: 'mg', perMl: 1 });
    expect(drugLines(a).map((l) => `${l.code} × ${l.units}`)).toEqual(['J2274 × 20']);
  });

  it('two strengths in the record (10 and 25 mg/mL): not recorded, no drug line, and the checklist says what is missing', () => {
    const a = evaluateBody({ bundle: morphineIn({ display: 'Morphine Sulfate 10 MG/ML [Infumorph]', text: 'Morphine sulfate PF 25 mg/mL intrathecal' }) }, mappings);
    expect(a.facts.drugs[0]?.concentration).toBeUndefined();
    expect(a.factSources['drugs.0.concentration']?.status).toBe('default');
    expect(drugLines(a)).toEqual([]);
    const item = a.determination.checklist.find((c) => c.id === 'drug-verification');
    expect(item?.required).toBe(true);
    expect(item?.text).toContain('concentration (mg/mL or mcg/mL) is not on the record');
  });

  it('facts sent as facts: a strength only in the name is read once (Prialt 25 mcg/mL, 20 mL → J2278 × 500)', () => {
    const drug = { name: 'Prialt 25 mcg/mL', amount: 20, unit: 'mL', compounded: false, purchasedBy: 'practice' };
    const a = evaluateBody({ facts: { ...evaluateBody({ bundle: fixture }, mappings).facts, drugs: [drug] } }, mappings);
    expect(a.facts.drugs[0]?.concentration).toEqual({ amount: 25, unit: 'mcg', perMl: 1 });
    expect(drugLines(a).map((l) => `${l.code} × ${l.units}`)).toEqual(['J2278 × 500']);
  });
});
